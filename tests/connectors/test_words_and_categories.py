"""Yes/no, privacy and category words are read by the region's declared vocabulary."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hub.connectors.mapping import MappingError, RecordMapper, RecordMapping
from hub.connectors.registry import parse_registry
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Privacy
from hub.simulators.habits import RestHabits
from hub.store.sync_models import RejectedRecord, RunStatus
from hub.sync.runs import PullRun
from tests.connectors.simulated import SECRETS, RestRegion, national

RECORD = {"id": 1, "judul": "Jalan berlubang", "isi": "Di depan pasar", "status": "baru", "dibuat": "2026-09-01T08:00:00+07:00",
          "diubah": "2026-09-02T08:00:00+07:00", "kategori": "Jalan", "anonim": "false"}


def mapper(**mapping) -> RecordMapper:
    base = {"fields": {"source_id": "id", "title": "judul", "body": "isi", "status": "status", "created_at": "dibuat",
                       "updated_at": "diubah", "category": "kategori", "anonymous": "anonim", "confidential": "sifat"},
            "statuses": {"baru": "SUBMITTED"}, "categories": {"Jalan": "ROADS"}}
    return RecordMapper(RecordMapping.model_validate({**base, **mapping}), zone=ZoneInfo("Asia/Jakarta"))


@pytest.mark.parametrize(("value", "privacy"), [
    ("false", Privacy.PUBLIC), ("true", Privacy.ANONYMOUS), (False, Privacy.PUBLIC), (True, Privacy.ANONYMOUS),
    ("tidak", Privacy.PUBLIC), ("ya", Privacy.ANONYMOUS), ("0", Privacy.PUBLIC), ("1", Privacy.ANONYMOUS),
    (0, Privacy.PUBLIC), (1, Privacy.ANONYMOUS), (None, Privacy.PUBLIC),
])
def test_common_yes_no_words_are_read_for_what_they_say(value, privacy):
    assert mapper().map({**RECORD, "anonim": value}).privacy is privacy


def test_a_declared_vocabulary_rejects_other_words_with_the_reason():
    declared = mapper(flag_words={"yes": ["ya"], "no": ["tidak"]})
    assert declared.map({**RECORD, "anonim": "YA"}).privacy is Privacy.ANONYMOUS
    with pytest.raises(MappingError, match=r'field `anonim` has "false", which is not one of the region\'s yes/no words \("ya" / "tidak"\)'):
        declared.map(RECORD)


@pytest.mark.parametrize(("value", "privacy"), [("rahasia", Privacy.CONFIDENTIAL), ("Biasa", Privacy.PUBLIC),
                                                ("ya", Privacy.CONFIDENTIAL), (None, Privacy.PUBLIC)])
def test_a_region_can_mark_a_complaint_confidential(value, privacy):
    assert mapper().map({**RECORD, "sifat": value}).privacy is privacy


def test_confidential_outranks_anonymous():
    assert mapper().map({**RECORD, "anonim": "ya", "sifat": "rahasia"}).privacy is Privacy.CONFIDENTIAL


def test_an_unlisted_category_rejects_the_record_unless_a_default_is_declared():
    with pytest.raises(MappingError, match=r"field `kategori` has category 'Banjir', which the region's mapping does not know \(known: Jalan\)"):
        mapper().map({**RECORD, "kategori": "Banjir"})
    assert mapper(default_category="OTHER").map({**RECORD, "kategori": "Banjir"}).category_code == "OTHER"
    assert mapper().map({**RECORD, "kategori": ""}).category_code is None  # no category is not a wrong one


def test_reverse_maps_come_from_the_mapping_unless_overridden():
    plain = mapper(statuses={"baru": "SUBMITTED", "Baru Masuk": "SUBMITTED"}, categories={"Jalan": "ROADS", "Jembatan": "ROADS"})
    assert (plain.status_word("SUBMITTED"), plain.category_word("ROADS")) == ("baru", "Jalan")
    chosen = mapper(statuses={"baru": "SUBMITTED", "Baru Masuk": "SUBMITTED"}, status_words={"SUBMITTED": "Baru Masuk"},
                    category_words={"ROADS": "Jembatan"})
    assert (chosen.status_word("SUBMITTED"), chosen.category_word("ROADS")) == ("Baru Masuk", "Jembatan")


async def test_records_of_an_unmapped_category_are_kept_as_rejected_with_the_reason(engine):
    region = RestRegion(RestHabits())
    entry = region.entry()
    del entry["mapping"]["categories"]["Sampah"]
    config = parse_registry({"regions": [entry]}, environ=SECRETS).regions[0]
    want = await region.expected()
    waste = {source_id for source_id, row in want.items() if row[2] == "ENVIRONMENT"}
    assert waste
    async with region.client() as client:
        report = await PullRun(engine, config, levels=ServiceLevels(), client=client, full=True).execute()
    assert report.status is RunStatus.SUCCEEDED and report.rejected == len(waste)
    async with engine.connect() as connection:
        rejected = (await connection.execute(select(RejectedRecord.source_id, RejectedRecord.reason))).all()
    assert {source_id for source_id, _ in rejected} == waste
    assert all("category 'Sampah', which the region's mapping does not know" in reason for _, reason in rejected)
    assert set(await national(engine, "rest:19.71")) == set(want) - waste
