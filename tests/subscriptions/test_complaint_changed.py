"""Subscriptions over graphql-transport-ws, across two hub servers sharing one database.

Each hub runs as a real uvicorn server with its own change-feed listener (its
own LISTEN connection on PostgreSQL), as two processes would; a mutation
sent to one reaches a WebSocket subscriber connected to the other.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
import websockets

from hub.app import create_app
from hub.domain.vocabulary import Role
from hub.settings import Settings
from hub.tokens import issue_token
from tests.hubclient import hub_client
from tests.mutations.helpers import SUBMIT, complaint_input

CHANGED = """subscription($f: ComplaintChangeFilter) { complaintChanged(filter: $f) {
  trackingId regionCode status reporter { name } reporterHidden } }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@asynccontextmanager
async def serve(database_url: str, **settings: Any) -> AsyncIterator[str]:
    port = free_port()
    app = create_app(Settings(database_url=database_url, **settings), schedule=False)
    server = uvicorn.Server(uvicorn.Config(app,
                                           host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"ws://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def subscriber(url: str, token: str | None, variables: dict[str, Any] | None = None) -> AsyncIterator[Any]:
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init",
                                  "payload": {"Authorization": f"Bearer {token}"} if token else {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": CHANGED, "variables": variables or {}}}))
        await asyncio.sleep(0.3)  # the subscription is listening once the resolver started
        yield ws


async def next_change(ws: Any, timeout: float = 5) -> dict[str, Any]:
    message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    assert message["type"] == "next", message
    return message["payload"]["data"]["complaintChanged"]


async def test_a_change_made_through_one_hub_reaches_a_subscriber_on_another_in_scope_only(database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("two hub processes share PostgreSQL; the embedded SQLite hub is one process")
    secret = Settings(database_url=database_url).secret
    region_admin = issue_token(secret=secret, role=Role.REGION_ADMIN, region_codes=["19.71"])
    async with serve(database_url) as first_url, serve(database_url) as second_url:
        async with subscriber(second_url, region_admin) as admin_ws, subscriber(second_url, None) as public_ws:
            async with hub_client(database_url) as elsewhere:  # a third process, as far as the feed is concerned
                await elsewhere.query(SUBMIT, {"input": complaint_input(regionCode="61.71", title="Banjir di Pontianak")})
                await elsewhere.query(SUBMIT, {"input": complaint_input(privacy="ANONYMOUS")})
            seen = await next_change(admin_ws)
            assert seen["regionCode"] == "19.71"  # the 61.71 complaint never reached the 19.71 admin
            assert seen["reporter"] is None and seen["reporterHidden"] is True
            public = [await next_change(public_ws), await next_change(public_ws)]
            assert {c["regionCode"] for c in public} == {"61.71", "19.71"}
            assert all(c["reporter"] is None for c in public if c["regionCode"] == "19.71")
            with pytest.raises(asyncio.TimeoutError):
                await next_change(admin_ws, timeout=0.5)
    assert first_url != second_url


async def test_on_sqlite_a_subscriber_hears_a_change_made_through_the_same_hub(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("covered across processes on PostgreSQL")
    async with serve(database_url) as url:
        async with subscriber(url, None, {"f": {"regionCodes": ["19"]}}) as ws:
            async with httpx.AsyncClient() as http:
                response = await http.post(url.replace("ws://", "http://"),
                                           json={"query": SUBMIT, "variables": {"input": complaint_input()}})
            assert response.json()["data"]["r"]["__typename"] == "ComplaintPayload"
            change = await next_change(ws)
            assert change["regionCode"] == "19.71" and change["status"] == "SUBMITTED"
