"""The reporter is told, by e-mail and SMS, each time their complaint moves: once, in Indonesian.

A local SMTP server (aiosmtpd) and an SMS gateway under uvicorn stand in for
the real ones; the hub is driven through its GraphQL mutations, and a
region's own status change arrives through a pull from the REST simulator.
"""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Role
from hub.settings import Settings
from hub.store.database import session_factory
from hub.store.models import Complaint, Reporter
from hub.sync.notify import Notifier
from hub.sync.outbox import Dispatcher
from hub.sync.runs import PullRun
from tests.e2e.regional import regions
from tests.hubclient import hub_client, nodes
from tests.mutations.helpers import (
    DISPOSITION,
    FOLLOW_UP,
    RATE,
    REJECT,
    RESOLVE,
    VERIFY,
    act,
    add_agency,
    global_id,
    run,
    submit,
)
from tests.notify.receivers import deliver_all, notify_settings, sms_gateway, smtp_server

REPORTER = {"name": "Siti Rahayu", "phone": "0812-3456-7890", "email": "siti.rahayu@example.id"}
POSTPONE = act("postponeComplaint", ", reason: $reason", ", $reason: String!")
LINK = re.compile(r"https://lapor\.test/lacak/LPR-\d{4}-\d{7}")


async def test_a_complaint_from_submission_to_closing_tells_its_reporter_each_step_once(engine, database_url):
    agency = await add_agency(engine, "19.71")
    with smtp_server() as mailbox, sms_gateway() as gateway:
        async with hub_client(database_url, schedule=False, **notify_settings(mailbox, gateway)) as hub:
            admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
            filed = await submit(hub, reporter=REPORTER)
            tracking = filed["trackingId"]
            async with session_factory(engine)() as session:
                reporter_id = (await session.scalar(select(Complaint).where(Complaint.tracking_id == tracking))).reporter_id
            siti = hub.token(Role.REPORTER, reporter_id=reporter_id, subject="siti")
            for document, token, variables in [
                (VERIFY, admin, {}), (DISPOSITION, admin, {"agency": global_id("Agency", agency)}),
                (FOLLOW_UP, admin, {"text": "Petugas Dinas PUPR meninjau lokasi hari ini."}),
                (RESOLVE, admin, {}), (RATE, siti, {"stars": 5, "comment": "Terima kasih"}),
            ]:
                assert (await run(hub, document, token, id=tracking, **variables))["__typename"] == "ComplaintPayload"
            await deliver_all(hub.runtime.dispatcher)
            await deliver_all(hub.runtime.dispatcher)  # nothing is sent twice

    subjects = [m["Subject"] for m in mailbox.messages]
    assert subjects == [f"[LAPOR!] Laporan {tracking} telah diverifikasi",
                        f"[LAPOR!] Laporan {tracking} diteruskan ke instansi",
                        f"[LAPOR!] Tindak lanjut laporan {tracking}",
                        f"[LAPOR!] Laporan {tracking} selesai ditindaklanjuti"]
    assert {m["To"] for m in mailbox.messages} == {"siti.rahayu@example.id"}
    bodies = mailbox.bodies()
    assert bodies[0].startswith("Yth. Siti Rahayu,")
    assert "Dinas PUPR Kota Pangkalpinang" in bodies[1]
    assert "Petugas Dinas PUPR meninjau lokasi hari ini." in bodies[2]
    assert "10 hari kerja" in bodies[3] and "Tanpa tanggapan, laporan akan ditutup" in bodies[3]
    assert all(f"https://lapor.test/lacak/{tracking}" in body for body in bodies)

    texts = [r["message"] for r in gateway.requests]
    assert [r["to"] for r in gateway.requests] == ["+6281234567890"] * 4
    assert len({r["ref"] for r in gateway.requests}) == 4 and gateway.refused == 0
    assert "diverifikasi" in texts[0] and "diteruskan ke Dinas PUPR" in texts[1]
    assert "ditindaklanjuti: Petugas Dinas PUPR" in texts[2] and "10 hari kerja" in texts[3]
    for text in texts:
        assert len(text) <= 160 and tracking in text and LINK.search(text), text
        assert text.isascii()


