"""The Complaint type: the national record of one laporan as a caller may see it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from hub.domain.access import ComplaintFacts, can_see_reporter
from hub.domain.vocabulary import Role as RoleValue
from hub.resolvers.errors import BadInput
from hub.schema.types.enums import Channel, ComplaintStatus, ComplaintType, Privacy
from hub.schema.types.region import Agency, Category, Region
from hub.schema.types.timeline import ComplaintSource, Reporter, TimelineEvent
from hub.store import models
from hub.store.deadlines import breaches

HIDDEN_REPORTER = "Pelapor (dirahasiakan)"  # the reporter, identity withheld
MAX_TIMELINE = 500


@strawberry.type(description="A complaint (laporan) in the national record.")
class Complaint(relay.Node):
    id: relay.NodeID[int]
    row: strawberry.Private[models.Complaint]

    @classmethod
    def of(cls, row: models.Complaint) -> Complaint:
        return cls(id=row.id, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Complaint | None]:
        try:
            keys = [int(node_id) for node_id in node_ids]
        except ValueError:
            raise BadInput("node id does not name a complaint") from None
        rows = await info.context.loaders.complaint.load_many(keys)
        return [cls.of(row) if row else None for row in rows]

    def _facts(self) -> ComplaintFacts:
        r = self.row
        return ComplaintFacts(region_code=r.region_code, privacy=r.privacy, agency_id=r.agency_id, reporter_id=r.reporter_id)

    @strawberry.field(description="National tracking id, e.g. LPR-2025-0000123")
    def tracking_id(self) -> str:
        return self.row.tracking_id

    @strawberry.field
    def title(self) -> str:
        return self.row.title

    @strawberry.field
    def body(self) -> str:
        return self.row.body

    @strawberry.field
    def type(self) -> ComplaintType:
        return self.row.type

    @strawberry.field
    def privacy(self) -> Privacy:
        return self.row.privacy

    @strawberry.field
    def channel(self) -> Channel:
        return self.row.channel

    @strawberry.field
    def status(self) -> ComplaintStatus:
        return self.row.status

    @strawberry.field
    def address(self) -> str | None:
        return self.row.address

    @strawberry.field
    def latitude(self) -> float | None:
        return self.row.latitude

    @strawberry.field
    def longitude(self) -> float | None:
        return self.row.longitude

    @strawberry.field
    def region_code(self) -> str:
        return self.row.region_code

    @strawberry.field
    async def region(self, info: strawberry.Info) -> Region:
        return Region.of(await info.context.loaders.region.load(self.row.region_code))

    @strawberry.field
    async def agency(self, info: strawberry.Info) -> Agency | None:
        if self.row.agency_id is None:
            return None
        row = await info.context.loaders.agency.load(self.row.agency_id)
        return Agency.of(row) if row else None

    @strawberry.field
    async def category(self, info: strawberry.Info) -> Category | None:
        if self.row.category_code is None:
            return None
        row = await info.context.loaders.category.load(self.row.category_code)
        return Category.of(row) if row else None

    @strawberry.field(description="Whether the reporter's identity is withheld from you")
    def reporter_hidden(self, info: strawberry.Info) -> bool:
        return not can_see_reporter(info.context.viewer, self._facts())

    @strawberry.field(description="The reporter; null when withheld (anonymous, or not yours to see)")
    async def reporter(self, info: strawberry.Info) -> Reporter | None:
        if self.row.reporter_id is None or not can_see_reporter(info.context.viewer, self._facts()):
            return None
        row = await info.context.loaders.reporter.load(self.row.reporter_id)
        return Reporter(name=row.name, phone=row.phone, email=row.email) if row else None

    @strawberry.field
    def created_at(self) -> datetime:
        return self.row.created_at

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.row.updated_at

    @strawberry.field
    def verified_at(self) -> datetime | None:
        return self.row.verified_at

    @strawberry.field
    def dispositioned_at(self) -> datetime | None:
        return self.row.dispositioned_at

    @strawberry.field
    def first_follow_up_at(self) -> datetime | None:
        return self.row.first_follow_up_at

    @strawberry.field
    def resolved_at(self) -> datetime | None:
        return self.row.resolved_at

    @strawberry.field
    def closed_at(self) -> datetime | None:
        return self.row.closed_at

    @strawberry.field(description="Verification due: 3 working days after submission")
    def verify_due(self) -> datetime:
        return self.row.verify_due

    @strawberry.field(description="First follow-up due: 5 working days after disposition")
    def follow_up_due(self) -> datetime | None:
        return self.row.follow_up_due

    @strawberry.field(description="Resolution due: the category's period, default 60 working days")
    def resolve_due(self) -> datetime:
        return self.row.resolve_due

    @strawberry.field(description="Reporter's answer due: 10 working days after resolution")
    def answer_due(self) -> datetime | None:
        return self.row.answer_due

    @strawberry.field
    def verify_breached(self, info: strawberry.Info) -> bool:
        return breaches(self.row, info.context.now)[0]

    @strawberry.field
    def follow_up_breached(self, info: strawberry.Info) -> bool:
        return breaches(self.row, info.context.now)[1]

    @strawberry.field
    def resolve_breached(self, info: strawberry.Info) -> bool:
        return breaches(self.row, info.context.now)[2]

    @strawberry.field(description="Whether any service-level deadline is breached")
    def sla_breached(self, info: strawberry.Info) -> bool:
        return any(breaches(self.row, info.context.now))

    @strawberry.field(description="The reporter's rating, 1 to 5 stars")
    def rating(self) -> int | None:
        return self.row.rating

    @strawberry.field
    def rating_comment(self) -> str | None:
        return self.row.rating_comment

    @strawberry.field(description="Every system that holds a copy, with the complaint's id there")
    async def sources(self, info: strawberry.Info) -> list[ComplaintSource]:
        return [ComplaintSource.of(row) for row in await info.context.loaders.sources.load(self.row.id)]

    @strawberry.field(description="Events oldest first; `last: N` gives only the latest N")
    async def timeline(self, info: strawberry.Info, last: int | None = None) -> list[TimelineEvent]:
        if last is not None and not 1 <= last <= MAX_TIMELINE:
            raise BadInput(f"`last` must be between 1 and {MAX_TIMELINE}, got {last}", field="last")
        loaders = info.context.loaders
        rows = await (loaders.recent_events(last) if last else loaders.timeline).load(self.row.id)
        hide = not can_see_reporter(info.context.viewer, self._facts())
        return [
            TimelineEvent.of(row, actor=HIDDEN_REPORTER if hide and row.actor_role is RoleValue.REPORTER else None)
            for row in rows
        ]
