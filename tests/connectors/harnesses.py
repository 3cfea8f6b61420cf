"""The contract harness of each built-in connector type, driven by its simulator in-process."""

from __future__ import annotations

from typing import Any

import httpx

from hub.connectors.base import Delivery
from hub.connectors.contract import ContractHarness, ContractRegion
from hub.connectors.registry import RegionConfig, parse_registry
from hub.domain.changes import FollowUpChange, SubmitChange
from hub.domain.vocabulary import Channel, ComplaintType, Privacy, Status
from hub.simulators import FaultConfig, SimulatorConfig, create_app
from hub.simulators.habits import RestHabits
from hub.simulators.region_file import csv_entry, open311_entry, rest_entry
from tests.connectors.simulated import KEY_ENV, PASSWORD_ENV, REFERENCE_NOW, SECRETS, USER_ENV, WHEN

CODES = {"rest": "19.71", "open311": "61.71", "csv": "64.09"}
ID_FIELD = {"rest": "id", "open311": "service_request_id", "csv": "No"}


class SimulatedRegion(ContractRegion):
    def __init__(self, kind: str, *, records: int, page_size: int, faults: FaultConfig, habits: RestHabits | None) -> None:
        super().__init__()
        self.kind, self.page_size, self.habits = kind, page_size, habits or RestHabits()
        self.code = CODES[kind]
        self.requests_per_page = 2 if kind == "open311" else 1  # open311: the requests, then their updates
        self.app = create_app(SimulatorConfig(kind=kind, region_code=self.code, seed=11, complaints=records,  # type: ignore[arg-type]
                                              reference_now=REFERENCE_NOW, faults=faults,
                                              **({"habits": self.habits} if kind == "rest" else {})))
        self.base_url = f"http://{kind}-sim.test"

    def config(self) -> RegionConfig:
        common: dict[str, Any] = {"page_size": self.page_size, "max_attempts": 1}
        if self.kind == "rest":
            entry = rest_entry(self.code, self.base_url, api_key_env=KEY_ENV, habits=self.habits, username_env=USER_ENV,
                               password_env=PASSWORD_ENV, **common)
        elif self.kind == "open311":
            entry = open311_entry(self.code, self.base_url, api_key_env=KEY_ENV, **common)
        else:
            entry = csv_entry(self.code, self.base_url, **common)
        return parse_registry({"regions": [entry]}, environ=SECRETS).regions[0]

    def transport(self) -> httpx.AsyncBaseTransport:
        return httpx.ASGITransport(app=self.app)

    async def _admin(self, method: str, path: str) -> Any:
        async with httpx.AsyncClient(transport=self.transport(), base_url=self.base_url) as client:
            response = await client.request(method, path)
            response.raise_for_status()
            return response.json()

    async def _truth(self) -> list[dict[str, Any]]:
        return (await self._admin("GET", "/_admin/ground-truth"))["records"]

    async def source_ids(self) -> set[str]:
        return {str(record[ID_FIELD[self.kind]]) for record in await self._truth()}

    async def change(self, times: int) -> None:
        for _ in range(times):
            await self._admin("POST", "/_admin/tick")

    def delivery(self, source_id: str, key: str) -> Delivery | None:
        if self.kind == "csv":
            return None
        common: dict[str, Any] = {"tracking_id": "LPR-2026-0000777", "occurred_at": WHEN, "actor": "Kontrak", "actor_role": None}
        if self.kind == "open311":  # what every Open311 region takes: a new request
            change: Any = SubmitChange(**common, status=Status.SUBMITTED, title="Uji kontrak", body="Pengaduan uji kontrak",
                                       type=ComplaintType.COMPLAINT, privacy=Privacy.PUBLIC, channel=Channel.WEB,
                                       region_code=self.code, category_code="ROADS")
        else:
            change = FollowUpChange(**common, status=Status.IN_PROGRESS, text="Uji kontrak: tindak lanjut")
        return Delivery(change=change, idempotency_key=key, source_id=source_id)

    async def arrivals(self, delivery: Delivery) -> int:
        truth = await self._truth()
        if self.kind == "open311":
            return sum(1 for r in truth if r.get("lapor_tracking_id") == delivery.change.tracking_id)
        return sum(1 for r in truth for h in r["riwayat"] if h["idempotency_key"] == delivery.idempotency_key)


class SimulatorHarness(ContractHarness):
    def __init__(self, kind: str, habits: RestHabits | None = None) -> None:
        self.kind, self.habits = kind, habits

    def region(self, *, records: int, page_size: int, malformed_rate: float = 0.0,
               repeat_across_pages: bool = False) -> ContractRegion:
        faults = FaultConfig(malformed_rate=malformed_rate, repeat_across_pages=repeat_across_pages)
        return SimulatedRegion(self.kind, records=records, page_size=page_size, faults=faults, habits=self.habits)
