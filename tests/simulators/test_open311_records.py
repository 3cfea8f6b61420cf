"""What an Open311 simulator's requests carry: every GeoReport v2 field, read
one by one or in lists, in JSON and XML; and the sparse habit, where some
requests come with empty or missing fields."""

from __future__ import annotations

import re
from datetime import datetime

import httpx

from hub.simulators import create_app
from hub.simulators.testing import running_app
from tests.simulators.georeport import GEOREPORT_FIELDS, open311, without_updates, xml_items

EXTENSIONS = ("local_status", "first_name", "phone", "email", "lapor_tracking_id")
DROPPED_WHEN_SPARSE = ("status_notes", "agency_responsible", "service_notice", "expected_datetime", "media_url",
                       "zipcode", "address_id")


def test_every_georeport_field_is_served_in_lists_and_single_reads() -> None:
    with running_app(create_app(open311(complaints=40))) as base, httpx.Client(base_url=base) as client:
        requests = client.get("/requests.json", params={"page_size": 100}).json()
        in_xml = xml_items(client.get("/requests.xml", params={"page_size": 100}), "service_requests", "request")
        assert len(requests) == len(in_xml) == 40
        for record, element in zip(requests, in_xml, strict=True):
            assert list(record) == [*GEOREPORT_FIELDS, *EXTENSIONS]
            assert list(element) == list(record)  # the same fields, in the same order, empty elements for no value
            assert client.get(f"/requests/{record['service_request_id']}.json").json() == [record]
            assert xml_items(client.get(f"/requests/{record['service_request_id']}.xml"), "service_requests",
                             "request") == [element]
            requested = datetime.fromisoformat(record["requested_datetime"])
            assert record["service_notice"] and record["address"] and record["address_id"].startswith("ALMT-")
            assert re.fullmatch(r"78\d{3}", record["zipcode"])  # Pontianak's postal codes start with 78
            if record["status"] == "open":
                assert datetime.fromisoformat(record["expected_datetime"]) > requested
            else:
                assert record["expected_datetime"] is None and element["expected_datetime"] == ""
            assert (record["agency_responsible"] is None) == (record["local_status"] == "baru")
            assert (record["status_notes"] is None) == (datetime.fromisoformat(record["updated_datetime"]) == requested)
        photos = [r["media_url"] for r in requests if r["media_url"]]
        assert 0 < len(photos) < 40 and all(url.startswith("https://pontianak.go.id/media/") for url in photos)


def test_a_posted_request_keeps_its_media_url() -> None:
    with running_app(create_app(open311(complaints=2))) as base, httpx.Client(base_url=base) as client:
        form = {"api_key": "sim-key", "service_code": "SMP", "description": "Sampah menumpuk\nSudah seminggu.",
                "address_string": "Jl. Tanjungpura", "media_url": "https://foto.example.id/sampah.jpg"}
        created = client.post("/requests.json", data=form).json()[0]["service_request_id"]
        record = client.get(f"/requests/{created}.json").json()[0]
        assert record["media_url"] == form["media_url"]
        assert record["status"] == "open" and record["agency_responsible"] is None and record["zipcode"] is None


def test_sparse_requests_come_with_empty_and_missing_fields_on_every_read() -> None:
    with running_app(create_app(open311(complaints=60, sparse_rate=0.3))) as base, httpx.Client(base_url=base) as client:
        requests = client.get("/requests.json", params={"page_size": 100}).json()
        assert requests == client.get("/requests.json", params={"page_size": 100}).json()  # the same ones each time
        sparse = [r for r in requests if r["updated_datetime"] == ""]
        assert 6 <= len(sparse) <= 30
        for record in sparse:
            assert record["description"] is None
            assert not set(DROPPED_WHEN_SPARSE) & set(record)
            assert {"service_request_id", "status", "service_code", "service_name", "requested_datetime"} <= set(record)
            assert client.get(f"/requests/{record['service_request_id']}.json").json() == [record]
        whole = [r for r in requests if r["updated_datetime"]]
        assert all(r["description"] and set(DROPPED_WHEN_SPARSE) <= set(r) for r in whole)
        in_xml = {r["service_request_id"]: r for r in
                  xml_items(client.get("/requests.xml", params={"page_size": 100}), "service_requests", "request")}
        for record in sparse:
            element = in_xml[record["service_request_id"]]
            assert element["description"] == "" and element["updated_datetime"] == ""  # empty elements
            assert not set(DROPPED_WHEN_SPARSE) & set(element)  # no elements at all
        # Ground truth is what the server holds: the same gaps.
        truth = {r["service_request_id"]: without_updates(r) for r in client.get("/_admin/ground-truth").json()["records"]}
        assert all(truth[r["service_request_id"]] == r for r in requests)
        # Turned off, every request is whole again.
        client.put("/_admin/habits", json={"sparse_rate": 0})
        assert all(r["updated_datetime"] and r["description"] for r in client.get("/requests.json", params={"page_size": 100}).json())


def test_a_hidden_request_answers_404_and_leaves_lists_but_its_updates_stay_named() -> None:
    with running_app(create_app(open311(complaints=12))) as base, httpx.Client(base_url=base) as client:
        everything = client.get("/_admin/ground-truth").json()["records"]
        hidden = next(r for r in everything if r["updates"])
        number = int(hidden["service_request_id"])
        assert client.put("/_admin/habits", json={"hidden_requests": [number]}).json()["hidden_requests"] == [number]
        answer = client.get(f"/requests/{number}.json")
        assert answer.status_code == 404
        assert answer.json() == [{"code": 404, "description": f"service request {number} not found"}]
        listed = client.get("/requests.json", params={"page_size": 100}).json()
        assert str(number) not in {r["service_request_id"] for r in listed} and len(listed) == 11
        assert client.get("/requests.json", params={"service_request_id": str(number)}).json() == []
        updates = client.get("/servicerequestupdates.json", params={"service_request_id": str(number)}).json()
        assert [u["update_id"] for u in updates] == [u["update_id"] for u in hidden["updates"]]
        assert len(client.get("/_admin/ground-truth").json()["records"]) == 12  # it still holds it
        assert client.put("/_admin/habits", json={"hidden_requests": "3"}).status_code == 422
