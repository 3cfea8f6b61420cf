"""``servicerequestupdates``: status changes and comments on requests.

By the ``updates`` habit:

- ``absent``: the server has no such endpoint; every call answers 404;
- ``read``: ``GET`` with ``service_request_id`` (comma-separated) and/or
  ``start_date`` / ``end_date``; each update carries ``status`` (open /
  closed), ``local_status``, ``author`` and ``media_url``; ``POST`` answers 405;
- ``mysociety``: the extension FixMyStreet and open311-adapter speak.
  ``GET`` takes ``start_date`` / ``end_date`` (default: the last
  ``window_days``; ``service_request_id`` is not one of its parameters and is
  ignored) and serves ``update_id``, ``service_request_id``, ``status`` (an
  extended status in lower case: ``fixed``, ``action_scheduled``, ...),
  ``description``, ``media_url``, ``updated_datetime`` and
  ``external_status_code``. ``POST`` takes ``api_key``,
  ``service_request_id``, ``update_id`` (the client's own id for the
  update), ``updated_datetime``, ``status`` (``OPEN``, ``CLOSED``,
  ``FIXED``, ``IN_PROGRESS``, ``ACTION_SCHEDULED``, ...), ``description``,
  and optionally ``first_name``, ``last_name``, ``email``, ``media_url``; it
  records the update at the server's own time, moves the request to the
  posted status, and answers the update's id in
  ``service_request_updates`` / ``request_update``. The same ``update_id``
  posted to the same request again answers the same id and records nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import Response

from hub.simulators.open311.vocabulary import EXTENDED_STATUSES, stage_after_post
from hub.simulators.open311.windows import bounded_window, given_window
from hub.simulators.open311.wire import Call, Open311Error, answer, parse_time
from hub.simulators.store import parse_iso

if TYPE_CHECKING:
    from hub.simulators.open311.app import Open311App

_EVERY = 10_000_000


def _require_endpoint(app: Open311App) -> None:
    if app.habits.updates == "absent":
        raise Open311Error(404, "servicerequestupdates is not a resource of this server")


async def list_updates(app: Open311App, call: Call) -> Response:
    _require_endpoint(app)
    store = app.state.store
    if app.habits.updates == "mysociety":
        window = bounded_window(call, now=app.state.now(), days=app.habits.window_days)
        complaints, _ = store.query(since=window.first_second, limit=_EVERY)
    else:
        window = given_window(call)
        if ids := call.param("service_request_id"):
            complaints = store.get_many(int(i) for i in ids.split(",") if i.strip().isdigit())
        else:
            complaints, _ = store.query(since=window.first_second, limit=_EVERY)
    chosen = [(u.at, u.id, app.renderer.update(c, u, app.habits))
              for c in complaints for u in c.updates if window.holds(parse_iso(u.at))]
    chosen.sort(key=lambda item: (item[0], item[1]))
    return answer(call.fmt, "service_request_updates", "request_update", [item[2] for item in chosen])


async def post_update(app: Open311App, call: Call) -> Response:
    _require_endpoint(app)
    if app.habits.updates != "mysociety":
        raise Open311Error(405, "servicerequestupdates can only be read here", headers={"allow": "GET"})
    if call.form.get("api_key") != app.state.config.api_key:
        raise Open311Error(403, "api_key is missing or not valid")
    for name in ("service_request_id", "update_id", "status", "updated_datetime"):
        if not call.param(name):
            raise Open311Error(400, f"{name} was not provided")
    if "description" not in call.form:
        raise Open311Error(400, "description was not provided")
    request_id, client_id = str(call.param("service_request_id")), str(call.param("update_id"))
    status = str(call.param("status"))
    if status not in EXTENDED_STATUSES:
        raise Open311Error(400, f"status {status!r} is not one of {', '.join(EXTENDED_STATUSES)}")
    parse_time(str(call.param("updated_datetime")), "updated_datetime")
    complaint = app.state.store.get(int(request_id)) if request_id.isdigit() else None
    if complaint is None:
        raise Open311Error(404, f"service request {request_id} not found")
    key = f"open311-update:{request_id}:{client_id}"
    if seen := app.state.store.remembered(key):
        return answer(call.fmt, "service_request_updates", "request_update", [{"update_id": seen[2]}])
    author = " ".join(v for v in (call.param("first_name"), call.param("last_name")) if v) or "Pengguna Open311"
    update = app.state.add_update(complaint, text=call.form["description"].strip(), author=author,
                                  stage=stage_after_post(status, complaint.stage), status=status.lower(),
                                  media_url=call.param("media_url"), client_update_id=client_id)
    app.state.store.remember(key, "-", 200, str(update.id))
    return answer(call.fmt, "service_request_updates", "request_update", [{"update_id": str(update.id)}])
