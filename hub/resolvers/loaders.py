"""Per-request DataLoaders: one statement per batch of keys, results in key order.

A page of complaints with region, agency, category, sources and recent
timeline events costs the same number of statements at 5 rows as at 100.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from strawberry.dataloader import DataLoader

from hub.domain.vocabulary import EventKind
from hub.store import complaint_queries, lookups
from hub.store.attachments import attachments_by_complaint
from hub.store.models import Agency, Attachment, Category, Complaint, ComplaintSource, Region, Reporter, TimelineEvent

if TYPE_CHECKING:
    from hub.resolvers.context import Context

V = TypeVar("V")


@overload
def _loader(context: Context, fetch: Callable[..., Awaitable[Mapping[Any, V]]]) -> DataLoader[Any, V | None]: ...


@overload
def _loader(
    context: Context, fetch: Callable[..., Awaitable[Mapping[Any, V]]], default: Callable[[], V]
) -> DataLoader[Any, V]: ...


def _loader(
    context: Context, fetch: Callable[..., Awaitable[Mapping[Any, V]]], default: Callable[[], V] | None = None
) -> DataLoader[Any, V] | DataLoader[Any, V | None]:
    """A loader of ``fetch``'s results in key order; a missing key gives ``default()`` (None without one)."""

    async def load(keys: Sequence[Any]) -> list[V | None]:
        found = await context.read(fetch, list(keys))
        return [found[key] if key in found else (default() if default is not None else None) for key in keys]

    return DataLoader(load_fn=load)


class Loaders:
    def __init__(self, context: Context) -> None:
        self._context = context
        viewer = context.viewer
        self.region: DataLoader[str, Region | None] = _loader(context, lookups.regions_by_code)
        self.region_children: DataLoader[str, list[Region]] = _loader(context, lookups.region_children, list)
        self.agency: DataLoader[int, Agency | None] = _loader(context, lookups.agencies_by_id)
        self.category: DataLoader[str, Category | None] = _loader(context, lookups.categories_by_code)
        self.reporter: DataLoader[int, Reporter | None] = _loader(context, lookups.reporters_by_id)
        self.sources: DataLoader[int, list[ComplaintSource]] = _loader(context, lookups.sources_by_complaint, list)
        self.timeline: DataLoader[int, list[TimelineEvent]] = _loader(context, lookups.events_by_complaint, list)
        self.attachments: DataLoader[int, list[tuple[Attachment, EventKind | None]]] = _loader(context, attachments_by_complaint, list)

        async def complaints(session: Any, ids: list[int]) -> dict[int, Complaint]:
            return await complaint_queries.complaints_by_ids(session, viewer, ids)

        self.complaint: DataLoader[int, Complaint | None] = _loader(context, complaints)
        self._recent: dict[int, DataLoader[int, list[TimelineEvent]]] = {}

    def recent_events(self, last: int) -> DataLoader[int, list[TimelineEvent]]:
        """The latest ``last`` events of each complaint (one loader per ``last``)."""
        if last not in self._recent:

            async def fetch(session: Any, ids: list[int]) -> dict[int, list[TimelineEvent]]:
                return await lookups.events_by_complaint(session, ids, last=last)

            self._recent[last] = _loader(self._context, fetch, list)
        return self._recent[last]
