"""What a running simulator holds: its store, faults, clock and generator,
and the activity step shared by the live loop and ``POST /_admin/tick``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hub.simulators.config import SimulatorConfig
from hub.simulators.data import Generator
from hub.simulators.faults import Faults
from hub.simulators.store import OPEN_STAGES, SimComplaint, SimStore, Update, iso


class SimulatorState:
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.store = SimStore(config.db_path)
        self.faults = Faults(config.faults, config.seed)
        self.generator = Generator(config.seed, config.region_code)
        self.ticket_prefix = {"rest": "SIPADU", "open311": "REQ", "csv": "ADU"}[config.kind]
        if self.store.is_empty():
            self._seed()

    # -- clock --------------------------------------------------------
    def now(self) -> datetime:
        """The app's own clock: real time shifted by the configured skew."""
        return datetime.now(UTC) + timedelta(seconds=self.faults.config.clock_skew_seconds)

    def ticket(self, number: int) -> str:
        return f"{self.ticket_prefix}-{self.config.region_code.replace('.', '')}-{number:06d}"

    # -- data ---------------------------------------------------------
    def _seed(self) -> None:
        assert self.config.reference_now is not None
        end = self.config.reference_now
        rng = self.generator.rng
        complaints: list[SimComplaint] = []
        for _ in range(self.config.complaints):
            number = self.store.next_id("complaint")
            created = end - timedelta(days=rng.uniform(1, 90))
            complaint = self.generator.complaint(number, self.ticket(number), created)
            self.generator.history(complaint, lambda: self.store.next_id("update"), end)
            complaints.append(complaint)
        self.store.save_many(complaints)

    def create(self, *, title: str, body: str, category: str, reporter: dict[str, Any], location: dict[str, Any],
               tracking_id: str | None, confidential: bool = False, idempotency_key: str | None = None) -> SimComplaint:
        """A complaint received over the app's API."""
        number = self.store.next_id("complaint")
        stamp = iso(self.now())
        complaint = SimComplaint(
            id=number, ticket=self.ticket(number), title=title, body=body, category=category, stage="new",
            reporter=reporter, location=location, created_at=stamp, updated_at=stamp, tracking_id=tracking_id,
            confidential=confidential, origin="api", idempotency_key=idempotency_key,
        )
        self.store.save(complaint)
        return complaint

    def add_update(self, complaint: SimComplaint, *, text: str, author: str, stage: str | None, kind: str = "follow_up",
                   idempotency_key: str | None = None) -> Update:
        """A follow-up or status change received over the app's API."""
        stamp = iso(self.now())
        update = Update(id=self.store.next_id("update"), text=text, author=author, stage=stage or complaint.stage, at=stamp,
                        kind=kind, origin="api", idempotency_key=idempotency_key)
        complaint.updates.append(update)
        complaint.stage = update.stage
        complaint.updated_at = stamp
        self.store.save(complaint)
        return update

    def tick(self) -> dict[str, Any]:
        """One step of live activity: a new complaint, or an open one moves along."""
        rng = self.generator.rng
        open_ids = [c.id for c in self.store.all() if c.stage in OPEN_STAGES]
        if not open_ids or rng.random() < 0.4:
            number = self.store.next_id("complaint")
            complaint = self.generator.complaint(number, self.ticket(number), self.now())
            self.store.save(complaint)
            return {"action": "created", "id": complaint.id}
        complaint = self.store.get(rng.choice(open_ids))
        assert complaint is not None
        self.generator.advance(complaint, self.store.next_id("update"), self.now())
        self.store.save(complaint)
        return {"action": "advanced", "id": complaint.id, "stage": complaint.stage}
