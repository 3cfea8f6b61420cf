"""The REST app's routes: the listing and one record, the writes, and the
habits in force (``GET``/``PUT /_admin/habits``, never faulted or guarded).

- ``GET /api/v1/laporan?updated_since=DD/MM/YYYY HH:MM:SS`` plus the paging
  parameters of the ``paging`` habit (:mod:`.paging`): records updated at or
  after ``updated_since`` (local time, the region's zone), ordered by update
  time then id, oldest first or newest first as the ``order`` habit says;
- ``GET /api/v1/laporan/{id}``;
- the writes of the ``dialect`` habit (:mod:`.writes`).

Every call must carry the credentials of the ``auth`` habit (:mod:`.auth`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.simulators.rest.auth import refusal
from hub.simulators.rest.paging import Query, listing
from hub.simulators.rest.render import Renderer
from hub.simulators.rest.vocabulary import DATE_FORMAT
from hub.simulators.rest.writes import Writes
from hub.simulators.state import SimulatorState
from hub.simulators.store import SimComplaint, iso


class RestApp:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state
        self.habits = state.config.habits
        self.renderer = Renderer(state.config.region_code)
        self.writes = Writes(self)

    def render(self, c: SimComplaint) -> dict[str, Any]:
        return self.renderer.record(c, self.habits)

    def served(self, c: SimComplaint) -> dict[str, Any]:
        return self.renderer.served(c, self.habits, self.state.faults.malformation(c.id))

    def ground_truth_record(self, c: SimComplaint) -> dict[str, Any]:
        return self.renderer.ground_truth(c, self.habits)

    def refusal(self, request: Request) -> JSONResponse | None:
        return refusal(self.habits.auth, self.state.config, request)

    # -- routes ---------------------------------------------------------
    async def index(self, request: Request) -> Response:
        if denied := self.refusal(request):
            return denied
        since = None
        if raw := request.query_params.get("updated_since"):
            try:
                since = datetime.strptime(raw, DATE_FORMAT).replace(tzinfo=self.renderer.zone)
            except ValueError:
                return JSONResponse({"error": f"updated_since harus berformat DD/MM/YYYY HH:MM:SS, bukan {raw!r}"}, status_code=422)
        query = Query(since=iso(since) if since else None, newest_first=self.habits.order == "newest",
                      repeat=self.state.faults.config.repeat_across_pages)
        try:
            found = listing(self.habits.paging, request.query_params, request.url, self.state.store, query)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=422)
        return JSONResponse({"data": [self.served(c) for c in found.records], **found.body}, headers=found.headers)

    async def detail(self, request: Request) -> Response:
        if denied := self.refusal(request):
            return denied
        complaint = self.state.store.get(int(request.path_params["id"]))
        if complaint is None:
            return JSONResponse({"error": "laporan tidak ditemukan"}, status_code=404)
        return JSONResponse(self.served(complaint))

    async def admin_habits(self, request: Request) -> Response:
        """``GET``: the habits in force; ``PUT``: merge the given ones (an app upgraded or reconfigured)."""
        if request.method == "PUT":
            try:
                changes = await request.json()
                if not isinstance(changes, dict):
                    raise ValueError("send a JSON object of habits")
                self.habits = self.habits.merged(changes)
            except (ValueError, TypeError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=422)
        return JSONResponse(self.habits.to_dict())

    def routes(self) -> list[Route]:
        return [
            Route("/api/v1/laporan", self.index, methods=["GET"]),
            Route("/api/v1/laporan", self.writes.create, methods=["POST"]),
            Route("/api/v1/laporan/{id:int}", self.detail, methods=["GET"]),
            Route("/api/v1/laporan/{id:int}", self.writes.change_status, methods=["PATCH"]),
            Route("/api/v1/laporan/{id:int}/tanggapan", self.writes.follow_up, methods=["POST"]),
            Route("/_admin/habits", self.admin_habits, methods=["GET", "PUT"]),
        ]
