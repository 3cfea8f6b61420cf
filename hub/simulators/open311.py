"""An Open311 GeoReport v2 server with the ``servicerequestupdates`` extension.

Routes (``.json`` or ``.xml``): ``services``, ``services/{code}``,
``requests`` (GET, POST), ``requests/{id}``, ``servicerequestupdates``.
Errors use the spec's format (a list of ``{code, description}``).

Beyond the spec, for incremental reading: ``GET requests`` also takes
``updated_after`` (ISO 8601; records updated at or after it, ordered by
``updated_datetime`` then id) with ``page`` and ``page_size``;
``servicerequestupdates`` takes ``service_request_id`` (comma-separated).
Each request carries ``local_status`` (the app's finer status word) and
``lapor_tracking_id`` (the national id, when the hub created it; POST it as
``attribute[lapor_tracking_id]``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl
from xml.etree import ElementTree

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.domain.regions import timezone_for
from hub.simulators.state import SimulatorState
from hub.simulators.store import SimComplaint, iso, parse_iso

LOCAL_STATUS = {"new": "baru", "verified": "diverifikasi", "in_progress": "dikerjakan", "done": "selesai",
                "rejected": "ditolak", "withdrawn": "dicabut"}
OPEN = {"new", "verified", "in_progress"}
SERVICES = {"road": ("JLN", "Jalan dan Jembatan"), "waste": ("SMP", "Sampah dan Kebersihan"),
            "water": ("AIR", "Air Bersih dan Drainase"), "light": ("PJU", "Penerangan Jalan Umum"),
            "health": ("KES", "Layanan Kesehatan"), "school": ("PDK", "Pendidikan"),
            "idcard": ("DUK", "Kependudukan dan Catatan Sipil"), "welfare": ("SOS", "Bantuan Sosial"),
            "order": ("TIB", "Ketertiban Umum"), "other": ("LAIN", "Lain-lain")}
KEY_OF_CODE = {code: key for key, (code, _) in SERVICES.items()}


class Open311Error(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def _xml(root_tag: str, item_tag: str, items: list[dict[str, Any]]) -> bytes:
    root = ElementTree.Element(root_tag)
    for item in items:
        element = ElementTree.SubElement(root, item_tag)
        for key, value in item.items():
            child = ElementTree.SubElement(element, key)
            child.text = "" if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
    return b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(root, encoding="utf-8")


def answer(fmt: str, root_tag: str, item_tag: str, items: list[dict[str, Any]], status: int = 200) -> Response:
    if fmt == "xml":
        return Response(_xml(root_tag, item_tag, items), status_code=status, media_type="text/xml; charset=utf-8")
    return JSONResponse(items, status_code=status)


def error(fmt: str, code: int, description: str) -> Response:
    return answer(fmt, "errors", "error", [{"code": code, "description": description}], status=code)


def parse_time(raw: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise Open311Error(400, f"{name} must be a W3C date-time such as 2026-10-05T08:00:00+07:00") from None
    if moment.tzinfo is None:
        raise Open311Error(400, f"{name} must carry a UTC offset")
    return moment


class Open311App:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state
        self.zone = timezone_for(state.config.region_code)
        region = state.generator.region_name.lower().replace("kabupaten ", "").replace("kota ", "").replace(" ", "")
        self.jurisdiction = f"{region}.go.id"

    def stamp(self, text: str) -> str:
        return parse_iso(text).astimezone(self.zone).isoformat(timespec="seconds")

    def render(self, c: SimComplaint) -> dict[str, Any]:
        code, name = SERVICES[c.category]
        return {
            "service_request_id": str(c.id),
            "status": "open" if c.stage in OPEN else "closed",
            "local_status": LOCAL_STATUS[c.stage],
            "status_notes": c.updates[-1].text if c.updates else None,
            "service_name": name,
            "service_code": code,
            "description": f"{c.title}\n{c.body}",
            "agency_responsible": c.updates[-1].author if c.updates else None,
            "requested_datetime": self.stamp(c.created_at),
            "updated_datetime": self.stamp(c.updated_at),
            "address": ", ".join(str(v) for v in (c.location.get("alamat"), c.location.get("kelurahan"),
                                                   c.location.get("kecamatan")) if v),
            "lat": c.location.get("lat"),
            "long": c.location.get("lng"),
            "first_name": None if c.reporter.get("anonim") else c.reporter.get("nama"),
            "phone": None if c.reporter.get("anonim") else c.reporter.get("telepon"),
            "email": None if c.reporter.get("anonim") else c.reporter.get("email"),
            "lapor_tracking_id": c.tracking_id,
        }

    def render_updates(self, c: SimComplaint) -> list[dict[str, Any]]:
        return [
            {"update_id": str(u.id), "service_request_id": str(c.id), "status": "open" if u.stage in OPEN else "closed",
             "local_status": LOCAL_STATUS[u.stage], "updated_datetime": self.stamp(u.at), "description": u.text,
             "author": u.author, "media_url": None}
            for u in c.updates
        ]

    def served(self, c: SimComplaint) -> dict[str, Any]:
        record = self.render(c)
        match self.state.faults.malformation(c.id):
            case "missing_field":
                del record["description"]
            case "bad_date":
                record["updated_datetime"] = "2026-13-45T99:00:00"
            case "unknown_status":
                record["local_status"] = "ditinjau-ulang"
            case "bad_encoding":
                record["description"] = record["description"].encode("utf-8").decode("latin-1") + "\ufffd"
        return record

    def ground_truth_record(self, c: SimComplaint) -> dict[str, Any]:
        return {**self.render(c), "updates": self.render_updates(c)}

    # -- routes ---------------------------------------------------------
    def _check_jurisdiction(self, request: Request) -> None:
        given = request.query_params.get("jurisdiction_id")
        if given and given != self.jurisdiction:
            raise Open311Error(404, f"jurisdiction_id {given} is not served here (this is {self.jurisdiction})")

    async def dispatch(self, request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in ("json", "xml"):
            return error("json", 400, f"format .{fmt} is not supported; use .json or .xml")
        try:
            self._check_jurisdiction(request)
            return await request.scope["endpoint_handler"](request, fmt)
        except Open311Error as exc:
            return error(fmt, exc.code, exc.description)

    async def services(self, request: Request, fmt: str) -> Response:
        items = [{"service_code": code, "service_name": name, "description": name, "metadata": False,
                  "type": "realtime", "keywords": "", "group": "Pengaduan"} for code, name in SERVICES.values()]
        return answer(fmt, "services", "service", items)

    async def requests(self, request: Request, fmt: str) -> Response:
        if request.method == "POST":
            return await self.create(request, fmt)
        q = request.query_params
        if ids := q.get("service_request_id"):
            found = [self.state.store.get(int(i)) for i in ids.split(",") if i.strip().isdigit()]
            return answer(fmt, "service_requests", "request", [self.served(c) for c in found if c])
        try:
            page = int(q.get("page", "1"))
            size = int(q.get("page_size", "50"))
            if page < 1 or not 1 <= size <= 1000:
                raise ValueError
        except ValueError:
            raise Open311Error(400, "page must be >= 1 and page_size between 1 and 1000") from None
        since = iso(parse_time(q["updated_after"], "updated_after")) if q.get("updated_after") else None
        repeat = self.state.faults.config.repeat_across_pages and page > 1
        offset = (page - 1) * size
        records, _ = self.state.store.page(since=since, offset=offset - 1 if repeat else offset,
                                           limit=size + 1 if repeat else size)
        start = parse_time(q["start_date"], "start_date") if q.get("start_date") else None
        end = parse_time(q["end_date"], "end_date") if q.get("end_date") else None
        status = q.get("status")
        if status and status not in ("open", "closed"):
            raise Open311Error(400, "status must be open or closed")
        chosen = [
            c for c in records
            if (start is None or parse_iso(c.created_at) >= start) and (end is None or parse_iso(c.created_at) < end)
            and (status is None or (c.stage in OPEN) == (status == "open"))
        ]
        return answer(fmt, "service_requests", "request", [self.served(c) for c in chosen])

    async def one(self, request: Request, fmt: str) -> Response:
        raw = request.path_params["id"]
        complaint = self.state.store.get(int(raw)) if raw.isdigit() else None
        if complaint is None:
            raise Open311Error(404, f"service request {raw} not found")
        return answer(fmt, "service_requests", "request", [self.served(complaint)])

    async def updates(self, request: Request, fmt: str) -> Response:
        q = request.query_params
        start = parse_time(q["start_date"], "start_date") if q.get("start_date") else None
        end = parse_time(q["end_date"], "end_date") if q.get("end_date") else None
        if ids := q.get("service_request_id"):
            complaints = [c for c in (self.state.store.get(int(i)) for i in ids.split(",") if i.strip().isdigit()) if c]
        else:
            complaints, _ = self.state.store.page(since=iso(start) if start else None, offset=0, limit=10_000)
        items = [
            u for c in complaints for u in self.render_updates(c)
            if (start is None or datetime.fromisoformat(u["updated_datetime"]) >= start)
            and (end is None or datetime.fromisoformat(u["updated_datetime"]) < end)
        ]
        items.sort(key=lambda u: (u["updated_datetime"], int(u["update_id"])))
        return answer(fmt, "service_request_updates", "request_update", items)

    async def create(self, request: Request, fmt: str) -> Response:
        # GeoReport v2 posts application/x-www-form-urlencoded; parsed here so
        # the simulator needs no multipart parser.
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
        if form.get("api_key") != self.state.config.api_key:
            raise Open311Error(403, "api_key is missing or not valid")
        code = str(form.get("service_code") or "")
        if code not in KEY_OF_CODE:
            raise Open311Error(400, f"service_code {code!r} is not one of {', '.join(KEY_OF_CODE)}")
        description = str(form.get("description") or "").strip()
        if not description:
            raise Open311Error(400, "description is required")
        key = request.headers.get("idempotency-key") or form.get("attribute[lapor_tracking_id]")
        if key and (seen := self.state.store.remembered(f"open311:{key}")):
            return answer(fmt, "service_requests", "request", [{"service_request_id": seen[2], "service_notice": "sudah diterima"}], 201)
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
                      "kabupaten": self.state.generator.region_name,
                      "lat": lat, "lng": lng},
            tracking_id=str(form.get("attribute[lapor_tracking_id]") or "") or None,
        )
        if key:
            self.state.store.remember(f"open311:{key}", "-", 201, str(complaint.id))
        return answer(fmt, "service_requests", "request",
                      [{"service_request_id": str(complaint.id), "service_notice": "Laporan diterima", "account_id": None}], 201)

    def routes(self) -> list[Route]:
        def route(path: str, handler: Any, methods: list[str]) -> Route:
            async def endpoint(request: Request) -> Response:
                request.scope["endpoint_handler"] = handler
                return await self.dispatch(request)

            return Route(path, endpoint, methods=methods)

        return [
            route("/services.{fmt}", self.services, ["GET"]),
            route("/requests.{fmt}", self.requests, ["GET", "POST"]),
            route("/requests/{id}.{fmt}", self.one, ["GET"]),
            route("/servicerequestupdates.{fmt}", self.updates, ["GET"]),
        ]
