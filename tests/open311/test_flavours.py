"""A full then an incremental sync from the Open311 simulator in each flavour
equals its ground truth: JSON and XML, paged and windowed, with and without
updates, sparse records included."""

from __future__ import annotations

import pytest

from hub.store.sync_models import RunStatus
from tests.open311.servers import assert_matches, open311_region, pull

WITH_UPDATES = {"default": True, "georeport": False, "mysociety": True, "legacy": False}


@pytest.mark.parametrize("flavour", ["default", "georeport", "mysociety", "legacy"])
async def test_full_then_incremental_sync_equals_the_ground_truth(engine, monkeypatch, flavour):
    with open311_region(monkeypatch, flavour=flavour, complaints=30) as (region, config):
        report = await pull(engine, config, full=True)
        assert report.status is RunStatus.SUCCEEDED, report.error
        assert report.created == 30 and report.rejected == 0
        await assert_matches(engine, region, with_updates=WITH_UPDATES[flavour])

        region.tick(12)  # new requests, status changes and updates
        report = await pull(engine, config)
        assert report.status is RunStatus.SUCCEEDED, report.error
        assert report.created + report.updated > 0
        await assert_matches(engine, region, with_updates=WITH_UPDATES[flavour])

        again = await pull(engine, config)
        assert again.status is RunStatus.SUCCEEDED and again.created + again.updated == 0
