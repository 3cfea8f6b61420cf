"""An Open311 GeoReport v2 server with the ``servicerequestupdates`` extension,
able to show the habits of deployed servers.

Routes (``.json`` or ``.xml``): ``GET services``, ``GET``/``POST requests``,
``GET requests/{id}``, ``GET``/``POST servicerequestupdates``; and
``GET``/``PUT /_admin/habits``. How it behaves (formats, paging, a required
jurisdiction, sparse records, which updates extension) is set by
:class:`~hub.simulators.open311.habits.Open311Habits`; the default is the
simulator the hub was first built against.

Modules: ``vocabulary`` (services, statuses), ``habits`` (what can be set),
``wire`` (JSON/XML, errors, dates, forms), ``records`` (a request and its
updates as served), ``windows`` (start_date/end_date), ``reads`` (services
and requests), ``updates`` (servicerequestupdates), ``app`` (routes, checks,
POST requests).

This package's ``__init__`` imports only the vocabulary and the habits, so the
simulator configuration can name the habits without importing the app.
"""

from __future__ import annotations

from hub.simulators.open311.habits import FLAVOURS, Open311Habits
from hub.simulators.open311.vocabulary import KEY_OF_CODE, LOCAL_STATUS, OPEN, SERVICES

__all__ = ["FLAVOURS", "KEY_OF_CODE", "LOCAL_STATUS", "OPEN", "SERVICES", "Open311Habits"]
