"""A submission's category reaches the region in the region's own words (REST and Open311 ground truth)."""

from __future__ import annotations

import pytest

from hub.simulators import open311, rest
from hub.sync.outbox import Dispatcher
from tests.e2e.regional import CODES, regions
from tests.e2e.test_write_path import region_file
from tests.hubclient import hub_client
from tests.mutations.helpers import SUBMIT, complaint_input

# what each app calls WATER (never its first or default word, so a fallback cannot pass for it)
OWN_WORD = {"rest": ("kategori", rest.CATEGORY["water"]), "open311": ("service_code", open311.SERVICES["water"][0])}
TRACKING_FIELD = {"rest": "kode_lapor", "open311": "lapor_tracking_id"}


@pytest.mark.parametrize("kind", ["rest", "open311"])
async def test_a_submissions_category_is_in_the_regions_ground_truth_in_its_own_words(
    engine, database_url, monkeypatch, tmp_path, kind
):
    with regions(monkeypatch, complaints=5, kinds=(kind,)) as (found, registry):
        async with hub_client(database_url, schedule=False, regions_file=region_file(tmp_path, registry)) as hub:
            monkeypatch.setattr(hub.runtime.dispatcher, "kick", lambda: None)
            filed = (await hub.query(SUBMIT, {"input": complaint_input(regionCode=CODES[kind], categoryCode="WATER",
                                                                        title="Air PDAM keruh sepekan")}))["r"]
            tracking = filed["complaint"]["trackingId"]
        report = await Dispatcher(engine, registry).run_once()
        assert report.delivered == 1
        arrived = [r for r in found[kind].ground_truth() if r.get(TRACKING_FIELD[kind]) == tracking]
        field, word = OWN_WORD[kind]
        assert [r[field] for r in arrived] == [word]
