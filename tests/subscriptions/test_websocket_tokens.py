"""A WebSocket with a bad token is refused with a clear answer, never a 500:
HTTP 401 for a token in the upgrade request, close code 4403 for one given in
graphql-transport-ws's ``connection_init``."""

from __future__ import annotations

import json

import pytest
import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

from hub.domain.vocabulary import Role
from hub.settings import Settings
from hub.tokens import issue_token
from tests.subscriptions.test_complaint_changed import serve


async def test_a_bad_token_in_the_upgrade_is_refused_with_401(database_url):
    async with serve(database_url) as url:
        for header in ("Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer " + issue_token(
                secret="another-secret-that-is-at-least-32-bytes", role=Role.NATIONAL_ADMIN)):
            with pytest.raises(InvalidStatus) as refused:
                async with websockets.connect(url, subprotocols=["graphql-transport-ws"],
                                              additional_headers={"Authorization": header}):
                    pass
            response = refused.value.response
            assert response.status_code == 401, header
            body = json.loads(response.body)
            assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            assert "token" in body["errors"][0]["message"].lower() or "Bearer" in body["errors"][0]["message"]

        good = issue_token(secret=Settings(database_url=database_url).secret, role=Role.NATIONAL_ADMIN)
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"],
                                      additional_headers={"Authorization": f"Bearer {good}"}) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"


async def test_a_bad_token_in_connection_init_closes_with_4403(database_url):
    async with serve(database_url) as url:
        for payload in ({"Authorization": "Bearer not-a-token"}, {"authorization": "Token abc"}):
            async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
                await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
                with pytest.raises(ConnectionClosed) as closed:
                    await ws.recv()
                assert closed.value.rcvd.code == 4403, payload


async def test_a_subscription_with_a_bad_argument_is_answered_with_its_error(database_url):
    async with serve(database_url) as url:
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
                "query": "subscription($f: ComplaintChangeFilter) { complaintChanged(filter: $f) { trackingId } }",
                "variables": {"f": {"regionCodes": ["61.71\u0000"]}}}}))
            answer = json.loads(await ws.recv())
            errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
            assert errors[0]["message"] == "`$f.regionCodes[0]` holds a NUL character", answer
