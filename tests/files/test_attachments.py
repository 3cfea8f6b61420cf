"""Photos and documents with a complaint: checked from their bytes, stripped of location, downloaded in scope."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from hub.domain import global_ids
from hub.domain.vocabulary import Role
from hub.store.database import session_factory
from hub.store.models import Attachment, Complaint
from hub.store.types import utcnow
from tests.files.helpers import PDF, WINDOWS_PROGRAM, location_of, photo_with_location, upload
from tests.hubclient import hub_client
from tests.mutations.helpers import CITIZEN, RESULT, VERIFY, add_agency, global_id, run
from tests.notify.receivers import deliver_all

SUBMIT = "mutation($input: SubmitComplaintInput!) { r: submitComplaint(input: $input) { %s } }" % RESULT
FOLLOW_UP = """mutation($id: ID!, $text: String!, $files: [Upload!]) { r: addFollowUp(id: $id, text: $text, attachments: $files) {
  __typename ... on ValidationError { message field } } }"""
ATTACHMENTS = """query($t: String!) { complaint(trackingId: $t) { trackingId attachments {
  id fileName contentType sizeBytes locationShared cameWith url } } }"""


def complaint(**extra):
    return {"title": "Jalan berlubang di Jl. Merdeka", "body": "Lubang besar, sudah dua motor jatuh.",
            "regionCode": "19.71", "categoryCode": "ROADS", "reporter": CITIZEN, "attachments": [None], **extra}


async def files_of(hub, tracking: str, token: str | None) -> list[dict] | None:
    found = (await hub.query(ATTACHMENTS, {"t": tracking}, token=token))["complaint"]
    return None if found is None else found["attachments"]


async def download(hub, url: str):
    return await hub.http.get(url.removeprefix("http://hub.test"))


async def test_a_photo_with_a_confidential_complaint_is_for_its_staff_only_and_says_nowhere_where_it_was_taken(
        database_url, tmp_path):
    async with hub_client(database_url, schedule=False, public_url="http://hub.test",
                          storage_dir=str(tmp_path / "files")) as hub:
        sent = photo_with_location()
        assert location_of(sent)  # the phone wrote where it was
        data = await upload(hub, SUBMIT, {"input": complaint(privacy="CONFIDENTIAL")},
                            {"input.attachments.0": ("IMG_2025.JPG", sent, "image/jpeg")})
        tracking = data["r"]["complaint"]["trackingId"]
        staff = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        (listed,) = await files_of(hub, tracking, staff)
        assert listed["fileName"] == "IMG_2025.jpg" and listed["contentType"] == "image/jpeg"
        assert listed["locationShared"] is False and listed["cameWith"] == "SUBMITTED"

        answer = await download(hub, listed["url"])
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert location_of(answer.content) == {}  # GPS gone
        assert answer.content.startswith(b"\xff\xd8\xff")

        assert await files_of(hub, tracking, None) is None  # the public does not see the complaint at all
        other = hub.token(Role.REGION_ADMIN, region_codes=["61.71"], subject="admin.pontianak")
        assert await files_of(hub, tracking, other) is None
        forged = listed["url"].replace("signature=", "signature=A")
        assert (await download(hub, forged)).status_code == 403
        unsigned = listed["url"].split("?")[0]
        assert (await download(hub, unsigned)).status_code == 403
        number = global_ids.decode(listed["id"], "Attachment")  # the file's number in its download link
        other_file = listed["url"].replace(f"/files/{number}?", f"/files/{number + 1}?")
        assert (await download(hub, other_file)).status_code == 403  # a link opens its own file only


async def test_a_reporter_who_shares_the_location_keeps_it(database_url, tmp_path):
    async with hub_client(database_url, schedule=False, public_url="http://hub.test",
                          storage_dir=str(tmp_path / "files")) as hub:
        sent = photo_with_location("PNG")
        data = await upload(hub, SUBMIT, {"input": complaint(shareLocation=True)},
                            {"input.attachments.0": ("lokasi.png", sent, "image/png")})
        tracking = data["r"]["complaint"]["trackingId"]
        (listed,) = await files_of(hub, tracking, None)  # a public complaint's photo is public
        assert listed["locationShared"] is True
        assert location_of((await download(hub, listed["url"])).content) == location_of(sent)


async def test_a_program_renamed_jpg_is_refused_and_nothing_is_filed(engine, database_url, tmp_path):
    async with hub_client(database_url, schedule=False, public_url="http://hub.test",
                          storage_dir=str(tmp_path / "files"), attachment_max_bytes=4096) as hub:
        refused = await upload(hub, SUBMIT, {"input": complaint()},
                               {"input.attachments.0": ("foto_jalan.jpg", WINDOWS_PROGRAM, "image/jpeg")})
        assert refused["r"]["__typename"] == "ValidationError" and refused["r"]["field"] == "attachments"
        assert "foto_jalan.jpg" in refused["r"]["message"] and "Windows program" in refused["r"]["message"]

        too_big = await upload(hub, SUBMIT, {"input": complaint()},
                               {"input.attachments.0": ("besar.jpg", photo_with_location(size=(900, 900))[:8]
                                                         + b"\x00" * 5000, "image/jpeg")})
        assert too_big["r"]["__typename"] == "ValidationError" and "larger than" in too_big["r"]["message"]

        broken = await upload(hub, SUBMIT, {"input": complaint()},
                              {"input.attachments.0": ("rusak.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image/jpeg")})
        assert broken["r"]["__typename"] == "ValidationError" and "not a readable JPG" in broken["r"]["message"]
    async with session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(Complaint)) == 0
        assert await session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert not any((tmp_path / "files").rglob("*.*"))


async def test_a_follow_up_brings_a_document_for_the_staff_of_the_complaint(engine, database_url, tmp_path):
    agency = await add_agency(engine, "19.71")
    async with hub_client(database_url, schedule=False, public_url="http://hub.test",
                          storage_dir=str(tmp_path / "files")) as hub:
        staff = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        plain = {k: v for k, v in complaint().items() if k != "attachments"}
        tracking = (await hub.query(SUBMIT, {"input": plain}))["r"]["complaint"]["trackingId"]
        await run(hub, VERIFY, staff, id=tracking)
        await hub.query("mutation($id: ID!, $a: ID!) { dispositionComplaint(id: $id, agencyId: $a) { __typename } }",
                        {"id": tracking, "a": global_id("Agency", agency)}, token=staff)
        officer = hub.token(Role.AGENCY_OFFICER, agency_id=agency, subject="petugas.pupr")
        done = await upload(hub, FOLLOW_UP, {"id": tracking, "text": "Surat perintah kerja terlampir.", "files": [None]},
                            {"files.0": ("SPK.pdf", PDF, "application/octet-stream")}, token=officer)
        assert done["r"]["__typename"] == "ComplaintPayload"
        (listed,) = await files_of(hub, tracking, officer)
        assert listed["contentType"] == "application/pdf" and listed["fileName"] == "SPK.pdf"
        assert (await download(hub, listed["url"])).content == PDF
        assert listed["cameWith"] == "FOLLOW_UP"
        too_many = await upload(hub, FOLLOW_UP, {"id": tracking, "text": "x", "files": [None] * 6},
                                {f"files.{i}": (f"{i}.pdf", PDF, "application/pdf") for i in range(6)}, token=officer)
        assert too_many["r"] == {"__typename": "ValidationError", "message": too_many["r"]["message"],
                                 "field": "attachments"}


async def test_the_push_to_a_region_carries_a_link_the_region_can_fetch_the_photo_by(
        engine, database_url, tmp_path, monkeypatch):
    from hub.store.outbox_models import OutboxRow, OutboxStatus
    from tests.e2e.regional import regions
    from tests.e2e.test_write_path import region_file

    with regions(monkeypatch, complaints=3, kinds=("rest",)) as (found, registry):
        async with hub_client(database_url, schedule=False, public_url="http://hub.test",
                              storage_dir=str(tmp_path / "files"), regions_file=region_file(tmp_path, registry)) as hub:
            data = await upload(hub, SUBMIT, {"input": complaint()},
                                {"input.attachments.0": ("lubang.jpg", photo_with_location(), "image/jpeg")})
            assert data["r"]["__typename"] == "ComplaintPayload"
            async with session_factory(engine)() as session:
                (row,) = list(await session.scalars(select(OutboxRow)))
            (link,) = row.payload["attachments"]
            assert link["content_type"] == "image/jpeg" and link["file_name"] == "lubang.jpg"
            fetched = await download(hub, link["url"])  # days later, by the regional app
            assert fetched.status_code == 200 and location_of(fetched.content) == {}
            later = utcnow()
            for _ in range(5):  # a slow answer is retried after its backoff
                await deliver_all(hub.runtime.dispatcher, now=later)
                async with session_factory(engine)() as session:
                    pushed = await session.get(OutboxRow, row.id)
                if pushed.status is OutboxStatus.DELIVERED:
                    break
                later += timedelta(hours=1)
            assert pushed.status is OutboxStatus.DELIVERED, pushed.last_error
