"""Regions (provinsi, kabupaten, kota) and their agencies and categories."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
import strawberry.federation
from strawberry import relay

from hub.domain.regions import zone_abbreviation
from hub.schema.periods import RESOLVE_DAYS
from hub.schema.types.enums import RegionLevel
from hub.store import models
from hub.store.read_rows import AgencyRow, CategoryRow, RegionRow


@strawberry.federation.type(keys=["code"], description="A province (provinsi), regency (kabupaten) or city (kota) by its Kemendagri code.")
class Region(relay.Node):
    key: relay.NodeID[str]
    code: str = strawberry.field(description="Kemendagri code, e.g. 61.71")
    name: str = strawberry.field(description="The region's name, e.g. Kota Pontianak")
    level: RegionLevel = strawberry.field(description="Province, regency or city")
    parent_code: str | None = strawberry.field(
        description="The province's code for a regency or city; null for a province")
    row: strawberry.Private[models.Region | RegionRow]

    @classmethod
    def of(cls, row: models.Region | RegionRow) -> Region:
        return cls(key=row.code, code=row.code, name=row.name, level=row.level, parent_code=row.parent_code, row=row)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # one signature for relay's overloads
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Region | None]:
        rows = await info.context.loaders.region.load_many(list(node_ids))
        return [cls.of(row) if row else None for row in rows]

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, code: str) -> Region | None:
        """A federation reference by Kemendagri code (regions are public reference data)."""
        row = await info.context.loaders.region.load(code)
        return cls.of(row) if row else None

    @strawberry.field(description="WIB, WITA or WIT")
    def time_zone(self) -> str:
        return zone_abbreviation(self.code)

    @strawberry.field(description="The province a regency or city lies in; null for a province")
    def parent(self, info: strawberry.Info) -> Region | None:
        if self.parent_code is None:
            return None
        fetched = getattr(self.row, "parent", None)  # read with a page of complaints
        if fetched is not None:
            return Region.of(fetched)
        return self._parent(info)  # type: ignore[return-value]  # strawberry awaits what a resolver returns

    async def _parent(self, info: strawberry.Info) -> Region | None:
        assert self.parent_code is not None
        row = await info.context.loaders.region.load(self.parent_code)
        return Region.of(row) if row else None

    @strawberry.field(description="The regencies and cities of a province; empty for a regency or city")
    async def children(self, info: strawberry.Info) -> list[Region]:
        rows = await info.context.loaders.region_children.load(self.code)
        return [Region.of(row) for row in rows]


@strawberry.type(description="A government agency (instansi / OPD) that handles complaints.")
class Agency(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="The agency's full name")
    short_name: str | None = strawberry.field(description="Its abbreviation, e.g. DPUPR; null when it has none")
    region_code: str = strawberry.field(description="Kemendagri code of the region it serves")

    @classmethod
    def of(cls, row: models.Agency | AgencyRow) -> Agency:
        return cls(id=row.id, name=row.name, short_name=row.short_name, region_code=row.region_code)

    @strawberry.field(description="The region it serves")
    async def region(self, info: strawberry.Info) -> Region:
        return Region.of(await info.context.loaders.region.load(self.region_code))


@strawberry.type(description="A national complaint category (kategori).")
class Category:
    code: str = strawberry.field(description="The national category code")
    name: str = strawberry.field(description="The category's name")
    resolve_days: int | None = strawberry.field(
        description=f"Working days to resolve; null means the national default, {RESOLVE_DAYS}"
    )

    @classmethod
    def of(cls, row: models.Category | CategoryRow) -> Category:
        return cls(code=row.code, name=row.name, resolve_days=row.resolve_days)
