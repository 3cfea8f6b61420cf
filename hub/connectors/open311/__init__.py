"""Open311 GeoReport v2: the connector (:mod:`.connector`), its options, the
wire formats, the date windows of servers that do not page, and push
(:mod:`.push`)."""

from __future__ import annotations

from hub.connectors.open311.connector import KEPT_FIELDS, Open311Connector, prepared, title_of
from hub.connectors.open311.options import POSTED_STATUS, Open311Options

__all__ = ["KEPT_FIELDS", "POSTED_STATUS", "Open311Connector", "Open311Options", "prepared", "title_of"]
