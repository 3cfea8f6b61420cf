"""Where attachment bytes are kept: a small protocol, a local folder by default.

``HUB_STORAGE=local`` keeps files under ``HUB_STORAGE_DIR``;
``HUB_STORAGE=s3`` in an S3-compatible bucket (:mod:`hub.files.s3`). A key is
made by the hub (``2025/03/<uuid>.jpg``), never from a file name a client gave.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from pathlib import Path
from typing import Protocol

from hub.settings import Settings


class FileStoreError(RuntimeError):
    """The store could not keep or give back a file."""


class FileStore(Protocol):
    async def put(self, key: str, data: bytes, *, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...

    def describe(self, key: str) -> str:
        """Where ``key`` lives, for the record (``file:...``, ``s3://bucket/...``)."""
        ...


def new_key(extension: str, now: datetime) -> str:
    return f"{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"


class LocalFileStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise FileStoreError(f"key {key!r} leaves the storage folder")
        return path

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(path.suffix + ".part")
            partial.write_bytes(data)
            partial.replace(path)

        try:
            await asyncio.to_thread(write)
        except OSError as exc:
            raise FileStoreError(f"cannot write {key}: {exc}") from None

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except OSError as exc:
            raise FileStoreError(f"cannot read {key}: {exc}") from None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)

    def describe(self, key: str) -> str:
        return f"file:{key}"


def file_store(settings: Settings) -> FileStore:
    """The store the settings name."""
    if settings.storage == "s3":
        from hub.files.s3 import S3FileStore

        assert settings.s3_endpoint and settings.s3_bucket and settings.s3_access_key and settings.s3_secret_key
        return S3FileStore(endpoint=settings.s3_endpoint, bucket=settings.s3_bucket, region=settings.s3_region,
                           access_key=settings.s3_access_key, secret_key=settings.s3_secret_key.get_secret_value())
    return LocalFileStore(settings.storage_dir)
