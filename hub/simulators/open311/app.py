"""The Open311 simulator's routes: each call checked for its format and
jurisdiction, then handed to :mod:`~hub.simulators.open311.reads`,
:mod:`~hub.simulators.open311.updates` or :meth:`Open311App.create`.

Every error, including an unknown path or a method a path does not take,
answers in the spec's format (``errors`` / ``error`` with ``code`` and
``description``) in the format asked for, or in XML when the server speaks
only XML.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.domain.regions import timezone_for
from hub.simulators.open311 import reads, updates
from hub.simulators.open311.habits import Open311Habits
from hub.simulators.open311.records import Renderer
from hub.simulators.open311.vocabulary import KEY_OF_CODE
from hub.simulators.open311.wire import FORMATS, Call, Open311Error, answer, error
from hub.simulators.state import SimulatorState
from hub.simulators.store import SimComplaint

Handler = Callable[["Open311App", Call], Awaitable[Response]]
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


class Open311App:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state
        self.zone = timezone_for(state.config.region_code)
        region = state.generator.region_name.lower().replace("kabupaten ", "").replace("kota ", "").replace(" ", "")
        self.own_jurisdiction = f"{region}.go.id"
        self.habits: Open311Habits = state.config.open311
        self.renderer = Renderer(seed=state.config.seed, region_code=state.config.region_code, zone=self.zone,
                                 jurisdiction=self.own_jurisdiction)

    @property
    def default_format(self) -> str:
        return "xml" if self.habits.formats == "xml" else "json"

    def ground_truth_record(self, c: SimComplaint) -> dict[str, Any]:
        return self.renderer.ground_truth(c, self.habits)

    # -- every call -----------------------------------------------------
    def _check_jurisdiction(self, call: Call) -> None:
        given = call.param("jurisdiction_id")
        required = self.habits.jurisdiction_id
        if required and given is None:
            raise Open311Error(400, f"jurisdiction_id was not provided (this server serves {required})")
        if given is not None and given != (required or self.own_jurisdiction):
            raise Open311Error(404, f"jurisdiction_id {given} was not found (this server serves {required or self.own_jurisdiction})")

    async def dispatch(self, request: Request, handler: Handler, methods: tuple[str, ...]) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in FORMATS:
            return error(self.default_format, 400, f"format .{fmt} is not supported; use .xml"
                         + (" or .json" if self.habits.formats != "xml" else ""))
        if fmt == "json" and self.habits.formats == "xml":
            return error("xml", 404, f"{request.url.path} was not found: this server answers in XML only, use .xml")
        if request.method not in methods and not (request.method == "HEAD" and "GET" in methods):
            return error(fmt, 405, f"{request.method} is not allowed on {request.url.path}", {"allow": ", ".join(methods)})
        try:
            call = await Call.read(request, fmt)
            self._check_jurisdiction(call)
            return await handler(self, call)
        except Open311Error as exc:
            return error(fmt, exc.code, exc.description, exc.headers)

    async def not_found(self, request: Request) -> Response:
        path = request.url.path
        fmt = next((f for f in FORMATS if path.endswith(f".{f}")), self.default_format)
        if fmt == "json" and self.habits.formats == "xml":
            fmt = "xml"
        return error(fmt, 404, f"{path} is not a resource of this server")

    # -- POST requests ----------------------------------------------------
    async def create(self, call: Call) -> Response:
        form = call.form
        if form.get("api_key") != self.state.config.api_key:
            raise Open311Error(403, "api_key is missing or not valid")
        code = str(form.get("service_code") or "")
        if code not in KEY_OF_CODE:
            raise Open311Error(400, f"service_code {code!r} is not one of {', '.join(KEY_OF_CODE)}")
        description = str(form.get("description") or "").strip()
        if not description:
            raise Open311Error(400, "description is required")
        key = call.request.headers.get("idempotency-key") or form.get("attribute[lapor_tracking_id]")
        if key and (seen := self.state.store.remembered(f"open311:{key}")):
            return answer(call.fmt, "service_requests", "request",
                          [{"service_request_id": seen[2], "service_notice": "sudah diterima"}], 201)
        try:
            lat = float(form["lat"]) if form.get("lat") else None
            lng = float(form["long"]) if form.get("long") else None
        except ValueError:
            raise Open311Error(400, "lat and long must be decimal degrees") from None
        title, _, body = description.partition("\n")
        complaint = self.state.create(
            title=title[:200], body=body or description, category=KEY_OF_CODE[code],
            reporter={"nama": " ".join(str(form.get(k) or "") for k in ("first_name", "last_name")).strip() or None,
                      "telepon": form.get("phone"), "email": form.get("email"), "anonim": not form.get("first_name")},
            location={"alamat": form.get("address_string"), "kelurahan": None, "kecamatan": None,
                      "kabupaten": self.state.generator.region_name, "lat": lat, "lng": lng},
            tracking_id=str(form.get("attribute[lapor_tracking_id]") or "") or None,
            media_url=form.get("media_url") or None,
        )
        if key:
            self.state.store.remember(f"open311:{key}", "-", 201, str(complaint.id))
        return answer(call.fmt, "service_requests", "request",
                      [{"service_request_id": str(complaint.id), "service_notice": "Laporan diterima", "account_id": None}], 201)

    async def requests(self, call: Call) -> Response:
        if call.request.method == "POST":
            return await self.create(call)
        return await reads.list_requests(self, call)

    # -- runtime habits (an admin endpoint: never faulted) -------------------
    async def habits_endpoint(self, request: Request) -> JSONResponse:
        if request.method == "PUT":
            try:
                changes = await request.json()
                if not isinstance(changes, dict):
                    raise ValueError("send a JSON object of habit fields")
                self.habits = self.habits.merged(changes)
            except (ValueError, TypeError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=422)
        return JSONResponse(self.habits.to_dict())

    def routes(self) -> list[Route]:
        def route(path: str, handler: Handler, methods: tuple[str, ...]) -> Route:
            async def endpoint(request: Request) -> Response:
                return await self.dispatch(request, handler, methods)

            return Route(path, endpoint, methods=_METHODS)

        return [
            route("/services.{fmt}", reads.services, ("GET",)),
            route("/requests.{fmt}", lambda app, call: app.requests(call), ("GET", "POST")),
            route("/requests/{id}.{fmt}", reads.one_request, ("GET",)),
            route("/servicerequestupdates.{fmt}", lambda app, call: (
                updates.post_update(app, call) if call.request.method == "POST" else updates.list_updates(app, call)),
                ("GET", "POST")),
            Route("/_admin/habits", self.habits_endpoint, methods=["GET", "PUT"]),
        ]

    def fallback_routes(self) -> list[Route]:
        """Matched after every other route (the admin ones too): an unknown path answers the spec's 404."""
        return [Route("/{path:path}", self.not_found, methods=_METHODS)]
