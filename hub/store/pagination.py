"""Opaque keyset cursors for Relay connections.

A cursor carries the ordering it was made for and the sort key of the row it
points at, so the next page starts strictly after that row: rows inserted
between two page requests are never repeated and never push others out of
view.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Cursor:
    order: str
    key: tuple[Any, ...]

    def encode(self) -> str:
        key = [v.isoformat() if isinstance(v, datetime) else v for v in self.key]
        raw = json.dumps({"o": self.order, "k": key}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(
        cls,
        text: str,
        *,
        order: str,
        datetime_positions: tuple[int, ...] = (),
        int_positions: tuple[int, ...] = (),
        float_positions: tuple[int, ...] = (),
        length: int | None = None,
    ) -> Cursor:
        try:
            padded = text + "=" * (-len(text) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode()))
            found = data["o"]
            if isinstance(found, str) and found != order:  # a real cursor of another ordering: say so
                raise InvalidCursor(f"cursor was made for ordering {found}, not {order}; start again without `after`")
            key = list(data["k"])
            if length is not None and len(key) != length:
                raise ValueError("wrong key length")
            for position in datetime_positions:
                moment = datetime.fromisoformat(key[position])
                if moment.tzinfo is None:
                    raise ValueError("naive datetime")
                key[position] = moment.astimezone(UTC)
            for position in int_positions:
                value = key[position]
                if isinstance(value, bool) or not isinstance(value, int) or not -(2**63) <= value < 2**63:
                    raise ValueError("not a 64-bit integer")
            for position in float_positions:
                value = key[position]
                if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                    raise ValueError("not a finite number")
                key[position] = float(value)
        except InvalidCursor:
            raise
        except (ValueError, KeyError, TypeError, IndexError, OverflowError, binascii.Error):
            raise InvalidCursor(f"cursor {text!r} is not a cursor this API handed out") from None
        return cls(order=found, key=tuple(key))
