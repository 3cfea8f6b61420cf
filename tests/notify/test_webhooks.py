"""Webhook subscribers hear of the complaints their scope may see: signed, retried, in order.

The receiver runs under uvicorn and verifies every delivery with the Standard
Webhooks reference library; "down" means nothing listens on its port.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.domain import global_ids
from hub.domain.vocabulary import Role
from hub.store.database import session_factory
from hub.store.outbox_models import OutboxRow, OutboxStatus, OutboxTarget
from hub.store.types import utcnow
from hub.sync.outbox import RetryPolicy
from tests.hubclient import hub_client, nodes
from tests.mutations.helpers import DISPOSITION, FOLLOW_UP, VERIFY, add_agency, global_id, run, submit
from tests.notify.receivers import Receiver, deliver_all

CREATE = """mutation($input: CreateWebhookSubscriptionInput!) { r: createWebhookSubscription(input: $input) {
  __typename ... on WebhookSecretPayload { secret subscription { id scope regionCode agencyId eventKinds } }
  ... on NotAllowedError { message } ... on ValidationError { message field } } }"""
LISTED = """{ webhookSubscriptions { id name regionCode deliveries { edges { node { type trackingId status attempts
  attemptLog { succeeded detail } } } } } }"""
ALL_KINDS = ["SUBMITTED", "VERIFIED", "DISPOSITIONED", "FOLLOWED_UP", "RESOLVED", "REJECTED", "POSTPONED"]
ANONYMOUS = {"name": "Budi Santoso", "phone": "081298765432", "email": "budi.rahasia@example.id"}


async def subscribe(hub, receiver: Receiver, name: str, token: str, **scope) -> int:
    result = (await hub.query(CREATE, {"input": {"name": name, "url": receiver.url(name), "eventKinds": ALL_KINDS,
                                                 **scope}}, token=token))["r"]
    assert result["__typename"] == "WebhookSecretPayload", result
    assert result["secret"].startswith("whsec_")
    receiver.secrets[name] = result["secret"]
    return global_ids.decode(result["subscription"]["id"], "WebhookSubscription")  # the row's number


async def test_subscriptions_are_managed_by_the_admins_of_their_scope(engine, database_url):
    agency = await add_agency(engine, "19.71")
    async with hub_client(database_url, schedule=False) as hub:
        pangkalpinang = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        pontianak = hub.token(Role.REGION_ADMIN, region_codes=["61.71"], subject="admin.pontianak")
        nation = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")
        base = {"name": "SIM-PUPR", "url": "https://pupr.pangkalpinang.go.id/lapor", "eventKinds": ["VERIFIED"]}

        async def create(token, **scope):
            return (await hub.query(CREATE, {"input": {**base, **scope}}, token=token))["r"]

        assert (await create(pangkalpinang, regionCode="19.71"))["__typename"] == "WebhookSecretPayload"
        assert (await create(pangkalpinang, agencyId=global_id("Agency", agency)))["subscription"]["scope"] == "AGENCY"
        assert (await create(pontianak, regionCode="19.71"))["__typename"] == "NotAllowedError"
        assert (await create(pontianak, agencyId=global_id("Agency", agency)))["__typename"] == "NotAllowedError"
        assert (await create(pangkalpinang))["__typename"] == "NotAllowedError"  # national is the nation's
        assert (await create(nation))["subscription"]["scope"] == "NATIONAL"
        bad = await create(nation, regionCode="19.71", url="ftp://pupr.go.id")
        assert bad == {"__typename": "ValidationError", "message": bad["message"], "field": "url"}
        assert (await create(nation, regionCode="99.99.9"))["field"] == "regionCode"
        refused = await hub.errors(CREATE, {"input": {**base, "eventKinds": ["DIVERIFIKASI"]}}, token=nation)
        assert "WebhookEventKind" in refused[0]["message"]

        listed = lambda token: hub.query(LISTED, token=token)  # noqa: E731
        assert len((await listed(pangkalpinang))["webhookSubscriptions"]) == 2
        assert (await listed(pontianak))["webhookSubscriptions"] == []
        assert len((await listed(nation))["webhookSubscriptions"]) == 3
        assert (await hub.query("{ webhookSubscriptions { id } }"))["webhookSubscriptions"] == []  # the public


async def test_a_region_subscriber_hears_only_its_region_signed_and_without_an_anonymous_reporter(engine, database_url):
    receiver = Receiver()
    with receiver.running():
        async with hub_client(database_url, schedule=False) as hub:
            pangkalpinang = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
            province = hub.token(Role.REGION_ADMIN, region_codes=["19"], subject="admin.babel")
            nation = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")
            assert (await hub.query(CREATE, {"input": {"name": "x", "url": receiver.url("x"), "eventKinds": ["VERIFIED"],
                                                       "regionCode": "19"}}, token=pangkalpinang))["r"]["__typename"] \
                == "NotAllowedError"  # a city's admin does not speak for its province
            await subscribe(hub, receiver, "bangka", province, regionCode="19")  # the province covers 19.71
            await subscribe(hub, receiver, "nasional", nation)
            ours = (await submit(hub, reporter=ANONYMOUS, privacy="ANONYMOUS"))["trackingId"]
            theirs = (await submit(hub, regionCode="61.71"))["trackingId"]
            hidden = (await submit(hub, privacy="CONFIDENTIAL"))["trackingId"]
            assert (await run(hub, VERIFY, pangkalpinang, id=ours))["__typename"] == "ComplaintPayload"
            await deliver_all(hub.runtime.dispatcher)

    bangka = receiver.of("bangka")
    assert [(d.body["type"], d.body["data"]["trackingId"]) for d in bangka] == [
        ("complaint.submitted", ours), ("complaint.submitted", hidden), ("complaint.verified", ours)]
    assert theirs not in {d.body["data"]["trackingId"] for d in bangka}
    assert receiver.bad_signatures == 0
    for delivery in bangka:
        if delivery.body["data"]["trackingId"] == hidden:  # confidential, not anonymous: its region may know who
            assert delivery.body["data"]["reporter"]["name"] == "Siti Rahayu"
            continue
        assert delivery.body["data"]["reporter"] is None and delivery.body["data"]["reporterHidden"] is True
        assert not any(word in delivery.raw for word in ("Budi", "081298765432", "budi.rahasia"))
    # the nation may know who filed an anonymous complaint (docs/access.md); it is told
    national = [d for d in receiver.of("nasional") if d.body["data"]["trackingId"] == ours]
    assert national[0].body["data"]["reporter"]["email"] == "budi.rahasia@example.id"
    assert len(receiver.of("nasional")) == 4


async def test_an_agency_subscriber_hears_of_a_confidential_complaint_once_it_is_dispositioned_to_it(engine, database_url):
    agency = await add_agency(engine, "19.71")
    receiver = Receiver()
    with receiver.running():
        async with hub_client(database_url, schedule=False) as hub:
            admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
            await subscribe(hub, receiver, "pupr", admin, agencyId=global_id("Agency", agency))
            tracking = (await submit(hub, privacy="CONFIDENTIAL"))["trackingId"]
            await run(hub, VERIFY, admin, id=tracking)
            await run(hub, DISPOSITION, admin, id=tracking, agency=global_id("Agency", agency))
            await run(hub, FOLLOW_UP, admin, id=tracking, text="Tim turun ke lokasi.")
            await deliver_all(hub.runtime.dispatcher)
    got = [d.body for d in receiver.of("pupr")]
    assert [b["type"] for b in got] == ["complaint.dispositioned", "complaint.followed_up"]
    assert got[0]["data"]["notice"]["agency_name"] == "Dinas PUPR Kota Pangkalpinang"
    assert got[1]["data"]["reporter"]["name"] == "Siti Rahayu"  # a confidential (not anonymous) complaint's handler knows


async def test_a_receiver_that_was_down_gets_every_event_once_it_is_back_in_order(engine, database_url):
    receiver = Receiver()
    agency = await add_agency(engine, "19.71")
    async with hub_client(database_url, schedule=False) as hub:
        admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        with receiver.running():
            subscription = await subscribe(hub, receiver, "bangka", admin, regionCode="19.71")
        # the receiver is down from here on
        dispatcher = hub.runtime.dispatcher
        dispatcher.policy = RetryPolicy(max_attempts=50, base_seconds=30, cap_seconds=600)
        first = (await submit(hub))["trackingId"]
        second = (await submit(hub))["trackingId"]
        for document, tracking, extra in [(VERIFY, first, {}), (VERIFY, second, {}),
                                          (DISPOSITION, first, {"agency": global_id("Agency", agency)})]:
            assert (await run(hub, document, admin, id=tracking, **extra))["__typename"] == "ComplaintPayload"
        later = utcnow()
        await dispatcher.settled()
        for _ in range(4):  # hours of outage
            later += timedelta(hours=1)
            await dispatcher.run_once(now=later)
        assert receiver.accepted == []
        listed = nodes((await hub.query(LISTED, token=admin))["webhookSubscriptions"][0]["deliveries"])
        waiting = [d for d in listed if d["status"] == "PENDING"]
        assert len(listed) == 5 and len(waiting) == 5
        tried = [d for d in listed if d["attempts"] > 0]
        assert tried and all(not a["succeeded"] and "cannot be reached" in a["detail"]
                             for d in tried for a in d["attemptLog"])

        with receiver.running():  # back, on the same address
            for _ in range(10):
                later += timedelta(hours=1)
                await dispatcher.run_once(now=later)
            async with session_factory(hub.runtime.engine)() as session:
                rows = list(await session.scalars(select(OutboxRow).where(OutboxRow.subscription_id == subscription)))
    assert {row.status for row in rows} == {OutboxStatus.DELIVERED}
    got = [(d.body["data"]["trackingId"], d.body["type"]) for d in receiver.of("bangka")]
    assert len(receiver.accepted) == len({d.message_id for d in receiver.accepted}) == len(rows)
    for tracking in (first, second):
        kinds = [kind for t, kind in got if t == tracking]
        expected = ["complaint.submitted", "complaint.verified"] + (["complaint.dispositioned"] if tracking == first else [])
        assert kinds == expected
    assert receiver.bad_signatures == 0


async def test_a_dead_webhook_never_holds_back_the_push_to_the_region(engine, database_url):
    async with hub_client(database_url, schedule=False) as hub:
        admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        receiver = Receiver()
        await subscribe(hub, receiver, "mati", admin, regionCode="19.71")
        tracking = (await submit(hub))["trackingId"]
        await deliver_all(hub.runtime.dispatcher)
        async with session_factory(engine)() as session, session.begin():
            webhook = await session.scalar(select(OutboxRow).where(OutboxRow.target == OutboxTarget.WEBHOOK))
            webhook.status = OutboxStatus.DEAD
            region = OutboxRow(complaint_id=webhook.complaint_id, region_code="19.71", source_system="rest:19.71",
                               kind="verify", payload={"tracking_id": tracking}, idempotency_key=f"{tracking}:verify:x",
                               status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(), created_at=utcnow())
            later_webhook = OutboxRow(complaint_id=webhook.complaint_id, region_code="19.71",
                                      source_system=webhook.source_system, kind="complaint.verified", payload={},
                                      idempotency_key=f"{tracking}:webhook:y", status=OutboxStatus.PENDING, attempts=0,
                                      next_attempt_at=utcnow(), created_at=utcnow(), target=OutboxTarget.WEBHOOK,
                                      subscription_id=webhook.subscription_id)
            session.add_all([region, later_webhook])
        from hub.store.outbox_writes import deliverable

        async with session_factory(engine)() as session:
            due = list(await session.scalars(deliverable(utcnow() + timedelta(seconds=1))))
        assert [row.source_system for row in due] == ["rest:19.71"]  # the later webhook row waits; the region's does not
    assert receiver.accepted == []


async def test_a_broken_subscription_row_silences_nobody_else(engine, database_url):
    from hub.domain.webhook_events import ScopeKind
    from hub.store.notify_models import WebhookSubscription

    receiver = Receiver()
    with receiver.running():
        async with hub_client(database_url, schedule=False) as hub:
            admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
            async with session_factory(engine)() as session, session.begin():
                session.add(WebhookSubscription(name="lama", url=receiver.url("lama"), secret="whsec_AAAA",
                                                event_kinds=["complaint.tidak_ada"], scope_kind=ScopeKind.REGION,
                                                scope_region_code="19.71", active=True, created_by="migrasi",
                                                created_at=utcnow(), updated_at=utcnow()))
            await subscribe(hub, receiver, "baru", admin, regionCode="19.71")
            tracking = (await submit(hub))["trackingId"]
            await deliver_all(hub.runtime.dispatcher)
    assert [(d.receiver, d.body["data"]["trackingId"]) for d in receiver.accepted] == [("baru", tracking)]
