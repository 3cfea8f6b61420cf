"""S3-compatible storage (AWS S3, MinIO, Ceph, the object stores of Indonesian clouds) over httpx.

Requests use path-style addressing (``{endpoint}/{bucket}/{key}``), which
every S3-compatible server accepts, and are signed with AWS Signature
Version 4 (:func:`authorization`), written here in a few lines rather than
pulling in an SDK and its HTTP stack for three calls.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlsplit

import httpx

from hub.files.store import FileStoreError

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def authorization(*, method: str, url: str, headers: dict[str, str], payload_sha256: str, access_key: str,
                  secret_key: str, region: str, now: datetime, service: str = "s3") -> str:
    """The SigV4 ``Authorization`` header for a request whose ``headers`` include host and x-amz-*.

    ``url`` is already percent-encoded; S3 signs the path as sent, not encoded twice.
    """
    parts = urlsplit(url)
    canonical_uri = parts.path or "/"
    query = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~"))
                   for k, v in parse_qsl(parts.query, keep_blank_values=True))
    canonical_query = "&".join(f"{k}={v}" for k, v in query)
    named = {name.lower(): " ".join(value.split()) for name, value in headers.items()}
    signed = ";".join(sorted(named))
    canonical_headers = "".join(f"{name}:{named[name]}\n" for name in sorted(named))
    request = "\n".join([method, canonical_uri, canonical_query, canonical_headers, signed, payload_sha256])
    day = now.strftime("%Y%m%d")
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join([ALGORITHM, now.strftime("%Y%m%dT%H%M%SZ"), scope,
                         hashlib.sha256(request.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(f"AWS4{secret_key}".encode(), day), region), service), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={signed}, Signature={signature}"


class S3FileStore:
    def __init__(self, *, endpoint: str, bucket: str, region: str, access_key: str, secret_key: str,
                 client: httpx.AsyncClient | None = None, timeout: float = 30.0) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.bucket = bucket
        self.region = region
        self.access_key = access_key
        self.secret_key = secret_key
        self.client = client
        self.timeout = timeout

    def _url(self, key: str = "") -> str:
        return f"{self.endpoint}/{self.bucket}" + (f"/{quote(key, safe='/-_.~')}" if key else "")

    async def _send(self, method: str, url: str, *, body: bytes = b"", extra: dict[str, str] | None = None) -> httpx.Response:
        now = datetime.now(UTC)
        digest = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
        headers = {"host": urlsplit(url).netloc, "x-amz-date": now.strftime("%Y%m%dT%H%M%SZ"),
                   "x-amz-content-sha256": digest, **(extra or {})}
        headers["authorization"] = authorization(method=method, url=url, headers=headers, payload_sha256=digest,
                                                 access_key=self.access_key, secret_key=self.secret_key,
                                                 region=self.region, now=now)
        try:
            if self.client is not None:
                return await self.client.request(method, url, content=body, headers=headers, timeout=self.timeout)
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                return await client.request(method, url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise FileStoreError(f"S3 {method} {url} failed: {exc!r}") from None

    async def create_bucket(self) -> None:
        """Make the bucket (a setup step; the hub itself only reads and writes objects)."""
        body = b""
        if self.region != "us-east-1":  # every other region must be named in the request
            body = ("<CreateBucketConfiguration><LocationConstraint>"
                    f"{self.region}</LocationConstraint></CreateBucketConfiguration>").encode()
        response = await self._send("PUT", self._url(), body=body)
        if response.status_code not in (200, 409):
            raise FileStoreError(f"cannot create bucket {self.bucket}: {response.status_code} {response.text[:200]}")

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        response = await self._send("PUT", self._url(key), body=data, extra={"content-type": content_type})
        if response.status_code != 200:
            raise FileStoreError(f"S3 refused {key}: {response.status_code} {response.text[:200]}")

    async def get(self, key: str) -> bytes:
        response = await self._send("GET", self._url(key))
        if response.status_code != 200:
            raise FileStoreError(f"S3 cannot give {key}: {response.status_code} {response.text[:200]}")
        return response.content

    async def delete(self, key: str) -> None:
        response = await self._send("DELETE", self._url(key))
        if response.status_code not in (200, 204, 404):
            raise FileStoreError(f"S3 cannot delete {key}: {response.status_code}")

    def describe(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"
