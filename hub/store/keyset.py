"""Newest-first pages of the lists that grow (sync runs, rejected records, outbox, deliveries, access log).

A :class:`PageRequest` is a Relay window: ``first`` items after a cursor, or
``last`` items before one. Rows are ordered by a sort key of columns, newest
first, ending with the row id (so the order is total); a cursor is the key
of the row it points at (:class:`hub.store.pagination.Cursor`), and the next
page starts strictly after it, whatever was inserted meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import DateTime, Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from hub.store.pagination import Cursor

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class PageRequest:
    """``first`` rows after ``after``, or ``last`` rows before ``before`` (the resolver checks the sizes)."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def backward(self) -> bool:
        return self.last is not None


@dataclass(frozen=True, slots=True)
class KeysetPage(Generic[T]):
    """A page of rows in list order, each row's cursor, and whether rows lie beyond either end."""

    rows: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool

    def shown_as(self, show: Callable[[T], U]) -> KeysetPage[U]:
        """The same page with each row as ``show`` makes it (cursors and ends unchanged)."""
        return KeysetPage([show(row) for row in self.rows], self.cursors, self.has_next_page, self.has_previous_page)


async def keyset_page(session: AsyncSession, query: Select[Any], keys: Sequence[Any], *, order: str,
                      page: PageRequest, key_of: Callable[[Any], tuple[Any, ...]] | None = None) -> KeysetPage[Any]:
    """The window ``page`` of ``query``'s rows ordered by ``keys`` descending (the last key is the row id).

    Rows are the query's first entity, or whole result rows when ``key_of`` (a row's sort key) is given.
    Raises :class:`hub.store.pagination.InvalidCursor` for a cursor of another list or ordering.
    """
    moments = tuple(i for i, key in enumerate(keys) if _is_moment(key))
    ints = tuple(i for i, key in enumerate(keys) if i not in moments)
    row_key = tuple_(*keys)
    given = page.before if page.backward else page.after
    if given is not None:
        mark = Cursor.decode(given, order=order, datetime_positions=moments, int_positions=ints,
                             length=len(keys)).key
        query = query.where(row_key > tuple_(*mark) if page.backward else row_key < tuple_(*mark))
    size = (page.last if page.backward else page.first) or 0
    ordering = [key.asc() if page.backward else key.desc() for key in keys]
    window = query.order_by(*ordering).limit(size + 1)
    rows = list((await session.execute(window)).all() if key_of else (await session.scalars(window)).all())
    more = len(rows) > size
    rows = rows[:size]
    if page.backward:
        rows.reverse()
    names = [key.key for key in keys]
    key_of = key_of or (lambda row: tuple(getattr(row, name) for name in names))
    cursors = [Cursor(order, key_of(row)).encode() for row in rows]
    if page.backward:
        return KeysetPage(rows, cursors, has_next_page=given is not None, has_previous_page=more)
    return KeysetPage(rows, cursors, has_next_page=more, has_previous_page=given is not None)


def _is_moment(column: Any) -> bool:
    kind = getattr(column.type, "impl", column.type)  # a TypeDecorator (UTCDateTime) names its stored type
    return isinstance(kind, DateTime)
