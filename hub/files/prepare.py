"""Turning an uploaded file into one the hub keeps: size, kind and location checked before anything is stored.

:func:`prepare` reads at most the size limit (plus one byte, to know it was
exceeded), decides the kind from the bytes (:mod:`hub.files.kinds`), decodes
a photo to be sure it is one, and takes its location out unless the reporter
chose to share it (:mod:`hub.files.images`). The name a client gave is kept
only as a label, cleaned, with the extension of what the file really is.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from hub.files.images import check_image, without_location
from hub.files.kinds import FileKind, NotAccepted, accepted_names, sniff

CHUNK = 64 * 1024


class UploadRefused(ValueError):
    """An upload the hub does not keep; the message says which file and why."""


@dataclass(frozen=True, slots=True)
class PreparedFile:
    file_name: str
    kind: FileKind
    data: bytes
    sha256: str
    location_shared: bool

    @property
    def size(self) -> int:
        return len(self.data)


def clean_name(given: str | None, kind: FileKind) -> str:
    """A display name: the last path part, printable, at most 120 characters, ending in the real extension."""
    name = re.split(r"[\\/]", given or "")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable() and ch not in '"<>:|?*')
    stem = name.rsplit(".", 1)[0].strip(" .") if "." in name else name.strip(" .")
    return f"{(stem or 'lampiran')[:120]}.{kind.extension}"


async def _read(upload: Any, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await upload.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise UploadRefused(f"is larger than {limit // (1024 * 1024) or limit} "
                                f"{'MB' if limit >= 1024 * 1024 else 'bytes'}")
        chunks.append(chunk)


async def prepare(upload: Any, *, max_bytes: int, share_location: bool) -> PreparedFile:
    """``upload`` (anything with ``filename`` and an async ``read(n)``) checked and ready to store."""
    label = getattr(upload, "filename", None) or "lampiran"
    try:
        data = await _read(upload, max_bytes)
        if not data:
            raise UploadRefused("is empty")
        kind = sniff(data[:64])
        if kind.is_image:
            check_image(data, kind)
            if not share_location:
                data = without_location(data, kind)
    except NotAccepted as exc:
        raise UploadRefused(f"{label} is refused: {exc}; the hub takes {accepted_names()}") from None
    except UploadRefused as exc:
        raise UploadRefused(f"{label} {exc}") from None
    return PreparedFile(file_name=clean_name(label, kind), kind=kind, data=data,
                        sha256=hashlib.sha256(data).hexdigest(), location_shared=share_location and kind.is_image)
