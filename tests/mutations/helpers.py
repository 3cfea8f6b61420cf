"""GraphQL documents and small helpers shared by the write-path tests."""

from __future__ import annotations

from typing import Any

from hub.domain import global_ids
from hub.domain.vocabulary import Role
from hub.store.database import session_factory
from hub.store.models import Agency

RESULT = """
  __typename
  ... on ComplaintPayload { complaint { id trackingId status agency { name } rating
        timeline { kind actor actorRole fromStatus toStatus text } sources { sourceSystem sourceId } } }
  ... on NotAllowedError { message allowed }
  ... on IllegalTransitionError { message currentStatus action }
  ... on NotFoundError { message }
  ... on ValidationError { message field }
"""

SUBMIT = "mutation($input: SubmitComplaintInput!) { r: submitComplaint(input: $input) { %s } }" % RESULT


def act(name: str, args: str = "", params: str = "") -> str:
    return f"mutation($id: ID!{params}) {{ r: {name}(id: $id{args}) {{ {RESULT} }} }}"


VERIFY = act("verifyComplaint")
REJECT = act("rejectComplaint", ", reason: $reason", ", $reason: String!")
DISPOSITION = act("dispositionComplaint", ", agencyId: $agency", ", $agency: ID!")
FOLLOW_UP = act("addFollowUp", ", text: $text", ", $text: String!")
RESOLVE = act("resolveComplaint")
RATE = act("rateComplaint", ", stars: $stars, comment: $comment", ", $stars: Int!, $comment: String")
REOPEN = act("reopenComplaint")
WITHDRAW = act("withdrawComplaint")
MERGE = "mutation($keep: ID!, $dup: ID!) { r: mergeComplaints(keep: $keep, duplicate: $dup) { %s } }" % RESULT

CITIZEN = {"name": "Siti Rahayu", "phone": "081234567890"}


def complaint_input(**extra: Any) -> dict[str, Any]:
    return {"title": "Lampu PJU mati di Jl. Merdeka", "body": "Sudah seminggu gelap, rawan kecelakaan.",
            "regionCode": "19.71", "categoryCode": "ROADS", "reporter": CITIZEN, **extra}


async def add_agency(engine, region_code: str = "19.71", name: str = "Dinas PUPR Kota Pangkalpinang") -> int:
    async with session_factory(engine)() as session, session.begin():
        agency = Agency(region_code=region_code, name=name)
        session.add(agency)
        await session.flush()
        return agency.id


def global_id(type_name: str, key: int) -> str:
    """The global id of the ``type_name`` row keyed ``key`` (an Agency, an OutboxItem...)."""
    return global_ids.encode(type_name, key)


async def submit(hub, token: str | None = None, **extra: Any) -> dict[str, Any]:
    data = await hub.query(SUBMIT, {"input": complaint_input(**extra)}, token=token)
    assert data["r"]["__typename"] == "ComplaintPayload", data
    return data["r"]["complaint"]


async def run(hub, document: str, token: str | None, **variables: Any) -> dict[str, Any]:
    return (await hub.query(document, variables, token=token))["r"]


def tokens(hub, *, agency_id: int | None = None, reporter_id: int | None = None) -> dict[str, str]:
    made = {
        "national": hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional"),
        "region": hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang"),
        "other_region": hub.token(Role.REGION_ADMIN, region_codes=["61.71"], subject="admin.pontianak"),
    }
    if agency_id is not None:
        made["agency"] = hub.token(Role.AGENCY_OFFICER, agency_id=agency_id, subject="petugas.pupr")
    if reporter_id is not None:
        made["reporter"] = hub.token(Role.REPORTER, reporter_id=reporter_id, subject="siti")
        made["stranger"] = hub.token(Role.REPORTER, reporter_id=reporter_id + 1000, subject="orang.lain")
    return made
