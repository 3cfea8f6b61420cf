"""A page whose transaction meets another one's (a deadlock) is applied again, not lost or failed."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import func, select, text

from hub.domain.sla import ServiceLevels
from hub.store.models import Complaint
from hub.store.sync_models import RunStatus
from hub.sync.runs import PullRun
from tests.e2e.regional import assert_matches, regions


async def _waiting_on_a_lock(engine, pid: int) -> bool:
    async with engine.connect() as connection:
        waiting = await connection.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> :pid"), {"pid": pid})
        return bool(waiting.scalar_one())


async def test_a_page_that_loses_a_deadlock_is_applied_again_and_the_run_succeeds(engine, monkeypatch, caplog):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: its transactions never deadlock")
    with regions(monkeypatch, complaints=10, kinds=("rest",)) as (found, registry):
        (region,) = registry.regions  # ten complaints: one page, so one statement adds the page's search words
        titles = [record["judul"] for record in found["rest"].ground_truth()]
        async with engine.connect() as connection:
            words = sorted({word for title in titles for word in (await connection.execute(
                text("SELECT tsvector_to_array(to_tsvector('simple', hub_search_text(:t, NULL)))"), {"t": title}
            )).scalar_one()})
        last = words[-1]

        # Another writer takes the page's last search word and waits until the run waits for it,
        # holding the words it added before; then it takes the page's other words in turn until it
        # asks for one the run holds: a deadlock, which PostgreSQL breaks by aborting the
        # transaction that waited longest, the page's.
        async with engine.connect() as other:
            pid = (await other.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            await other.execute(text("INSERT INTO search_words (word) VALUES (:w)"), {"w": last})
            caplog.set_level(logging.INFO, logger="hub.sync")
            run = asyncio.create_task(PullRun(engine, region, levels=ServiceLevels()).execute())
            for _ in range(500):
                if await _waiting_on_a_lock(engine, pid):
                    break
                await asyncio.sleep(0.01)
            else:
                raise AssertionError("the page never waited for the other writer's word")
            for word in words[:-1]:
                await other.execute(text("INSERT INTO search_words (word) VALUES (:w) ON CONFLICT DO NOTHING"), {"w": word})
            await other.rollback()  # the other writer goes away; the page, applied again, goes through

        report = await asyncio.wait_for(run, 60)
        assert report.status is RunStatus.SUCCEEDED, report.error
        assert any("applying it again" in record.getMessage() for record in caplog.records)
        await assert_matches(engine, found["rest"])
        async with engine.connect() as connection:
            assert (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one() == 10
