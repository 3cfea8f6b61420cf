"""Global ids: how every object with identity is named in the API.

A global id is base64 of ``"<Type>:<key>"`` (the Relay convention, e.g.
``Q29tcGxhaW50OjQy`` is ``Complaint:42``). Everything that takes an id in the
API decodes it here and nowhere else: :func:`decode` returns the key, or None
when the text does not name an object of the expected type (the caller turns
that into a ``ValidationError`` or a null ``node``).
"""

from __future__ import annotations

import base64
import binascii

from hub.domain.bounds import row_key


def encode(type_name: str, key: int | str) -> str:
    """The global id of the ``type_name`` object keyed ``key``."""
    return base64.b64encode(f"{type_name}:{key}".encode()).decode("ascii")


def parse(text: str) -> tuple[str, str] | None:
    """``(type name, key text)`` of a global id, or None when ``text`` is not one."""
    text = (text or "").strip()
    if not text or len(text) > 200:
        return None
    try:
        decoded = base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeError):
        return None
    type_name, colon, key = decoded.partition(":")
    if not colon or not type_name or not key:
        return None
    return type_name, key


def decode(text: str, type_name: str) -> int | None:
    """The row key of a global id naming a ``type_name``, else None."""
    parsed = parse(text)
    if parsed is None or parsed[0] != type_name:
        return None
    return row_key(parsed[1])
