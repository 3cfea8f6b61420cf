"""The Open311 GeoReport v2 app over real HTTP, in JSON and XML."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

import httpx

from hub.simulators import SimulatorConfig, create_app
from hub.simulators.testing import running_app

REFERENCE_NOW = datetime(2026, 10, 1, tzinfo=UTC)
REQUIRED = ("service_request_id", "status", "service_code", "requested_datetime", "updated_datetime", "description")


def open311(complaints: int = 20, seed: int = 5) -> SimulatorConfig:
    return SimulatorConfig(kind="open311", region_code="61.71", seed=seed, complaints=complaints, reference_now=REFERENCE_NOW)


def xml_items(answer: httpx.Response, root: str, item: str) -> list[dict[str, str]]:
    assert answer.headers["content-type"].startswith("text/xml")
    tree = ElementTree.fromstring(answer.content)
    assert tree.tag == root
    assert all(child.tag == item for child in tree)
    return [{field.tag: field.text or "" for field in child} for child in tree]


def assert_valid_request(record: dict) -> None:
    for name in REQUIRED:
        assert record[name] not in (None, ""), name
    assert record["status"] in ("open", "closed")
    assert (record.get("lat") not in (None, "") and record.get("long") not in (None, "")) or record.get("address")
    for name in ("requested_datetime", "updated_datetime"):
        moment = datetime.fromisoformat(record[name])
        assert moment.utcoffset() is not None and moment.utcoffset().total_seconds() == 7 * 3600  # WIB


def test_services_in_json_and_xml() -> None:
    with running_app(create_app(open311(complaints=2))) as base, httpx.Client(base_url=base) as client:
        services = client.get("/services.json").json()
        assert len(services) == 10
        assert {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"} <= set(services[0])
        assert {s["service_code"] for s in services} >= {"JLN", "SMP", "AIR", "PJU", "LAIN"}
        in_xml = xml_items(client.get("/services.xml"), "services", "service")
        assert [s["service_code"] for s in in_xml] == [s["service_code"] for s in services]
        assert {s["metadata"] for s in in_xml} == {"false"}


def test_requests_in_json_and_xml_are_valid_georeport_requests() -> None:
    with running_app(create_app(open311())) as base, httpx.Client(base_url=base) as client:
        requests = client.get("/requests.json").json()
        assert len(requests) == 20
        for record in requests:
            assert_valid_request(record)
        codes = {s["service_code"] for s in client.get("/services.json").json()}
        assert {r["service_code"] for r in requests} <= codes
        in_xml = xml_items(client.get("/requests.xml"), "service_requests", "request")
        assert [r["service_request_id"] for r in in_xml] == [r["service_request_id"] for r in requests]
        for record in in_xml:
            assert_valid_request(record)
        first = requests[0]
        assert xml_items(client.get(f"/requests/{first['service_request_id']}.xml"), "service_requests", "request")[0][
            "description"] == first["description"]
        assert client.get(f"/requests/{first['service_request_id']}.json").json() == [first]
        assert client.get("/requests.json", params={"service_request_id": f"{first['service_request_id']},999"}).json() == [first]
        assert all(r["status"] == "open" for r in client.get("/requests.json", params={"status": "open"}).json())


def test_updated_after_pages_through_every_request_once() -> None:
    with running_app(create_app(open311())) as base, httpx.Client(base_url=base) as client:
        seen: list[dict] = []
        page = 1
        while batch := client.get("/requests.json", params={"page": page, "page_size": 3}).json():
            seen.extend(batch)
            page += 1
        assert sorted(int(r["service_request_id"]) for r in seen) == list(range(1, 21))
        stamps = [datetime.fromisoformat(r["updated_datetime"]) for r in seen]
        assert stamps == sorted(stamps)
        boundary = seen[8]["updated_datetime"]
        after = client.get("/requests.json", params={"updated_after": boundary}).json()
        assert after[0]["service_request_id"] == seen[8]["service_request_id"]  # inclusive
        assert len(after) == 12
        # The same instant written in UTC selects the same requests.
        in_utc = datetime.fromisoformat(boundary).astimezone(UTC).isoformat()
        assert client.get("/requests.json", params={"updated_after": in_utc}).json() == after


def test_service_request_updates_in_json_and_xml() -> None:
    with running_app(create_app(open311())) as base, httpx.Client(base_url=base) as client:
        truth = client.get("/_admin/ground-truth").json()["records"]
        with_updates = [r for r in truth if r["updates"]]
        assert with_updates
        record = with_updates[0]
        updates = client.get("/servicerequestupdates.json", params={"service_request_id": record["service_request_id"]}).json()
        assert updates == record["updates"]
        assert {"update_id", "service_request_id", "status", "updated_datetime", "description"} <= set(updates[0])
        assert updates[-1]["status"] == record["status"] and updates[-1]["description"] == record["status_notes"]
        in_xml = xml_items(client.get("/servicerequestupdates.xml", params={"service_request_id": record["service_request_id"]}),
                           "service_request_updates", "request_update")
        assert [u["update_id"] for u in in_xml] == [u["update_id"] for u in updates]
        everything = client.get("/servicerequestupdates.json").json()
        assert len(everything) == sum(len(r["updates"]) for r in truth)
        stamps = [datetime.fromisoformat(u["updated_datetime"]) for u in everything]
        assert stamps == sorted(stamps)


def test_errors_use_the_spec_format() -> None:
    with running_app(create_app(open311(complaints=2))) as base, httpx.Client(base_url=base) as client:
        missing = client.get("/requests/999.json")
        assert missing.status_code == 404
        assert missing.json()[0]["code"] == 404 and "999" in missing.json()[0]["description"]
        missing_xml = client.get("/requests/999.xml")
        assert missing_xml.status_code == 404
        assert xml_items(missing_xml, "errors", "error")[0]["code"] == "404"

        wrong_place = client.get("/requests.json", params={"jurisdiction_id": "surabaya.go.id"})
        assert wrong_place.status_code == 404 and wrong_place.json()[0]["code"] == 404
        assert client.get("/requests.json", params={"jurisdiction_id": "pontianak.go.id"}).status_code == 200

        refused = client.post("/requests.json", data={"api_key": "wrong", "service_code": "JLN", "description": "x"})
        assert refused.status_code == 403 and refused.json()[0]["code"] == 403
        refused_xml = client.post("/requests.xml", data={"service_code": "JLN", "description": "x"})
        assert refused_xml.status_code == 403 and xml_items(refused_xml, "errors", "error")[0]["code"] == "403"

        bad_format = client.get("/requests.csv")
        assert bad_format.status_code == 400 and bad_format.json()[0]["code"] == 400

        bad_code = client.post("/requests.json", data={"api_key": "sim-key", "service_code": "NOPE", "description": "x"})
        assert bad_code.status_code == 400 and bad_code.json()[0]["code"] == 400
        bad_place = client.post("/requests.json", data={"api_key": "sim-key", "service_code": "JLN", "description": "x",
                                                        "lat": "utara"})
        assert bad_place.status_code == 400 and bad_place.json()[0]["code"] == 400
        bad_date = client.get("/requests.json", params={"updated_after": "kemarin"})
        assert bad_date.status_code == 400 and "updated_after" in bad_date.json()[0]["description"]
        assert client.get("/requests.json", params={"status": "maybe"}).status_code == 400


def test_post_creates_a_request_carrying_the_national_tracking_id() -> None:
    with running_app(create_app(open311(complaints=2))) as base, httpx.Client(base_url=base) as client:
        form = {"api_key": "sim-key", "service_code": "PJU", "description": "Lampu PJU mati\nSudah dua minggu gelap.",
                "lat": "-0.03", "long": "109.33", "address_string": "Jl. Gajah Mada", "first_name": "Budi",
                "attribute[lapor_tracking_id]": "LAP-TEST-0042"}
        created = client.post("/requests.json", data=form)
        assert created.status_code == 201
        request_id = created.json()[0]["service_request_id"]
        assert request_id == "3"
        stored = client.get(f"/requests/{request_id}.json").json()[0]
        assert_valid_request(stored)
        assert stored["lapor_tracking_id"] == "LAP-TEST-0042"
        assert stored["service_code"] == "PJU" and stored["status"] == "open" and stored["local_status"] == "baru"
        assert stored["description"] == form["description"] and stored["lat"] == -0.03
        # Posting the same tracking id again does not create a second request.
        again = client.post("/requests.xml", data=form)
        assert again.status_code == 201
        assert xml_items(again, "service_requests", "request")[0]["service_request_id"] == request_id
        assert len(client.get("/requests.json").json()) == 3


def test_ground_truth_matches_what_the_api_serves() -> None:
    with running_app(create_app(open311())) as base, httpx.Client(base_url=base) as client:
        truth = {r["service_request_id"]: r for r in client.get("/_admin/ground-truth").json()["records"]}
        served = {r["service_request_id"]: r for r in client.get("/requests.json").json()}
        assert set(truth) == set(served)
        for request_id, record in served.items():
            assert {k: v for k, v in truth[request_id].items() if k != "updates"} == record
