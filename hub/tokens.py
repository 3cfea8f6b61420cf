"""Signed JWTs that say who the caller is (a :class:`~hub.domain.access.Viewer`).

Claims: ``role`` (absent token means ``PUBLIC``), ``regions`` (region codes of
a region admin), ``agency`` (agency id of an agency officer), ``reporter``
(reporter id), ``complaints`` (complaint ids a reporter token was opened for,
by a secret code), ``sub`` (who, for timelines), ``exp``, ``iss`` and, when the
deployment names one, ``aud``. :class:`Keys` says which tokens are believed:
the hub's own HMAC tokens under any of its rotating secrets, and a national
single sign-on's RS256/ES256 tokens checked against its JWKS.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from hub.domain.access import PUBLIC, Viewer
from hub.domain.regions import is_region_code
from hub.domain.vocabulary import Role

ISSUER = "lapor-hub"


class InvalidToken(ValueError):
    pass


def issue_token(
    *,
    secret: str,
    role: Role,
    region_codes: Iterable[str] = (),
    agency_id: int | None = None,
    reporter_id: int | None = None,
    complaint_ids: Iterable[int] = (),
    subject: str | None = None,
    ttl: timedelta = timedelta(days=30),
    algorithm: str = "HS256",
    issuer: str = ISSUER,
    audience: str | None = None,
) -> str:
    codes = sorted(set(region_codes))
    for code in codes:
        if not is_region_code(code):
            raise ValueError(f"{code!r} is not a Kemendagri region code such as 61 or 61.71")
    if role is Role.REGION_ADMIN and not codes:
        raise ValueError("a REGION_ADMIN token needs at least one region code")
    if role is Role.AGENCY_OFFICER and agency_id is None:
        raise ValueError("an AGENCY_OFFICER token needs an agency id")
    complaints = sorted(set(complaint_ids))
    if role is Role.REPORTER and reporter_id is None and not complaints:
        raise ValueError("a REPORTER token needs a reporter id or complaint ids")
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "iss": issuer,
        "iat": now,
        "exp": now + ttl,
        "sub": subject or role.value.lower(),
        "role": role.value,
    }
    if codes:
        claims["regions"] = codes
    if agency_id is not None:
        claims["agency"] = agency_id
    if reporter_id is not None:
        claims["reporter"] = reporter_id
    if complaints:
        claims["complaints"] = complaints
    if audience:
        claims["aud"] = audience
    return jwt.encode(claims, secret, algorithm=algorithm)


VERIFIED_KEPT = 1024  # tokens whose signature was checked, kept until they expire

HMAC = ("HS256", "HS384", "HS512")


@dataclass(frozen=True)
class Keys:
    """What a token must be to be believed.

    ``secrets``: the shared secrets of the hub's own HMAC tokens, all accepted
    (rotation: add the new one first, drop the old one once its tokens have
    expired); :func:`issue_token` signs with the first. ``jwks_url``: a
    national single sign-on's JSON Web Key Set; its RS256/ES256 tokens (issuer
    ``jwks_issuer``) are verified with the key their ``kid`` names, fetched
    and cached (``jwks_cache_seconds``). ``audience``: when set, every token
    must name it in ``aud``.
    """

    secrets: tuple[str, ...]
    algorithm: str = "HS256"
    issuer: str = ISSUER
    audience: str | None = None
    jwks_url: str | None = None
    jwks_issuer: str | None = None
    jwks_algorithms: tuple[str, ...] = ("RS256", "ES256")
    jwks_cache_seconds: int = 300

    def needs_fetch(self, token: str) -> bool:
        """True when checking ``token`` may fetch a key set over the network (do it off the event loop)."""
        return self.jwks_url is not None and (token, self) not in _verified

    def viewer(self, token: str | None) -> Viewer:
        """The viewer a token names. A client sends the same token with every request:
        its signature and claims are checked the first time, and the viewer is kept
        (at most :data:`VERIFIED_KEPT` of them) until the token expires."""
        if not token:
            return PUBLIC
        key = (token, self)
        kept = _verified.get(key)
        if kept is not None:
            if time.time() < kept[1]:
                _verified.move_to_end(key)
                return kept[0]
            del _verified[key]
        viewer, expires = self._verify(token)
        _verified[key] = (viewer, expires)
        if len(_verified) > VERIFIED_KEPT:
            _verified.popitem(last=False)
        return viewer

    def _verify(self, token: str) -> tuple[Viewer, float]:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            if algorithm in self.jwks_algorithms and self.jwks_url is not None:
                signing_key = _jwks_client(self).get_signing_key_from_jwt(token).key
                claims = self._decode(token, signing_key, [algorithm], self.jwks_issuer or self.issuer)
            elif algorithm == self.algorithm and algorithm in HMAC:
                claims = self._with_secrets(token)
            else:
                raise InvalidToken(f"token is not valid: algorithm {algorithm!r} is not accepted here")
            return _viewer_of(claims), float(claims["exp"])
        except jwt.ExpiredSignatureError:
            raise InvalidToken("token has expired; ask for a new one") from None
        except InvalidToken:
            raise
        except jwt.PyJWKClientError as exc:
            raise InvalidToken(f"token is not valid: no key to check it ({exc})") from None
        except (jwt.InvalidTokenError, ValueError, KeyError, TypeError) as exc:
            raise InvalidToken(f"token is not valid: {exc}") from None

    def _with_secrets(self, token: str) -> dict[str, Any]:
        for secret in self.secrets[:-1]:
            try:
                return self._decode(token, secret, [self.algorithm], self.issuer)
            except jwt.InvalidSignatureError:
                continue  # signed with an older (or newer) secret of the rotation
        return self._decode(token, self.secrets[-1], [self.algorithm], self.issuer)

    def _decode(self, token: str, key: Any, algorithms: list[str], issuer: str) -> dict[str, Any]:
        return jwt.decode(token, key, algorithms=algorithms, issuer=issuer, audience=self.audience,
                          options={"require": ["exp", "role", *(["aud"] if self.audience else [])]})


_verified: OrderedDict[tuple[str, Keys], tuple[Viewer, float]] = OrderedDict()
_jwks_clients: dict[tuple[str, int], jwt.PyJWKClient] = {}


def _jwks_client(keys: Keys) -> jwt.PyJWKClient:
    """One client per key set URL: it caches the key set for ``jwks_cache_seconds`` and the keys by ``kid``."""
    assert keys.jwks_url is not None
    name = (keys.jwks_url, keys.jwks_cache_seconds)
    client = _jwks_clients.get(name)
    if client is None:
        client = jwt.PyJWKClient(keys.jwks_url, cache_keys=True, lifespan=keys.jwks_cache_seconds, timeout=10)
        _jwks_clients[name] = client
    return client


def viewer_from_token(token: str | None, *, secret: str, algorithm: str = "HS256") -> Viewer:
    """The viewer a token signed with ``secret`` names (see :meth:`Keys.viewer`)."""
    return Keys(secrets=(secret,), algorithm=algorithm).viewer(token)


def _viewer_of(claims: dict[str, Any]) -> Viewer:
    role = Role(claims["role"])
    regions = claims.get("regions", [])
    if not isinstance(regions, list) or not all(isinstance(c, str) for c in regions):
        raise InvalidToken("token claim `regions` must be a list of region codes")
    complaints = claims.get("complaints", [])
    if not isinstance(complaints, list) or not all(type(c) is int for c in complaints):
        raise InvalidToken("token claim `complaints` must be a list of complaint ids")
    return Viewer(
        role=role,
        region_codes=frozenset(regions),
        agency_id=_optional_int(claims, "agency"),
        reporter_id=_optional_int(claims, "reporter"),
        complaint_ids=frozenset(complaints),
        subject=str(claims.get("sub") or role.value.lower()),
    )


def _optional_int(claims: dict[str, object], name: str) -> int | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidToken(f"token claim `{name}` must be an integer")
    return value


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise InvalidToken("Authorization header must be `Bearer <token>`")
    return value.strip()
