"""Fill a migrated store with realistic complaints for demos, tests and benchmarks.

:func:`seed_complaints` plans each complaint in Python (reporter, region,
category, Indonesian title and body, a walk through the national lifecycle with
its milestones and timeline events) and writes them with SQLAlchemy Core bulk
inserts, a few thousand complaints per transaction. Tracking ids come from the
per-year counter in bulk, so seeding twice only adds complaints. Due dates are
computed by :func:`hub.domain.sla.evaluate` from the same milestones
:func:`hub.store.deadlines.refresh_due_dates` reads, with a memoising calendar.

Everything is deterministic for a seed, a count and ``now``. Texts and
geography live in :mod:`hub.store.seed_texts`.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from faker import Faker
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hub.domain.calendar import WorkingDayCalendar
from hub.domain.regions import province_of, timezone_for
from hub.domain.sla import Milestones, ServiceLevels, evaluate
from hub.domain.vocabulary import Channel, ComplaintType, EventKind, Privacy, RegionLevel, Role, Status
from hub.store import seed_texts as T
from hub.store.bulk_insert import insert_returning_ids, insert_rows
from hub.store.database import session_factory
from hub.store.models import Agency, Category, Complaint, ComplaintSource, Region, Reporter, TimelineEvent
from hub.store.tracking import allocate_tracking_ids

BATCH_SIZE = 2_000
NATIONAL_SYSTEM = "lapor-hub"
REGIONAL_APPS = ("sipadu", "e-lapor", "simpel")
SPAN = timedelta(days=395)  # about 13 months before "now"
S = Status

@dataclass(frozen=True, slots=True)
class SeedSummary:
    complaints: int
    reporters: int
    events: int
    agencies: int
    elapsed: float  # seconds


class _MemoCalendar(WorkingDayCalendar):
    """The default calendar, remembering the deadlines it has counted."""

    def __init__(self) -> None:
        super().__init__()
        self._memo: dict[tuple[date, int], date] = {}

    def add_working_days(self, start: date, days: int) -> date:
        key = (start, days)
        if key not in self._memo:
            self._memo[key] = super().add_working_days(start, days)
        return self._memo[key]


@lru_cache(maxsize=1)
def _calendar() -> _MemoCalendar:
    return _MemoCalendar()


async def _create_missing_agencies(session: AsyncSession, region_codes: Sequence[str]) -> int:
    codes = list(dict.fromkeys(region_codes))
    have: set[str] = set()
    for i in range(0, len(codes), 500):
        chunk = codes[i : i + 500]
        have.update((await session.scalars(select(Agency.region_code).where(Agency.region_code.in_(chunk)))).all())
    missing = [code for code in codes if code not in have]
    if not missing:
        return 0
    names = dict((await session.execute(select(Region.code, Region.name).where(Region.code.in_(missing)))).all())
    rows = [
        {"region_code": code, "name": f"{spec.name} {names[code]}", "short_name": spec.short_name}
        for code in missing
        for spec in T.AGENCIES
    ]
    await session.execute(insert(Agency.__table__), rows)
    return len(rows)


async def _agencies(session: AsyncSession, region_codes: Sequence[str]) -> dict[str, list[tuple[int, str | None, str]]]:
    found: dict[str, list[tuple[int, str | None, str]]] = defaultdict(list)
    codes = list(dict.fromkeys(region_codes))
    for i in range(0, len(codes), 500):
        query = (
            select(Agency.region_code, Agency.id, Agency.short_name, Agency.name)
            .where(Agency.region_code.in_(codes[i : i + 500]))
            .order_by(Agency.id)
        )
        for region_code, agency_id, short_name, name in await session.execute(query):
            found[region_code].append((agency_id, short_name, name))
    return found


async def ensure_agencies(session: AsyncSession, region_codes: Sequence[str]) -> dict[str, list[int]]:
    """Give each region without agencies the usual set of OPD; return every region's agency ids."""
    await _create_missing_agencies(session, region_codes)
    found = await _agencies(session, region_codes)
    return {code: [agency_id for agency_id, _, _ in found.get(code, [])] for code in dict.fromkeys(region_codes)}


@dataclass(slots=True)
class _ReporterRef:
    """A reporter of this run; ``id`` is known once the reporter is written."""

    name: str | None
    id: int | None = None


@dataclass(slots=True)
class _Plan:
    """One complaint before it is written: its row, timeline, sources and reporter."""

    row: dict[str, Any]
    events: list[dict[str, Any]]
    regional_source: str | None  # the regional system, for REGIONAL_APP complaints
    reporter: _ReporterRef
    new_reporter: dict[str, Any] | None  # the reporter's row when this complaint introduces them


