"""The S3-compatible store against a local S3 server (moto in server mode), and its signer against botocore's."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from unittest import mock

import pytest
from moto.server import ThreadedMotoServer

from hub.domain.vocabulary import Role
from hub.files.s3 import S3FileStore, authorization
from hub.files.store import FileStoreError
from tests.files.helpers import location_of, photo_with_location, upload
from tests.files.test_attachments import ATTACHMENTS, SUBMIT, complaint, download
from tests.hubclient import hub_client
from tests.notify.receivers import free_port


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def store(endpoint: str, bucket: str = "lampiran") -> S3FileStore:
    return S3FileStore(endpoint=endpoint, bucket=bucket, region="ap-southeast-3", access_key="AKIAHUB",
                       secret_key="rahasia")


def test_the_signature_is_the_one_botocore_computes():
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    now = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    for url, body in [("http://127.0.0.1:9000/lampiran/2025/03/ab12.jpg", b"foto"),
                      ("https://s3.example.id/lampiran/2025/03/a%20b~c.pdf", b""),
                      ("https://s3.example.id/lampiran?list-type=2&prefix=2025%2F", b"")]:
        digest = hashlib.sha256(body).hexdigest()
        headers = {"host": url.split("/")[2], "x-amz-date": "20250304T050607Z", "x-amz-content-sha256": digest,
                   "content-type": "image/jpeg"}
        ours = authorization(method="PUT", url=url, headers=headers, payload_sha256=digest, access_key="AK",
                             secret_key="SK", region="ap-southeast-3", now=now)
        theirs = AWSRequest(method="PUT", url=url, data=body,
                            headers={"content-type": "image/jpeg", "x-amz-content-sha256": digest})
        with mock.patch("botocore.auth.get_current_datetime", return_value=now.replace(tzinfo=None)):
            S3SigV4Auth(Credentials("AK", "SK"), "s3", "ap-southeast-3").add_auth(theirs)
        assert ours == theirs.headers["Authorization"], url


async def test_files_go_in_and_come_back_out(s3_endpoint):
    files = store(s3_endpoint)
    await files.create_bucket()
    await files.put("2025/03/abc.jpg", b"\xff\xd8\xff foto", content_type="image/jpeg")
    assert await files.get("2025/03/abc.jpg") == b"\xff\xd8\xff foto"
    await files.delete("2025/03/abc.jpg")
    with pytest.raises(FileStoreError, match="404"):
        await files.get("2025/03/abc.jpg")
    with pytest.raises(FileStoreError):
        await store(s3_endpoint, bucket="tidak-ada").put("x.jpg", b"x", content_type="image/jpeg")
    assert files.describe("2025/03/abc.jpg") == "s3://lampiran/2025/03/abc.jpg"


async def test_the_hub_keeps_uploads_in_s3_when_told_to(database_url, s3_endpoint):
    await store(s3_endpoint).create_bucket()
    settings = {"public_url": "http://hub.test", "storage": "s3", "s3_endpoint": s3_endpoint, "s3_bucket": "lampiran",
                "s3_region": "ap-southeast-3", "s3_access_key": "AKIAHUB", "s3_secret_key": "rahasia"}
    async with hub_client(database_url, schedule=False, **settings) as hub:
        data = await upload(hub, SUBMIT, {"input": complaint()},
                            {"input.attachments.0": ("jalan.jpg", photo_with_location(), "image/jpeg")})
        tracking = data["r"]["complaint"]["trackingId"]
        staff = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        (listed,) = (await hub.query(ATTACHMENTS, {"t": tracking}, token=staff))["complaint"]["attachments"]
        answer = await download(hub, listed["url"])
    assert answer.status_code == 200 and location_of(answer.content) == {}
