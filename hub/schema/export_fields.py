"""Exports of the complaint list (merged into the Query type in hub.schema.build)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.resolvers import complaints as complaint_resolvers
from hub.resolvers import exports
from hub.schema.types.inputs import ComplaintFilterInput

ExportFormat = exports.ExportFormat
strawberry.enum(ExportFormat, name="ExportFormat",
                               description="CSV (UTF-8, any size) or XLSX (Excel, up to 1,048,575 rows)")


@strawberry.type(description="A short-lived link to a file of the complaints a filter selects")
class ExportLink:
    url: str = strawberry.field(description="Open it in a browser or fetch it; no header needed")
    format: ExportFormat = strawberry.field(description="The file's format")
    expires_at: datetime = strawberry.field(description="The link stops working at this moment")


@strawberry.type
class ExportQuery:
    @strawberry.field(description="A link to every complaint the filter selects within your scope, as a file "
                                  "(staff only); columns are headed in Indonesian and English; rows in the "
                                  "list's default order: best match first when `filter.text` is given, else "
                                  "newest first")
    async def complaints_export(self, info: strawberry.Info, filter: ComplaintFilterInput | None = None,
                                format: ExportFormat = exports.ExportFormat.CSV) -> ExportLink:
        ctx = info.context
        where = await complaint_resolvers.build_filter(ctx, **(dict(vars(filter)) if filter else {}))
        url, expires = exports.export_link(ctx, where, exports.ExportFormat(format))
        return ExportLink(url=url, format=format, expires_at=expires)
