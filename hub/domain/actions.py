"""Who may do what to a complaint: the role rules of the write path, pure.

Each rule names the roles that may perform a :class:`Deed` and, for a
complaint, whether the caller is one of the people who may perform it on
*that* complaint. :func:`refusal` returns ``None`` when the caller may act, or
a :class:`Refusal` whose message says who may, so a caller can act on it.

::

    PUBLIC          submit (WEB, MOBILE, SMS, SOCIAL_MEDIA)
    REPORTER        submit; on their own complaints: comment, add detail,
                    rate, reopen, withdraw
    AGENCY_OFFICER  on complaints dispositioned to their agency:
                    follow up, resolve, not our authority
    REGION_ADMIN    in their regions: submit MANUAL, verify, reject, postpone,
                    disposition, follow up, resolve, withdraw, merge,
                    transfer to another region, manual work
    NATIONAL_ADMIN  everything above anywhere, plus retry a push; except
                    rating, which is the reporter's own voice and feeds the
                    satisfaction figures

Whether the *status* allows the deed is the lifecycle's business
(:mod:`hub.domain.lifecycle`); role comes first, so a caller who may never
act is told so rather than told about statuses.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub.domain.access import ComplaintFacts, Viewer, agency_rule, own_rule, regions_rule
from hub.domain.rules import ALWAYS, NEVER, Fact, Rule, any_of, holds
from hub.domain.vocabulary import Channel, Role


class Deed(enum.StrEnum):
    SUBMIT = "submit"
    SUBMIT_MANUAL = "submit a MANUAL complaint"
    VERIFY = "verify"
    REJECT = "reject"
    POSTPONE = "postpone"
    ADD_DETAIL = "add detail to"
    DISPOSITION = "disposition"
    NOT_OUR_AUTHORITY = "hand back (not our authority)"
    FOLLOW_UP = "follow up"
    COMMENT = "comment on"
    RESOLVE = "resolve"
    RATE = "rate"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    MERGE = "merge"
    RETRY_PUSH = "retry a push for"
    MANUAL_WORK = "handle manual work for"
    TRANSFER = "transfer"


_OWNER = "the reporter who filed it"
_AGENCY = "an officer of the agency it is dispositioned to"
_REGION = "an admin of its region"
_NATION = "a national admin"

# deed -> (who may, described) ; the predicates live in _permits
WHO: dict[Deed, tuple[str, ...]] = {
    Deed.SUBMIT: ("anyone",),
    Deed.SUBMIT_MANUAL: (_REGION, _NATION),
    Deed.VERIFY: (_REGION, _NATION),
    Deed.REJECT: (_REGION, _NATION),
    Deed.POSTPONE: (_REGION, _NATION),
    Deed.ADD_DETAIL: (_OWNER, _NATION),
    Deed.DISPOSITION: (_REGION, _NATION),
    Deed.NOT_OUR_AUTHORITY: (_AGENCY, _NATION),
    Deed.FOLLOW_UP: (_AGENCY, _REGION, _NATION),
    Deed.COMMENT: (_OWNER, _AGENCY, _REGION, _NATION),
    Deed.RESOLVE: (_AGENCY, _REGION, _NATION),
    Deed.RATE: (_OWNER,),
    Deed.REOPEN: (_OWNER, _NATION),
    Deed.WITHDRAW: (_OWNER, _REGION, _NATION),
    Deed.MERGE: (_REGION + " (of both complaints)", _NATION),
    Deed.RETRY_PUSH: (_NATION,),
    Deed.MANUAL_WORK: (_REGION, _NATION),
    Deed.TRANSFER: (_REGION + " that holds it", _NATION),
}


@dataclass(frozen=True, slots=True)
class Refusal:
    deed: Deed
    message: str
    allowed: tuple[str, ...]


def deed_rule(viewer: Viewer, deed: Deed) -> Rule:
    """The complaints on which ``viewer`` may perform ``deed``, as a rule (see :mod:`hub.domain.rules`)."""
    if viewer.role is Role.NATIONAL_ADMIN:
        return NEVER if deed is Deed.RATE else ALWAYS
    own, agency = own_rule(viewer), agency_rule(viewer)
    regional = regions_rule(viewer)
    match deed:
        case Deed.SUBMIT:
            return ALWAYS if viewer.role in (Role.PUBLIC, Role.REPORTER) else NEVER
        case (Deed.SUBMIT_MANUAL | Deed.VERIFY | Deed.REJECT | Deed.POSTPONE | Deed.DISPOSITION | Deed.MANUAL_WORK
              | Deed.MERGE | Deed.TRANSFER):
            return regional
        case Deed.ADD_DETAIL | Deed.RATE | Deed.REOPEN:
            return own
        case Deed.NOT_OUR_AUTHORITY:
            return agency
        case Deed.FOLLOW_UP | Deed.RESOLVE:
            return any_of(agency, regional)
        case Deed.COMMENT:
            return any_of(own, agency, regional)
        case Deed.WITHDRAW:
            return any_of(own, regional)
        case Deed.RETRY_PUSH:
            return NEVER
    return NEVER  # pragma: no cover - every deed is matched above


def _permits(viewer: Viewer, deed: Deed, facts: ComplaintFacts | None, region_code: str | None) -> bool:
    known: Mapping[Fact, Any] = facts.as_facts() if facts is not None else {Fact.REGION_CODE: region_code}
    return holds(deed_rule(viewer, deed), known)


def refusal(
    viewer: Viewer, deed: Deed, facts: ComplaintFacts | None = None, *, region_code: str | None = None
) -> Refusal | None:
    """``None`` if ``viewer`` may perform ``deed`` (on ``facts``, or in ``region_code``); else why not."""
    if _permits(viewer, deed, facts, region_code):
        return None
    allowed = WHO[deed]
    target = "a complaint" if deed not in (Deed.SUBMIT, Deed.SUBMIT_MANUAL, Deed.MANUAL_WORK) else ""
    what = f"{deed.value} {target}".strip()
    if deed is Deed.MANUAL_WORK:
        what = f"{deed.value} region {region_code}"
    message = f"you ({viewer.role.value}) may not {what}; only {' or '.join(allowed)} may"
    return Refusal(deed=deed, message=message, allowed=allowed)


def submit_deed(viewer: Viewer, channel: Channel) -> Deed:
    """Submitting through a self-service channel is open to anyone; MANUAL is staff work."""
    if channel is Channel.MANUAL:
        return Deed.SUBMIT_MANUAL
    return Deed.SUBMIT


def may_merge(viewer: Viewer, keep: ComplaintFacts, duplicate: ComplaintFacts) -> bool:
    """Merging touches two complaints: a region admin must cover both."""
    return refusal(viewer, Deed.MERGE, keep) is None and refusal(viewer, Deed.MERGE, duplicate) is None
