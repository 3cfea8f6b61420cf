"""Two-way sync, action by action and region family by region family, over HTTP against the simulators.

For every lifecycle action and every family of regional app, on a complaint
the region holds: after the hub's action and the three pulls that follow it
(one before the dispatcher has delivered, two after), the complaint is in the
status the action set, with no CONFLICT; the region's ground truth shows the
change once where the app takes writes, and manual work exists where it does
not. A region that changes the complaint after hearing the hub's change
makes one CONFLICT, resolved by the rule in docs/write-path.md.

A family is one entry of :data:`FAMILIES`: the simulator kind and habits,
the connector options, whether the app takes lifecycle changes and
submissions by wire, and where its ground truth keeps ids and free texts.
Open311 comes twice: a server with mySociety's update extension
(``open311-updates``: changes are POSTed as ``servicerequestupdates``) and
one without (manual work).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from hub.connectors.registry import RegionConfig, parse_registry
from hub.domain.changes import from_payload, summary
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Role, Status
from hub.simulators.open311.habits import FLAVOURS
from hub.simulators.region_file import open311_entry
from hub.store.database import session_factory
from hub.store.models import Complaint, ComplaintSource, TimelineEvent
from hub.store.outbox_models import OutboxRow, OutboxStatus, OutboxTarget
from hub.sync.outbox import Dispatcher
from hub.sync.runs import PullRun, build_connector
from tests.e2e.regional import API_KEY_ENV, CODES, regions
from tests.e2e.test_write_path import region_file
from tests.hubclient import hub_client
from tests.mutations.helpers import (
    DISPOSITION,
    FOLLOW_UP,
    RATE,
    REJECT,
    REOPEN,
    RESOLVE,
    SUBMIT,
    VERIFY,
    WITHDRAW,
    act,
    add_agency,
    complaint_input,
    global_id,
    run,
)

POSTPONE = act("postponeComplaint", ", reason: $reason", ", $reason: String!")
RETURN = act("returnComplaint", ", reason: $reason", ", $reason: String!")


@dataclass(frozen=True)
class Family:
    """A family of regional apps, as the matrix needs to know it."""

    name: str
    kind: str  # the simulator
    takes_changes: bool  # lifecycle changes reach the app by wire (else: manual work)
    takes_submissions: bool
    id_field: str  # the record's id in the ground truth
    tracking_field: str  # where the app keeps the national tracking id
    texts: Callable[[dict[str, Any]], list[str]]  # free texts the app keeps on a record
    habits: dict[str, Any] = field(default_factory=dict)  # simulator habits (PUT /_admin/habits)
    options: dict[str, Any] = field(default_factory=dict)  # connector options merged into the region entry
    flavour: str | None = None  # an Open311 flavour: the region entry is the one declared for it
    status_word: Callable[[dict[str, Any]], str | None] | None = None  # where the app shows its status, if not the mapped field


FAMILIES = [
    Family("rest", "rest", takes_changes=True, takes_submissions=True, id_field="id", tracking_field="kode_lapor",
           texts=lambda r: [t["isi"] for t in r["tanggapan"]]),
    Family("open311", "open311", takes_changes=False, takes_submissions=True, id_field="service_request_id",
           tracking_field="lapor_tracking_id", texts=lambda r: [u["description"] for u in r["updates"]]),
    Family("open311-updates", "open311", takes_changes=True, takes_submissions=True, id_field="service_request_id",
           tracking_field="lapor_tracking_id", texts=lambda r: [u["description"] for u in r["updates"]],
           habits=FLAVOURS["mysociety"], flavour="mysociety", options={"status_from_updates": True},
           # a mySociety server's request says open or closed; its extended status is its newest update's
           status_word=lambda r: next((u["status"] for u in reversed(r["updates"]) if u.get("status")), None)),
    Family("csv", "csv", takes_changes=False, takes_submissions=False, id_field="No", tracking_field="Kode LAPOR",
           texts=lambda r: [r["Tindak Lanjut Terakhir"]]),
]

# step -> (document, who acts, variables); "agency" is filled in per test
STEPS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "verify": (VERIFY, "staff", {}),
    "reject": (REJECT, "staff", {"reason": "Bukan pelayanan publik (uji matriks)"}),
    "postpone": (POSTPONE, "staff", {"reason": "Mohon lengkapi lokasi kejadian (uji matriks)"}),
    "add_detail": (FOLLOW_UP, "reporter", {"text": "Lokasinya di depan SDN 3 (uji matriks)"}),
    "disposition": (DISPOSITION, "staff", {"agency": None}),
    "return": (RETURN, "staff", {"reason": "Bukan wewenang dinas ini (uji matriks)"}),
    "follow_up": (FOLLOW_UP, "staff", {"text": "Petugas meninjau lokasi (uji matriks)"}),
    "resolve": (RESOLVE, "staff", {}),
    "reopen": (REOPEN, "reporter", {}),
    "rate": (RATE, "reporter", {"stars": 4, "comment": "Terima kasih (uji matriks)"}),
    "withdraw": (WITHDRAW, "staff", {}),
}
HANDLED = ["verify", "disposition", "follow_up", "resolve"]
# action -> (the steps that reach it, ending with it; the status it sets)
ACTIONS: dict[str, tuple[list[str], Status]] = {
    "verify": (["verify"], Status.VERIFIED),
    "reject": (["reject"], Status.REJECTED),
    "postpone": (["postpone"], Status.POSTPONED),
    "add_detail": (["postpone", "add_detail"], Status.SUBMITTED),
    "disposition": (["verify", "disposition"], Status.DISPOSITIONED),
    "return": (["verify", "disposition", "return"], Status.VERIFIED),
    "follow_up": (["verify", "disposition", "follow_up"], Status.IN_PROGRESS),
    "resolve": (HANDLED, Status.RESOLVED),
    "reopen": ([*HANDLED, "reopen"], Status.IN_PROGRESS),
    "rate": ([*HANDLED, "rate"], Status.CLOSED),
    "withdraw": (["withdraw"], Status.WITHDRAWN),
}


class Matrix:
    """One region of one family, the hub beside it, and the complaint under test."""

    def __init__(self, engine, hub, family: Family, region, config: RegionConfig, registry) -> None:
        self.engine, self.hub, self.family, self.region, self.config = engine, hub, family, region, config
        self.dispatcher = Dispatcher(engine, registry)

    async def pull(self) -> None:
        report = await PullRun(self.engine, self.config, levels=ServiceLevels()).execute()
        assert report.error is None, report.error

    async def echo_of(self, status: Status) -> Status | None:
        async with httpx.AsyncClient() as client:
            return build_connector(self.config, client).echo_of(status)

    async def deliver(self) -> None:
        await self.dispatcher.run_once()

    async def complaint(self, tracking_id: str) -> tuple[Complaint, list[TimelineEvent]]:
        async with session_factory(self.engine)() as session:
            complaint = await session.scalar(select(Complaint).where(Complaint.tracking_id == tracking_id))
            conflicts = list(await session.scalars(select(TimelineEvent).where(
                TimelineEvent.complaint_id == complaint.id, TimelineEvent.kind == EventKind.CONFLICT)))
            return complaint, conflicts

    async def rows(self, tracking_id: str) -> list[OutboxRow]:
        complaint, _ = await self.complaint(tracking_id)
        async with session_factory(self.engine)() as session:
            return list(await session.scalars(select(OutboxRow).where(
                OutboxRow.complaint_id == complaint.id, OutboxRow.target == OutboxTarget.REGION).order_by(OutboxRow.id)))

    async def held_by_region(self, status: Status = Status.SUBMITTED) -> tuple[str, str]:
        """A complaint the region holds at ``status`` with a known reporter: (tracking id, regional id)."""
        async with session_factory(self.engine)() as session:
            found = (await session.execute(
                select(Complaint.tracking_id, ComplaintSource.source_id)
                .join(ComplaintSource, ComplaintSource.complaint_id == Complaint.id)
                .where(ComplaintSource.source_system == self.region.source_system, Complaint.status == status,
                       Complaint.reporter_id.is_not(None))
                .order_by(Complaint.id).limit(1))).first()
        assert found is not None, f"the seeded {self.family.name} region holds a {status} complaint with a reporter"
        return found[0], found[1]

    def record(self, regional_id: str) -> dict[str, Any]:
        (record,) = [r for r in self.region.ground_truth() if str(r[self.family.id_field]) == regional_id]
        return record

    def national_status_of(self, record: dict[str, Any]) -> Status | None:
        word = self.family.status_word(record) if self.family.status_word else record[self.config.mapping.fields.status]
        national = next((s for w, s in self.config.mapping.statuses.items() if word and w.casefold() == word.casefold()), None)
        return Status(national) if national else None

    async def act(self, tracking_id: str, steps: list[str], agency: int) -> None:
        complaint, _ = await self.complaint(tracking_id)
        staff = self.hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")
        reporter = self.hub.token(Role.REPORTER, reporter_id=complaint.reporter_id, subject="pelapor")
        for step in steps:
            document, who, variables = STEPS[step]
            if "agency" in variables:
                variables = {**variables, "agency": global_id("Agency", agency)}
            answer = await run(self.hub, document, staff if who == "staff" else reporter, id=tracking_id, **variables)
            assert answer["__typename"] == "ComplaintPayload", (step, answer)


@pytest.fixture(params=FAMILIES, ids=[f.name for f in FAMILIES])
def family(request) -> Family:
    return request.param


async def _matrix(engine, database_url, monkeypatch, tmp_path, family: Family, body) -> None:
    with regions(monkeypatch, complaints=15, kinds=(family.kind,)) as (found, registry):
        region = found[family.kind]
        if family.habits:
            httpx.put(f"{region.base_url}/_admin/habits", json=family.habits, timeout=10).raise_for_status()
        if family.flavour:
            registry = parse_registry({"regions": [open311_entry(
                region.code, region.base_url, api_key_env=API_KEY_ENV, flavour=family.flavour, page_size=15,
                timeout_seconds=2, max_attempts=6)]})
        if family.options:
            entries = [r.model_dump(mode="json", exclude_none=True) for r in registry.regions]
            for entry in entries:
                entry["options"] = {**entry.get("options", {}), **family.options}
            registry = parse_registry({"regions": entries})
        async with hub_client(database_url, schedule=False, regions_file=region_file(tmp_path, registry)) as hub:
            # the test delivers (Matrix.deliver), so that the first pull after an action is one the region
            # cannot have heard; a server delivers right after a mutation instead
            monkeypatch.setattr(hub.runtime.dispatcher, "kick", lambda: None)
            matrix = Matrix(engine, hub, family, region, registry.regions[0], registry)
            await matrix.pull()
            await body(matrix)


@pytest.mark.parametrize("action", list(ACTIONS))
async def test_an_action_stands_through_three_pulls_and_reaches_the_region_once(
    engine, database_url, monkeypatch, tmp_path, family, action
):
    steps, expected = ACTIONS[action]

    async def body(m: Matrix) -> None:
        tracking, regional_id = await m.held_by_region()
        await m.act(tracking, steps, await add_agency(engine, CODES[family.kind]))
        for pull in range(3):
            await m.pull()
            complaint, conflicts = await m.complaint(tracking)
            assert (complaint.status, conflicts) == (expected, []), f"{family.name} {action}, pull {pull + 1}"
            if pull == 0:  # the region hears it between the first pull and the second
                await m.deliver()

        rows = await m.rows(tracking)
        assert len(rows) == len(steps)  # one change per step, none lost, none doubled
        record = m.record(regional_id)
        if family.takes_changes:
            assert [row.status for row in rows] == [OutboxStatus.DELIVERED] * len(steps)
            texts = family.texts(record)
            for row in rows:  # the region shows each change once
                assert texts.count(summary(from_payload(row.kind, row.payload))) == 1, (row.kind, texts)
            shown = m.national_status_of(record)
            said = await m.echo_of(expected)  # what the app says for it in its own words, if it has a word
            if said is not None:
                assert shown is said, (action, shown)
        else:
            assert [row.status for row in rows] == [OutboxStatus.MANUAL] * len(steps)
            assert m.national_status_of(record) is Status.SUBMITTED  # nobody typed it in yet

    await _matrix(engine, database_url, monkeypatch, tmp_path, family, body)


async def test_a_submission_stands_through_three_pulls_and_reaches_the_region_once(
    engine, database_url, monkeypatch, tmp_path, family
):
    async def body(m: Matrix) -> None:
        filed = (await m.hub.query(SUBMIT, {"input": complaint_input(regionCode=CODES[family.kind])}))["r"]
        tracking = filed["complaint"]["trackingId"]
        for pull in range(3):
            await m.pull()
            complaint, conflicts = await m.complaint(tracking)
            assert (complaint.status, conflicts) == (Status.SUBMITTED, [])
            if pull == 0:
                await m.deliver()
        arrived = [r for r in m.region.ground_truth() if r.get(family.tracking_field) == tracking]
        rows = await m.rows(tracking)
        assert [row.kind for row in rows] == ["submit"]
        if family.takes_submissions:
            assert len(arrived) == 1 and rows[0].status is OutboxStatus.DELIVERED
            async with session_factory(m.engine)() as session:  # pulled back, it is the same complaint
                joined = await session.scalar(select(ComplaintSource.complaint_id).where(
                    ComplaintSource.source_system == m.region.source_system,
                    ComplaintSource.source_id == str(arrived[0][family.id_field])))
            assert joined == complaint.id
        else:
            assert arrived == [] and rows[0].status is OutboxStatus.MANUAL

    await _matrix(engine, database_url, monkeypatch, tmp_path, family, body)


async def test_a_regional_change_after_the_hubs_push_is_one_conflict_the_later_change_wins(
    engine, database_url, monkeypatch, tmp_path
):
    (rest,) = [f for f in FAMILIES if f.name == "rest"]

    async def body(m: Matrix) -> None:
        tracking, regional_id = await m.held_by_region()
        await m.act(tracking, ["verify"], await add_agency(engine, "19.71"))
        await m.deliver()
        # the region's own staff reject it after having heard the hub's verification, before any pull saw
        # the region agree (a change after the hub saw it agree is plain regional news, taken without conflict)
        async with httpx.AsyncClient(base_url=m.region.base_url, headers={"X-API-Key": "sim-key"}) as app:
            (await app.post(f"/api/v1/laporan/{regional_id}/tanggapan",
                            json={"isi": "Laporan tidak valid.", "oleh": "Admin SIPADU", "status": "Ditolak"})
             ).raise_for_status()
        for _ in range(3):
            await m.pull()
        complaint, conflicts = await m.complaint(tracking)
        assert complaint.status is Status.REJECTED
        assert [(c.details["national"], c.details["regional"], c.details["winner"]) for c in conflicts] == [
            ("VERIFIED", "REJECTED", "region")]

    await _matrix(engine, database_url, monkeypatch, tmp_path, rest, body)
