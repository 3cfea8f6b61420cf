"""The ``options`` of a ``rest`` region, validated when the region file is read.

Every habit of a regional REST app is one option with a small vocabulary;
``docs/regions.md`` lists them with their defaults. Push bodies are
templates (:mod:`.bodies`): payload path -> a field name, or a text with
``{field}`` placeholders.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hub.connectors.rest.bodies import CHANGE_FIELDS, SUBMISSION_FIELDS, check_template

Paging = Literal["page", "offset", "cursor", "link", "none"]
Order = Literal["oldest", "newest"]
AuthStyle = Literal["none", "header", "bearer", "basic", "query"]

DEFAULT_FOLLOW_UP_FIELDS = {"isi": "text", "oleh": "actor", "status": "status"}
DEFAULT_STATUS_FIELDS = {"status": "status", "catatan": "note", "petugas": "actor"}


class RestOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # -- reading ------------------------------------------------------------
    list_path: str
    records_path: str = "data"  # "": the answer is the list itself
    paging: Paging = "page"
    order: Order = "oldest"
    page_param: str = "page"
    page_size_param: str | None = None  # default: per_page (page, link), limit (offset, cursor)
    offset_param: str = "offset"
    cursor_param: str = "cursor"
    next_cursor_path: str = "next"  # where the body holds the next page's token (cursor paging)
    total_pages_path: str | None = None  # page paging: the last page number, when the body says it
    total_path: str | None = None  # offset paging: how many records match, when the body says it
    since_param: str | None = "updated_since"  # "" or null: the app has no such filter
    since_format: str = "iso"
    # -- who we are ---------------------------------------------------------
    auth: AuthStyle | None = None  # default: header when auth_header is set, else none
    auth_header: str | None = None  # header auth: the header carrying credentials.api_key (X-API-Key)
    auth_query_param: str = "api_key"  # query auth: the parameter carrying credentials.api_key
    # -- writing ------------------------------------------------------------
    create_path: str | None = None
    create_fields: dict[str, str] = {}  # payload path -> a submission field or a "{field}" text
    create_id_path: str | None = None  # where the answer holds the new record's id; default mapping.fields.source_id
    follow_up_path: str | None = None  # {source_id} is filled in
    follow_up_fields: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_FOLLOW_UP_FIELDS))
    follow_up_id_path: str = "id"
    status_path: str | None = None  # status changes on their own (PATCH /laporan/{source_id}); else as follow-ups
    status_method: Literal["PATCH", "PUT", "POST"] = "PATCH"
    status_fields: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_STATUS_FIELDS))
    health_path: str | None = None

    @field_validator("create_fields")
    @classmethod
    def _submission_template(cls, fields: dict[str, str]) -> dict[str, str]:
        check_template(fields, SUBMISSION_FIELDS, "a submission")
        return fields

    @field_validator("follow_up_fields", "status_fields")
    @classmethod
    def _change_template(cls, fields: dict[str, str]) -> dict[str, str]:
        check_template(fields, CHANGE_FIELDS, "a change")
        return fields

    @field_validator("since_param")
    @classmethod
    def _no_filter(cls, value: str | None) -> str | None:
        return value or None

    @model_validator(mode="after")
    def _resolve(self) -> RestOptions:
        if self.auth is None:
            self.auth = "header" if self.auth_header else "none"
        if self.auth == "header" and not self.auth_header:
            self.auth_header = "X-API-Key"
        if self.page_size_param is None:
            self.page_size_param = "per_page" if self.paging in ("page", "link") else "limit"
        return self

    def needed_credentials(self) -> tuple[str, ...]:
        return {"none": (), "basic": ("username", "password")}.get(self.auth or "none", ("api_key",))
