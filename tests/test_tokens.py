"""A token's signature is checked once; a kept viewer still expires with its token."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from hub import tokens
from hub.domain.vocabulary import Role
from hub.tokens import InvalidToken, issue_token, viewer_from_token

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def test_a_kept_viewer_expires_with_its_token(monkeypatch):
    token = issue_token(secret=SECRET, role=Role.REGION_ADMIN, region_codes=["61.71"], ttl=timedelta(minutes=5))
    first = viewer_from_token(token, secret=SECRET)
    assert viewer_from_token(token, secret=SECRET) is first and first.region_codes == {"61.71"}
    with pytest.raises(InvalidToken):
        viewer_from_token(token, secret="another-secret-that-is-long-enough-for-hs256")
    later = time.time() + 301
    monkeypatch.setattr(tokens.time, "time", lambda: later)
    monkeypatch.setattr(tokens.jwt.api_jwt, "datetime", _Frozen(later), raising=False)
    with pytest.raises(InvalidToken, match="expired"):
        viewer_from_token(token, secret=SECRET)


class _Frozen:
    """``datetime`` as pyjwt reads the clock, frozen at ``moment``."""

    def __init__(self, moment: float) -> None:
        self.moment = moment

    def now(self, tz=None):
        from datetime import datetime

        return datetime.fromtimestamp(self.moment, tz)

    def __getattr__(self, name):
        from datetime import datetime

        return getattr(datetime, name)


# -- tokens for real deployments ------------------------------------------------------------------

import json
import os
import re
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import jwt as pyjwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from hub.settings import DEV_JWT_SECRET, ConfigError, load_settings
from hub.tokens import Keys

NEW = "the-new-secret-of-this-deployment-0123456789"
OLD = "the-old-secret-of-this-deployment-0123456789"
SSO = "https://sso.lapor.go.id"


def test_rotation_accepts_every_listed_secret_and_signs_with_the_first():
    settings = load_settings(jwt_secret=f"{NEW}, {OLD}")
    assert settings.secret == NEW and settings.secrets == (NEW, OLD)
    keys = settings.token_keys
    by_old = issue_token(secret=OLD, role=Role.NATIONAL_ADMIN, subject="before-rotation")
    by_new = issue_token(secret=settings.secret, role=Role.NATIONAL_ADMIN, subject="after-rotation")
    assert keys.viewer(by_old).subject == "before-rotation"
    assert keys.viewer(by_new).subject == "after-rotation"
    retired = load_settings(jwt_secret=NEW).token_keys
    with pytest.raises(InvalidToken, match="Signature verification failed"):
        retired.viewer(by_old)


def test_audience_and_issuer_are_checked():
    keys = Keys(secrets=(NEW,), audience="lapor-web")
    fine = issue_token(secret=NEW, role=Role.PUBLIC, subject="warga", audience="lapor-web")
    assert keys.viewer(fine).subject == "warga"
    for token, said in [
        (issue_token(secret=NEW, role=Role.PUBLIC), 'Token is missing the "aud" claim'),
        (issue_token(secret=NEW, role=Role.PUBLIC, audience="someone-else"), "Audience doesn't match"),
        (issue_token(secret=NEW, role=Role.PUBLIC, audience="lapor-web", issuer="elsewhere"), "Invalid issuer"),
    ]:
        with pytest.raises(InvalidToken, match=said):
            keys.viewer(token)


def test_algorithms_other_than_the_configured_ones_are_refused():
    keys = Keys(secrets=(NEW,))
    unsigned = pyjwt.encode({"role": "NATIONAL_ADMIN", "exp": time.time() + 60, "iss": "lapor-hub"}, None,
                            algorithm="none")
    with pytest.raises(InvalidToken, match="algorithm 'none' is not accepted"):
        keys.viewer(unsigned)
    for garbage in ("x", "a.b.c", "e30.e30.", "\u00e9.\u00e9.\u00e9"):
        with pytest.raises(InvalidToken, match="token is not valid"):
            keys.viewer(garbage)


def test_production_refuses_the_development_secret_and_short_ones():
    for given, said in [
        (None, "HUB_JWT_SECRET must be set"),
        (DEV_JWT_SECRET, "published development secret"),
        ("x", "at least 32 bytes in production (one is 1)"),
        (f"{NEW},short-old-secret", "at least 32 bytes in production (one is 16)"),
    ]:
        with pytest.raises(ConfigError, match=re.escape(said)) as refused:
            load_settings(env="production", jwt_secret=given)
        assert "\n" not in str(refused.value)
    assert load_settings(env="production", jwt_secret=f"{NEW},{OLD}").secret == NEW


def test_the_server_refuses_to_start_with_one_line_saying_why():
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "HUB_ENV": "production", "HUB_JWT_SECRET": "too-short"}
    started = subprocess.run([sys.executable, "-c", "import server"], cwd=root, env=env, capture_output=True,
                             text=True, timeout=120)
    assert started.returncode == 1
    lines = started.stderr.strip().splitlines()
    assert len(lines) == 1 and "HUB_JWT_SECRET must be at least 32 bytes" in lines[0], started.stderr


# -- a national single sign-on's keys, from its JWKS ---------------------------------------------

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def jwks_document() -> dict:
    rsa_jwk = json.loads(pyjwt.algorithms.RSAAlgorithm.to_jwk(RSA_KEY.public_key()))
    ec_jwk = json.loads(pyjwt.algorithms.ECAlgorithm.to_jwk(EC_KEY.public_key()))
    return {"keys": [{**rsa_jwk, "kid": "rsa-2026", "use": "sig", "alg": "RS256"},
                     {**ec_jwk, "kid": "ec-2026", "use": "sig", "alg": "ES256"}]}


@contextmanager
def jwks_server():
    """The single sign-on's key set, served by a small Starlette app under uvicorn; counts its fetches."""
    fetches: list[int] = []

    async def keys(request):
        fetches.append(1)
        return JSONResponse(jwks_document())

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=[Route("/.well-known/jwks.json", keys)]),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/.well-known/jwks.json", fetches
    finally:
        server.should_exit = True
        thread.join()


