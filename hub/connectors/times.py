"""Reading a regional date-time text in the region's declared ``strptime`` format, fast.

A backfill reads two or three dates per record; ``datetime.strptime``
spends most of its time on locale checks and a cache lock, not on the text.
A format made only of ``%Y %m %d %H %M %S`` and literal characters (the
usual ``%d/%m/%Y %H:%M:%S``) is compiled once into a regular expression with
the same field patterns ``strptime`` uses; any other format is left to
``strptime``. Both raise ``ValueError`` for a text that does not fit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

_FIELDS = {  # the patterns of CPython's _strptime.TimeRE for these directives
    "Y": r"(?P<Y>\d\d\d\d)",
    "m": r"(?P<m>1[0-2]|0[1-9]|[1-9])",
    "d": r"(?P<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])",
    "H": r"(?P<H>2[0-3]|[0-1]\d|\d)",
    "M": r"(?P<M>[0-5]\d|\d)",
    "S": r"(?P<S>6[0-1]|[0-5]\d|\d)",
}
_DIRECTIVE = re.compile(r"%(.)")


@lru_cache(maxsize=64)
def time_parser(date_format: str) -> Callable[[str], datetime]:
    """A function reading a text in ``date_format`` into a naive datetime, as ``datetime.strptime`` would."""
    directives = _DIRECTIVE.findall(date_format)
    if (not {"Y", "m", "d"} <= set(directives) or not set(directives) <= set(_FIELDS)
            or len(set(directives)) != len(directives)):
        return lambda text: datetime.strptime(text, date_format)
    pieces = []  # as strptime: a directive's pattern, whitespace as \s+, any other character itself (any case)
    for position, part in enumerate(_DIRECTIVE.split(date_format)):
        pieces.append(_FIELDS[part] if position % 2 else r"\s+".join(map(re.escape, re.split(r"\s+", part))))
    pattern = re.compile("".join(pieces), re.IGNORECASE)

    def parse(text: str) -> datetime:
        found = pattern.fullmatch(text)
        if found is None:
            raise ValueError(f"time data {text!r} does not match format {date_format!r}")
        given = found.groupdict()
        return datetime(int(given["Y"]), int(given["m"]), int(given["d"]), int(given.get("H") or 0),
                        int(given.get("M") or 0), int(given.get("S") or 0))

    return parse
