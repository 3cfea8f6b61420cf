"""Pushes to REST regions: bodies from the region file's templates, in each dialect
and in each region's words, arriving exactly once."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from hub.connectors.base import Delivery
from hub.connectors.registry import RegistryError, parse_registry
from hub.domain.changes import FollowUpChange, ReporterContact, SubmitChange, VerifyChange
from hub.domain.vocabulary import Channel, ComplaintType, Privacy, Role, Status
from hub.simulators.habits import RestHabits
from hub.simulators.rest.vocabulary import read_flag, read_privacy_word
from hub.sync.runs import build_connector
from tests.connectors.simulated import SECRETS, RestRegion

WHEN = datetime(2026, 10, 2, 3, 0, tzinfo=UTC)
HABITS = {
    "sipadu-boolean": RestHabits(),
    "aduan-ya-tidak-word": RestHabits(dialect="aduan", flags="ya-tidak", privacy="word", auth="bearer"),
    "sipadu-1-0-flag": RestHabits(flags="1-0", privacy="flag", auth="query"),
    "aduan-true-false-flag": RestHabits(dialect="aduan", flags="true-false", privacy="flag", auth="basic"),
}


def submission(privacy: Privacy) -> SubmitChange:
    reporter = None if privacy is Privacy.ANONYMOUS else ReporterContact(name="Sri Wahyuni", phone="081234567890")
    return SubmitChange(tracking_id="LPR-2026-0000999", occurred_at=WHEN, actor="Sri Wahyuni", actor_role=Role.REPORTER,
                        status=Status.SUBMITTED, title="Lampu jalan padam", body="Sudah seminggu padam di Jl. Merdeka.",
                        type=ComplaintType.COMPLAINT, privacy=privacy, channel=Channel.WEB, region_code="19.71",
                        category_code="ELECTRICITY", address="Jl. Merdeka 1", latitude=-2.1, longitude=106.1,
                        reporter=reporter)


async def record(region: RestRegion, source_id: str) -> dict:
    return next(r for r in await region.ground_truth() if str(r["id"]) == source_id)


@pytest.mark.parametrize("name", list(HABITS))
@pytest.mark.parametrize("privacy", [Privacy.CONFIDENTIAL, Privacy.ANONYMOUS, Privacy.PUBLIC])
async def test_a_submission_arrives_once_in_the_regions_words(name, privacy):
    region = RestRegion(HABITS[name], complaints=3)
    async with region.client() as client:
        connector = build_connector(region.config(), client)
        delivery = Delivery(change=submission(privacy), idempotency_key="outbox-1", source_id=None)
        first = await connector.push(delivery)
        again = await connector.push(delivery)  # a retry after a lost answer
    assert first.source_id is not None and again.source_id == first.source_id
    truth = await region.ground_truth()
    assert len(truth) == 4
    created = await record(region, first.source_id)
    assert (created["judul"], created["kategori"], created["kode_lapor"]) == ("Lampu jalan padam", "Penerangan Jalan", "LPR-2026-0000999")
    assert read_flag(region.habits.flags, created["pelapor"]["anonim"], "anonim") is (privacy is Privacy.ANONYMOUS)
    if region.habits.privacy == "word":
        assert read_privacy_word(created["sifat"]) is (privacy is Privacy.CONFIDENTIAL)
    elif region.habits.privacy == "flag":
        assert read_flag(region.habits.flags, created["rahasia"], "rahasia") is (privacy is Privacy.CONFIDENTIAL)
    assert [(h["jenis"], h["idempotency_key"]) for h in created["riwayat"]] == [("dibuat", "outbox-1")]


@pytest.mark.parametrize("name", list(HABITS))
async def test_a_follow_up_and_a_status_change_arrive_once_each(name):
    region = RestRegion(HABITS[name], complaints=3)
    source_id = str((await region.ground_truth())[0]["id"])
    common = {"tracking_id": "LPR-2026-0000001", "occurred_at": WHEN, "actor": "Dinas PU", "actor_role": Role.AGENCY_OFFICER}
    follow_up = Delivery(change=FollowUpChange(**common, status=Status.IN_PROGRESS, text="Petugas sudah meninjau lokasi."),
                         idempotency_key="outbox-2", source_id=source_id)
    verify = Delivery(change=VerifyChange(**common, status=Status.VERIFIED), idempotency_key="outbox-3", source_id=source_id)
    async with region.client() as client:
        connector = build_connector(region.config(), client)
        for delivery in (follow_up, verify, follow_up, verify):
            result = await connector.push(delivery)
            assert result.source_id == source_id
    after = await record(region, source_id)
    arrived = [(h["idempotency_key"], h["isi"]) for h in after["riwayat"] if h["melalui"] == "api"]
    assert [key for key, _ in arrived] == ["outbox-2", "outbox-3"]
    assert arrived[0][1] == "Petugas sudah meninjau lokasi."
    assert after["status"] == "Diverifikasi"
    assert "Petugas sudah meninjau lokasi." in [t["isi"] for t in after["tanggapan"]]


async def test_a_template_can_mix_words_and_fields():
    region = RestRegion(RestHabits(), complaints=1,
                        options={"follow_up_fields": {"isi": "{text} (LAPOR! {tracking_id})", "oleh": "=LAPOR!"}})
    source_id = str((await region.ground_truth())[0]["id"])
    change = FollowUpChange(tracking_id="LPR-2026-0000001", occurred_at=WHEN, actor="Dinas PU", actor_role=None,
                            status=Status.IN_PROGRESS, text="Sudah ditangani.")
    async with region.client() as client:
        await build_connector(region.config(), client).push(Delivery(change=change, idempotency_key="k", source_id=source_id))
    latest = (await record(region, source_id))["tanggapan"][-1]
    assert (latest["isi"], latest["oleh"]) == ("Sudah ditangani. (LAPOR! LPR-2026-0000001)", "LAPOR!")


def test_a_template_naming_an_unknown_field_is_refused_when_the_file_is_read():
    region = RestRegion(RestHabits(), complaints=0, options={"follow_up_fields": {"isi": "{teks}"}})
    with pytest.raises(RegistryError, match="teks are not fields of a change"):
        region.config()


async def test_status_words_override_the_derived_reverse_map():
    region = RestRegion(RestHabits(dialect="aduan"), complaints=1)
    entry = region.entry()
    entry["mapping"]["status_words"] = {"VERIFIED": "Diproses"}
    config = parse_registry({"regions": [entry]}, environ=SECRETS).regions[0]
    source_id = str((await region.ground_truth())[0]["id"])
    change = VerifyChange(tracking_id="LPR-2026-0000001", occurred_at=WHEN, actor="Admin", actor_role=None, status=Status.VERIFIED)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=region.app)) as client:
        await build_connector(config, client).push(Delivery(change=change, idempotency_key="k", source_id=source_id))
    assert (await record(region, source_id))["status"] == "Diproses"