def hmac_token(claims: dict, key: bytes) -> str:
    """An HS256 token signed with any bytes (PyJWT refuses a PEM key as an HMAC secret; an attacker does not)."""
    import base64
    import hashlib
    import hmac

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + part(json.dumps(claims).encode())
    return signing_input + "." + part(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())


def sso_token(key, algorithm: str, kid: str, **claims) -> str:
    body = {"iss": SSO, "sub": "199001012020121001", "role": "NATIONAL_ADMIN", "exp": time.time() + 600, **claims}
    return pyjwt.encode(body, key, algorithm=algorithm, headers={"kid": kid})


def test_sso_tokens_are_checked_with_the_keys_of_its_jwks_fetched_once():
    with jwks_server() as (url, fetches):
        keys = Keys(secrets=(NEW,), jwks_url=url, jwks_issuer=SSO, audience="lapor-hub-api")
        by_rsa = sso_token(RSA_KEY, "RS256", "rsa-2026", aud="lapor-hub-api")
        by_ec = sso_token(EC_KEY, "ES256", "ec-2026", aud="lapor-hub-api", role="REGION_ADMIN", regions=["61.71"])
        assert keys.needs_fetch(by_rsa)
        assert keys.viewer(by_rsa).role is Role.NATIONAL_ADMIN
        assert keys.viewer(by_ec).region_codes == {"61.71"}
        assert not keys.needs_fetch(by_rsa)
        for i in range(5):
            assert keys.viewer(sso_token(RSA_KEY, "RS256", "rsa-2026", aud="lapor-hub-api", sub=f"u{i}")).subject == f"u{i}"
        assert len(fetches) == 1  # the key set is cached

        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        refusals = [
            (sso_token(other, "RS256", "rsa-2026", aud="lapor-hub-api"), "Signature verification failed"),
            (sso_token(other, "RS256", "unknown-kid", aud="lapor-hub-api"), "no key to check it"),
            (sso_token(RSA_KEY, "RS256", "rsa-2026", aud="lapor-hub-api", iss="https://elsewhere"), "Invalid issuer"),
            (sso_token(RSA_KEY, "RS256", "rsa-2026"), 'missing the "aud" claim'),
            (sso_token(RSA_KEY, "RS256", "rsa-2026", aud="lapor-hub-api", exp=time.time() - 5), "expired"),
        ]
        for token, said in refusals:
            with pytest.raises(InvalidToken, match=said):
                keys.viewer(token)
        # the public key is not an HMAC secret: a token "signed" with it is refused
        public_pem = RSA_KEY.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        confused = hmac_token({"iss": SSO, "role": "NATIONAL_ADMIN", "exp": time.time() + 60, "aud": "lapor-hub-api"},
                              public_pem)
        with pytest.raises(InvalidToken, match="Signature verification failed"):
            keys.viewer(confused)


async def test_the_hub_believes_sso_tokens_when_given_a_jwks_url(database_url):
    from tests.hubclient import hub_client

    with jwks_server() as (url, fetches):
        async with hub_client(database_url, schedule=False, jwks_url=url, jwks_issuer=SSO) as hub:
            token = sso_token(EC_KEY, "ES256", "ec-2026")
            data = await hub.query("{ outbox(first: 1) { edges { node { id } } } }", token=token)
            assert data == {"outbox": {"edges": []}}  # a national admin's view
            refused = await hub.post("{ outbox(first: 1) { edges { node { id } } } }",
                                     token=sso_token(RSA_KEY, "RS256", "nope"))
            assert refused.status_code == 401 and "no key to check it" in refused.json()["errors"][0]["message"]
            own = hub.token(Role.NATIONAL_ADMIN)  # the hub's own tokens still work beside the SSO's
            assert await hub.query("{ outbox(first: 1) { edges { node { id } } } }", token=own) == {"outbox": {"edges": []}}


async def test_tokens_the_hub_issues_carry_its_audience_and_issuer(database_url):
    from tests.api.test_reporter_codes import OPEN, READ, file
    from tests.hubclient import hub_client

    async with hub_client(database_url, schedule=False, jwt_audience="lapor-web", jwt_issuer="lapor-hub-prod") as hub:
        tracking, code = await file(hub, "Dugaan pungli", "Siti Rahayu")
        opened = (await hub.query(OPEN, {"t": tracking, "code": code}))["r"]
        claims = pyjwt.decode(opened["token"], options={"verify_signature": False})
        assert claims["aud"] == "lapor-web" and claims["iss"] == "lapor-hub-prod"
        assert (await hub.query(READ, {"t": tracking}, token=opened["token"]))["complaint"]["title"] == "Dugaan pungli"
        without = hub.token(Role.NATIONAL_ADMIN)  # no audience: refused
        refused = await hub.post("{ categories { code } }", token=without)
        assert refused.status_code == 401 and 'missing the "aud" claim' in refused.json()["errors"][0]["message"]
