"""Applying :mod:`hub.domain.milestones` to a stored complaint."""

from __future__ import annotations

from datetime import datetime

from hub.domain.milestones import Stamps, reach
from hub.domain.regions import timezone_for
from hub.domain.vocabulary import Status
from hub.store.drafts import ComplaintDraft
from hub.store.models import Complaint


def move_to(complaint: Complaint | ComplaintDraft, status: Status, at: datetime) -> None:
    """Set ``complaint``'s status and the milestones that status implies."""
    stamps = reach(
        Stamps(
            verified_at=complaint.verified_at,
            dispositioned_at=complaint.dispositioned_at,
            first_follow_up_at=complaint.first_follow_up_at,
            resolved_at=complaint.resolved_at,
            closed_at=complaint.closed_at,
            postponed_at=complaint.postponed_at,
            postponed_working_days=complaint.postponed_working_days or 0,
        ),
        complaint.status,
        status,
        at,
        zone=timezone_for(complaint.region_code),
    )
    complaint.status = status
    complaint.verified_at = stamps.verified_at
    complaint.dispositioned_at = stamps.dispositioned_at
    complaint.first_follow_up_at = stamps.first_follow_up_at
    complaint.resolved_at = stamps.resolved_at
    complaint.closed_at = stamps.closed_at
    complaint.postponed_at = stamps.postponed_at
    complaint.postponed_working_days = stamps.postponed_working_days
