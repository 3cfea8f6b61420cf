"""The ``options`` of an Open311 region (see ``docs/regions.md``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hub.domain.vocabulary import Status

# The mySociety extended status posted for each national status (upper case, as the extension takes them).
POSTED_STATUS: dict[Status, str] = {
    Status.SUBMITTED: "FOR_TRIAGE", Status.VERIFIED: "INVESTIGATING", Status.DISPOSITIONED: "INTERNAL_REFERRAL",
    Status.IN_PROGRESS: "IN_PROGRESS", Status.RESOLVED: "FIXED", Status.CLOSED: "CLOSED",
    Status.POSTPONED: "INVESTIGATING", Status.REJECTED: "NO_FURTHER_ACTION", Status.WITHDRAWN: "CLOSED",
    Status.ARCHIVED: "CLOSED",
}


class Open311Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requests_path: str = "/requests.json"
    updates_path: str | None = "/servicerequestupdates.json"  # None: the server has no updates endpoint
    services_path: str = "/services.json"
    jurisdiction_id: str | None = None  # sent with every request when set
    format: Literal["auto", "json", "xml"] = "auto"
    # how GET requests is read: "extension" pages (page, page_size, updated_after); "windows" walks
    # start_date/end_date windows on requested_datetime (GeoReport v2 as specified)
    paging: Literal["extension", "windows"] = "extension"
    since_param: str = "updated_after"
    page_param: str = "page"
    page_size_param: str = "page_size"
    # windows: the widest window the server takes, the most requests one answer holds, where history begins
    window_days: float = Field(default=90, gt=0)
    cap: int = Field(default=1000, ge=1)
    history_from: datetime | None = None
    empty_windows_to_stop: int = Field(default=4, ge=1)
    # windows: whether the server filters GET requests by `since_param` (an incremental read of changes)
    incremental_reads: bool = False
    # servicerequestupdates: "read" (GET by service_request_id), "mysociety" (GET by start_date/end_date,
    # and the hub POSTs follow-ups and status changes), "none"
    updates: Literal["read", "mysociety", "none"] = "read"
    # the newest update carrying a status sets the complaint's status (servers whose request status is only open/closed)
    status_from_updates: bool = False
    posted_statuses: dict[Status, str] = Field(default_factory=dict)  # overrides of POSTED_STATUS
    description_placeholder: str = "(tanpa uraian dari daerah)"

    @property
    def reads_updates(self) -> bool:
        return self.updates != "none" and self.updates_path is not None

    def posted_status(self, status: Status) -> str:
        return self.posted_statuses.get(status) or POSTED_STATUS[status]
