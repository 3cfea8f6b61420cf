"""The outbox as a user notices it: changes wait, in order, while a region is down;
a dead push can be retried; a region that takes no writes gets manual work.

The REST region here points at a port nobody listens on: a regional app that
is down, over real sockets. Delivery to a live app is tested against the
regional simulators.
"""

from __future__ import annotations

import socket
from datetime import timedelta

import yaml
from sqlalchemy import select

from hub.connectors.registry import RegionConfig, Registry
from hub.domain.changes import SubmitChange
from hub.domain.vocabulary import Role
from hub.store.database import session_factory
from hub.store.models import Complaint
from hub.store.outbox_models import OutboxRow, OutboxStatus
from hub.store.outbox_writes import enqueue
from hub.store.types import utcnow
from hub.sync.outbox import Dispatcher, RetryPolicy, push_target
from tests.hubclient import hub_client, nodes
from tests.mutations.helpers import SUBMIT, VERIFY, complaint_input, global_id, run, tokens

MAPPING = {
    "fields": {"source_id": "id", "title": "judul", "body": "isi_laporan", "status": "status",
               "created_at": "dibuat", "updated_at": "diperbarui", "tracking_id": "kode_lapor"},
    "statuses": {"Belum Terverifikasi": "SUBMITTED", "Terverifikasi": "VERIFIED", "Diproses": "IN_PROGRESS",
                 "Selesai": "RESOLVED"},
}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rest_region(base_url: str) -> dict:
    return {"code": "19.71", "connector": "rest", "base_url": base_url, "credentials": {"api_key": "PKP_API_KEY"},
            "options": {"list_path": "/api/v1/laporan", "auth_header": "X-API-Key", "create_path": "/api/v1/laporan",
                        "follow_up_path": "/api/v1/laporan/{source_id}/tanggapan",
                        "create_fields": {"judul": "title", "isi_laporan": "body", "kode_lapor": "tracking_id",
                                          "pelapor.nama": "reporter_name", "pelapor.telepon": "reporter_phone"}},
            "mapping": MAPPING}


async def rows(engine) -> list[OutboxRow]:
    async with session_factory(engine)() as session:
        return list((await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all())


async def test_changes_wait_in_order_while_the_region_is_down_and_die_after_bounded_attempts(
    engine, database_url, tmp_path, monkeypatch
):
    monkeypatch.setenv("PKP_API_KEY", "rahasia")
    regions = tmp_path / "regions.yaml"
    regions.write_text(yaml.safe_dump({"regions": [rest_region(f"http://127.0.0.1:{closed_port()}")]}))
    async with hub_client(database_url, schedule=False, regions_file=str(regions)) as hub:
        filed = (await hub.query(SUBMIT, {"input": complaint_input()}))["r"]["complaint"]
        who = tokens(hub)
        await run(hub, VERIFY, who["region"], id=filed["trackingId"])
    submit_row, verify_row = await rows(engine)
    assert (submit_row.kind, verify_row.kind) == ("submit", "verify")
    assert submit_row.payload["tracking_id"] == filed["trackingId"]
    assert submit_row.idempotency_key != verify_row.idempotency_key

    registry = Registry(regions=[RegionConfig.model_validate(rest_region(f"http://127.0.0.1:{closed_port()}"))])
    dispatcher = Dispatcher(engine, registry, policy=RetryPolicy(max_attempts=submit_row.attempts + 3, base_seconds=60))
    later = utcnow()
    for _ in range(3):
        later += timedelta(hours=1)  # past any backoff
        await dispatcher.run_once(now=later)
    submit_row, verify_row = await rows(engine)
    assert submit_row.status is OutboxStatus.DEAD and "failed" in (submit_row.last_error or "")
    assert verify_row.status is OutboxStatus.PENDING and verify_row.attempts == 0  # never overtakes the submission

    async with hub_client(database_url, schedule=False, regions_file=str(regions)) as hub:
        who = tokens(hub)
        retry = "mutation($id: ID!) { retryPush(id: $id) { __typename ... on OutboxItemPayload { item { status attempts } } ... on NotAllowedError { message } } }"
        refused = (await hub.query(retry, {"id": global_id("OutboxItem", submit_row.id)}, token=who["region"]))["retryPush"]
        assert refused["__typename"] == "NotAllowedError" and "national admin" in refused["message"]
        again = (await hub.query(retry, {"id": global_id("OutboxItem", submit_row.id)}, token=who["national"]))["retryPush"]
        assert again["item"]["status"] == "PENDING"


def test_backoff_doubles_up_to_the_cap_with_jitter():
    policy = RetryPolicy(base_seconds=2, cap_seconds=60, jitter=0.25)
    for attempts, nominal in [(1, 2), (2, 4), (3, 8), (6, 60), (20, 60)]:
        delay = policy.delay(attempts).total_seconds()
        assert nominal * 0.75 <= delay <= nominal * 1.25


async def test_a_region_without_writes_gets_manual_work_visible_to_its_admin(engine, database_url):
    registry = Registry(regions=[RegionConfig.model_validate(
        {"code": "61.71", "connector": "csv", "base_url": "http://127.0.0.1:1", "mapping": MAPPING})])
    target = push_target(registry, "61.71")
    assert target is not None and not target.accepts_writes
    async with hub_client(database_url) as hub:
        filed = (await hub.query(SUBMIT, {"input": complaint_input(regionCode="61.71")}))["r"]["complaint"]
        async with session_factory(engine)() as session, session.begin():
            complaint = await session.scalar(select(Complaint).where(Complaint.tracking_id == filed["trackingId"]))
            change = SubmitChange(tracking_id=complaint.tracking_id, occurred_at=utcnow(), actor="pelapor",
                                  actor_role=Role.REPORTER, status=complaint.status, title=complaint.title,
                                  body=complaint.body, type=complaint.type, privacy=complaint.privacy,
                                  channel=complaint.channel, region_code=complaint.region_code)
            enqueue(session, complaint, target, change, now=utcnow())
        who = tokens(hub)
        query = "query($r: String) { manualWork(regionCode: $r) { edges { node { id trackingId change status } } } }"
        work = nodes((await hub.query(query, {"r": "61.71"}, token=who["other_region"]))["manualWork"])
        assert [(w["trackingId"], w["change"], w["status"]) for w in work] == [(filed["trackingId"], "SUBMIT", "MANUAL")]
        refused = await hub.errors(query, {"r": "61.71"}, token=who["region"])
        assert "admin of its region" in refused[0]["message"] or "may not" in refused[0]["message"]
        done = await hub.query("mutation($id: ID!) { markManualWorkDone(id: $id) { __typename ... on OutboxItemPayload { item { status handledBy } } } }",
                               {"id": work[0]["id"]}, token=who["other_region"])
        assert done["markManualWorkDone"]["item"]["status"] == "DONE"
        assert nodes((await hub.query(query, {"r": "61.71"}, token=who["national"]))["manualWork"]) == []
    dispatcher = Dispatcher(engine, registry)
    report = await dispatcher.run_once()
    assert report.delivered == 0 and (await rows(engine))[0].status is OutboxStatus.DONE
