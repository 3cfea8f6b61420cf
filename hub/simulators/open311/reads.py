"""``GET services``, ``GET requests`` and ``GET requests/{id}``.

``GET requests`` takes the spec's ``service_request_id`` (comma-separated;
overrides every other argument), ``service_code`` and ``status`` (both
comma-separated), ``start_date`` and ``end_date`` (on ``requested_datetime``,
see :mod:`hub.simulators.open311.windows`). Every filter is applied before
an answer is cut to size. Then, by the ``paging`` habit:

- ``extension``: ``updated_after`` (inclusive), ``page`` and ``page_size``
  (default 50, at most 1000), ordered by ``updated_datetime`` then id;
- ``none``: ``page``, ``page_size`` and ``updated_after`` are ignored; the
  window defaults to the last ``window_days`` and may not be wider; the
  newest ``cap`` requests by ``requested_datetime`` are served, newest first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from hub.simulators.open311.vocabulary import KEY_OF_CODE, OPEN, SERVICES
from hub.simulators.open311.windows import bounded_window, given_window
from hub.simulators.open311.wire import Call, Open311Error, answer, parse_time
from hub.simulators.store import STAGES, SimComplaint, iso

if TYPE_CHECKING:
    from hub.simulators.open311.app import Open311App


def served(app: Open311App, c: SimComplaint) -> dict[str, Any]:
    """A request as served: the rendering, broken the way the malformed-records fault says, if at all."""
    record = app.renderer.request(c, app.habits)
    match app.state.faults.malformation(c.id):
        case "missing_field":
            record.pop("description", None)
        case "bad_date":
            record["updated_datetime"] = "2026-13-45T99:00:00"
        case "unknown_status":
            record["local_status"] = "ditinjau-ulang"
        case "bad_encoding":
            if record.get("description"):
                record["description"] = record["description"].encode("utf-8").decode("latin-1") + "\ufffd"
            else:
                record["service_name"] = record["service_name"].encode("utf-8").decode("latin-1") + "\ufffd"
    return record


def _ids(raw: str) -> list[int]:
    return [int(i) for i in raw.split(",") if i.strip().isdigit()]


def _stages(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    words = {w.strip() for w in raw.split(",") if w.strip()}
    if not words or not words <= {"open", "closed"}:
        raise Open311Error(400, f"status must be open, closed or both (comma-separated), not {raw!r}")
    return [s for s in STAGES if ("open" if s in OPEN else "closed") in words]


def _categories(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    return [KEY_OF_CODE[code.strip()] for code in raw.split(",") if code.strip() in KEY_OF_CODE]


async def services(app: Open311App, call: Call) -> Response:
    items = [{"service_code": code, "service_name": name, "description": name, "metadata": False,
              "type": "realtime", "keywords": "", "group": "Pengaduan"} for code, name in SERVICES.values()]
    return answer(call.fmt, "services", "service", items)


def _shown(app: Open311App, complaints: list[SimComplaint]) -> list[dict[str, Any]]:
    hidden = app.habits.hidden_requests
    return [served(app, c) for c in complaints if c.id not in hidden]


async def list_requests(app: Open311App, call: Call) -> Response:
    store = app.state.store
    if ids := call.param("service_request_id"):
        return answer(call.fmt, "service_requests", "request", _shown(app, store.get_many(_ids(ids))))
    stages, categories = _stages(call.param("status")), _categories(call.param("service_code"))
    if app.habits.paging == "none":
        window = bounded_window(call, now=app.state.now(), days=app.habits.window_days)
        records, _ = store.query(created_from=window.first_second, created_to=window.last_second, stages=stages,
                                 categories=categories, order="newest_requested", limit=app.habits.cap)
        return answer(call.fmt, "service_requests", "request", _shown(app, records))
    try:
        page = int(call.param("page") or "1")
        size = int(call.param("page_size") or "50")
        if page < 1 or not 1 <= size <= 1000:
            raise ValueError
    except ValueError:
        raise Open311Error(400, "page must be >= 1 and page_size between 1 and 1000") from None
    window = given_window(call)
    since = iso(parse_time(raw, "updated_after")) if (raw := call.param("updated_after")) else None
    repeat = app.state.faults.config.repeat_across_pages and page > 1
    offset = (page - 1) * size
    records, _ = store.query(since=since, created_from=window.first_second, created_to=window.last_second,
                             stages=stages, categories=categories,
                             offset=offset - 1 if repeat else offset, limit=size + 1 if repeat else size)
    return answer(call.fmt, "service_requests", "request", _shown(app, records))


async def one_request(app: Open311App, call: Call) -> Response:
    raw = call.request.path_params["id"]
    complaint = app.state.store.get(int(raw)) if raw.isdigit() else None
    if complaint is None or complaint.id in app.habits.hidden_requests:
        raise Open311Error(404, f"service request {raw} not found")
    return answer(call.fmt, "service_requests", "request", [served(app, complaint)])
