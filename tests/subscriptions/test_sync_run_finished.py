"""syncRunFinished: an admin hears each run finish, even a failed one."""

from __future__ import annotations

import asyncio
import json

import httpx
import websockets
import yaml

from hub.domain.vocabulary import Role
from hub.settings import Settings
from hub.tokens import issue_token
from tests.outbox.test_dispatch import closed_port, rest_region
from tests.subscriptions.test_complaint_changed import serve

FINISHED = "subscription { syncRunFinished { regionCode status error } }"


async def test_an_admin_hears_a_sync_run_finish(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("PKP_API_KEY", "rahasia")
    monkeypatch.setenv("HUB_REGIONS_FILE", "")
    regions = tmp_path / "regions.yaml"
    regions.write_text(yaml.safe_dump({"regions": [rest_region(f"http://127.0.0.1:{closed_port()}")]}))
    secret = Settings(database_url=database_url).secret
    admin = issue_token(secret=secret, role=Role.NATIONAL_ADMIN)
    async with serve(database_url, regions_file=str(regions)) as url:
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {admin}"}}))
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": FINISHED}}))
            await asyncio.sleep(0.3)
            async with httpx.AsyncClient(timeout=30) as http:
                await http.post(url.replace("ws://", "http://"), headers={"Authorization": f"Bearer {admin}"},
                                json={"query": 'mutation { triggerSync(regionCode: "19.71") { __typename } }'})
            message = json.loads(await asyncio.wait_for(ws.recv(), 30))
    run = message["payload"]["data"]["syncRunFinished"]
    assert run["regionCode"] == "19.71" and run["status"] == "FAILED" and run["error"]
