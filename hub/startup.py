"""Why the hub could not start, in one line an operator can act on.

A start-up failure (an unreachable database, a schema that is behind, a region
file with problems, a file store it cannot use) is an operator's
configuration, not a bug: it is logged as one readable line, and the traceback
that the ASGI server would print after it is left out.
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("hub.app")


class StartupFailed(RuntimeError):
    """Raised from the lifespan after the reason has been logged."""


def reason(error: BaseException, *, database_url: str) -> str:
    """One line saying what is wrong and where."""
    if isinstance(error, (OSError, TimeoutError)) or _caused_by(error, OSError):
        url = make_url(database_url)
        where = f"{url.host or 'localhost'}:{url.port or ''}".rstrip(":") + f"/{url.database or ''}"
        detail = getattr(error, "strerror", None) or str(error) or type(error).__name__
        return f"the database at {where} cannot be reached ({detail}); check HUB_DATABASE_URL"
    if isinstance(error, SQLAlchemyError):
        first = str(getattr(error, "orig", None) or error).splitlines()[0]
        return f"the database refused the hub: {first}; check HUB_DATABASE_URL"
    lines = [line.strip(" -") for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    for line in lines[1:]:
        text += (" " if text.endswith(":") else "; ") + line
    return text


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    cause = error.__cause__ or error.__context__
    while cause is not None:
        if isinstance(cause, kind):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


class HideStartupTraceback(logging.Filter):
    """Drops the ASGI server's traceback of a start-up failure already logged in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Traceback") and StartupFailed.__name__ in message)
