"""The window a connection argument asks for (``first``/``after`` or ``last``/``before``), checked once for all lists."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from hub.resolvers.context import Context
from hub.resolvers.errors import BadInput
from hub.store.keyset import PageRequest
from hub.store.pagination import InvalidCursor

T = TypeVar("T")


def page_request(*, first: int | None, after: str | None, last: int | None, before: str | None,
                 default: int, cap: int) -> PageRequest:
    """A forward window unless ``last`` is given; ``default`` items when no size is; sizes from 1 to ``cap``."""
    if first is not None and last is not None:
        raise BadInput("give `first` (with `after`) or `last` (with `before`), not both", field="last")
    if last is None and before is not None:
        raise BadInput("`before` pages backward: give `last` with it", field="before")
    if last is not None and after is not None:
        raise BadInput("`after` pages forward: give `first` with it", field="after")
    name, size = ("last", last) if last is not None else ("first", default if first is None else first)
    if not 1 <= size <= cap:
        raise BadInput(f"`{name}` must be between 1 and {cap}, got {size}", field=name)
    if last is not None:
        return PageRequest(last=size, before=before)
    return PageRequest(first=size, after=after)


async def read_page(ctx: Context, query: Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any) -> T:
    """``ctx.read`` of a paged store query; a cursor of another list is the caller's mistake."""
    try:
        return await ctx.read(query, *args, **kwargs)
    except InvalidCursor as exc:
        page = kwargs.get("page")
        raise BadInput(str(exc), field="before" if page is not None and page.backward else "after") from None
