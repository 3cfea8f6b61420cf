"""The lists that grow are Relay connections: forward with first/after, backward with last/before, newest first."""

from __future__ import annotations

from datetime import timedelta

from hub.domain.vocabulary import Role
from hub.store.database import session_factory
from hub.store.privacy_models import AccessLogEntry
from hub.store.sync_models import RejectedRecord
from hub.store.types import utcnow
from tests.hubclient import hub_client, nodes

PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  accessLog(first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { viewer } } } }"""
REJECTED = """query($first: Int, $after: String, $last: Int, $before: String) {
  rejectedRecords(first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { sourceId } } } }"""


async def _log(engine, count: int) -> None:
    now = utcnow()
    async with session_factory(engine)() as s, s.begin():
        s.add_all(AccessLogEntry(viewer=f"v{i}", viewer_role=Role.REGION_ADMIN, complaint_id=1, field="reporter",
                                 read_at=now + timedelta(seconds=i)) for i in range(count))


async def test_a_connection_pages_forward_and_backward_without_repeating_or_skipping(engine, database_url):
    await _log(engine, 5)  # v4 is the newest
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)

        async def page(**window):
            return (await hub.query(PAGE, window, token=national))["accessLog"]

        first = await page(first=2)
        assert [n["viewer"] for n in nodes(first)] == ["v4", "v3"]
        assert (first["pageInfo"]["hasNextPage"], first["pageInfo"]["hasPreviousPage"]) == (True, False)
        assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
        second = await page(first=2, after=first["pageInfo"]["endCursor"])
        third = await page(first=2, after=second["pageInfo"]["endCursor"])
        assert [n["viewer"] for n in nodes(second) + nodes(third)] == ["v2", "v1", "v0"]
        assert (third["pageInfo"]["hasNextPage"], third["pageInfo"]["hasPreviousPage"]) == (False, True)

        oldest = await page(last=2)  # the end of the list, still newest first within the page
        assert [n["viewer"] for n in nodes(oldest)] == ["v1", "v0"]
        assert (oldest["pageInfo"]["hasNextPage"], oldest["pageInfo"]["hasPreviousPage"]) == (False, True)
        back = await page(last=2, before=oldest["pageInfo"]["startCursor"])
        assert [n["viewer"] for n in nodes(back)] == ["v3", "v2"]
        start = await page(last=2, before=back["pageInfo"]["startCursor"])
        assert [n["viewer"] for n in nodes(start)] == ["v4"] and start["pageInfo"]["hasPreviousPage"] is False

        for window, field in (({"first": 1, "last": 1}, "last"), ({"before": first["pageInfo"]["endCursor"]}, "before"),
                              ({"first": 501}, "first"), ({"first": 1, "after": "bm90IGEgY3Vyc29y"}, "after")):
            errors = await hub.errors(PAGE, window, token=national)
            assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT" and errors[0]["extensions"]["field"] == field


async def test_a_connection_ordered_by_time_pages_on_its_time_and_id(engine, database_url):
    now = utcnow()
    async with session_factory(engine)() as s, s.begin():  # three rejected at the same moment: the id breaks ties
        s.add_all(RejectedRecord(region_code="19.71", source_system="rest:19.71", record_key=f"r{i}", source_id=f"r{i}",
                                 raw="{}", reason="unknown status", last_seen_at=now - timedelta(minutes=i // 3))
                  for i in range(6))
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        seen: list[str] = []
        after = None
        while True:
            page = (await hub.query(REJECTED, {"first": 4, "after": after}, token=national))["rejectedRecords"]
            seen += [n["sourceId"] for n in nodes(page)]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert seen == ["r2", "r1", "r0", "r5", "r4", "r3"]
        back = (await hub.query(REJECTED, {"last": 4}, token=national))["rejectedRecords"]
        assert [n["sourceId"] for n in nodes(back)] == ["r0", "r5", "r4", "r3"]
