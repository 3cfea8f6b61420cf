"""The scope table of docs/access.md, checked cell by cell on every path.

For every row (role x relation) and column (privacy) of the table, a
complaint is built that stands in exactly that relation to the caller. The
in-memory rule (``can_see``/``can_see_reporter``), the SQL rule
(``visible_clause``/``identity_clause``) and the GraphQL API (the list, the
count, ``node`` and the reporter field) must all give what the cell says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from hub.domain.access import ComplaintFacts, Viewer, can_see, can_see_reporter
from hub.domain.vocabulary import Privacy, Role
from hub.store.database import session_factory
from hub.store.models import Complaint, Reporter
from hub.store.scope import identity_clause, visible_clause
from tests.api.builders import add_agency, add_complaint
from tests.hubclient import hub_client

TABLE = Path(__file__).parents[2] / "docs" / "access.md"
REGENCY, NEIGHBOUR, ELSEWHERE = "19.71", "19.01", "61.71"  # Pangkal Pinang, Bangka (same province), Pontianak
PROVINCE = "19"

LIST = """query { complaints(first: 100) { totalCount edges { node { id title reporterHidden reporter { name } } } } }"""
NODE = """query($id: ID!) { node(id: $id) { ... on Complaint { title reporter { name } } } }"""


def scope_table() -> dict[tuple[str, str], dict[Privacy, str]]:
    text = TABLE.read_text(encoding="utf-8")
    block = re.search(r"<!-- scope-table -->(.*?)<!-- /scope-table -->", text, re.S)
    assert block, "docs/access.md has no scope table between its markers"
    rows = [line.strip().strip("|").split("|") for line in block.group(1).strip().splitlines()]
    header = [cell.strip() for cell in rows[0]]
    privacies = [Privacy(name) for name in header[2:]]
    table = {}
    for cells in rows[2:]:
        role, relation, *values = (cell.strip() for cell in cells)
        table[(role, relation)] = dict(zip(privacies, values, strict=True))
    return table


@dataclass
class Cell:
    role: str
    relation: str
    privacy: Privacy
    expected: str  # all, content, none
    title: str = ""
    complaint_id: int = 0


@dataclass
class Cast:
    """The people the table speaks of, and the agencies and reporters they stand for."""

    my_agency: int
    other_agency: int
    my_reporter: int
    other_reporter: int


def viewer_of(role: str, cast: Cast) -> tuple[Role, dict]:
    return {
        "PUBLIC": (Role.PUBLIC, {}),
        "REPORTER": (Role.REPORTER, {"reporter_id": cast.my_reporter}),
        "AGENCY_OFFICER": (Role.AGENCY_OFFICER, {"agency_id": cast.my_agency}),
        "REGION_ADMIN": (Role.REGION_ADMIN, {"region_codes": [REGENCY]}),
        "PROVINCE_ADMIN": (Role.REGION_ADMIN, {"region_codes": [PROVINCE]}),
        "NATIONAL_ADMIN": (Role.NATIONAL_ADMIN, {}),
    }[role]


def facts_for(role: str, relation: str, cast: Cast) -> dict:
    """Where the complaint is, who handles it and who filed it, to stand in ``relation`` to ``role``."""
    theirs = {"region_code": ELSEWHERE, "agency_id": None, "reporter_id": cast.other_reporter}
    match relation:
        case "own":
            return {**theirs, "reporter_id": cast.my_reporter}
        case "agency":
            return {**theirs, "region_code": REGENCY, "agency_id": cast.my_agency}
        case "region":
            return {**theirs, "region_code": REGENCY, "agency_id": cast.other_agency}
        case "province":
            return {**theirs, "region_code": NEIGHBOUR if role == "REGION_ADMIN" else REGENCY}
        case "other":
            return theirs
    raise AssertionError(f"unknown relation {relation!r} in docs/access.md")


async def reporter(engine, name: str) -> int:
    async with session_factory(engine)() as s, s.begin():
        row = Reporter(name=name, phone="0812" + str(abs(hash(name)) % 10**8))
        s.add(row)
        await s.flush()
        return row.id


async def test_every_cell_of_the_scope_table_holds_on_every_path(engine, database_url):
    table = scope_table()
    assert {role for role, _ in table} == {"PUBLIC", "REPORTER", "AGENCY_OFFICER", "REGION_ADMIN", "PROVINCE_ADMIN",
                                           "NATIONAL_ADMIN"}
    cast = Cast(
        my_agency=await add_agency(engine, REGENCY, "Dinas PUPR Kota Pangkalpinang"),
        other_agency=await add_agency(engine, REGENCY, "Dinas Kesehatan Kota Pangkalpinang"),
        my_reporter=await reporter(engine, "Pelapor Sendiri"),
        other_reporter=await reporter(engine, "Pelapor Lain"),
    )
    cells: list[Cell] = []
    for (role, relation), by_privacy in table.items():
        for privacy, expected in by_privacy.items():
            cell = Cell(role, relation, privacy, expected, title=f"{role}/{relation}/{privacy.value}")
            facts = facts_for(role, relation, cast)
            complaint = await add_complaint(engine, title=cell.title, reporter=None, privacy=privacy,
                                            reporter_id=facts["reporter_id"], region_code=facts["region_code"],
                                            agency_id=facts["agency_id"])
            cell.complaint_id = complaint.id
            cells.append(cell)

    async with hub_client(database_url) as hub:
        for role in sorted({c.role for c in cells}):
            kind, claims = viewer_of(role, cast)
            viewer = Viewer(role=kind, region_codes=frozenset(claims.get("region_codes", ())),
                            agency_id=claims.get("agency_id"), reporter_id=claims.get("reporter_id"))
            async with session_factory(engine)() as s:
                rows = {c.id: c for c in await s.scalars(select(Complaint))}
                sql_visible = set(await s.scalars(select(Complaint.id).where(visible_clause(viewer))))
                sql_identity = set(await s.scalars(select(Complaint.id).where(identity_clause(viewer))))
            token = hub.token(kind, **claims) if kind is not Role.PUBLIC else None
            data = await hub.query(LIST, token=token)
            listed = {e["node"]["title"]: e["node"] for e in data["complaints"]["edges"]}
            assert data["complaints"]["totalCount"] == len(listed)
            for cell in (c for c in cells if c.role == role):
                row = rows[cell.complaint_id]
                facts = ComplaintFacts(region_code=row.region_code, privacy=row.privacy, agency_id=row.agency_id,
                                       reporter_id=row.reporter_id, id=row.id)
                sees, knows = cell.expected != "none", cell.expected == "all"
                where = f"{cell.title}: docs/access.md says {cell.expected}"
                assert can_see(viewer, facts) is sees, f"in-memory rule disagrees: {where}"
                assert (row.id in sql_visible) is sees, f"SQL rule disagrees: {where}"
                if sees:
                    assert can_see_reporter(viewer, facts) is knows, f"in-memory identity rule disagrees: {where}"
                    assert (row.id in sql_identity) is knows, f"SQL identity rule disagrees: {where}"
                assert (cell.title in listed) is sees, f"the complaints list disagrees: {where}"
                if sees:
                    node = listed[cell.title]
                    assert (node["reporter"] is not None) is knows and node["reporterHidden"] is not knows, where
                    by_id = (await hub.query(NODE, {"id": node["id"]}, token=token))["node"]
                    assert by_id is not None and (by_id["reporter"] is not None) is knows, f"node(id) disagrees: {where}"
