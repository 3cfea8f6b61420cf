"""The connector contract: one set of tests every connector type must pass.

Every built-in type runs it against its simulator (``tests/connectors/
test_contract.py``); a plug-in package runs the same tests for its own type
by subclassing :class:`ConnectorContract` in its test suite and giving it a
``contract_harness`` fixture (pytest is needed; this module is imported by
tests only)::

    from hub.connectors.contract import ConnectorContract, ContractHarness, ContractRegion

    class TestSoapConnector(ConnectorContract):
        @pytest.fixture
        def contract_harness(self) -> ContractHarness:
            return SoapHarness()  # builds ContractRegions served by the plug-in's own simulator

What the contract asks (each a test below): a walk of ``pull`` pages reaches
the end and sees every record; it never loops (a page repeating the previous
one's last record still ends); it makes a bounded number of requests; a record
that cannot be mapped comes back as a rejection with its source id and a
reason, never dropped; the cursor's ``since`` never moves back and an
incremental walk from it sees the region's new records; a push delivered
twice with one idempotency key arrives once (or a read-only type refuses it
with :class:`~hub.connectors.base.PushNotSupported`); ``health`` says healthy
when the app answers and unhealthy, with a reason and without raising, when
it does not.
"""

from __future__ import annotations

import abc
import math
from datetime import datetime
from itertools import pairwise
from typing import Any

import httpx
import pytest

from hub.connectors.base import Connector, Delivery, PushNotSupported, load_connector_type
from hub.connectors.records import ConnectorError, PullPage
from hub.connectors.registry import RegionConfig

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens there


class ContractRegion(abc.ABC):
    """One simulated regional app of a connector type, and how to reach and watch it."""

    #: requests one ``pull`` may make (a page, plus e.g. its updates)
    requests_per_page: int = 1

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    @abc.abstractmethod
    def config(self) -> RegionConfig:
        """The region's entry, as the region file would give it (credentials in the environment)."""

    @abc.abstractmethod
    def transport(self) -> httpx.AsyncBaseTransport:
        """How to reach the app (``httpx.ASGITransport(app=...)`` for an in-process simulator)."""

    @abc.abstractmethod
    async def source_ids(self) -> set[str]:
        """The ids of every record the app holds (its ground truth)."""

    @abc.abstractmethod
    async def change(self, times: int) -> None:
        """Regional activity: new records and changes to existing ones."""

    @abc.abstractmethod
    def delivery(self, source_id: str, key: str) -> Delivery | None:
        """A change for the record ``source_id`` to push, sent with ``key``; None for a read-only type."""

    @abc.abstractmethod
    async def arrivals(self, delivery: Delivery) -> int:
        """How many times the app recorded ``delivery`` (1 when it arrived exactly once)."""

    def client(self) -> httpx.AsyncClient:
        async def count(request: httpx.Request) -> None:
            self.requests.append(request)

        return httpx.AsyncClient(transport=self.transport(), event_hooks={"request": [count]})

    def connector(self, client: httpx.AsyncClient, config: RegionConfig | None = None) -> Connector:
        config = config or self.config()
        return load_connector_type(config.connector)(config, client=client, secrets=config.secrets())


class ContractHarness(abc.ABC):
    """Builds simulated regions of one connector type."""

    @abc.abstractmethod
    def region(self, *, records: int, page_size: int, malformed_rate: float = 0.0,
               repeat_across_pages: bool = False) -> ContractRegion:
        """A fresh app holding ``records`` records, read ``page_size`` at a time, with these faults."""


async def walk(connector: Connector, cursor: dict[str, Any] | None, *, page_size: int,
               limit: int) -> tuple[list[PullPage], list[dict[str, Any]]]:
    """Pull pages from ``cursor`` as the sync engine does, until the connector says the run is over."""
    pages: list[PullPage] = []
    cursors = [dict(cursor or {})]
    for _ in range(limit):
        page = await connector.pull(cursors[-1], page_size=page_size)
        pages.append(page)
        cursors.append(page.next_cursor)
        if not page.more:
            return pages, cursors
    raise AssertionError(f"{connector.region.connector}: still more pages after {limit}; a walk must end")


def seen_ids(pages: list[PullPage]) -> set[str]:
    return {r.source_id for p in pages for r in p.records} | {r.source_id for p in pages for r in p.rejections if r.source_id}


def _since(cursor: dict[str, Any]) -> datetime | None:
    return datetime.fromisoformat(cursor["since"]) if cursor.get("since") else None


