"""``servicerequestupdates`` as deployed: optional per server, a request gone
from view rejects that record only, and extended update statuses go through
the region's status map and set the complaint's status."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from hub.domain.vocabulary import Status
from hub.simulators.region_file import EXTENDED_STATUS
from hub.store.models import Complaint, ComplaintSource
from hub.store.sync_models import RejectedRecord, RunStatus
from tests.open311.servers import assert_matches, open311_region, pull


def post_update(base_url: str, request_id: str, status: str, text: str) -> str:
    answer = httpx.post(f"{base_url}/servicerequestupdates.json", data={
        "api_key": "sim-key", "service_request_id": request_id, "update_id": f"bo-{request_id}-{status}",
        "updated_datetime": "2026-10-02T08:00:00+07:00", "status": status, "description": text}, timeout=10)
    answer.raise_for_status()
    return answer.json()[0]["update_id"]


async def statuses(engine, source_system: str) -> dict[str, str]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(ComplaintSource.source_id, Complaint.status)
                                        .join(Complaint, Complaint.id == ComplaintSource.complaint_id)
                                        .where(ComplaintSource.source_system == source_system))
        return {source_id: status.value for source_id, status in rows}


@pytest.mark.parametrize("paging", ["extension", "windows"])
async def test_a_server_without_updates_is_read_without_them(engine, monkeypatch, paging):
    # The region expects servicerequestupdates; the server answers 404 there.
    habits = {"updates": "absent"} if paging == "extension" else {"updates": "absent", "paging": "none"}
    with open311_region(monkeypatch, complaints=20, options={"paging": paging}, **habits) as (region, config):
        assert config.options["updates_path"] == "/servicerequestupdates.json" and "updates" not in config.options
        report = await pull(engine, config, full=True)
        assert report.status is RunStatus.SUCCEEDED, report.error
        assert report.created == 20 and report.rejected == 0
        await assert_matches(engine, region, with_updates=False)

        region.tick(12)  # older requests change too: without a feed, only reading them all again finds that
        report = await pull(engine, config)
        assert report.status is RunStatus.SUCCEEDED, report.error
        await assert_matches(engine, region, with_updates=False)


async def test_a_request_gone_from_view_rejects_that_record_not_the_run(engine, monkeypatch):
    with open311_region(monkeypatch, flavour="mysociety", complaints=20) as (region, config):
        assert (await pull(engine, config, full=True)).status is RunStatus.SUCCEEDED
        open_ones = [r["service_request_id"] for r in region.ground_truth() if r["status"] == "open"]
        gone, kept = open_ones[:2]
        post_update(region.base_url, gone, "INVESTIGATING", "Sedang diperiksa")
        post_update(region.base_url, kept, "FIXED", "Lubang jalan sudah ditambal")
        httpx.put(f"{region.base_url}/_admin/habits", json={"hidden_requests": [int(gone)]}, timeout=10).raise_for_status()

        report = await pull(engine, config)
        assert report.status is RunStatus.SUCCEEDED, report.error
        assert report.rejected == 1 and report.updated >= 1
        async with engine.connect() as connection:
            rejected = (await connection.execute(select(RejectedRecord.source_id, RejectedRecord.reason))).all()
        assert [r.source_id for r in rejected] == [gone]
        assert "answered 404" in rejected[0].reason and f'"service request {gone} not found"' in rejected[0].reason
        assert (await statuses(engine, region.source_system))[kept] == "RESOLVED"


async def test_extended_update_statuses_set_the_complaints_status(engine, monkeypatch):
    # A server whose requests say only open or closed: the newest update's extended status tells more.
    with open311_region(monkeypatch, flavour="mysociety", complaints=25, options={"status_from_updates": True}) as (region, config):
        config.mapping.fields.status = "status"
        config.mapping.statuses.update({"open": Status.SUBMITTED, "closed": Status.CLOSED})
        assert (await pull(engine, config, full=True)).status is RunStatus.SUCCEEDED

        truth = region.ground_truth()
        target = next(r for r in truth if r["status"] == "open")["service_request_id"]
        post_update(region.base_url, target, "NOT_COUNCILS_RESPONSIBILITY", "Bukan kewenangan pemerintah kota")
        assert (await pull(engine, config)).status is RunStatus.SUCCEEDED

        have = await statuses(engine, region.source_system)
        for record in region.ground_truth():
            said = sorted(record["updates"], key=lambda u: (u["updated_datetime"], int(u["update_id"])))
            want = EXTENDED_STATUS[said[-1]["status"]] if said else {"open": "SUBMITTED", "closed": "CLOSED"}[record["status"]]
            assert have[record["service_request_id"]] == want, record["service_request_id"]
        assert have[target] == "REJECTED"
