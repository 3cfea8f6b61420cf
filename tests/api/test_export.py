"""Exports as national staff take them away: the list's rows, scope and filter, as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

import openpyxl

from hub.domain.access import Viewer
from hub.domain.vocabulary import Role
from hub.resolvers.exports import issue_ticket
from hub.store.complaint_queries import ComplaintFilter
from hub.store.exports import HEADERS
from hub.store.seeding import seed_complaints
from hub.store.types import utcnow
from tests.api.builders import T0, add_complaint, hours
from tests.hubclient import HubClient, hub_client, nodes

EXPORT = """query($filter: ComplaintFilter, $format: ExportFormat!) {
  complaintsExport(filter: $filter, format: $format) { url format expiresAt } }"""
LIST = """query($filter: ComplaintFilter, $after: String) {
  complaints(filter: $filter, first: 100, after: $after) {
    edges { node { trackingId } } pageInfo { hasNextPage endCursor } } }"""


async def _listed(hub: HubClient, token: str, filter: dict | None = None) -> list[str]:
    found, after = [], None
    while True:
        page = (await hub.query(LIST, {"filter": filter, "after": after}, token=token))["complaints"]
        found += [edge["node"]["trackingId"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


async def _download(hub: HubClient, token: str, fmt: str, filter: dict | None = None):
    link = (await hub.query(EXPORT, {"filter": filter, "format": fmt}, token=token))["complaintsExport"]
    url = urlsplit(link["url"])
    assert url.path == f"/export/complaints.{fmt.lower()}"
    return await hub.http.get(f"{url.path}?{url.query}")


def _csv_rows(answer) -> list[list[str]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    text = answer.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


async def test_a_csv_and_an_xlsx_export_hold_the_rows_of_the_list(database_url, engine):
    await seed_complaints(engine, count=150, seed=7)
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        listed = await _listed(hub, national)
        rows = _csv_rows(await _download(hub, national, "CSV"))
        assert tuple(rows[0]) == HEADERS and "Nomor Tiket (Tracking ID)" in rows[0]
        assert [row[0] for row in rows[1:]] == listed and len(listed) == 150

        answer = await _download(hub, national, "XLSX")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/vnd.openxml")
        sheet = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True).active
        cells = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert tuple(cells[0]) == HEADERS
        assert [row[0] for row in cells[1:]] == listed
        assert [row[1] for row in cells[1:]] == [row[1] for row in rows[1:]]  # titles, Indonesian text intact


async def test_an_export_keeps_the_callers_scope_and_filter(database_url, engine):
    await seed_complaints(engine, count=150, seed=7)
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        everything = _csv_rows(await _download(hub, national, "CSV"))[1:]
        code = Counter(row[6] for row in everything).most_common(1)[0][0]
        admin = hub.token(Role.REGION_ADMIN, region_codes=[code])
        theirs = _csv_rows(await _download(hub, admin, "CSV"))[1:]
        assert theirs and {row[6] for row in theirs} == {code}
        assert [row[0] for row in theirs] == await _listed(hub, admin)

        only = {"statuses": ["SUBMITTED", "VERIFIED"]}
        filtered = _csv_rows(await _download(hub, national, "CSV", only))[1:]
        assert [row[0] for row in filtered] == await _listed(hub, national, only)
        assert {row[2] for row in filtered} <= {"SUBMITTED", "VERIFIED"}


async def test_an_export_is_refused_to_the_public_and_to_a_link_altered_or_expired(database_url, engine):
    await seed_complaints(engine, count=10, seed=7)
    async with hub_client(database_url, schedule=False) as hub:
        errors = await hub.errors(EXPORT, {"format": "CSV"})
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"

        admin = hub.token(Role.REGION_ADMIN, region_codes=["35.78"])
        link = (await hub.query(EXPORT, {"format": "CSV"}, token=admin))["complaintsExport"]["url"]
        url = urlsplit(link)
        header, claims, signature = url.query.removeprefix("ticket=").split(".")
        forged = await hub.http.get(f"{url.path}?ticket={header}.{claims}.{signature[:-2]}AA")
        assert forged.status_code == 403 and "not valid" in forged.json()["error"]

        ticket, _ = issue_ticket(hub.settings.secret, Viewer(role=Role.NATIONAL_ADMIN), ComplaintFilter(),
                                 now=utcnow() - timedelta(hours=1))
        expired = await hub.http.get(f"/export/complaints.csv?ticket={ticket}")
        assert expired.status_code == 403


async def test_an_export_of_confidential_complaints_is_in_the_access_log(database_url, engine):
    await seed_complaints(engine, count=60, seed=7)
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN, subject="analis.nasional")
        rows = _csv_rows(await _download(hub, national, "CSV"))[1:]
        confidential = [row[0] for row in rows if row[5] == "CONFIDENTIAL"]
        ids = {(await hub.query("query($t: String!) { complaint(trackingId: $t) { id } }", {"t": t},
                                token=national))["complaint"]["id"] for t in confidential}
        log = await hub.query("{ accessLog(first: 100) { edges { node { viewer field complaintId } } } }",
                              token=national)
    exported = [e for e in nodes(log["accessLog"]) if e["field"] == "EXPORT"]
    assert confidential and {e["complaintId"] for e in exported} == ids and len(exported) == len(ids)
    assert {e["viewer"] for e in exported} == {"analis.nasional"}


async def test_an_export_of_a_search_holds_the_lists_matches_best_first(database_url, engine):
    await seed_complaints(engine, count=60, seed=7)
    # the best match is the oldest, so a newest-first export would put it last
    best = await add_complaint(engine, title="Jembatan gantung putus di desa", body="Warga menyeberang dengan rakit",
                               created_at=T0)
    partial = await add_complaint(engine, title="Jembatan licin", body="Talinya hampir putus",
                                  created_at=T0 + hours(1))
    described = await add_complaint(engine, title="Anak sekolah terlambat", body="Jembatan gantung di desa putus",
                                    created_at=T0 + hours(2))
    search = {"text": "jembatan putus"}
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        listed = await _listed(hub, national, search)
        rows = _csv_rows(await _download(hub, national, "CSV", search))[1:]
        assert [row[0] for row in rows] == listed
        ours = [best.tracking_id, partial.tracking_id, described.tracking_id]
        assert [t for t in listed if t in ours] == ours and listed[0] == best.tracking_id

        answer = await _download(hub, national, "XLSX", search)
        sheet = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True).active
        assert [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]] == listed
