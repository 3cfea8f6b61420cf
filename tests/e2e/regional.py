"""Running the three simulated regions and comparing the national record with
what each region really holds (its ground truth), after mapping."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.connectors.registry import Registry, parse_registry
from hub.domain.vocabulary import EventKind
from hub.simulators import SimulatorConfig, create_app
from hub.simulators.csv_app import STATUS as CSV_STATUS
from hub.simulators.faults import FaultConfig
from hub.simulators.open311 import LOCAL_STATUS
from hub.simulators.region_file import NATIONAL_STATUS, csv_entry, open311_entry, rest_entry
from hub.simulators.rest import STATUS as REST_STATUS
from hub.simulators.testing import running_app
from hub.store.models import Complaint, ComplaintSource, TimelineEvent

API_KEY_ENV = "HUB_TEST_SIM_API_KEY"
REFERENCE_NOW = datetime(2026, 10, 1, tzinfo=UTC)
CODES = {"rest": "19.71", "open311": "61.71", "csv": "64.09"}


@dataclass
class Region:
    kind: str
    code: str
    base_url: str
    source_system: str

    def faults(self, **changes: Any) -> None:
        httpx.put(f"{self.base_url}/_admin/faults", json=changes, timeout=10).raise_for_status()

    def tick(self, times: int = 1) -> None:
        for _ in range(times):
            httpx.post(f"{self.base_url}/_admin/tick", timeout=10).raise_for_status()

    def ground_truth(self) -> list[dict[str, Any]]:
        return httpx.get(f"{self.base_url}/_admin/ground-truth", timeout=30).json()["records"]


@contextlib.contextmanager
def regions(monkeypatch: Any, *, complaints: int = 40, seed: int = 7, faults: FaultConfig | None = None,
            kinds: tuple[str, ...] = ("rest", "open311", "csv")) -> Iterator[tuple[dict[str, Region], Registry]]:
    monkeypatch.setenv(API_KEY_ENV, "sim-key")
    with contextlib.ExitStack() as stack:
        found: dict[str, Region] = {}
        entries = []
        for kind in kinds:
            config = SimulatorConfig(kind=kind, region_code=CODES[kind], seed=seed, complaints=complaints,  # type: ignore[arg-type]
                                     reference_now=REFERENCE_NOW, faults=faults or FaultConfig())
            base = stack.enter_context(running_app(create_app(config)))
            found[kind] = Region(kind=kind, code=CODES[kind], base_url=base, source_system=f"{kind}:{CODES[kind]}")
            maker = {"rest": rest_entry, "open311": open311_entry, "csv": csv_entry}[kind]
            extra = {"api_key_env": API_KEY_ENV} if kind != "csv" else {}
            entries.append(maker(CODES[kind], base, page_size=15, timeout_seconds=2, max_attempts=6, **extra))
        yield found, parse_registry({"regions": entries})


def expected(region: Region) -> dict[str, tuple[str, str, list[str]]]:
    """source id -> (national status, title, follow-up texts) from the region's ground truth."""
    result: dict[str, tuple[str, str, list[str]]] = {}
    for record in region.ground_truth():
        if region.kind == "rest":
            stage = {w: s for s, w in REST_STATUS.items()}[record["status"]]
            result[str(record["id"])] = (NATIONAL_STATUS[stage], record["judul"], [t["isi"] for t in record["tanggapan"]])
        elif region.kind == "open311":
            stage = {w: s for s, w in LOCAL_STATUS.items()}[record["local_status"]]
            title = record["description"].split("\n", 1)[0]
            result[record["service_request_id"]] = (NATIONAL_STATUS[stage], title, [u["description"] for u in record["updates"]])
        else:
            stage = {w: s for s, w in CSV_STATUS.items()}[record["Status"]]
            last = record["Tindak Lanjut Terakhir"]
            result[record["No"]] = (NATIONAL_STATUS[stage], record["Judul"], [last] if last else [])
    return result


async def national_copies(engine: AsyncEngine, source_system: str) -> dict[str, dict[str, Any]]:
    """source id -> the national record's complaint (status, title, category, privacy as their words) and the
    texts of the follow-ups that system sent (``follow_ups``), for every complaint that system holds."""
    async with engine.connect() as connection:
        rows = (await connection.execute(
            select(ComplaintSource.source_id, Complaint.id, Complaint.status, Complaint.title, Complaint.category_code,
                   Complaint.privacy)
            .join(Complaint, Complaint.id == ComplaintSource.complaint_id)
            .where(ComplaintSource.source_system == source_system)
        )).all()
        events = (await connection.execute(
            select(TimelineEvent.complaint_id, TimelineEvent.text)
            .where(TimelineEvent.kind == EventKind.FOLLOW_UP, TimelineEvent.source_system == source_system)
        )).all()
    texts: dict[int, list[str]] = {}
    for complaint_id, text in events:
        texts.setdefault(complaint_id, []).append(text)
    word = lambda value: str(value.value if hasattr(value, "value") else value)  # noqa: E731
    return {source_id: {"status": word(status), "title": title, "category": category,
                        "privacy": word(privacy), "follow_ups": texts.get(cid, [])}
            for source_id, cid, status, title, category, privacy in rows}


async def national(engine: AsyncEngine, source_system: str) -> dict[str, tuple[str, str, list[str]]]:
    """source id -> (status, title, follow-up texts) as the national record holds it."""
    return {source_id: (c["status"], c["title"], c["follow_ups"])
            for source_id, c in (await national_copies(engine, source_system)).items()}


async def assert_matches(engine: AsyncEngine, region: Region) -> None:
    want = expected(region)
    have = await national(engine, region.source_system)
    assert set(have) == set(want), f"{region.kind}: missing {set(want) - set(have)}, extra {set(have) - set(want)}"
    for source_id, (status, title, follow_ups) in want.items():
        got_status, got_title, got_texts = have[source_id]
        assert (got_status, got_title) == (status, title), f"{region.kind} {source_id}: {have[source_id]} != {want[source_id]}"
        if region.kind == "csv":
            assert set(follow_ups) <= set(got_texts), f"csv {source_id}: last follow-up missing"
        else:
            assert sorted(got_texts) == sorted(follow_ups), f"{region.kind} {source_id}: follow-ups {got_texts} != {follow_ups}"