class ConnectorContract:
    """Subclass with a ``contract_harness`` fixture to run the contract for a connector type."""

    RECORDS = 23
    PAGE_SIZE = 5

    def page_limit(self, region: ContractRegion) -> int:
        """Pages a walk of the region may take: every page, twice over, and a little more."""
        return 2 * math.ceil(self.RECORDS / self.PAGE_SIZE) + 4

    async def test_pages_to_the_end(self, contract_harness: ContractHarness) -> None:
        region = contract_harness.region(records=self.RECORDS, page_size=self.PAGE_SIZE)
        async with region.client() as client:
            pages, _ = await walk(region.connector(client), None, page_size=self.PAGE_SIZE, limit=self.page_limit(region))
        assert seen_ids(pages) == await region.source_ids()
        assert not any(p.rejections for p in pages)

    async def test_never_loops_when_pages_overlap(self, contract_harness: ContractHarness) -> None:
        region = contract_harness.region(records=self.RECORDS, page_size=self.PAGE_SIZE, repeat_across_pages=True)
        async with region.client() as client:
            pages, _ = await walk(region.connector(client), None, page_size=self.PAGE_SIZE, limit=self.page_limit(region))
        assert seen_ids(pages) == await region.source_ids()

    async def test_makes_a_bounded_number_of_requests(self, contract_harness: ContractHarness) -> None:
        region = contract_harness.region(records=self.RECORDS, page_size=self.PAGE_SIZE)
        async with region.client() as client:
            pages, _ = await walk(region.connector(client), None, page_size=self.PAGE_SIZE, limit=self.page_limit(region))
        assert len(pages) <= math.ceil(self.RECORDS / self.PAGE_SIZE) + 2
        assert len(region.requests) <= region.requests_per_page * len(pages)

    async def test_rejects_unmappable_records_with_reasons(self, contract_harness: ContractHarness) -> None:
        region = contract_harness.region(records=self.RECORDS, page_size=self.PAGE_SIZE, malformed_rate=0.3)
        async with region.client() as client:
            pages, _ = await walk(region.connector(client), None, page_size=self.PAGE_SIZE, limit=self.page_limit(region))
        rejections = [r for p in pages for r in p.rejections]
        assert rejections, "a third of the records are malformed; some must be rejected"
        assert all(r.source_id and r.reason.strip() and r.raw is not None for r in rejections)
        assert seen_ids(pages) == await region.source_ids()  # nothing dropped silently

    async def test_cursor_never_moves_back_and_resumes_incrementally(self, contract_harness: ContractHarness) -> None:
        region = contract_harness.region(records=self.RECORDS, page_size=self.PAGE_SIZE)
        async with region.client() as client:
            connector = region.connector(client)
            _, cursors = await walk(connector, None, page_size=self.PAGE_SIZE, limit=self.page_limit(region))
            before = await region.source_ids()
            await region.change(8)
            new = await region.source_ids() - before
            pages, more_cursors = await walk(connector, cursors[-1], page_size=self.PAGE_SIZE, limit=self.page_limit(region))
        moments = [s for s in map(_since, cursors + more_cursors[1:]) if s is not None]
        assert moments, "a cursor says since when it has read records (`since`, ISO 8601)"
        assert all(a <= b for a, b in pairwise(moments)), moments
        assert new <= seen_ids(pages)

    async def test_push_is_idempotent(self, contract_harness: ContractHarness) -> None:
        region = contract_harness.region(records=3, page_size=self.PAGE_SIZE)
        source_id = sorted(await region.source_ids())[0]
        delivery = region.delivery(source_id, "contract-key-1")
        async with region.client() as client:
            connector = region.connector(client)
            if delivery is None:
                assert not connector.accepts_writes
                any_change = _change_for_a_read_only_type(source_id)
                with pytest.raises(PushNotSupported):
                    await connector.push(any_change)
                return
            first = await connector.push(delivery)
            again = await connector.push(delivery)
        assert first.source_id == again.source_id
        assert await region.arrivals(delivery) == 1

    async def test_health(self, contract_harness: ContractHarness) -> None:
        region = contract_harness.region(records=3, page_size=self.PAGE_SIZE)
        async with region.client() as client:
            health = await region.connector(client).health()
        assert health.healthy, health.detail
        down = region.config().model_copy(update={"base_url": UNREACHABLE, "timeout_seconds": 2})
        async with httpx.AsyncClient(timeout=2) as client:
            try:
                health = await region.connector(client, down).health()
            except ConnectorError as exc:  # pragma: no cover - the contract forbids it
                raise AssertionError(f"health() raised instead of answering unhealthy: {exc}") from exc
        assert not health.healthy and health.detail


def _change_for_a_read_only_type(source_id: str) -> Delivery:
    """A follow-up for a read-only type to refuse."""
    from hub.domain.changes import FollowUpChange
    from hub.domain.vocabulary import Status

    change = FollowUpChange(tracking_id="LPR-2026-0000001", occurred_at=datetime.fromisoformat("2026-10-02T00:00:00+00:00"),
                            actor="Kontrak", actor_role=None, status=Status.IN_PROGRESS, text="Uji kontrak")
    return Delivery(change=change, idempotency_key="contract-key-1", source_id=source_id)
