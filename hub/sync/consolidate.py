"""Applying a page of regional records to the national record.

For each mapped record, in the caller's transaction:

1. find the complaint by its source pair ``(source_system, source_id)``, else
   by the national tracking id the region echoes, else create it;
2. skip it when its content digest equals the one last applied, or when it is
   older than the change already applied (a stale re-read);
3. otherwise update the complaint, record a timeline event for each change
   (status changes and each regional follow-up or comment, once, with the
   source system and the source's own time) and recompute milestones and due
   dates. Whether the region's status is taken is the conflict rule's call
   (:mod:`hub.sync.reconcile`): the hub's word stands until the region heard it;
4. announce every created or updated complaint on the change feed, so
   ``complaintChanged`` subscribers hear pulled changes as they hear mutations.

Lookups are batched per page, so a page costs a handful of statements plus
the writes it really needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.connectors.records import RegionalRecord
from hub.domain.conflicts import Verdict
from hub.domain.escalation import EscalationLevel
from hub.domain.redaction import is_reporter, reporter_words
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Privacy, Role, Status
from hub.store.attachments import link_regional_media
from hub.store.bulk_insert import insert_returning_ids, insert_rows
from hub.store.change_feed import announce, complaints_changed
from hub.store.deadlines import refresh_due_dates
from hub.store.drafts import ComplaintDraft
from hub.store.duplicate_flags import flag_duplicates
from hub.store.in_list import one_of
from hub.store.lifecycle_writes import link_source
from hub.store.milestones import move_to
from hub.store.models import Category, Complaint, ComplaintSource, Reporter, TimelineEvent
from hub.store.notices import record_status_notice
from hub.store.outbox_models import OutboxRow
from hub.store.read_rows import details_text
from hub.store.tracking import allocate_tracking_ids
from hub.sync.reconcile import Sent, conflict_event, judge, sent_changes


@dataclass
class PageOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates_flagged: int = 0

    def add(self, other: PageOutcome) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.duplicates_flagged += other.duplicates_flagged


def latest_text(record: RegionalRecord) -> str | None:
    """What the region wrote last with the record (a follow-up, a reason), if anything."""
    written = [event for event in record.events if event.text and event.occurred_at <= record.updated_at]
    return max(written, key=lambda event: event.occurred_at).text if written else None


MEDIA_FIELDS = ("media_url",)  # how a region's record or update names a photo or document


def regional_media(record: RegionalRecord) -> list[str]:
    """The file addresses a regional record names (GeoReport ``media_url`` of the request and of its updates)."""
    found: list[str] = []
    for details in (record.details, *(event.details for event in record.events)):
        for name, value in details:
            if name in MEDIA_FIELDS and value.startswith(("http://", "https://")) and value not in found:
                found.append(value)
    return found


def latest_per_source(records: Sequence[RegionalRecord]) -> list[RegionalRecord]:
    """One record per source id (the newest), in page order: pages may repeat records."""
    newest: dict[str, RegionalRecord] = {}
    for record in records:
        kept = newest.get(record.source_id)
        if kept is None or record.updated_at >= kept.updated_at:
            newest[record.source_id] = record
    return list(newest.values())


class Consolidator:
    def __init__(self, *, region_code: str, source_system: str, levels: ServiceLevels,
                 echo: Callable[[Status], Status | None] = lambda status: status) -> None:
        self.echo = echo  # what the region reads back for a status the hub delivered (Connector.echo_of)
        self.region_code = region_code
        self.source_system = source_system
        self.levels = levels
        self._resolve_days: dict[str, int | None] | None = None

    async def _category_periods(self, session: AsyncSession) -> dict[str, int | None]:
        if self._resolve_days is None:
            rows = await session.execute(select(Category.code, Category.resolve_days))
            self._resolve_days = {code: days for code, days in rows}
        return self._resolve_days

    async def apply(self, session: AsyncSession, records: Sequence[RegionalRecord], *, now: datetime) -> PageOutcome:
        outcome = PageOutcome()
        records = latest_per_source(records)
        if not records:
            return outcome
        periods = await self._category_periods(session)
        sources = {
            s.source_id: s
            for s in await session.scalars(
                select(ComplaintSource).where(
                    ComplaintSource.source_system == self.source_system,
                    one_of(session, ComplaintSource.source_id, [r.source_id for r in records]),
                )
            )
        }
        echoed = {r.tracking_id for r in records if r.source_id not in sources and r.tracking_id}
        complaint_ids = {s.complaint_id for s in sources.values()}
        complaints: dict[int, Complaint] = {}
        by_tracking: dict[str, Complaint] = {}
        if complaint_ids or echoed:
            found = await session.scalars(
                select(Complaint).where(or_(one_of(session, Complaint.id, complaint_ids), one_of(session, Complaint.tracking_id, echoed)))
            )
            for complaint in found:
                complaints[complaint.id] = complaint
                by_tracking[complaint.tracking_id] = complaint
        known_events = await self._known_events(session, complaints.keys())
        sent = await sent_changes(session, self.source_system, complaints.keys())

        to_create: list[RegionalRecord] = []
        media: list[tuple[int, str]] = []  # files the region names, kept as links
        changed: list[int] = []  # announced together at the end of the page
        for record in records:
            source = sources.get(record.source_id)
            if source is not None:
                complaint = complaints[source.complaint_id]
            elif record.tracking_id and record.tracking_id in by_tracking:
                complaint = by_tracking[record.tracking_id]
                source, _ = await link_source(session, complaint.id, self.source_system, record.source_id, now=now)
            else:
                to_create.append(record)
                continue
            if source.transferred_at is not None:  # a copy left behind by a transfer (hub.store.transfers)
                source.last_seen_at = now
                outcome.unchanged += 1
                continue
            digest = record.content_hash()
            if source.content_hash == digest or (
                source.source_updated_at is not None and record.updated_at < source.source_updated_at
            ):
                outcome.unchanged += 1
                continue
            moved_from = self._update(session, complaint, source, record, known_events[complaint.id],
                                      sent.get(complaint.id, []), now=now)
            source.content_hash = digest
            source.source_status = record.status
            source.source_updated_at = record.updated_at
            source.details = details_text(record.details)
            source.last_seen_at = now
            refresh_due_dates(complaint, levels=self.levels, now=now, resolve_days=periods.get(complaint.category_code or ""))
            if moved_from is not None:  # the reporter and the webhook subscribers hear of it, once
                record_status_notice(session, complaint, previous=moved_from, source_system=self.source_system,
                                     occurred_at=record.updated_at, text=latest_text(record),
                                     answer_days=self.levels.reporter_answer_days, now=now)
            changed.append(complaint.id)
            outcome.updated += 1
            media += [(complaint.id, url) for url in regional_media(record)]

        if to_create:
            created = await self._create(session, to_create, periods, now=now)
            outcome.created += len(created)
            outcome.duplicates_flagged += await flag_duplicates(session, created)
            media += [(c.id, url) for c, record in zip(created, to_create, strict=True) for url in regional_media(record)]
            changed.extend(complaint.id for complaint in created)
        await link_regional_media(session, media, source_system=self.source_system, now=now)
        for message in complaints_changed(changed, self.region_code):
            await announce(session, message)
        await session.flush()
        return outcome

    async def _known_events(self, session: AsyncSession, complaint_ids: Iterable[int]) -> dict[int, set[str]]:
        known: dict[int, set[str]] = defaultdict(set)
        ids = list(complaint_ids)
        if ids:
            rows = await session.execute(
                select(TimelineEvent.complaint_id, TimelineEvent.source_event_id).where(
                    one_of(session, TimelineEvent.complaint_id, ids),
                    TimelineEvent.source_system == self.source_system,
                    TimelineEvent.source_event_id.is_not(None),
                )
            )
            for complaint_id, event_id in rows:
                if event_id is not None:  # the statement reads only events that have one
                    known[complaint_id].add(event_id)
            # follow-ups the hub itself delivered come back with the region's ids
            echoes = await session.execute(
                select(OutboxRow.complaint_id, OutboxRow.regional_event_id).where(
                    one_of(session, OutboxRow.complaint_id, ids),
                    OutboxRow.source_system == self.source_system,
                    OutboxRow.regional_event_id.is_not(None),
                )
            )
            for complaint_id, event_id in echoes:
                if event_id is not None:
                    known[complaint_id].add(event_id)
        return known

    def _update(
        self, session: AsyncSession, complaint: Complaint, source: ComplaintSource, record: RegionalRecord,
        known: set[str], sent: list[Sent], *, now: datetime,
    ) -> Status | None:
        """Apply ``record``; the status the complaint left, if the region's status was taken."""
        moved_from = None
        complaint.title = record.title
        complaint.body = record.body
        complaint.category_code = record.category_code or complaint.category_code
        if record.privacy is Privacy.CONFIDENTIAL and complaint.privacy is Privacy.PUBLIC:
            complaint.privacy = Privacy.CONFIDENTIAL  # a region may mark a complaint rahasia; none may expose one
        complaint.address = record.address or complaint.address
        complaint.latitude = record.latitude if record.latitude is not None else complaint.latitude
        complaint.longitude = record.longitude if record.longitude is not None else complaint.longitude
        self._add_events(session, complaint, record, known, now=now)
        if record.status is not complaint.status:
            decision = judge(complaint, source, record, sent, self.echo)
            if decision.verdict is Verdict.CONFLICT:
                session.add(conflict_event(complaint, record, decision, source_system=self.source_system, now=now))
            if decision.region_wins:
                self._status_event(session, complaint, complaint.status, record, now=now)
                moved_from = complaint.status
                move_to(complaint, record.status, record.updated_at)
        complaint.updated_at = max(complaint.updated_at, record.updated_at)
        return moved_from

    def _event_row(self, complaint_id: int, *, now: datetime, **fields: object) -> dict[str, object]:
        """A timeline row with every column named, so rows of a page can be inserted together."""
        row: dict[str, object] = {
            "complaint_id": complaint_id, "kind": None, "from_status": None, "to_status": None, "text": None,
            "actor": self.source_system, "actor_role": None, "source_system": self.source_system,
            "source_event_id": None, "occurred_at": None, "recorded_at": now, "details": None,
        }
        row.update(fields)
        return row

    def _status_row(self, complaint_id: int, previous: Status, record: RegionalRecord, *, now: datetime) -> dict[str, object]:
        return self._event_row(
            complaint_id, now=now, kind=EventKind.STATUS_CHANGED, from_status=previous, to_status=record.status,
            source_event_id=f"status:{record.status.value}:{record.updated_at.isoformat()}",
            occurred_at=record.updated_at,
            details={"local_status": record.local_status} if record.local_status else None,
        )

    def _status_event(
        self, session: AsyncSession, complaint: Complaint, previous: Status, record: RegionalRecord, *, now: datetime
    ) -> None:
        session.add(TimelineEvent(**self._status_row(complaint.id, previous, record, now=now)))

    def _event_rows(
        self, complaint: Complaint | ComplaintDraft, record: RegionalRecord, known: set[str], *, now: datetime
    ) -> list[dict[str, object]]:
        """Rows for the record's events not yet on the timeline; stamps the first follow-up."""
        rows = []
        given = record.reporter
        words = reporter_words(given.name, given.phone, given.email) if given is not None else frozenset()
        for event in record.events:
            if event.source_event_id in known:
                continue
            known.add(event.source_event_id)
            by_reporter = is_reporter(event.actor, words)
            rows.append(self._event_row(
                complaint.id, now=now, kind=event.kind, to_status=event.status, text=event.text,
                actor=event.actor or self.source_system, source_event_id=event.source_event_id,
                occurred_at=event.occurred_at, actor_role=Role.REPORTER if by_reporter else None,
                details={"regional": dict(event.details)} if event.details else None,
            ))
            if event.kind is EventKind.FOLLOW_UP and (
                complaint.first_follow_up_at is None or event.occurred_at < complaint.first_follow_up_at
            ) and complaint.dispositioned_at is not None:
                complaint.first_follow_up_at = event.occurred_at
        return rows

    def _add_events(
        self, session: AsyncSession, complaint: Complaint, record: RegionalRecord, known: set[str], *, now: datetime
    ) -> None:
        session.add_all(TimelineEvent(**row) for row in self._event_rows(complaint, record, known, now=now))

    async def _reporters(self, session: AsyncSession, records: Sequence[RegionalRecord], *, now: datetime) -> dict[str, int]:
        """Reporter ids by source id: an existing reporter with the same phone or email, else a new one."""
        phones = {r.reporter.phone for r in records if r.reporter and r.reporter.phone}
        emails = {r.reporter.email for r in records if r.reporter and r.reporter.email}
        by_phone: dict[str, int | str] = {}  # a known reporter's id, or the key of a new one
        by_email: dict[str, int | str] = {}
        if phones or emails:
            found = await session.execute(
                select(Reporter.id, Reporter.phone, Reporter.email)
                .where(or_(one_of(session, Reporter.phone, phones), one_of(session, Reporter.email, emails)))
                .order_by(Reporter.id)
            )
            for reporter_id, phone, email in found:
                if phone:
                    by_phone.setdefault(phone, reporter_id)
                if email:
                    by_email.setdefault(email, reporter_id)
        chosen: dict[str, int | str] = {}
        new: dict[str, dict[str, object]] = {}  # a key per new reporter -> its row
        for record in records:
            given = record.reporter
            if given is None:
                continue
            found_id = (given.phone and by_phone.get(given.phone)) or (given.email and by_email.get(given.email))
            if found_id:
                chosen[record.source_id] = found_id
                continue
            key = f"new:{given.phone or given.email or record.source_id}"
            if key not in new:
                new[key] = {"name": given.name, "phone": given.phone, "email": given.email, "created_at": now}
                if given.phone:
                    by_phone[given.phone] = key
                if given.email:
                    by_email[given.email] = key
            chosen[record.source_id] = key
        ids = dict(zip(new, await insert_returning_ids(session, Reporter.__table__, list(new.values())), strict=True)) if new else {}
        return {source_id: ids[ref] if isinstance(ref, str) else ref for source_id, ref in chosen.items()}

    async def _create(
        self, session: AsyncSession, records: Sequence[RegionalRecord], periods: dict[str, int | None], *, now: datetime
    ) -> list[ComplaintDraft]:
        """New complaints, written in bulk: a page costs a few statements, not several per record."""
        by_year: dict[int, list[RegionalRecord]] = defaultdict(list)
        for record in records:
            by_year[record.created_at.year].append(record)
        tracking: dict[str, str] = {}
        for year, group in by_year.items():  # also takes SQLite's write lock before ids are assigned
            for record, tracking_id in zip(group, await allocate_tracking_ids(session, year, len(group), apart=True), strict=True):
                tracking[record.source_id] = tracking_id
        reporter_ids = await self._reporters(session, records, now=now)
        complaints: list[ComplaintDraft] = []
        regional_events: list[list[dict[str, object]]] = []
        for record in records:
            complaint = ComplaintDraft(
                tracking_id=tracking[record.source_id], title=record.title, body=record.body, type=record.type,
                privacy=record.privacy, channel=record.channel, status=Status.SUBMITTED, region_code=self.region_code,
                category_code=record.category_code, reporter_id=reporter_ids.get(record.source_id),
                address=record.address, latitude=record.latitude, longitude=record.longitude,
                created_at=record.created_at, updated_at=record.updated_at, postponed_working_days=0,
                escalation_level=EscalationLevel.NONE,
            )
            if record.status is not Status.SUBMITTED:
                move_to(complaint, record.status, record.updated_at)
            refresh_due_dates(complaint, levels=self.levels, now=now, resolve_days=periods.get(record.category_code or ""))
            regional_events.append(self._event_rows(complaint, record, set(), now=now))  # stamps the first follow-up
            complaints.append(complaint)
        ids = await insert_returning_ids(session, Complaint.__table__, [c.row() for c in complaints])
        sources: list[dict[str, object]] = []
        events: list[dict[str, object]] = []
        for record, complaint, complaint_id, later in zip(records, complaints, ids, regional_events, strict=True):
            complaint.id = complaint_id
            sources.append({"complaint_id": complaint_id, "source_system": self.source_system, "source_id": record.source_id,
                            "source_updated_at": record.updated_at, "content_hash": record.content_hash(),
                            "source_status": record.status, "first_seen_at": now, "last_seen_at": now,
                            "details": details_text(record.details)})
            events.append(self._event_row(
                complaint_id, now=now, kind=EventKind.SUBMITTED, to_status=Status.SUBMITTED,
                actor=record.reporter.name if record.reporter and record.reporter.name else "pelapor",
                actor_role=Role.REPORTER, source_event_id="submitted", occurred_at=record.created_at,
            ))
            events.extend({**row, "complaint_id": complaint_id} for row in later)
            if record.status is not Status.SUBMITTED:
                events.append(self._status_row(complaint_id, Status.SUBMITTED, record, now=now))
        await insert_rows(session, ComplaintSource.__table__, sources)
        await insert_rows(session, TimelineEvent.__table__, events)
        return complaints
