"""Helpers for the Open311 simulator tests: configurations and reading GeoReport XML."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

import httpx

from hub.simulators import FaultConfig, SimulatorConfig
from hub.simulators.open311 import Open311Habits

REFERENCE_NOW = datetime(2026, 10, 1, tzinfo=UTC)
# Every GeoReport v2 field of a service request, in the spec's order.
GEOREPORT_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url")


def open311(complaints: int = 20, seed: int = 5, *, reference_now: datetime | None = REFERENCE_NOW,
            faults: FaultConfig | None = None, flavour: str | None = None, **habits: Any) -> SimulatorConfig:
    return SimulatorConfig(kind="open311", region_code="61.71", seed=seed, complaints=complaints,
                           reference_now=reference_now, faults=faults or FaultConfig(),
                           open311=Open311Habits.flavour(flavour).merged(habits))


def xml_items(answer: httpx.Response, root: str, item: str) -> list[dict[str, str]]:
    """The items of a GeoReport XML answer, each a dict of its fields' texts ("" for an empty element)."""
    assert answer.headers["content-type"].startswith("text/xml"), answer.headers["content-type"]
    tree = ElementTree.fromstring(answer.content)
    assert tree.tag == root, tree.tag
    assert all(child.tag == item for child in tree)
    return [{field.tag: field.text or "" for field in child} for child in tree]


def xml_error(answer: httpx.Response, status: int) -> str:
    """The description of the single error in a GeoReport XML error answer with ``status``."""
    assert answer.status_code == status, (answer.status_code, answer.text)
    errors = xml_items(answer, "errors", "error")
    assert len(errors) == 1 and errors[0]["code"] == str(status)
    return errors[0]["description"]


def json_error(answer: httpx.Response, status: int) -> str:
    """The description of the single error in a GeoReport JSON error answer with ``status``."""
    assert answer.status_code == status, (answer.status_code, answer.text)
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert isinstance(body, list) and len(body) == 1 and body[0]["code"] == status
    return body[0]["description"]


def requested(record: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(record["requested_datetime"])


def without_updates(record: dict[str, Any]) -> dict[str, Any]:
    """A ground-truth request as GET requests serves it (ground truth adds its updates)."""
    return {k: v for k, v in record.items() if k != "updates"}
