"""Why a mutation refused, as exceptions the schema turns into typed errors, and the one id decoder they use.

A refused mutation raises a :class:`MutationFailure` inside its transaction
(rolling it back); ``hub.schema.types.results.error_of`` maps each kind onto
its error type: :class:`Refused` a ``NotAllowedError``, :class:`Illegal` an
``IllegalTransitionError``, :class:`Missing` a ``NotFoundError``,
:class:`Invalid` a ``ValidationError``.
"""

from __future__ import annotations

from hub.domain import global_ids
from hub.domain.lifecycle import IllegalTransition
from hub.domain.vocabulary import Status


class MutationFailure(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Refused(MutationFailure):
    def __init__(self, message: str, allowed: tuple[str, ...]) -> None:
        super().__init__(message)
        self.allowed = allowed


class Illegal(MutationFailure):
    def __init__(self, error: IllegalTransition | None = None, *, current: Status | None = None,
                 action: str | None = None, message: str | None = None) -> None:
        super().__init__(message or str(error))
        self.current = error.current if error else current
        self.action = error.action.value if error else action


class Missing(MutationFailure):
    pass


class Invalid(MutationFailure):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def key_of(ref: str, type_name: str, field: str = "id") -> int:
    """The row key of the global id ``ref`` of a ``type_name``; :class:`Invalid` (on ``field``) otherwise."""
    key = global_ids.decode(str(ref), type_name)
    if key is None:
        raise Invalid(f"`{field}` must be the global id of a {type_name}", field)
    return key
