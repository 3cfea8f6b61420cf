"""Runnable stand-ins for the regional complaint apps the hub speaks to.

Three protocol families, each a real ASGI app with its own storage and its
own vocabulary (not the hub's), seeded with realistic Indonesian data:

- ``rest``: a custom JSON REST app ("SIPADU"-style) with Indonesian field
  names, day-first local timestamps and ``updated_since``, and switchable
  habits of its real cousins (:mod:`hub.simulators.habits`: paging, order,
  auth, yes/no words, privacy marks, write dialect);
- ``open311``: an Open311 GeoReport v2 server with ``servicerequestupdates``,
  able to take on the habits of deployed servers (:mod:`hub.simulators.open311.habits`);
- ``csv``: a read-only CSV export over HTTP.

All three can misbehave on demand (:mod:`hub.simulators.faults`), show live
activity, and expose their ground truth at ``/_admin/ground-truth``. See
``docs/simulators.md``.
"""

from __future__ import annotations

from hub.simulators.apps import create_app
from hub.simulators.config import SimulatorConfig
from hub.simulators.faults import FaultConfig

__all__ = ["FaultConfig", "SimulatorConfig", "create_app"]
