"""Connections of the lists that grow: one generic ``<Node>Connection`` of ``<Node>Edge``s, newest first.

``Connection[SyncRun]`` is named ``SyncRunConnection`` in the schema. Its page
comes from :func:`hub.store.keyset.keyset_page` (``first``/``after`` or
``last``/``before``); page sizes are checked by
:func:`hub.resolvers.paging.page_request` and counted by ``hub.schema.cost``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import strawberry
from strawberry import relay

if TYPE_CHECKING:  # a page is handed in by the resolvers
    from hub.store.keyset import KeysetPage

T = TypeVar("T")

DEFAULT_PAGE, MAX_PAGE = 50, 500  # items of a page when no size is given, and the most a page holds
PAGE_SIZES = f"{DEFAULT_PAGE} a page unless `first` or `last` says (at most {MAX_PAGE})"

FIRST = strawberry.argument(description="Page forward: this many items after `after` (the newest when it is not "
                                        "given)")
AFTER = strawberry.argument(description="A cursor this list handed out: page on from that item")
LAST = strawberry.argument(description="Page backward: this many items before `before` (the oldest when it is not "
                                       "given)")
BEFORE = strawberry.argument(description="A cursor this list handed out: page back from that item")


@strawberry.type(description="An item of a page, with its cursor")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Pass as `after` to page on after this item, `before` to page back")
    node: T = strawberry.field(description="The item")


@strawberry.type(description="A page of a list that grows, newest first (Relay connection)")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, newest first")
    page_info: relay.PageInfo = strawberry.field(
        description="Cursors of the page's ends, and whether items lie beyond either end")

    @classmethod
    def of(cls, page: KeysetPage[Any], node: Callable[[Any], T]) -> Connection[T]:
        edges = [Edge(cursor=cursor, node=node(row)) for row, cursor in zip(page.rows, page.cursors, strict=True)]
        info = relay.PageInfo(has_next_page=page.has_next_page, has_previous_page=page.has_previous_page,
                              start_cursor=page.cursors[0] if page.cursors else None,
                              end_cursor=page.cursors[-1] if page.cursors else None)
        return cls(edges=edges, page_info=info)
