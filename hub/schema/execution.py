"""graphql-core execution that passes planned values through, within a time limit.

A resolver that built its field's whole value from a plan
(:mod:`hub.resolvers.read_plan`) returns it wrapped in
:class:`~hub.resolvers.read_plan.Completed`; completing it is then taking it
as it is, instead of resolving and completing each field below.

A query runs for at most ``HUB_EXECUTION_TIMEOUT_SECONDS``. The cost budget
(:mod:`hub.schema.cost_limit`) keeps most queries far below it; the limit
ends the rest. Two ways, because work that never awaits would block the
event loop (and ``/healthz`` with it) where a timer cannot fire: an awaited
resolver is cancelled when the time is up (``asyncio.timeout`` around the
execution), and every field checks the clock before it
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
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from hub.resolvers.errors import UserFacingError
from hub.resolvers.read_plan import Completed


class QueryTimedOut(UserFacingError):
    """The query ran past the execution time limit and was stopped."""

    code = "QUERY_TIMEOUT"


class TimeLimit:
    """When the operation's time is up, and the error that says so."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.reason = QueryTimedOut(
            f"The query ran longer than the limit of {seconds:g} s and was stopped; "
            "ask for less (smaller pages, fewer nested lists)"
        )

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.at


class PlannedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_limit: TimeLimit | None = None
        settings = getattr(self.context_value, "settings", None)
        if settings is not None and self.operation.operation is OperationType.QUERY:
            self.time_limit = TimeLimit(settings.execution_timeout_seconds)

    def execute_operation(self, serially: bool | None = None) -> Any:
        result = super().execute_operation(serially)
        limit = self.time_limit
        if limit is None:
            return result
        if not self.is_awaitable(result):
            return self._stopped() if limit.passed else result

        async def within_limit() -> Any:
            try:
                async with asyncio.timeout(max(0.0, limit.at - time.monotonic())):
                    completed = await result
            except TimeoutError:
                return self._stopped()
            return self._stopped() if limit.passed else completed
        return within_limit()

    def _stopped(self) -> ExecutionResult:
        assert self.time_limit is not None
        return ExecutionResult(data=None, errors=[self.time_limit.reason])

    def execute_field(self, *args: Any) -> Any:
        limit = self.time_limit
        if limit is not None and limit.passed:
            raise limit.reason
        return super().execute_field(*args)

    def complete_value(self, return_type: Any, field_details_list: Any, info: Any, path: Any, result: Any,
                       position_context: Any) -> Any:
        if type(result) is Completed:
            return result.data
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)
