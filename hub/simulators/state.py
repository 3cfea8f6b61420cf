"""What a running simulator holds: its store, faults, clock and generator,
and the activity step shared by the live loop and ``POST /_admin/tick``."""

from __future__ import annotations

import itertools
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
        count = self.config.complaints
        first = self.store.reserve("complaint", count)
        last_update = self.store.counter("update")
        update_ids = itertools.count(last_update + 1)
        complaints: list[SimComplaint] = []
        for number in range(first, first + count):
            created = end - timedelta(days=rng.uniform(1, 90))
            complaint = self.generator.complaint(number, self.ticket(number), created)
            self.generator.history(complaint, lambda: next(update_ids), end)
            complaints.append(complaint)
        self.store.reserve("update", next(update_ids) - last_update - 1)  # the ids the histories used
        self.store.save_many(complaints)

    def create(self, *, title: str, body: str, category: str, reporter: dict[str, Any], location: dict[str, Any],
               tracking_id: str | None, confidential: bool = False, idempotency_key: str | None = None,
               media_url: str | None = None) -> SimComplaint:
        """A complaint received over the app's API."""
        number = self.store.next_id("complaint")
        stamp = iso(self.now())
        complaint = SimComplaint(
            id=number, ticket=self.ticket(number), title=title, body=body, category=category, stage="new",
            reporter=reporter, location=location, created_at=stamp, updated_at=stamp, tracking_id=tracking_id,
            confidential=confidential, origin="api", idempotency_key=idempotency_key, media_url=media_url,
        )
        self.store.save(complaint)
        return complaint

    def add_update(self, complaint: SimComplaint, *, text: str, author: str, stage: str | None, kind: str = "follow_up",
                   idempotency_key: str | None = None, status: str | None = None, media_url: str | None = None,
                   client_update_id: str | None = None) -> Update:
        """A follow-up or status change received over the app's API, recorded at the app's own time;
        it moves the complaint to ``stage`` (None: where it is)."""
        stamp = iso(self.now())
        update = Update(id=self.store.next_id("update"), text=text, author=author, stage=stage or complaint.stage,
                        at=stamp, kind=kind, origin="api", idempotency_key=idempotency_key, status=status,
                        media_url=media_url, client_update_id=client_update_id)
        complaint.updates.append(update)
        complaint.stage = update.stage
        complaint.updated_at = stamp
        self.store.save(complaint)
        return update

    def tick(self) -> dict[str, Any]:
        """One step of live activity: a new complaint, or an open one moves along."""
        rng = self.generator.rng
        open_ids = self.store.ids(stages=OPEN_STAGES)
        if not open_ids or rng.random() < 0.4:
            number = self.store.next_id("complaint")
            complaint = self.generator.complaint(number, self.ticket(number), self.now())
            self.store.save(complaint)
            return {"action": "created", "id": complaint.id}
        moving = self.store.get(rng.choice(open_ids))
        assert moving is not None
        self.generator.advance(moving, self.store.next_id("update"), self.now())
        self.store.save(moving)
        return {"action": "advanced", "id": moving.id, "stage": moving.stage}