class _Planner:
    def __init__(self, *, seed: int, now: datetime, levels: ServiceLevels, regions: list[tuple[str, str]],
                 weights: list[float], categories: dict[str, int | None],
                 agencies: dict[str, list[tuple[int, str | None, str]]]) -> None:
        self.rng = random.Random(seed)
        self.faker = Faker("id_ID")
        self.faker.seed_instance(seed)
        self.now, self.levels = now, levels
        self.region_choice = T.Choice(list(zip(regions, weights, strict=True)))
        self.categories = categories
        self.category_choice = T.Choice([(code, T.CATEGORY_WEIGHTS.get(code, 2)) for code in categories])
        pool = min(max(len(regions) * 4, 500), 20_000)
        self.names = [self.faker.name() for _ in range(pool)]
        self.streets = [self.faker.street_address() for _ in range(pool // 2)]
        self.agencies = agencies
        self.by_short = {
            code: {short: (agency_id, name) for agency_id, short, name in rows} for code, rows in agencies.items()
        }
        self.admins: dict[str, list[str]] = {}
        self.known_reporters: list[_ReporterRef] = []  # recent ones, some file again

    # -- texts ---------------------------------------------------------------
    def _fill(self, template: str) -> str:
        return template.format_map(T.Fill(self.rng))

    def _texts(self, category: str, kind: ComplaintType) -> tuple[str, str]:
        r = self.rng
        title = self._fill(r.choice(T.TITLES.get(category, T.TITLES["OTHER"])))
        if kind is ComplaintType.ASPIRATION:
            title = T.ASPIRATION_PREFIX + title[0].lower() + title[1:]
        elif kind is ComplaintType.INFORMATION_REQUEST:
            title = T.INFORMATION_PREFIX + title[0].lower() + title[1:]
        detail = " ".join(self._fill(d) for d in r.sample(T.BODY_DETAILS, 2))
        body = f"{r.choice(T.BODY_OPENINGS)} {title[0].lower()}{title[1:]}. {detail} {r.choice(T.BODY_CLOSINGS)}"
        return title[:300], body

    def _reporter(self, channel: Channel) -> dict[str, Any]:
        r, name = self.rng, self.rng.choice(self.names)
        digits = f"{r.randrange(10**9):09d}"[: r.randint(8, 9)]
        phone = f"+628{digits}" if r.random() < 0.3 else f"08{digits}"
        email = None
        if channel is not Channel.SMS and r.random() < 0.6:
            local = name.lower().replace(" ", ".").replace(",", "").replace("'", "")
            email = f"{local}{r.randint(1, 99)}@{r.choice(('gmail.com', 'yahoo.co.id', 'gmail.com', 'outlook.com'))}"
        return {"name": None if channel is Channel.SMS and r.random() < 0.5 else name, "phone": phone,
                "email": email}

    def _admin(self, region_code: str) -> str:
        if region_code not in self.admins:
            self.admins[region_code] = [self.rng.choice(self.names) for _ in range(3)]
        return self.rng.choice(self.admins[region_code])

    # -- one complaint -------------------------------------------------------
    def plan(self, created: datetime) -> _Plan:
        r, now = self.rng, self.now
        region_code, region_name = self.region_choice(r)
        category = self.category_choice(r)
        kind, privacy, channel = T.TYPE_CHOICE(r), T.PRIVACY_CHOICE(r), T.CHANNEL_CHOICE(r)
        title, body = self._texts(category, kind)
        lat, lon, _ = T.PROVINCES.get(province_of(region_code), (-2.5, 118.0, 1.0))
        address = (f"{r.choice(self.streets)}, Kel. {r.choice(T.KELURAHAN)}, "
                   f"Kec. {r.choice(T.KECAMATAN)}, {region_name}")
        new_reporter = None
        if self.known_reporters and r.random() < 0.25:
            ref = self.known_reporters[r.randrange(len(self.known_reporters))]
        else:
            new_reporter = self._reporter(channel)
            ref = _ReporterRef(new_reporter["name"])
            self.known_reporters.append(ref)
            if len(self.known_reporters) > 50_000:
                del self.known_reporters[:25_000]
        reporter_name = ref.name
        short = T.AGENCY_FOR_CATEGORY.get(category)
        agency_id, agency_name = self.by_short.get(region_code, {}).get(short) or (
            lambda a: (a[0], a[2]))(r.choice(self.agencies[region_code]))
        system = (f"{REGIONAL_APPS[int(region_code.replace('.', '')) % len(REGIONAL_APPS)]}:{region_code}"
                  if channel is Channel.REGIONAL_APP else NATIONAL_SYSTEM)
        if privacy is Privacy.ANONYMOUS or not reporter_name:
            reporter_name = "Pelapor Anonim" if privacy is Privacy.ANONYMOUS else "Pelapor"
        actors = {
            "reporter": (reporter_name, Role.REPORTER),
            "agency": (agency_name, Role.AGENCY_OFFICER),
            "system": ("Sistem LAPOR!", None),
        }
        if channel is Channel.MANUAL:
            actors["submitter"] = (self._admin(region_code), Role.REGION_ADMIN)
        else:
            actors["submitter"] = actors["reporter"]
        walk = _Walk(self, created, self.categories[category], region_code)
        walk.run()
        events = []
        for kind_, from_, to_, at, who, text, details in walk.events:
            actor, role = (self._admin(region_code), Role.REGION_ADMIN) if who == "admin" else actors[who]
            if kind_ is EventKind.DISPOSITION:
                details = {"agency_id": agency_id, "agency": agency_name}
                text = f"Didisposisikan ke {agency_name}."
            events.append({
                "kind": kind_, "from_status": from_, "to_status": to_, "text": text, "actor": actor,
                "actor_role": role, "source_system": system, "source_event_id": None, "occurred_at": at,
                "recorded_at": at, "details": details,
            })
        zone = timezone_for(region_code)
        m = walk.stamps
        local = {k: (v.astimezone(zone) if v else None) for k, v in m.items()}
        sla = evaluate(
            Milestones(submitted_at=created.astimezone(zone), postponed_working_days=walk.postponed_days,
                       resolve_days=self.categories[category], paused=walk.postponed_at is not None, **local),
            now=now, levels=self.levels, calendar=_calendar(),
        )
        row = {
            "title": title, "body": body, "type": kind, "privacy": privacy, "channel": channel,
            "status": walk.status, "region_code": region_code, "category_code": category,
            "agency_id": agency_id if m["dispositioned_at"] else None, "address": address[:400],
            "latitude": round(max(-11.0, min(6.0, lat + r.gauss(0, 0.3))), 6),
            "longitude": round(max(95.0, min(141.0, lon + r.gauss(0, 0.3))), 6),
            "created_at": created, "updated_at": events[-1]["occurred_at"], **m,
            "postponed_working_days": walk.postponed_days, "postponed_at": walk.postponed_at, "verify_due": sla.verify_due,
            "follow_up_due": sla.follow_up_due, "resolve_due": sla.resolve_due, "answer_due": sla.answer_due,
            "rating": walk.rating, "rating_comment": walk.rating_comment, "merged_into_id": None,
        }
        return _Plan(row, events, system if system != NATIONAL_SYSTEM else None, ref, new_reporter)


class _Walk:
    """A complaint's path through the lifecycle, stopping wherever "now" comes first."""

    def __init__(self, planner: _Planner, created: datetime, resolve_days: int | None, region_code: str) -> None:
        self.p, self.r, self.now = planner, planner.rng, planner.now
        self.created, self.region_code = created, region_code
        self.resolve_days = resolve_days or planner.levels.resolve_days
        self.status = Status.SUBMITTED
        self.stamps: dict[str, datetime | None] = dict.fromkeys(
            ("verified_at", "dispositioned_at", "first_follow_up_at", "resolved_at", "closed_at"))
        self.postponed_days = 0
        self.postponed_at: datetime | None = None  # still postponed: since when
        self.rating: int | None = None
        self.rating_comment: str | None = None
        self.events: list[tuple] = [(EventKind.SUBMITTED, None, Status.SUBMITTED, created, "submitter", None, None)]

    def move(self, to: Status, at: datetime, who: str, text: str | None = None) -> bool:
        if at > self.now:
            return False
        self.events.append((EventKind.STATUS_CHANGED, self.status, to, at, who, text, None))
        self.status = to
        return True

    def note(self, kind: EventKind, at: datetime, who: str, text: str | None, details: dict | None = None) -> None:
        self.events.append((kind, None, None, at, who, text, details))

    def withdraw(self, after: datetime) -> None:
        at = after + timedelta(days=self.r.uniform(0.5, 10))
        if self.move(Status.WITHDRAWN, at, "reporter" if self.r.random() < 0.7 else "admin",
                     self.r.choice(T.WITHDRAW_TEXTS)):
            self.stamps["closed_at"] = at

    def archive(self, after: datetime) -> None:
        self.move(Status.ARCHIVED, after + timedelta(days=self.r.uniform(30, 150)), "admin", T.ARCHIVE_TEXT)

    def follow_ups(self, start: datetime, end: datetime) -> None:
        for share in sorted(self.r.uniform(0.2, 0.9) for _ in range(self.r.randint(0, 2))):
            at = start + (end - start) * share
            self.note(EventKind.FOLLOW_UP, at, "agency", self.r.choice(T.FOLLOW_UP_TEXTS))

    def run(self) -> None:  # noqa: C901 - one branch per lifecycle step
        r, hours, days = self.r, (lambda h: timedelta(hours=h)), (lambda d: timedelta(days=d))
        age = (self.now - self.created).total_seconds() / 86400
        target = next(choice for limit, choice in T.TARGET_CHOICES if age < limit)(r)
        late = r.random() < 0.15
        stop = r.choice((S.SUBMITTED, S.VERIFIED, S.DISPOSITIONED, S.IN_PROGRESS)) if target is S.WITHDRAWN else None
        t = self.created
        if target is S.SUBMITTED:
            return
        if target is S.POSTPONED or r.random() < 0.05:
            paused = t + hours(r.uniform(2, 40))
            if not self.move(S.POSTPONED, paused, "admin", r.choice(T.POSTPONE_TEXTS)):
                return
            if target is S.POSTPONED:
                self.postponed_at = paused
                return
            resumed = paused + days(r.uniform(1, 8))
            if not self.move(S.SUBMITTED, resumed, "reporter", r.choice(T.ADD_DETAIL_TEXTS)):
                self.postponed_at = paused
                return
            zone = timezone_for(self.region_code)
            self.postponed_days = _calendar().working_days_between(
                paused.astimezone(zone).date(), resumed.astimezone(zone).date())
            t = resumed
        if stop is S.SUBMITTED:
            return self.withdraw(t)
        t += days(r.uniform(4, 9)) if late else hours(r.uniform(1, 60))
        if target is S.REJECTED or (target is S.ARCHIVED and r.random() < 0.3):
            if self.move(S.REJECTED, t, "admin", r.choice(T.REJECT_TEXTS)):
                self.stamps["closed_at"] = t
                if target is S.ARCHIVED:
                    self.archive(t)
            return
        if not self.move(S.VERIFIED, t, "admin", T.VERIFY_TEXT):
            return
        self.stamps["verified_at"] = t
        if target is S.VERIFIED or stop is S.VERIFIED:
            return self.withdraw(t) if stop else None
        t += hours(r.uniform(0.5, 30))
        if t > self.now:
            return
        self.note(EventKind.DISPOSITION, t, "admin", None)
        self.move(S.DISPOSITIONED, t, "admin")
        self.stamps["dispositioned_at"] = t
        if target is S.DISPOSITIONED or stop is S.DISPOSITIONED:
            return self.withdraw(t) if stop else None
        t += days(r.uniform(6, 12)) if late else hours(r.uniform(3, 100))
        if t > self.now:
            return
        self.note(EventKind.FOLLOW_UP, t, "agency", r.choice(T.FOLLOW_UP_TEXTS))
        self.move(S.IN_PROGRESS, t, "agency")
        self.stamps["first_follow_up_at"] = followed = t
        n = self.resolve_days
        span = n * 1.45 + r.uniform(2, 30) if late else r.uniform(0.25, 1.0) * n * 1.35
        resolved = max(t + hours(r.uniform(4, 72)), self.created + days(span))
        if target is S.IN_PROGRESS or stop is S.IN_PROGRESS or resolved > self.now:
            if stop:
                return self.withdraw(t)
            return self.follow_ups(followed, min(resolved, self.now))
        self.follow_ups(followed, resolved)
        self.move(S.RESOLVED, resolved, "agency", r.choice(T.RESOLVE_TEXTS))
        self.stamps["resolved_at"] = resolved
        rated_at = resolved + hours(r.uniform(2, 200)) if r.random() < 0.45 else None
        if rated_at and rated_at <= self.now:
            self.rating = T.RATING_CHOICE(r)
            self.rating_comment = r.choice(T.RATING_COMMENTS[self.rating])
            self.note(EventKind.RATING, rated_at, "reporter", self.rating_comment, {"rating": self.rating})
        auto = resolved + days(r.uniform(14, 15.5))  # 10 working days to answer, then it closes
        closed = rated_at if rated_at and target is not S.RESOLVED else auto
        if self.move(S.CLOSED, closed, "reporter" if closed == rated_at else "system",
                     None if closed == rated_at else T.CLOSE_TEXT):
            self.stamps["closed_at"] = closed
            if target is S.ARCHIVED:
                self.archive(closed)


async def _regions(session: AsyncSession, region_codes: Sequence[str] | None) -> tuple[list[tuple[str, str]], list[float]]:
    query = select(Region.code, Region.name).where(Region.level.in_((RegionLevel.REGENCY, RegionLevel.CITY)))
    rows = sorted((await session.execute(query)).all())
    if region_codes is not None:
        wanted = set(region_codes)
        rows = [row for row in rows if row[0] in wanted]
        unknown = wanted - {code for code, _ in rows}
        if unknown:
            raise ValueError(f"not regencies or cities in the store: {', '.join(sorted(unknown))}")
    if not rows:
        raise ValueError("no regencies or cities to seed complaints into; is the store migrated?")
    per_province: dict[str, int] = defaultdict(int)
    for code, _ in rows:
        per_province[province_of(code)] += 1
    weights = [
        T.PROVINCES.get(province_of(code), (0, 0, 1.0))[2] / per_province[province_of(code)]
        * (1.5 if name.startswith("Kota ") else 1.0)
        for code, name in rows
    ]
    return [(code, name) for code, name in rows], weights


async def seed_complaints(
    engine: AsyncEngine,
    *,
    count: int,
    seed: int = 2025,
    now: datetime | None = None,
    region_codes: Sequence[str] | None = None,
    levels: ServiceLevels = ServiceLevels(),  # noqa: B008 - frozen, shared safely
    progress: Callable[[int], None] | None = None,
) -> SeedSummary:
    """Add ``count`` realistic complaints (with reporters, agencies, sources, timelines) to the store."""
    started = time.perf_counter()
    now = (now or datetime.now(UTC)).astimezone(UTC)
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        regions, weights = await _regions(session, region_codes)
        codes = [code for code, _ in regions]
        agencies_created = await _create_missing_agencies(session, codes)
        agencies = await _agencies(session, codes)
        categories = dict((await session.execute(select(Category.code, Category.resolve_days))).all())
    if not categories:
        raise ValueError("no categories in the store; is it migrated?")
    planner = _Planner(seed=seed, now=now, levels=levels, regions=regions, weights=weights,
                       categories=categories, agencies=agencies)
    clock = random.Random(seed ^ 0x5EED)
    moments = sorted(now - SPAN * clock.random() ** 1.15 for _ in range(count))
    complaints = reporters = events = 0
    for start in range(0, count, BATCH_SIZE):
        plans = [planner.plan(moment) for moment in moments[start : start + BATCH_SIZE]]
        async with factory() as session, session.begin():
            reporters += await _write(session, plans)
        complaints += len(plans)
        events += sum(len(plan.events) for plan in plans)
        if progress:
            progress(complaints)
    return SeedSummary(complaints, reporters, events, agencies_created, time.perf_counter() - started)


async def _write(session: AsyncSession, plans: list[_Plan]) -> int:
    """Write one batch; return how many reporters were created."""
    by_year: dict[int, list[_Plan]] = defaultdict(list)
    for plan in plans:
        by_year[plan.row["created_at"].year].append(plan)
    for year, group in sorted(by_year.items()):
        for plan, tracking_id in zip(group, await allocate_tracking_ids(session, year, len(group)), strict=True):
            plan.row["tracking_id"] = tracking_id
    new = [plan for plan in plans if plan.new_reporter is not None]
    if new:
        rows = [{**(plan.new_reporter or {}), "created_at": plan.row["created_at"]} for plan in new]
        for plan, reporter_id in zip(new, await insert_returning_ids(session, Reporter.__table__, rows), strict=True):
            plan.reporter.id = reporter_id
    rows = [{**plan.row, "reporter_id": plan.reporter.id} for plan in plans]
    events: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    for plan, complaint_id in zip(plans, await insert_returning_ids(session, Complaint.__table__, rows), strict=True):
        row = plan.row
        events.extend({**event, "complaint_id": complaint_id} for event in plan.events)
        seen = {"complaint_id": complaint_id, "source_updated_at": row["updated_at"], "content_hash": None,
                "first_seen_at": row["created_at"], "last_seen_at": row["updated_at"]}
        sources.append({**seen, "source_system": NATIONAL_SYSTEM, "source_id": row["tracking_id"]})
        if plan.regional_source:
            local_id = row["tracking_id"].replace("LPR-", "ADU/").replace("-", "/")
            sources.append({**seen, "source_system": plan.regional_source, "source_id": local_id})
    await insert_rows(session, TimelineEvent.__table__, events)
    await insert_rows(session, ComplaintSource.__table__, sources)
    return len(new)
