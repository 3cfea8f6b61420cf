"""A custom JSON REST complaint app ("SIPADU"-style), in Indonesian, with the
habits of the regional apps that really exist (:mod:`hub.simulators.habits`).

- :mod:`.vocabulary`: its words for statuses, categories, dates, yes/no and privacy;
- :mod:`.render`: a complaint as its API and its ground truth show it;
- :mod:`.paging`: page numbers, offset/limit, a cursor token, a ``Link`` header, or none;
- :mod:`.auth`: an ``X-API-Key`` header, a bearer token, basic auth or ``?api_key=``;
- :mod:`.writes`: submissions, follow-ups and status changes in the ``sipadu`` or ``aduan`` dialect;
- :mod:`.app`: the routes.

Timestamps are ``DD/MM/YYYY HH:MM:SS`` local time, with the zone named in
``zona_waktu``. See ``docs/simulators.md``.
"""

from __future__ import annotations

from hub.simulators.rest.app import RestApp
from hub.simulators.rest.vocabulary import CATEGORY, CATEGORY_KEY, DATE_FORMAT, STAGE_OF_STATUS, STATUS

__all__ = ["CATEGORY", "CATEGORY_KEY", "DATE_FORMAT", "STAGE_OF_STATUS", "STATUS", "RestApp"]
