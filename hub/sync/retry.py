"""Retrying one connector call: exponential backoff with jitter, honouring Retry-After."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from hub.connectors.records import RetryableError

T = TypeVar("T")

_backoff = wait_exponential_jitter(multiplier=0.2, max=20, jitter=0.5)


def _wait(state: RetryCallState) -> float:
    error = state.outcome.exception() if state.outcome else None
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        return min(float(retry_after), 60.0)
    return _backoff(state)


async def with_retries(call: Callable[[], Awaitable[T]], *, attempts: int) -> T:
    """``call()`` until it succeeds, raises a non-retryable error, or ``attempts`` run out."""
    async for attempt in AsyncRetrying(
        stop=stop_after_attempt(attempts),
        wait=_wait,
        retry=retry_if_exception_type(RetryableError),
        reraise=True,
    ):
        with attempt:
            return await call()
    raise AssertionError("unreachable")
