"""Row rules: boolean expressions over a complaint's facts, written once.

Who may see a complaint, whose identity they may read and who may act on it
are each one :data:`Rule`, built from a viewer by :mod:`hub.domain.access`.
A rule is data, so the same rule is evaluated here in memory
(:func:`holds`) and compiled into SQL by the store (``hub.store.scope``);
the two are tested against each other on generated complaints.

::

    Rule = Always | Never | Equals | NotEquals | OneOf | InRegions | AllOf | AnyOf

Atoms never yield SQL's unknown: an ``Equals`` on a missing (NULL) fact is
false and a ``NotEquals`` is true, in memory and in SQL alike, so ``Not`` is
never needed and composition stays two-valued.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub.domain.regions import province_of


class Fact(enum.StrEnum):
    """What a rule may look at: the few facts about a complaint that scope depends on."""

    COMPLAINT_ID = "id"
    REGION_CODE = "region_code"
    PRIVACY = "privacy"
    AGENCY_ID = "agency_id"
    REPORTER_ID = "reporter_id"


@dataclass(frozen=True, slots=True)
class Always:
    pass


@dataclass(frozen=True, slots=True)
class Never:
    pass


@dataclass(frozen=True, slots=True)
class Equals:
    fact: Fact
    value: Any  # never None: a missing fact equals nothing


@dataclass(frozen=True, slots=True)
class NotEquals:
    fact: Fact
    value: Any  # a missing fact differs from every value


@dataclass(frozen=True, slots=True)
class OneOf:
    fact: Fact
    values: frozenset[Any]


@dataclass(frozen=True, slots=True)
class InRegions:
    """The complaint's region is one of ``codes``; a province code covers its regencies and cities."""

    codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class AllOf:
    terms: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    terms: tuple[Rule, ...]


Rule = Always | Never | Equals | NotEquals | OneOf | InRegions | AllOf | AnyOf

ALWAYS: Rule = Always()
NEVER: Rule = Never()


def any_of(*terms: Rule) -> Rule:
    """A disjunction, simplified: ``Never`` terms drop out, an ``Always`` term wins."""
    kept = tuple(t for t in terms if not isinstance(t, Never))
    if any(isinstance(t, Always) for t in kept):
        return ALWAYS
    if not kept:
        return NEVER
    return kept[0] if len(kept) == 1 else AnyOf(kept)


def all_of(*terms: Rule) -> Rule:
    """A conjunction, simplified: ``Always`` terms drop out, a ``Never`` term wins."""
    kept = tuple(t for t in terms if not isinstance(t, Always))
    if any(isinstance(t, Never) for t in kept):
        return NEVER
    if not kept:
        return ALWAYS
    return kept[0] if len(kept) == 1 else AllOf(kept)


def in_regions(region_code: str, codes: frozenset[str]) -> bool:
    return region_code in codes or province_of(region_code) in codes


def holds(rule: Rule, facts: Mapping[Fact, Any]) -> bool:
    """Evaluate ``rule`` on one complaint's facts (a missing key is a missing fact)."""
    match rule:
        case Always():
            return True
        case Never():
            return False
        case Equals(fact, value):
            found = facts.get(fact)
            return found is not None and found == value
        case NotEquals(fact, value):
            found = facts.get(fact)
            return found is None or found != value
        case OneOf(fact, values):
            found = facts.get(fact)
            return found is not None and found in values
        case InRegions(codes):
            code = facts.get(Fact.REGION_CODE)
            return code is not None and in_regions(code, codes)
        case AllOf(terms):
            return all(holds(term, facts) for term in terms)
        case AnyOf(terms):
            return any(holds(term, facts) for term in terms)
    raise TypeError(f"not a rule: {rule!r}")  # pragma: no cover
