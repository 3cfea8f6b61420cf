"""Generic JSON REST connector (``connector = "rest"``).

- :mod:`.options`: the region file's ``options`` for a REST app;
- :mod:`.paging`: paging styles (page, offset, cursor token, ``Link`` header, none) and order;
- :mod:`.auth`: header key, bearer token, basic auth, query-string key;
- :mod:`.bodies`: push bodies from the region's templates;
- :mod:`.connector`: :class:`RestConnector`, the wire client.

See ``docs/regions.md`` for the options with their defaults.
"""

from __future__ import annotations

from hub.connectors.rest.bodies import SUBMISSION_FIELDS, submission_fields
from hub.connectors.rest.connector import RestConnector
from hub.connectors.rest.options import RestOptions

__all__ = ["SUBMISSION_FIELDS", "RestConnector", "RestOptions", "submission_fields"]
