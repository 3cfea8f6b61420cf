"""Announcing that a complaint changed, in the transaction that changed it.

The message is tiny on purpose: ``{"type": "complaint", "id": ..., "region":
...}`` (or ``"ids": [...]`` for a pulled page). Each subscriber loads the complaint through its own scoped session,
so scope and anonymity rules apply per subscriber and no reporter's identity
ever travels between processes.

On PostgreSQL :func:`announce` issues ``pg_notify`` inside the transaction;
PostgreSQL delivers it to every listening hub process on commit, and never if
the transaction rolls back. On SQLite the message waits in the session until
commit and then goes to the in-process bus (:data:`LOCAL_BUS`), which is all
an embedded single-process hub needs. :mod:`hub.sync.events` listens.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

CHANNEL = "lapor_hub_changes"
_PENDING = "hub_change_feed"


class LocalBus:
    """Fan-out of messages to in-process queues, keyed by database URL."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def subscribe(self, key: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._queues[key].add(queue)
        return queue

    def unsubscribe(self, key: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._queues[key].discard(queue)

    def publish(self, key: str, message: dict[str, Any]) -> None:
        for queue in list(self._queues.get(key, ())):
            queue.put_nowait(message)


LOCAL_BUS = LocalBus()


def bus_key(url: Any) -> str:
    return url.render_as_string(hide_password=True) if hasattr(url, "render_as_string") else str(url)


async def announce(session: AsyncSession, message: dict[str, Any]) -> None:
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_notify(:channel, :payload)"),
                              {"channel": CHANNEL, "payload": json.dumps(message)})
        return
    session.sync_session.info.setdefault(_PENDING, []).append((bus_key(bind.engine.url), message))


def complaint_changed(complaint_id: int, region_code: str) -> dict[str, Any]:
    return {"type": "complaint", "id": complaint_id, "region": region_code}


ANNOUNCE_CHUNK = 400  # ids per message: a NOTIFY payload stays well under PostgreSQL's 8000 bytes


def complaints_changed(complaint_ids: list[int], region_code: str) -> list[dict[str, Any]]:
    """Messages for many complaints at once (a pulled page): one per chunk of ids, not one per complaint."""
    return [{"type": "complaint", "ids": complaint_ids[i:i + ANNOUNCE_CHUNK], "region": region_code}
            for i in range(0, len(complaint_ids), ANNOUNCE_CHUNK)]


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session: Session) -> None:
    for key, message in session.info.pop(_PENDING, ()):
        LOCAL_BUS.publish(key, message)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
