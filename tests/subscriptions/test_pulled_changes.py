"""Changes pulled from a region reach ``complaintChanged`` subscribers, scoped as mutations are.

The hub runs as a real server that syncs the REST simulator on its own
schedule (every second); a change made in the regional app reaches a
subscriber of that region within a sync, and never one of another region.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from hub.app import create_app
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Role
from hub.settings import Settings
from hub.simulators.region_file import write_region_file
from hub.store.database import session_factory
from hub.store.models import Complaint, ComplaintSource
from hub.sync.runs import PullRun
from hub.tokens import issue_token
from tests.e2e.regional import regions
from tests.subscriptions.test_complaint_changed import free_port, next_change, subscriber


@asynccontextmanager
async def syncing_hub(database_url: str, regions_file: str) -> AsyncIterator[str]:
    """A hub server with its scheduler on: it pulls its regions by itself."""
    port = free_port()
    app = create_app(Settings(database_url=database_url, regions_file=regions_file), schedule=True)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"ws://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        await task


async def until(ws: Any, wanted, timeout: float = 20) -> dict[str, Any]:
    """The first change the subscriber hears that ``wanted`` accepts (earlier ones are other pulled news)."""
    async def first() -> dict[str, Any]:
        while True:
            change = await next_change(ws, timeout=timeout)
            if wanted(change):
                return change

    return await asyncio.wait_for(first(), timeout)


async def test_a_pulled_change_reaches_a_subscriber_in_scope_and_not_one_outside(engine, database_url, monkeypatch,
                                                                                   tmp_path):
    with regions(monkeypatch, complaints=10, kinds=("rest",)) as (found, registry):
        rest = found["rest"]
        await PullRun(engine, registry.regions[0], levels=ServiceLevels(), full=True).execute()
        async with session_factory(engine)() as session:
            tracking, source_id = (await session.execute(
                select(Complaint.tracking_id, ComplaintSource.source_id)
                .join(ComplaintSource, ComplaintSource.complaint_id == Complaint.id)
                .where(ComplaintSource.source_system == rest.source_system, Complaint.status == "IN_PROGRESS")
                .limit(1))).one()
        entries = [r.model_dump(mode="json", exclude_none=True) for r in registry.regions]
        for entry in entries:
            entry["schedule"] = {"interval_seconds": 1}
        regions_file = str(write_region_file(tmp_path / "regions.yaml", entries))
        secret = Settings(database_url=database_url).secret
        ours = issue_token(secret=secret, role=Role.REGION_ADMIN, region_codes=["19.71"])
        theirs = issue_token(secret=secret, role=Role.REGION_ADMIN, region_codes=["61.71"])

        async with syncing_hub(database_url, regions_file) as url:
            async with subscriber(url, ours) as ours_ws, subscriber(url, theirs) as theirs_ws:
                async with httpx.AsyncClient(base_url=rest.base_url, headers={"X-API-Key": "sim-key"}) as app:
                    (await app.post(f"/api/v1/laporan/{source_id}/tanggapan",
                                    json={"isi": "Perbaikan selesai dikerjakan.", "oleh": "Dinas PUPR",
                                          "status": "Selesai"})).raise_for_status()
                    updated = await until(ours_ws, lambda c: c["trackingId"] == tracking and c["status"] == "RESOLVED")
                    assert updated["regionCode"] == "19.71"

                    (await app.post("/api/v1/laporan", json={
                        "judul": "Drainase tersumbat di Jl. Depati Amir", "isi_laporan": "Air meluap saat hujan.",
                        "kategori": "Jalan Rusak", "pelapor": {"nama": "Budi", "telepon": "081200000001"},
                    })).raise_for_status()
                    created = await until(ours_ws, lambda c: c["status"] == "SUBMITTED")
                    assert created["regionCode"] == "19.71" and created["trackingId"] != tracking

                with pytest.raises(asyncio.TimeoutError):  # nothing of 19.71 reaches the admin of 61.71
                    await next_change(theirs_ws, timeout=1.5)
