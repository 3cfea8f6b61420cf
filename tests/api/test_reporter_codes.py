"""A reporter without an account follows their complaint: submitting returns, once, a secret
code; the tracking id and code open a short-lived token that reads that complaint, even a
confidential one, and nothing else; guessing codes is refused after a few wrong ones."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from hub.store.database import session_factory
from hub.store.privacy_models import CodeAttempt, ReporterCode
from tests.hubclient import hub_client

SUBMIT = """mutation($input: SubmitComplaintInput!) { r: submitComplaint(input: $input) {
  __typename ... on ComplaintPayload { secretCode complaint { id trackingId } } } }"""
OPEN = """mutation($t: String!, $code: String!) { r: openComplaint(trackingId: $t, code: $code) {
  __typename ... on ReporterAccessPayload { token expiresAt complaint { trackingId } }
  ... on NotFoundError { message } ... on RateLimitedError { message retryAfterSeconds code }
  ... on ValidationError { message field } } }"""
READ = "query($t: String!) { complaint(trackingId: $t) { title privacy reporter { name } } }"
LIST = "{ complaints(first: 50) { totalCount edges { node { title } } } }"


async def file(hub, title: str, name: str) -> tuple[str, str]:
    data = await hub.query(SUBMIT, {"input": {"title": title, "body": "Rincian laporan.", "regionCode": "19.71",
                                              "privacy": "CONFIDENTIAL",
                                              "reporter": {"name": name, "phone": "081211112222"}}})
    assert data["r"]["__typename"] == "ComplaintPayload"
    return data["r"]["complaint"]["trackingId"], data["r"]["secretCode"]


async def test_a_reporter_reads_their_confidential_complaint_with_its_code_and_nobody_else_can(engine, database_url):
    async with hub_client(database_url, schedule=False) as hub:
        mine, code = await file(hub, "Dugaan pungli di puskesmas", "Siti Rahayu")
        theirs, their_code = await file(hub, "Laporan orang lain", "Budi Santoso")
        assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code) and code != their_code
        async with session_factory(engine)() as session:
            kept = [row.code_hash for row in await session.scalars(select(ReporterCode))]
        assert len(kept) == 2 and code not in kept and code.replace("-", "") not in " ".join(kept)

        assert (await hub.query(READ, {"t": mine}))["complaint"] is None  # confidential: not for the public

        typed = code.lower().replace("-", " ")  # as a person may type it
        opened = (await hub.query(OPEN, {"t": mine.lower(), "code": typed}))["r"]
        assert opened["__typename"] == "ReporterAccessPayload", opened
        assert opened["complaint"]["trackingId"] == mine
        token = opened["token"]
        read = (await hub.query(READ, {"t": mine}, token=token))["complaint"]
        assert read == {"title": "Dugaan pungli di puskesmas", "privacy": "CONFIDENTIAL", "reporter": {"name": "Siti Rahayu"}}
        assert (await hub.query(READ, {"t": theirs}, token=token))["complaint"] is None
        listed = (await hub.query(LIST, token=token))["complaints"]
        assert [e["node"]["title"] for e in listed["edges"]] == ["Dugaan pungli di puskesmas"]

        # the other reporter's code opens only theirs; a code never opens another tracking id
        wrong = (await hub.query(OPEN, {"t": mine, "code": their_code}))["r"]
        assert wrong["__typename"] == "NotFoundError"
        unknown = (await hub.query(OPEN, {"t": "LPR-2020-0999999", "code": code}))["r"]
        assert unknown == wrong  # an unknown tracking id reads like a wrong code


async def test_twenty_wrong_codes_in_a_row_are_refused_and_every_process_counts_them(engine, database_url):
    async with hub_client(database_url, schedule=False, code_max_attempts=10) as hub:
        tracking, code = await file(hub, "Jalan rusak", "Siti Rahayu")
        answers = [(await hub.query(OPEN, {"t": tracking, "code": f"AAAA-BBBB-CCCC-{n:04d}"}))["r"] for n in range(20)]
        kinds = [a["__typename"] for a in answers]
        assert kinds == ["NotFoundError"] * 10 + ["RateLimitedError"] * 10
        refused = answers[-1]
        assert refused["code"] == "RATE_LIMITED" and 0 < refused["retryAfterSeconds"] <= 3600
        assert f"{refused['retryAfterSeconds']} seconds" in refused["message"]
        # while refused, even the right code is not heard
        assert (await hub.query(OPEN, {"t": tracking, "code": code}))["r"]["__typename"] == "RateLimitedError"

    async with hub_client(database_url, schedule=False, code_max_attempts=10) as other:  # another hub process
        assert (await other.query(OPEN, {"t": tracking, "code": code}))["r"]["__typename"] == "RateLimitedError"

    async with session_factory(engine)() as session, session.begin():  # an hour and more goes by
        for attempt in await session.scalars(select(CodeAttempt)):
            attempt.attempted_at -= timedelta(hours=1)
    async with hub_client(database_url, schedule=False, code_max_attempts=10) as later:
        assert (await later.query(OPEN, {"t": tracking, "code": code}))["r"]["__typename"] == "ReporterAccessPayload"
