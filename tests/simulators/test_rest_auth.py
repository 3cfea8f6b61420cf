"""The REST simulator's ways of proving who you are, over real HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.simulators import create_app
from hub.simulators.testing import running_app
from tests.simulators.rest_habits import rest, walk

# How a client passes the right credentials in each style (httpx.Client arguments).
RIGHT: dict[str, dict[str, Any]] = {
    "header": {"headers": {"X-API-Key": "sim-key"}},
    "bearer": {"headers": {"Authorization": "Bearer sim-key"}},
    "basic": {"auth": ("sim-user", "sim-password")},
    "query": {"params": {"api_key": "sim-key"}},
}
WRONG: dict[str, list[dict[str, Any]]] = {
    "header": [{"headers": {"X-API-Key": "salah"}}, {"headers": {"x-api-key": ""}}],
    "bearer": [{"headers": {"Authorization": "Bearer salah"}}, {"headers": {"Authorization": "sim-key"}},
               {"headers": {"Authorization": "Token sim-key"}}],
    "basic": [{"auth": ("sim-user", "salah")}, {"auth": ("orang-lain", "sim-password")},
              {"headers": {"Authorization": "Basic !!!bukan-base64"}}, {"headers": {"Authorization": "Basic c2ltLXVzZXI="}}],
    "query": [{"params": {"api_key": "salah"}}, {"params": {"apikey": "sim-key"}}],
}
CHALLENGE = {"bearer": 'Bearer realm="SIPADU"', "basic": 'Basic realm="SIPADU", charset="UTF-8"'}
NEW = {"judul": "Lampu PJU mati", "isi_laporan": "Sudah dua minggu gelap."}


@pytest.mark.parametrize("auth", ["header", "bearer", "basic", "query"])
def test_each_style_lets_the_right_credentials_in_and_refuses_everything_else(auth: str) -> None:
    with running_app(create_app(rest(auth=auth, complaints=5))) as base:
        with httpx.Client(base_url=base, **RIGHT[auth]) as client:
            assert client.get("/api/v1/laporan").status_code == 200
            assert client.get("/api/v1/laporan/2").status_code == 200
            created = client.post("/api/v1/laporan", json=NEW)
            assert created.status_code == 201
            assert client.post(f"/api/v1/laporan/{created.json()['id']}/tanggapan", json={"isi": "Diteruskan."}).status_code == 201
            assert len(walk(client, "page", size=2)) == 6
        refused = [{}, *WRONG[auth], *(RIGHT[other] for other in RIGHT if other != auth)]
        for credentials in refused:
            with httpx.Client(base_url=base, **credentials) as client:
                for answer in (client.get("/api/v1/laporan"), client.get("/api/v1/laporan/2"),
                               client.post("/api/v1/laporan", json=NEW)):
                    assert answer.status_code == 401, (credentials, answer.request.url)
                    assert isinstance(answer.json()["error"], str) and answer.json()["error"]
                    if auth in CHALLENGE:
                        assert answer.headers["www-authenticate"].startswith(CHALLENGE[auth])
                    else:
                        assert "www-authenticate" not in answer.headers
        with httpx.Client(base_url=base, **RIGHT[auth]) as client:
            assert client.get("/api/v1/laporan").json()["meta"]["total"] == 6  # nothing refused was written


def test_a_wrong_bearer_token_is_named_invalid() -> None:
    with running_app(create_app(rest(auth="bearer", complaints=1))) as base:
        wrong = httpx.get(f"{base}/api/v1/laporan", headers={"Authorization": "Bearer salah"})
        missing = httpx.get(f"{base}/api/v1/laporan")
        assert wrong.headers["www-authenticate"] == 'Bearer realm="SIPADU", error="invalid_token"'
        assert missing.headers["www-authenticate"] == 'Bearer realm="SIPADU"'


def test_the_key_in_the_query_string_is_repeated_in_link_headers_like_real_servers_do() -> None:
    with running_app(create_app(rest(auth="query", paging="link", complaints=12))) as base:
        with httpx.Client(base_url=base, params={"api_key": "sim-key"}) as client:
            first = client.get("/api/v1/laporan", params={"per_page": 5})
            assert httpx.URL(first.links["next"]["url"]).params["api_key"] == "sim-key"
        # the next link alone is enough to go on
        assert httpx.get(first.links["next"]["url"]).status_code == 200


def test_credentials_come_from_the_configuration() -> None:
    config = rest(auth="basic", complaints=1)
    config.username, config.password = "admin-pkp", "rahasia-sekali"
    with running_app(create_app(config)) as base:
        assert httpx.get(f"{base}/api/v1/laporan", auth=("admin-pkp", "rahasia-sekali")).status_code == 200
        assert httpx.get(f"{base}/api/v1/laporan", auth=("sim-user", "sim-password")).status_code == 401


def test_admin_endpoints_need_no_credentials_in_any_style() -> None:
    with running_app(create_app(rest(auth="basic", complaints=1))) as base:
        for path in ("/_admin/ground-truth", "/_admin/habits", "/_admin/faults", "/_admin/healthz"):
            assert httpx.get(f"{base}{path}").status_code == 200, path
