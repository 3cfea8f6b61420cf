"""graphql-core execution that passes planned values through, within a time limit.

A resolver that built its field's whole value from a plan
(:mod:`hub.resolvers.read_plan`) returns it wrapped in
:class:`~hub.resolvers.read_plan.Completed`; completing it is then taking it
as it is, instead of resolving and completing each field below.

A query runs for at most ``HUB_EXECUTION_TIMEOUT_SECONDS``. The cost budget
(:mod:`hub.schema.cost_limit`) keeps most queries far below it; the limit
ends the rest. Two ways, because work that never awaits would block the
event loop (and ``/healthz`` with it) where a timer cannot fire: an awaited
resolver is cancelled when the time is up (the :class:`TimeLimit` is
graphql-core's abort signal), and every field checks the clock before it
starts, so a long synchronous completion stops at the next field. Between
awaits such a query still holds the loop, up to the limit: the cost budget
is what keeps every allowed query far shorter (``bench/query_cost.py``). The
operation is then answered with one error, ``QUERY_TIMEOUT``. Mutations and
subscriptions are not cut short: a half-done write is worse than a slow one.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from graphql import ExecutionResult, OperationType
from graphql.execution.aborted_graphql_execution_error import AbortedGraphQLExecutionError
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from hub.resolvers.errors import UserFacingError
from hub.resolvers.read_plan import Completed


class QueryTimedOut(UserFacingError):
    """The query ran past the execution time limit and was stopped."""

    code = "QUERY_TIMEOUT"


class TimeLimit:
    """An abort signal (graphql-core reads ``aborted`` and awaits ``wait()``) that fires when time is up."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.reason = QueryTimedOut(
            f"The query ran longer than the limit of {seconds:g} s and was stopped; "
            "ask for less (smaller pages, fewer nested lists)"
        )
        self._fired: asyncio.Future[Any] | None = None

    @property
    def aborted(self) -> bool:
        return time.monotonic() >= self.at

    async def wait(self) -> Any:
        if self._fired is None:
            loop = asyncio.get_running_loop()
            fired = self._fired = loop.create_future()
            loop.call_at(loop.time() + max(0.0, self.at - time.monotonic()),
                         lambda: fired.done() or fired.set_result(None))
        await asyncio.shield(self._fired)
        return self.reason


class PlannedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_limit: TimeLimit | None = None
        settings = getattr(self.context_value, "settings", None)
        if settings is not None and self.operation.operation is OperationType.QUERY and self.abort_signal is None:
            self.time_limit = TimeLimit(settings.execution_timeout_seconds)
            self.abort_signal = self.time_limit  # type: ignore[assignment]

    def execute_operation(self, serially: bool | None = None) -> Any:
        try:
            result = super().execute_operation(serially)
        except AbortedGraphQLExecutionError as exc:
            return self._stopped(exc)
        if self.is_awaitable(result):
            async def awaited() -> Any:
                try:
                    return await result
                except AbortedGraphQLExecutionError as exc:
                    return self._stopped(exc)
            return awaited()
        return result

    def _stopped(self, exc: AbortedGraphQLExecutionError) -> ExecutionResult:
        if self.time_limit is None or exc.reason is not self.time_limit.reason:
            raise exc
        return ExecutionResult(data=None, errors=[self.time_limit.reason])

    def execute_field(self, *args: Any) -> Any:
        limit = self.time_limit
        if limit is not None and limit.aborted:
            raise limit.reason
        return super().execute_field(*args)

    def complete_value(self, return_type: Any, field_details_list: Any, info: Any, path: Any, result: Any,
                       position_context: Any) -> Any:
        if type(result) is Completed:
            return result.data
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)