async def test_a_postponed_then_rejected_complaint_tells_what_is_missing_and_why(engine, database_url):
    with smtp_server() as mailbox, sms_gateway() as gateway:
        async with hub_client(database_url, schedule=False, **notify_settings(mailbox, gateway)) as hub:
            admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
            tracking = (await submit(hub, reporter=REPORTER))["trackingId"]
            asked = "Mohon sertakan nama jalan dan foto lokasi lampu yang mati " * 3
            assert (await run(hub, POSTPONE, admin, id=tracking, reason=asked))["__typename"] == "ComplaintPayload"
            async with session_factory(engine)() as session:
                reporter_id = (await session.scalar(select(Complaint).where(Complaint.tracking_id == tracking))).reporter_id
            siti = hub.token(Role.REPORTER, reporter_id=reporter_id, subject="siti")
            detail = await run(hub, FOLLOW_UP, siti, id=tracking, text="Jl. Merdeka depan SD 5")
            assert detail["complaint"]["status"] == "SUBMITTED"
            why = "Laporan serupa sudah ditangani (LPR-2025-0000001)."
            assert (await run(hub, REJECT, admin, id=tracking, reason=why))["__typename"] == "ComplaintPayload"
            await deliver_all(hub.runtime.dispatcher)

    assert [m["Subject"] for m in mailbox.messages] == [f"[LAPOR!] Laporan {tracking} ditunda: mohon lengkapi",
                                                         f"[LAPOR!] Laporan {tracking} ditolak"]
    postponed, rejected = mailbox.bodies()
    assert asked.strip() in postponed and why in rejected
    first, second = [r["message"] for r in gateway.requests]
    assert first.startswith(f"LAPOR! {tracking} ditunda, mohon lengkapi: Mohon sertakan") and "..." in first
    assert second.startswith(f"LAPOR! {tracking} ditolak: Laporan serupa sudah ditangani")
    assert all(len(t) <= 160 and LINK.search(t) for t in (first, second))


async def test_an_anonymous_reporter_is_told_and_nobody_else_learns_who_they_are(engine, database_url):
    anonymous = {"name": "Budi Santoso", "phone": "081298765432", "email": "budi.rahasia@example.id"}
    with smtp_server() as mailbox, sms_gateway() as gateway:
        async with hub_client(database_url, schedule=False, **notify_settings(mailbox, gateway)) as hub:
            admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
            tracking = (await submit(hub, reporter=anonymous, privacy="ANONYMOUS"))["trackingId"]
            assert (await run(hub, VERIFY, admin, id=tracking))["__typename"] == "ComplaintPayload"
            await deliver_all(hub.runtime.dispatcher)
            outbox = await hub.query("{ outbox(regionCode: \"19.71\") { edges { node { payload } } } }", token=admin)
            emails = "{ outbox(target: EMAIL) { edges { node { notice change status payload } } } }"
            refused = await hub.errors(emails, token=admin)
            assert "only national admins" in refused[0]["message"]
            nation = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")
            sent = nodes((await hub.query(emails, token=nation))["outbox"])
            assert [(row["notice"], row["change"], row["status"], row["payload"]["to"]) for row in sent] == [
                ("VERIFIED", None, "DELIVERED", "budi.rahasia@example.id")]
    assert [m["X-Envelope-To"] for m in mailbox.messages] == ["budi.rahasia@example.id"]
    assert [r["to"] for r in gateway.requests] == ["+6281298765432"]
    assert "Budi" not in str(outbox)  # the region's admin sees no notification addressed to the reporter


async def test_a_status_a_region_reports_tells_the_reporter_once(engine, database_url, monkeypatch):
    with regions(monkeypatch, complaints=6, kinds=("rest",)) as (found, registry), smtp_server() as mailbox, \
            sms_gateway() as gateway:
        rest = found["rest"]
        region = registry.regions[0]
        settings = Settings(database_url=database_url, **notify_settings(mailbox, gateway))
        dispatcher = Dispatcher(engine, registry, notifier=Notifier(settings))
        await PullRun(engine, region, levels=ServiceLevels(), full=True).execute()
        await deliver_all(dispatcher)
        assert mailbox.messages == [] and gateway.requests == []  # what a region already held is history, not news

        record = next(r for r in rest.ground_truth()
                      if r["status"] == "Belum Diproses" and not r["pelapor"].get("anonim") and r["pelapor"].get("email"))
        httpx.post(f"{rest.base_url}/api/v1/laporan/{record['id']}/tanggapan", headers={"X-API-Key": "sim-key"},
                   json={"isi": "Lampu sudah diganti oleh petugas.", "oleh": "Dinas Perhubungan", "status": "Selesai"},
                   timeout=10).raise_for_status()
        for _ in range(2):  # the change is pulled twice (an overlapping re-read); it is told once
            await PullRun(engine, region, levels=ServiceLevels(), full=True).execute()
            await deliver_all(dispatcher)
        await dispatcher.close()
        async with session_factory(engine)() as session:
            complaint = await session.scalar(select(Complaint).where(Complaint.title == record["judul"]))
            reporter = await session.get(Reporter, complaint.reporter_id)
    assert complaint.status == "RESOLVED"
    assert [m["Subject"] for m in mailbox.messages] == [f"[LAPOR!] Laporan {complaint.tracking_id} selesai ditindaklanjuti"]
    assert mailbox.messages[0]["To"] == reporter.email
    assert "Lampu sudah diganti oleh petugas." in mailbox.bodies()[0]
    assert len(gateway.requests) == (1 if reporter.phone else 0)


async def test_without_channels_configured_nothing_is_queued_for_reporters(engine, database_url):
    async with hub_client(database_url, schedule=False) as hub:
        admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        tracking = (await submit(hub, reporter=REPORTER))["trackingId"]
        await run(hub, VERIFY, admin, id=tracking)
        await deliver_all(hub.runtime.dispatcher)
    from hub.store.outbox_models import OutboxRow

    async with session_factory(engine)() as session:
        assert list(await session.scalars(select(OutboxRow))) == []
