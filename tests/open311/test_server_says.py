"""The server's own description, found in each shape of error body."""

from __future__ import annotations

import httpx
import pytest

from hub.connectors.errors import server_says


@pytest.mark.parametrize(("content_type", "body", "said"), [
    ("text/xml", '<?xml version="1.0"?><errors><error><code>403</code><description>api_key is not valid'
                 "</description></error></errors>", "api_key is not valid"),
    ("application/json", '[{"code": 400, "description": "service_code is required"}, '
                         '{"code": 400, "description": "lat is required"}]', "service_code is required; lat is required"),
    ("application/json", '{"message": "Token kedaluwarsa"}', "Token kedaluwarsa"),
    ("application/json", '{"error": {"code": 42, "message": "kuota habis"}}', "kuota habis"),
    ("application/json", '{"error": "invalid_client", "error_description": "kunci salah"}', "kunci salah"),
    ("text/html", "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad</h1></body></html>", "502 Bad Gateway"),
    ("text/html", "<html><body><h2>Akses &amp; ditolak</h2></body></html>", "Akses & ditolak"),
    ("text/plain", "upstream timed out\nmore", "upstream timed out"),
    ("application/json", "{}", None),
])
def test_the_servers_description_on_one_line(content_type: str, body: str, said: str | None) -> None:
    response = httpx.Response(400, headers={"content-type": content_type}, text=body)
    assert server_says(response) == said
