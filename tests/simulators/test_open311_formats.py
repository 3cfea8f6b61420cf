"""Open311 habits of format and address: XML-only servers, errors in the
spec's shape wherever a call goes wrong, a required jurisdiction_id, and
habits set by flavour, by spec or at runtime."""

from __future__ import annotations

import httpx
import pytest

from hub.simulators import create_app
from hub.simulators.open311 import Open311Habits
from hub.simulators.testing import running_app
from tests.simulators.georeport import json_error, open311, xml_error, xml_items

FORM = {"api_key": "sim-key", "service_code": "JLN", "description": "Jalan berlubang\nDekat pasar.", "lat": "-0.03",
        "long": "109.33"}


def test_an_xml_only_server_serves_xml_and_answers_json_calls_with_an_xml_404() -> None:
    with running_app(create_app(open311(complaints=6, formats="xml"))) as base, httpx.Client(base_url=base) as client:
        assert len(xml_items(client.get("/services.xml"), "services", "service")) == 10
        requests = xml_items(client.get("/requests.xml"), "service_requests", "request")
        assert len(requests) == 6
        one = requests[0]["service_request_id"]
        assert xml_items(client.get(f"/requests/{one}.xml"), "service_requests", "request")[0] == requests[0]
        assert xml_items(client.get("/servicerequestupdates.xml"), "service_request_updates", "request_update")
        for path in ("/services.json", "/requests.json", f"/requests/{one}.json", "/servicerequestupdates.json"):
            assert "XML only" in xml_error(client.get(path), 404), path
        # A write in JSON is refused the same way and creates nothing.
        assert "XML only" in xml_error(client.post("/requests.json", data=FORM), 404)
        assert len(xml_items(client.get("/requests.xml"), "service_requests", "request")) == 6
        assert ".xml" in xml_error(client.get("/requests.csv"), 400)
        created = client.post("/requests.xml", data=FORM)
        assert created.status_code == 201
        assert xml_items(created, "service_requests", "request")[0]["service_request_id"] == "7"


def test_every_error_answers_in_the_spec_format_of_the_call() -> None:
    with running_app(create_app(open311(complaints=3))) as base, httpx.Client(base_url=base) as client:
        assert "/tokens/1.json" in json_error(client.get("/tokens/1.json"), 404)
        assert "/tokens/1.xml" in xml_error(client.get("/tokens/1.xml"), 404)
        json_error(client.get("/nowhere"), 404)  # no format asked: the server's first one
        refused = client.delete("/requests.json")
        assert "DELETE" in json_error(refused, 405) and refused.headers["allow"] == "GET, POST"
        xml_error(client.put("/requests/1.xml"), 405)
        assert "api_key" in json_error(client.post("/requests.json", data={**FORM, "api_key": "salah"}), 403)
        assert "api_key" in xml_error(client.post("/requests.xml", data={k: v for k, v in FORM.items() if k != "api_key"}), 403)
        assert "start_date" in xml_error(client.get("/requests.xml", params={"start_date": "kemarin"}), 400)
        assert "status" in json_error(client.get("/requests.json", params={"status": "pending"}), 400)
        assert "999" in xml_error(client.get("/requests/999.xml"), 404)
        # The admin endpoints keep their own JSON.
        assert client.get("/_admin/healthz").json()["kind"] == "open311"


