"""Escalation on a controlled clock: a breach nobody meets climbs to the region, then to the nation.

Complaints are filed and moved with the store's own clock (``now=``), the
deadline job runs at chosen moments, and the webhook deliveries go to a real
receiver on 127.0.0.1 that verifies every signature.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hub.domain import global_ids
from hub.domain.escalation import EscalationLevel, EscalationPolicy
from hub.domain.lifecycle import Action
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Role
from hub.store.complaint_writes import NewComplaint, record_complaint
from hub.store.database import session_factory
from hub.store.lifecycle_writes import Actor, transition
from hub.store.models import Complaint, TimelineEvent
from hub.sync.deadlines_job import run_deadlines
from tests.hubclient import hub_client
from tests.mutations.helpers import add_agency, global_id
from tests.notify.receivers import Receiver, deliver_all

MONDAY = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)  # 09:00 WIB; no holiday in the next two weeks
# verification due at the end of Thu 8 Oct (WIB); two working days more: Mon 12; two more: Wed 14
FRIDAY, TUESDAY, THURSDAY = (datetime(2026, 10, day, 2, 0, tzinfo=UTC) for day in (9, 13, 15))
LEVELS = ServiceLevels()
POLICY = EscalationPolicy(working_days=2)
ADMIN = Actor(name="admin.pangkalpinang", role=Role.REGION_ADMIN)

CREATE = """mutation($input: CreateWebhookSubscriptionInput!) { r: createWebhookSubscription(input: $input) {
  ... on WebhookSecretPayload { secret subscription { id } } } }"""
VIEW = """{
  complaints(filter: {escalationLevels: [REGION, NATIONAL]}) { totalCount edges { node { trackingId escalationLevel } } }
  escalations(provinceCode: "19") { regionCode regionName atRegion atNational total }
  each: complaints(first: 10) { edges { node { trackingId escalationLevel status } } }
}"""


async def _file(engine, title: str) -> Complaint:
    async with session_factory(engine)() as session, session.begin():
        return await record_complaint(session, NewComplaint(title=title, body="Sudah seminggu", region_code="19.71"),
                                      levels=LEVELS, now=MONDAY)


async def _act(engine, complaint_id: int, action: Action, at: datetime) -> None:
    async with session_factory(engine)() as session, session.begin():
        await transition(session, await session.get(Complaint, complaint_id), action, actor=ADMIN, now=at,
                         levels=LEVELS)


async def _subscribe(hub, receiver: Receiver, name: str, token: str, kinds: list[str], **scope) -> int:
    result = (await hub.query(CREATE, {"input": {"name": name, "url": receiver.url(name), "eventKinds": kinds,
                                                 **scope}}, token=token))["r"]
    receiver.secrets[name] = result["secret"]
    return global_ids.decode(result["subscription"]["id"], "WebhookSubscription")  # the row's number


async def _steps(engine, complaint_id: int) -> list[tuple[str, str]]:
    async with session_factory(engine)() as session:
        events = await session.scalars(select(TimelineEvent).where(
            TimelineEvent.complaint_id == complaint_id, TimelineEvent.kind == EventKind.ESCALATED)
            .order_by(TimelineEvent.id))
        return [(e.details["deadline"], e.details["level"]) for e in events]


async def test_an_unverified_complaint_climbs_to_the_region_then_the_nation_and_stops_when_it_moves_on(
    engine, database_url,
):
    ignored = await _file(engine, "Lampu jalan mati")  # nobody verifies it
    postponed = await _file(engine, "Sampah menumpuk")  # waits for the reporter the whole time
    late = await _file(engine, "Jalan berlubang")  # verified after its breach, once at the region
    await _act(engine, postponed.id, Action.POSTPONE, MONDAY + timedelta(hours=1))
    async with session_factory(engine)() as session:
        updated = {c.id: c.updated_at for c in await session.scalars(select(Complaint))}

    receiver = Receiver()
    with receiver.running():
        # the Ombudsman's subscription is the first one made: id 1 names it in the national setting
        async with hub_client(database_url, schedule=False, escalation_ombudsman_webhook_id=1) as hub:
            nation = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")
            province = hub.token(Role.REGION_ADMIN, region_codes=["19"], subject="admin.babel")
            pontianak = hub.token(Role.REGION_ADMIN, region_codes=["61.71"], subject="admin.pontianak")
            assert await _subscribe(hub, receiver, "ombudsman", nation, ["REJECTED"]) == 1
            await _subscribe(hub, receiver, "babel", province, ["ESCALATED"], regionCode="19")
            await _subscribe(hub, receiver, "kalbar", nation, ["ESCALATED"], regionCode="61")

            breached = await run_deadlines(engine, levels=LEVELS, now=FRIDAY, escalation=POLICY)
            assert (breached.breaches, breached.escalations) == (2, 0)  # not the postponed one
            to_region = await run_deadlines(engine, levels=LEVELS, now=TUESDAY, escalation=POLICY)
            assert to_region.escalations == 2
            await _act(engine, late.id, Action.VERIFY, TUESDAY + timedelta(hours=1))  # it moves on
            to_nation = await run_deadlines(engine, levels=LEVELS, now=THURSDAY, escalation=POLICY)
            again = await run_deadlines(engine, levels=LEVELS, now=THURSDAY + timedelta(minutes=1), escalation=POLICY)
            assert (to_nation.escalations, again.escalations) == (1, 0)
            much_later = await run_deadlines(engine, levels=LEVELS, now=THURSDAY + timedelta(days=30),
                                             escalation=POLICY)
            assert much_later.escalations == 0  # the top of the ladder; the verified one stays off it

            await deliver_all(hub.runtime.dispatcher)
            seen = await hub.query(VIEW, token=province)
            elsewhere = await hub.query(VIEW, token=pontianak)
            refused = await hub.errors("{ escalations { regionCode } }")

    assert await _steps(engine, ignored.id) == [("verify", "REGION"), ("verify", "NATIONAL")]
    assert await _steps(engine, late.id) == [("verify", "REGION")]
    assert await _steps(engine, postponed.id) == []
    async with session_factory(engine)() as session:
        levels = {c.id: c.escalation_level for c in await session.scalars(select(Complaint))}
        event = await session.scalar(select(TimelineEvent).where(TimelineEvent.kind == EventKind.ESCALATED)
                                     .order_by(TimelineEvent.id.desc()).limit(1))
    assert levels == {ignored.id: EscalationLevel.NATIONAL, postponed.id: EscalationLevel.NONE,
                      late.id: EscalationLevel.NONE}
    # escalating is no national change of the complaint: a region's later status is not taken for a conflict
    async with session_factory(engine)() as session:
        assert (await session.get(Complaint, ignored.id)).updated_at == updated[ignored.id]
    assert event.actor == "system" and "admin nasional" in event.text

    # each step told, signed, to the subscribers whose scope sees the complaint; the Ombudsman hears the last
    told = [(d.body["data"]["trackingId"], d.body["data"]["notice"]["level"]) for d in receiver.of("babel")]
    assert told == [(ignored.tracking_id, "REGION"), (late.tracking_id, "REGION"), (ignored.tracking_id, "NATIONAL")]
    assert {d.body["type"] for d in receiver.accepted} == {"complaint.escalated"}
    assert receiver.of("babel")[0].body["data"]["notice"]["deadline"] == "verify"
    assert [(d.body["data"]["trackingId"], d.body["data"]["notice"]["level"]) for d in receiver.of("ombudsman")] == [
        (ignored.tracking_id, "NATIONAL")]
    assert receiver.of("kalbar") == [] and receiver.bad_signatures == 0

    # the API: the level on each complaint, the filter, and the per-region view within the caller's scope
    assert [e["node"]["trackingId"] for e in seen["complaints"]["edges"]] == [ignored.tracking_id]
    assert seen["complaints"]["totalCount"] == 1
    assert seen["escalations"] == [{"regionCode": "19.71", "regionName": seen["escalations"][0]["regionName"],
                                    "atRegion": 0, "atNational": 1, "total": 1}]
    assert {e["node"]["trackingId"]: e["node"]["escalationLevel"] for e in seen["each"]["edges"]} == {
        ignored.tracking_id: "NATIONAL", postponed.tracking_id: "NONE", late.tracking_id: "NONE"}
    assert elsewhere["escalations"] == [] and elsewhere["complaints"]["totalCount"] == 0
    assert refused[0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_first_follow_up_nobody_gives_climbs_from_the_agency_and_its_subscriber_hears_each_step(
    engine, database_url,
):
    agency = await add_agency(engine, "19.71")
    handled = await _file(engine, "Drainase tersumbat")
    async with session_factory(engine)() as session, session.begin():
        complaint = await session.get(Complaint, handled.id)
        await transition(session, complaint, Action.VERIFY, actor=ADMIN, now=MONDAY + timedelta(hours=1), levels=LEVELS)
        complaint.agency_id = agency
        await transition(session, complaint, Action.DISPOSITION, actor=ADMIN, now=MONDAY + timedelta(hours=1),
                         levels=LEVELS)
    # the first follow-up is due at the end of Mon 12 Oct; region after Wed 14, national after Fri 16
    receiver = Receiver()
    with receiver.running():
        async with hub_client(database_url, schedule=False) as hub:
            nation = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")
            await _subscribe(hub, receiver, "pupr", nation, ["ESCALATED"], agencyId=global_id("Agency", agency))
            reports = [await run_deadlines(engine, levels=LEVELS, now=datetime(2026, 10, day, 2, 0, tzinfo=UTC),
                                           escalation=POLICY) for day in (13, 15, 19)]
            await deliver_all(hub.runtime.dispatcher)
            view = await hub.query('{ escalations(provinceCode: "19") { regionCode atRegion atNational } }',
                                   token=nation)
            wrong = await hub.errors('{ escalations(provinceCode: "19.71") { regionCode } }', token=nation)

    assert [(r.breaches, r.escalations) for r in reports] == [(1, 0), (0, 1), (0, 1)]
    assert await _steps(engine, handled.id) == [("follow_up", "REGION"), ("follow_up", "NATIONAL")]
    assert [d.body["data"]["notice"]["level"] for d in receiver.of("pupr")] == ["REGION", "NATIONAL"]
    assert {d.body["data"]["notice"]["deadline"] for d in receiver.of("pupr")} == {"follow_up"}
    assert view["escalations"] == [{"regionCode": "19.71", "atRegion": 0, "atNational": 1}]
    assert wrong[0]["extensions"]["field"] == "provinceCode"
