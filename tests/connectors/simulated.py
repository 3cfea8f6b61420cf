"""Simulated REST regions served in-process (``httpx.ASGITransport``), their
region entries, and what their ground truth says in national terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.connectors.registry import RegionConfig, parse_registry
from hub.simulators import FaultConfig, SimulatorConfig, create_app
from hub.simulators.habits import RestHabits
from hub.simulators.region_file import NATIONAL_CATEGORY, NATIONAL_STATUS, rest_entry
from hub.simulators.rest import CATEGORY_KEY, STAGE_OF_STATUS
from hub.simulators.rest.vocabulary import read_flag, read_privacy_word
from tests.e2e.regional import national_copies

REFERENCE_NOW = datetime(2026, 10, 1, tzinfo=UTC)
WHEN = datetime(2026, 10, 2, 3, 0, tzinfo=UTC)  # when the hub made the changes it pushes
KEY_ENV, USER_ENV, PASSWORD_ENV = "HUB_TEST_REST_KEY", "HUB_TEST_REST_USER", "HUB_TEST_REST_PASSWORD"
SECRETS = {KEY_ENV: "sim-key", USER_ENV: "sim-user", PASSWORD_ENV: "sim-password"}


@dataclass
class RestRegion:
    """One simulated REST app and the region entry that connects the hub to it."""

    habits: RestHabits
    code: str = "19.71"
    complaints: int = 30
    page_size: int = 7
    faults: FaultConfig = field(default_factory=FaultConfig)
    options: dict[str, Any] = field(default_factory=dict)  # overrides of the entry's options
    requests: list[httpx.Request] = field(default_factory=list)  # every request the hub made

    def __post_init__(self) -> None:
        self.app = create_app(SimulatorConfig(kind="rest", region_code=self.code, seed=7, complaints=self.complaints,
                                              reference_now=REFERENCE_NOW, habits=self.habits, faults=self.faults))
        self.base_url = f"http://sipadu-{self.code.replace('.', '-')}.test"

    def entry(self, **extra: Any) -> dict[str, Any]:
        entry = rest_entry(self.code, self.base_url, api_key_env=KEY_ENV, habits=self.habits, username_env=USER_ENV,
                           password_env=PASSWORD_ENV, page_size=self.page_size, max_attempts=1, **extra)
        entry["options"].update(self.options)
        return entry

    def config(self, **extra: Any) -> RegionConfig:
        return parse_registry({"regions": [self.entry(**extra)]}, environ=SECRETS).regions[0]

    def client(self) -> httpx.AsyncClient:
        async def record(request: httpx.Request) -> None:
            self.requests.append(request)

        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), event_hooks={"request": [record]})

    async def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=self.base_url) as client:
            response = await client.request(method, path, **kwargs)
            response.raise_for_status()
            return response.json()

    async def ground_truth(self) -> list[dict[str, Any]]:
        return (await self.admin("GET", "/_admin/ground-truth"))["records"]

    async def tick(self, times: int) -> None:
        for _ in range(times):
            await self.admin("POST", "/_admin/tick")

    async def expected(self) -> dict[str, tuple[Any, ...]]:
        """source id -> (status, title, category, privacy, follow-up texts), read from the ground truth in the app's words."""
        result: dict[str, tuple[Any, ...]] = {}
        for record in await self.ground_truth():
            confidential = {"none": False, "word": lambda: read_privacy_word(record["sifat"]),
                            "flag": lambda: read_flag(self.habits.flags, record["rahasia"], "rahasia")}[self.habits.privacy]
            confidential = confidential() if callable(confidential) else confidential
            anonymous = read_flag(self.habits.flags, record["pelapor"]["anonim"], "anonim")
            privacy = "CONFIDENTIAL" if confidential else "ANONYMOUS" if anonymous else "PUBLIC"
            result[str(record["id"])] = (
                NATIONAL_STATUS[STAGE_OF_STATUS[record["status"].casefold()]], record["judul"],
                NATIONAL_CATEGORY[CATEGORY_KEY[record["kategori"].casefold()]], privacy,
                sorted(t["isi"] for t in record["tanggapan"]),
            )
        return result


async def national(engine: AsyncEngine, source_system: str) -> dict[str, tuple[Any, ...]]:
    """source id -> (status, title, category, privacy, follow-up texts) as the national record holds it."""
    return {source_id: (c["status"], c["title"], c["category"], c["privacy"], sorted(c["follow_ups"]))
            for source_id, c in (await national_copies(engine, source_system)).items()}
