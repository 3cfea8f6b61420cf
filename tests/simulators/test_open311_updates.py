"""servicerequestupdates on an Open311 simulator: absent, read-only, or
mySociety's extension, which a client can also POST to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from hub.simulators import create_app
from hub.simulators.open311.vocabulary import EXTENDED_STATUSES
from hub.simulators.testing import running_app
from tests.simulators.georeport import json_error, open311, xml_error, xml_items

MYSOCIETY_FIELDS = ["update_id", "service_request_id", "status", "description", "media_url", "updated_datetime",
                    "external_status_code"]
WINDOW = {"start_date": "2026-07-03T00:00:00Z", "end_date": "2026-10-01T00:00:00Z"}


def update_form(request_id: str = "1", update_id: str = "hub-1", status: str = "IN_PROGRESS", **extra: str) -> dict[str, str]:
    return {"api_key": "sim-key", "service_request_id": request_id, "update_id": update_id, "status": status,
            "updated_datetime": "2026-10-02T09:15:00+07:00", "description": "Sudah diteruskan ke Dinas PUPR.",
            "first_name": "Admin", "last_name": "LAPOR", "email": "admin@lapor.go.id", **extra}


def truth_of(client: httpx.Client, request_id: str) -> dict:
    return next(r for r in client.get("/_admin/ground-truth").json()["records"] if r["service_request_id"] == request_id)


def test_a_server_without_the_extension_answers_404_for_it() -> None:
    with running_app(create_app(open311(complaints=5, updates="absent"))) as base, httpx.Client(base_url=base) as client:
        json_error(client.get("/servicerequestupdates.json"), 404)
        xml_error(client.get("/servicerequestupdates.xml", params={"service_request_id": "1"}), 404)
        xml_error(client.post("/servicerequestupdates.xml", data=update_form()), 404)
        assert len(client.get("/requests.json").json()) == 5  # the rest of the API is there
        assert any(r["updates"] for r in client.get("/_admin/ground-truth").json()["records"])  # it holds updates all the same


def test_a_read_only_extension_refuses_posts() -> None:
    with running_app(create_app(open311(complaints=5))) as base, httpx.Client(base_url=base) as client:
        before = client.get("/_admin/ground-truth").json()
        refused = client.post("/servicerequestupdates.json", data=update_form())
        assert "read" in json_error(refused, 405) and refused.headers["allow"] == "GET"
        xml_error(client.post("/servicerequestupdates.xml", data=update_form()), 405)
        assert client.get("/_admin/ground-truth").json() == before


def test_mysociety_updates_carry_extended_statuses_by_date_window() -> None:
    with running_app(create_app(open311(complaints=40, updates="mysociety"))) as base, httpx.Client(base_url=base) as client:
        truth = client.get("/_admin/ground-truth").json()["records"]
        held = [u for r in truth for u in r["updates"]]
        served = client.get("/servicerequestupdates.json", params=WINDOW).json()
        assert sorted(u["update_id"] for u in served) == sorted(u["update_id"] for u in held)
        assert all(list(u) == MYSOCIETY_FIELDS for u in served)
        stamps = [datetime.fromisoformat(u["updated_datetime"]) for u in served]
        assert stamps == sorted(stamps)
        statuses = {u["status"] for u in served}
        assert statuses <= {s.lower() for s in EXTENDED_STATUSES} and len(statuses) >= 3
        assert {"fixed", "investigating"} <= statuses
        assert all(u["external_status_code"].startswith("ADU-") and u["media_url"] == "" for u in served)
        in_xml = xml_items(client.get("/servicerequestupdates.xml", params=WINDOW), "service_request_updates", "request_update")
        assert [u["update_id"] for u in in_xml] == [u["update_id"] for u in served]
        # The extension reads by date: service_request_id is not one of its parameters.
        one = served[0]["service_request_id"]
        assert client.get("/servicerequestupdates.json", params={**WINDOW, "service_request_id": one}).json() == served
        # A narrower window holds fewer; its ends are inclusive.
        middle = served[len(served) // 2]
        narrow = client.get("/servicerequestupdates.json", params={"start_date": middle["updated_datetime"],
                                                                   "end_date": WINDOW["end_date"]}).json()
        assert narrow == [u for u in served if datetime.fromisoformat(u["updated_datetime"])
                          >= datetime.fromisoformat(middle["updated_datetime"])]
        assert "90 days" in json_error(client.get("/servicerequestupdates.json", params={
            "start_date": "2026-01-01T00:00:00Z", "end_date": "2026-10-01T00:00:00Z"}), 400)


def test_mysociety_default_window_is_recent() -> None:
    ended = datetime.now(UTC).replace(microsecond=0) - timedelta(days=60)  # seeded updates lie 60 to 150 days back
    with running_app(create_app(open311(complaints=40, updates="mysociety", reference_now=ended))) as base, \
            httpx.Client(base_url=base) as client:
        recent = client.get("/servicerequestupdates.json").json()
        cutoff = datetime.now(UTC) - timedelta(days=90, minutes=1)
        assert all(datetime.fromisoformat(u["updated_datetime"]) >= cutoff for u in recent)
        held = [u for r in client.get("/_admin/ground-truth").json()["records"] for u in r["updates"]]
        assert 0 < len(recent) < len(held)


def test_a_posted_update_is_recorded_once_and_moves_the_request() -> None:
    with running_app(create_app(open311(complaints=5, updates="mysociety"))) as base, httpx.Client(base_url=base) as client:
        sent_at = datetime.now(UTC).replace(microsecond=0)
        posted = client.post("/servicerequestupdates.json", data=update_form("2", "hub-77", "ACTION_SCHEDULED",
                                                                            media_url="https://foto.example.id/1.jpg"))
        assert posted.status_code == 200
        (answer,) = posted.json()
        new_id = answer["update_id"]
        after = truth_of(client, "2")
        assert [u for u in after["updates"] if u.get("client_update_id") == "hub-77"] == [{
            "update_id": new_id, "service_request_id": "2", "status": "action_scheduled",
            "description": "Sudah diteruskan ke Dinas PUPR.", "media_url": "https://foto.example.id/1.jpg",
            "updated_datetime": after["updates"][-1]["updated_datetime"], "external_status_code": "ADU-30",
            "client_update_id": "hub-77"}]
        assert after["status"] == "open" and after["local_status"] == "dikerjakan"
        assert after["status_notes"] == "Sudah diteruskan ke Dinas PUPR."
        assert datetime.fromisoformat(after["updated_datetime"]) >= sent_at  # changed now, by the server's clock
        assert datetime.fromisoformat(after["updates"][-1]["updated_datetime"]) >= sent_at
        # The same update_id again: the same id, nothing recorded twice, in JSON or XML.
        again = client.post("/servicerequestupdates.xml", data=update_form("2", "hub-77", "ACTION_SCHEDULED"))
        assert again.status_code == 200
        assert xml_items(again, "service_request_updates", "request_update") == [{"update_id": new_id}]
        assert truth_of(client, "2")["updates"] == after["updates"]
        # It is served like any other update.
        recent = client.get("/servicerequestupdates.json").json()
        assert [u["update_id"] for u in recent if u["service_request_id"] == "2"][-1] == new_id
        assert "client_update_id" not in recent[-1]
        # A closing status closes the request.
        client.post("/servicerequestupdates.json", data=update_form("2", "hub-78", "FIXED"))
        closed = truth_of(client, "2")
        assert closed["status"] == "closed" and closed["local_status"] == "selesai"
        assert [u.get("client_update_id") for u in closed["updates"]].count("hub-77") == 1
        assert closed["updates"][-1]["status"] == "fixed" and closed["updates"][-1]["external_status_code"] == "ADU-90"
        # REOPEN opens it again; OPEN on an open request leaves its stage.
        client.post("/servicerequestupdates.json", data=update_form("2", "hub-79", "REOPEN"))
        client.post("/servicerequestupdates.json", data=update_form("2", "hub-80", "OPEN"))
        assert truth_of(client, "2")["local_status"] == "dikerjakan"
        # The same update_id on another request is another update.
        other = client.post("/servicerequestupdates.json", data=update_form("3", "hub-77", "NOT_COUNCILS_RESPONSIBILITY"))
        assert other.json()[0]["update_id"] != new_id
        assert truth_of(client, "3")["local_status"] == "ditolak"


def test_posted_updates_are_checked() -> None:
    with running_app(create_app(open311(complaints=3, updates="mysociety"))) as base, httpx.Client(base_url=base) as client:
        before = client.get("/_admin/ground-truth").json()
        assert "api_key" in json_error(client.post("/servicerequestupdates.json", data=update_form(api_key="salah")), 403)
        assert "api_key" in xml_error(client.post("/servicerequestupdates.xml", data={
            k: v for k, v in update_form().items() if k != "api_key"}), 403)
        for missing in ("service_request_id", "update_id", "status", "updated_datetime", "description"):
            form = {k: v for k, v in update_form().items() if k != missing}
            assert missing in json_error(client.post("/servicerequestupdates.json", data=form), 400), missing
        assert "FIXED" in json_error(client.post("/servicerequestupdates.json", data=update_form(status="fixed")), 400)
        assert "FIXED" in json_error(client.post("/servicerequestupdates.json", data=update_form(status="SELESAI")), 400)
        assert "updated_datetime" in json_error(client.post("/servicerequestupdates.json", data=update_form(
            updated_datetime="02/10/2026 09:15")), 400)
        assert "99" in xml_error(client.post("/servicerequestupdates.xml", data=update_form("99")), 404)
        assert client.get("/_admin/ground-truth").json() == before  # nothing recorded by a refused post
        # An empty description is a description.
        assert client.post("/servicerequestupdates.json", data=update_form(description="")).status_code == 200
