"""Pushing to an Open311 region.

- A national submission is POSTed to ``requests`` with the ``api_key``
  credential, the service code of the complaint's category (the region's
  category vocabulary read backwards) and the national tracking id as
  ``attribute[lapor_tracking_id]``; the first photo's signed link goes as
  ``media_url`` (GeoReport takes one).
- Every other change (a follow-up, a status change, a comment) goes to a
  region that declares the mySociety extension (``updates = "mysociety"``)
  as a POST to ``servicerequestupdates``: ``update_id`` is the hub's
  idempotency key (the server records one update per ``update_id``, so a
  retry after an outage never doubles it), ``status`` the extended status of
  the complaint's national status (:data:`~hub.connectors.open311.options.POSTED_STATUS`,
  overridable by ``posted_statuses``), ``description`` what happened. The id
  the server answers is kept, so the update read back on the next pull is the
  same event, not a new one.
- A region that declares no way to write such changes gets them as manual
  work for its admin (:class:`~hub.connectors.base.PushNotSupported`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hub.connectors.base import Delivery, PushNotSupported, PushResult
from hub.connectors.records import FatalError
from hub.domain.changes import ReporterContact, SubmitChange, summary

if TYPE_CHECKING:
    from hub.connectors.open311.connector import Open311Connector


def _api_key(connector: Open311Connector) -> str:
    key = connector.secrets.get("api_key")
    if key is None:
        raise FatalError(f"region {connector.region.code}: credentials.api_key is not available")
    return key


def _service_code(connector: Open311Connector, category_code: str | None) -> str:
    mapper = connector.mapper
    word = mapper.category_word(category_code) or mapper.category_word(mapper.mapping.default_category)
    if word is None:
        raise FatalError(f"region {connector.region.code} maps no service code to category {category_code!r} "
                         "nor to its default category; cannot submit")
    return word


def _first_id(items: list[Any], name: str) -> str | None:
    value = items[0].get(name) if items and isinstance(items[0], dict) else None
    return str(value) if value not in (None, "") else None


async def submit(connector: Open311Connector, delivery: Delivery, change: SubmitChange) -> PushResult:
    reporter = change.reporter or ReporterContact()
    form = {
        "api_key": _api_key(connector),
        "service_code": _service_code(connector, change.category_code),
        "description": f"{change.title}\n{change.body}",
        "attribute[lapor_tracking_id]": change.tracking_id,
    }
    for name, value in (("lat", change.latitude), ("long", change.longitude), ("address_string", change.address),
                        ("first_name", reporter.name), ("phone", reporter.phone), ("email", reporter.email),
                        ("media_url", change.attachments[0].url if change.attachments else None)):
        if value not in (None, ""):
            form[name] = str(value)
    items = await connector.call("POST", connector.options.requests_path, data=connector._params(**form),
                                 headers={"Idempotency-Key": delivery.idempotency_key})
    return PushResult(source_id=_first_id(items, "service_request_id"), detail="created")


async def post_update(connector: Open311Connector, delivery: Delivery) -> PushResult:
    change = delivery.change
    if delivery.source_id is None:
        raise FatalError(f"region {connector.region.code} has no id for {change.tracking_id} yet; "
                         f"cannot post its {change.kind}")
    assert connector.options.updates_path is not None
    form = {
        "api_key": _api_key(connector),
        "service_request_id": delivery.source_id,
        "update_id": delivery.idempotency_key,
        "updated_datetime": change.occurred_at.isoformat(timespec="seconds"),
        "status": connector.options.posted_status(change.status),
        "description": summary(change),
    }
    if change.actor:
        form["first_name"] = change.actor
    items = await connector.call("POST", connector.options.updates_path, data=connector._params(**form),
                                 headers={"Idempotency-Key": delivery.idempotency_key})
    return PushResult(source_id=delivery.source_id, detail=f"{change.kind} posted as update {form['status']}",
                      event_id=_first_id(items, "update_id"))


async def push(connector: Open311Connector, delivery: Delivery) -> PushResult:
    change = delivery.change
    if isinstance(change, SubmitChange):
        return await submit(connector, delivery, change)
    if connector.options.updates != "mysociety" or connector.options.updates_path is None:
        raise PushNotSupported(f"Open311 region {connector.region.code} takes no {change.kind} changes; enter it by hand")
    return await post_update(connector, delivery)
