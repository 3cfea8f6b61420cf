"""Every reading by staff of a reporter's identity or of a confidential complaint is
recorded (who, which complaint, which field, when), on the planned path and field by
field alike, written once per request, listed for national admins and pruned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from hub.domain.vocabulary import Privacy, Role
from hub.store.database import session_factory
from hub.store.privacy_models import AccessLogEntry
from tests.api.builders import add_complaint
from tests.hubclient import hub_client, nodes

PLANNED = "{ complaints(first: 50) { edges { node { title reporter { name } } } } }"
FIELD_BY_FIELD = "{ complaints(first: 50) { edges { node { title attachments { fileName } reporter { name } } } } }"
TITLES = "{ complaints(first: 50) { edges { node { title } } } }"
LOG = """query($complaint: ID, $viewer: String, $first: Int = 50, $after: String) {
  accessLog(complaintId: $complaint, viewer: $viewer, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { viewer viewerRole complaintId field readAt requestId } } } }"""


async def build(engine) -> dict[str, int]:
    made = {}
    for privacy in Privacy:
        complaint = await add_complaint(engine, title=f"Laporan {privacy.value}", privacy=privacy, region_code="19.71",
                                        reporter=f"Pelapor {privacy.value.title()}")
        made[privacy.value] = complaint.id
    return made


def gid(complaint_id: int) -> str:
    from strawberry.relay.utils import to_base64

    return to_base64("Complaint", complaint_id)


async def entries(engine) -> int:
    async with session_factory(engine)() as session:
        return await session.scalar(select(func.count()).select_from(AccessLogEntry)) or 0


async def test_staff_readings_of_reporters_and_confidential_complaints_are_logged_on_every_path(engine, database_url):
    ids = await build(engine)
    async with hub_client(database_url, schedule=False) as hub:
        admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        national = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")

        await hub.query(PLANNED, token=admin)
        log = nodes((await hub.query(LOG, {"viewer": "admin.pangkalpinang"}, token=national))["accessLog"])
        read = {(e["complaintId"], e["field"]) for e in log}
        assert read == {(gid(ids["PUBLIC"]), "REPORTER"), (gid(ids["CONFIDENTIAL"]), "REPORTER"),
                        (gid(ids["CONFIDENTIAL"]), "CONFIDENTIAL")}  # the anonymous reporter was never shown
        assert {e["viewerRole"] for e in log} == {"REGION_ADMIN"}
        assert len({e["requestId"] for e in log}) == 1  # one request, written together

        await hub.query(FIELD_BY_FIELD, token=admin)
        log = nodes((await hub.query(LOG, {"viewer": "admin.pangkalpinang"}, token=national))["accessLog"])
        assert len(log) == 6 and len({e["requestId"] for e in log}) == 2

        await hub.query(TITLES, token=admin)  # a confidential complaint's content is a reading too
        by_complaint = (await hub.query(LOG, {"complaint": gid(ids["CONFIDENTIAL"])}, token=national))["accessLog"]
        assert [e["field"] for e in nodes(by_complaint)][:1] == ["CONFIDENTIAL"]
        assert {e["complaintId"] for e in nodes(by_complaint)} == {gid(ids["CONFIDENTIAL"])}

        before = await entries(engine)
        await hub.query(TITLES)  # the public reads no identity and no confidential complaint
        await hub.query(PLANNED, token=hub.token(Role.REPORTER, reporter_id=424242))
        assert await entries(engine) == before

        page = (await hub.query(LOG, {"first": 2}, token=national))["accessLog"]
        assert page["pageInfo"]["hasNextPage"] and len(page["edges"]) == 2
        rest = (await hub.query(LOG, {"first": 50, "after": page["pageInfo"]["endCursor"]}, token=national))["accessLog"]
        assert len(rest["edges"]) == before - 2 and not rest["pageInfo"]["hasNextPage"]

        for token in (None, admin, hub.token(Role.AGENCY_OFFICER, agency_id=1)):
            errors = await hub.errors(LOG, token=token)
            assert "national admins" in errors[0]["message"]


async def test_readings_older_than_the_retention_are_pruned(engine, database_url):
    now = datetime.now(UTC)
    async with session_factory(engine)() as session, session.begin():
        for days in (1, 40, 400):
            session.add(AccessLogEntry(viewer="admin.lama", viewer_role=Role.REGION_ADMIN, complaint_id=1,
                                       field="reporter", read_at=now - timedelta(days=days)))
    async with hub_client(database_url, schedule=False, access_log_retention_days=30) as hub:
        await hub.runtime._prune_access_log()
    async with session_factory(engine)() as session:
        kept = [row.read_at for row in await session.scalars(select(AccessLogEntry))]
    assert len(kept) == 1 and kept[0] > now - timedelta(days=2)


async def test_a_federation_reference_to_a_confidential_complaint_is_logged(engine, database_url):
    ids = await build(engine)
    async with hub_client(database_url, schedule=False) as hub:
        admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        national = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")
        data = await hub.query("""query($r: [_Any!]!) { _entities(representations: $r) { ... on Complaint { title } } }""",
                               {"r": [{"__typename": "Complaint", "id": gid(ids["CONFIDENTIAL"])}]}, token=admin)
        assert data["_entities"] == [{"title": "Laporan CONFIDENTIAL"}]
        log = nodes((await hub.query(LOG, {"viewer": "admin.pangkalpinang"}, token=national))["accessLog"])
        assert [(e["complaintId"], e["field"]) for e in log] == [(gid(ids["CONFIDENTIAL"]), "CONFIDENTIAL")]


async def test_staff_acting_on_a_confidential_complaint_is_logged(engine, database_url):
    ids = await build(engine)
    async with hub_client(database_url, schedule=False) as hub:
        admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        national = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")
        for privacy in ("PUBLIC", "CONFIDENTIAL"):
            done = await hub.query("mutation($id: ID!) { r: verifyComplaint(id: $id) { __typename } }",
                                   {"id": gid(ids[privacy])}, token=admin)
            assert done["r"]["__typename"] == "ComplaintPayload"
        log = nodes((await hub.query(LOG, {"viewer": "admin.pangkalpinang"}, token=national))["accessLog"])
        assert [(e["complaintId"], e["field"]) for e in log] == [(gid(ids["CONFIDENTIAL"]), "CONFIDENTIAL")]