def test_a_server_given_a_jurisdiction_id_requires_it_on_every_call() -> None:
    config = open311(complaints=4, jurisdiction_id="pontianak.go.id", updates="mysociety")
    with running_app(create_app(config)) as base, httpx.Client(base_url=base) as client:
        here = {"jurisdiction_id": "pontianak.go.id"}
        for path in ("/services", "/requests", "/requests/1", "/servicerequestupdates"):
            assert "not provided" in json_error(client.get(f"{path}.json"), 400), path
            assert "not provided" in xml_error(client.get(f"{path}.xml"), 400), path
            assert "surabaya.go.id" in json_error(client.get(f"{path}.json", params={"jurisdiction_id": "surabaya.go.id"}), 404)
            assert client.get(f"{path}.json", params=here).status_code == 200, path
        # Writes carry it in the form (or the query).
        json_error(client.post("/requests.json", data=FORM), 400)
        xml_error(client.post("/requests.xml", data={**FORM, "jurisdiction_id": "surabaya.go.id"}), 404)
        assert client.post("/requests.json", data={**FORM, **here}).status_code == 201
        assert client.post("/requests.json", params=here, data={**FORM, "attribute[lapor_tracking_id]": "LPR-2026-0000009"}
                           ).status_code == 201
        update = {"api_key": "sim-key", "service_request_id": "1", "update_id": "u-1", "status": "IN_PROGRESS",
                  "updated_datetime": "2026-10-02T09:00:00+07:00", "description": "Diteruskan ke Dinas PUPR."}
        json_error(client.post("/servicerequestupdates.json", data=update), 400)
        assert client.post("/servicerequestupdates.json", data={**update, **here}).status_code == 200
        assert len(client.get("/requests.json", params={**here, "service_request_id": "1,5,6"}).json()) == 3


def test_without_a_required_jurisdiction_only_the_regions_own_id_is_accepted() -> None:
    with running_app(create_app(open311(complaints=2))) as base, httpx.Client(base_url=base) as client:
        assert client.get("/requests.json").status_code == 200
        assert client.get("/requests.json", params={"jurisdiction_id": "pontianak.go.id"}).status_code == 200
        assert client.get("/requests.json", params={"jurisdiction_id": ""}).status_code == 200  # empty: not given
        json_error(client.get("/requests.json", params={"jurisdiction_id": "surabaya.go.id"}), 404)


def test_habits_change_at_runtime_through_the_admin_endpoint() -> None:
    with running_app(create_app(open311(complaints=3))) as base, httpx.Client(base_url=base) as client:
        assert client.get("/_admin/habits").json() == Open311Habits().to_dict()
        assert client.get("/requests.json").status_code == 200
        changed = client.put("/_admin/habits", json={"formats": "xml", "jurisdiction_id": "pontianak.go.id"})
        assert changed.status_code == 200 and changed.json()["formats"] == "xml"
        xml_error(client.get("/requests.json", params={"jurisdiction_id": "pontianak.go.id"}), 404)
        xml_error(client.get("/requests.xml"), 400)
        assert client.put("/_admin/habits", json={"jurisdiction_id": None}).json()["formats"] == "xml"  # merged
        assert client.get("/requests.xml").status_code == 200
        for bad in ({"formats": "csv"}, {"paging": "cursor"}, {"cap": 0}, {"cap": "10"}, {"sparse_rate": 2},
                    {"updates": "write"}, {"moods": 1}, {"jurisdiction_id": ""}):
            answer = client.put("/_admin/habits", json=bad)
            assert answer.status_code == 422 and answer.json()["error"], bad
        assert client.put("/_admin/habits", json=[1]).status_code == 422
        assert client.get("/_admin/habits").json()["formats"] == "xml"  # nothing changed by the refusals
        client.put("/_admin/habits", json={"formats": "json+xml"})
        assert len(client.get("/requests.json").json()) == 3


def test_habit_spec_and_flavours() -> None:
    assert Open311Habits.parse("") == Open311Habits()
    assert Open311Habits.parse(None, flavour="default") == Open311Habits()
    parsed = Open311Habits.parse("formats=xml,paging=none,window=30,cap=500,jurisdiction=pontianak.go.id,sparse=0.2,"
                                 "updates=mysociety")
    assert parsed == Open311Habits(formats="xml", paging="none", window_days=30, cap=500,
                                   jurisdiction_id="pontianak.go.id", sparse_rate=0.2, updates="mysociety")
    assert Open311Habits.parse(None, flavour="georeport") == Open311Habits(formats="xml", paging="none", updates="absent")
    assert Open311Habits.parse("cap=10", flavour="mysociety") == Open311Habits(paging="none", updates="mysociety", cap=10)
    assert Open311Habits.parse(None, flavour="legacy").sparse_rate > 0
    for bad, flavour in (("speed=1", None), ("cap=many", None), ("cap", None), ("formats=yaml", None),
                         ("sparse=1.5", None), ("", "fancy")):
        with pytest.raises(ValueError):
            Open311Habits.parse(bad, flavour=flavour)
