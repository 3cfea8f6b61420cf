"""What a file is, from its first bytes: never from its name or the type a client declares.

Only photos (JPEG, PNG, WebP) and PDF documents are taken. Anything else is
refused with what it looks like, so a program renamed ``foto.jpg`` is told
apart from a damaged photo.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileKind:
    content_type: str
    extension: str
    is_image: bool


JPEG = FileKind("image/jpeg", "jpg", True)
PNG = FileKind("image/png", "png", True)
WEBP = FileKind("image/webp", "webp", True)
PDF = FileKind("application/pdf", "pdf", False)

_LOOKALIKES = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xfe\xed\xfa", "a macOS program"),
    (b"\xca\xfe\xba\xbe", "a macOS or Java program"),
    (b"#!", "a script"),
    (b"PK\x03\x04", "a ZIP archive (or an Office file)"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"GIF8", "a GIF image"),
    (b"<", "HTML, SVG or XML"),
)


class NotAccepted(ValueError):
    """A file whose bytes are not one of the accepted kinds."""


def sniff(head: bytes) -> FileKind:
    """The accepted kind ``head`` (a file's first bytes) starts like, or :class:`NotAccepted`."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    stripped = head.lstrip()
    for magic, what in _LOOKALIKES:
        if stripped.startswith(magic):
            raise NotAccepted(f"its content is {what}")
    raise NotAccepted("its content is not a JPEG, PNG or WebP photo nor a PDF document")


def accepted_names() -> str:
    return "JPEG, PNG or WebP photos and PDF documents"
