"""Helpers for the REST simulator's habit tests: a configured app and a walk
through every page of its listing, whatever its paging style."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from hub.simulators import FaultConfig, SimulatorConfig
from hub.simulators.habits import RestHabits

REFERENCE_NOW = datetime(2026, 10, 1, tzinfo=UTC)
KEY = {"X-API-Key": "sim-key"}
LOCAL = "%d/%m/%Y %H:%M:%S"
MAX_PAGES = 200  # a walk that goes on longer is a loop


def rest(complaints: int = 23, seed: int = 7, faults: FaultConfig | None = None, **habits: Any) -> SimulatorConfig:
    return SimulatorConfig(kind="rest", region_code="19.71", seed=seed, complaints=complaints, reference_now=REFERENCE_NOW,
                           habits=RestHabits(**habits), faults=faults or FaultConfig())


def pages(client: httpx.Client, paging: str, size: int, **params: Any) -> list[list[dict[str, Any]]]:
    """Every page of the listing, following the style's own way to the next page."""
    found: list[list[dict[str, Any]]] = []
    request: dict[str, Any] = {"page": 1, "per_page": size} if paging in ("page", "link") else (
        {"offset": 0, "limit": size} if paging == "offset" else {"limit": size} if paging == "cursor" else {})
    url = "/api/v1/laporan"
    for _ in range(MAX_PAGES):
        answer = client.get(url, params={**params, **request} if url == "/api/v1/laporan" else None)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        found.append(body["data"])
        match paging:
            case "page":
                if body["meta"]["page"] >= body["meta"]["total_pages"]:
                    return found
                request["page"] += 1
            case "offset":
                if request["offset"] + size >= body["meta"]["total"]:
                    return found
                request["offset"] += size
            case "cursor":
                if "next" not in body:
                    return found
                request["cursor"] = body["next"]
            case "link":
                if "next" not in answer.links:
                    return found
                url = answer.links["next"]["url"]
            case "none":
                return found
    raise AssertionError(f"{paging} paging did not end after {MAX_PAGES} pages")


def walk(client: httpx.Client, paging: str, size: int = 5, **params: Any) -> list[dict[str, Any]]:
    return [record for page in pages(client, paging, size, **params) for record in page]


def position(record: dict[str, Any]) -> tuple[datetime, int]:
    return datetime.strptime(record["tanggal_diperbarui"], LOCAL), record["id"]
