"""Push bodies built from the region file's templates.

A template maps a payload path (dotted: ``pelapor.nama`` builds nested
objects, ``laporan.perihal`` wraps the body) to either a field name, whose
value is put as it is (numbers stay numbers, yes/no in the region's words),
or a text with ``{field}`` placeholders (``"{text} (LAPOR! {tracking_id})"``),
or a constant text after ``=`` (``"=LAPOR!"``).
A field whose value is empty (None) is left out of the body, so an optional
field the hub does not know is not sent as ``null``.

Fields of a submission: :data:`SUBMISSION_FIELDS`; of a follow-up or status
change: :data:`CHANGE_FIELDS` (``text`` is the words a person wrote, else a
one-line summary in Indonesian; ``note`` only the words, if any; ``status`` is
the region's word for the complaint's national status after the change).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from hub.connectors.words import Vocabulary
from hub.domain.changes import OutboundChange, ReporterContact, SubmitChange, summary, text_of

SUBMISSION_FIELDS = (
    "tracking_id", "title", "body", "category", "category_code", "category_name", "type", "privacy", "channel",
    "anonymous", "confidential", "privacy_word", "reporter_name", "reporter_phone", "reporter_email", "address",
    "latitude", "longitude", "submitted_at", "attachment_urls",
)
CHANGE_FIELDS = (
    "text", "note", "actor", "status", "national_status", "kind", "tracking_id", "source_id", "occurred_at",
)


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def check_template(fields: Mapping[str, str], known: tuple[str, ...], what: str) -> None:
    """ValueError naming every value that is neither a field of ``what`` nor a ``{field}`` text of them."""
    unknown: list[str] = []
    for path, source in fields.items():
        if source.startswith("="):
            continue
        if "{" in source:
            try:
                names = _placeholders(source)
            except ValueError as exc:
                raise ValueError(f"{path}: {source!r} is not a template ({exc})") from None
            unknown += [name for name in names if name not in known]
        elif source not in known:
            unknown.append(source)
    if unknown:
        raise ValueError(f"fields {', '.join(sorted(set(unknown)))} are not fields of {what} (it has {', '.join(known)})")


def render(template: Mapping[str, str], values: Mapping[str, Any]) -> dict[str, Any]:
    """The body ``template`` describes, filled from ``values``."""
    body: dict[str, Any] = {}
    for path, source in template.items():
        if source.startswith("="):
            value: Any = source[1:]
        elif "{" in source:
            if any(values.get(name) is None for name in _placeholders(source)):
                missing = {name: "" for name in _placeholders(source) if values.get(name) is None}
                value = source.format_map({**values, **missing}).strip() or None
            else:
                value = source.format_map(values)
        else:
            value = values.get(source)
        if value is not None:
            _set_path(body, path, value)
    return body


def submission_fields(change: SubmitChange, *, category_word: str | None, words: Vocabulary) -> dict[str, Any]:
    """What a submission offers a region's create body, by name (``category`` is the region's own word)."""
    reporter = change.reporter or ReporterContact()
    return {
        "tracking_id": change.tracking_id, "title": change.title, "body": change.body,
        "category": category_word, "category_code": change.category_code, "category_name": change.category_name,
        "type": change.type.value, "privacy": change.privacy.value, "channel": change.channel.value,
        "anonymous": words.word(change.anonymous), "confidential": words.word(change.confidential),
        "privacy_word": words.privacy_word(change.confidential),
        "reporter_name": reporter.name, "reporter_phone": reporter.phone, "reporter_email": reporter.email,
        "address": change.address, "latitude": change.latitude, "longitude": change.longitude,
        "submitted_at": change.occurred_at.isoformat(),
        "attachment_urls": [link.url for link in change.attachments],  # signed links the region fetches the files by
    }


def change_fields(change: OutboundChange, *, status_word: str | None, source_id: str | None) -> dict[str, Any]:
    """What a follow-up or status change offers a region's body, by name."""
    return {
        "text": summary(change), "note": text_of(change), "actor": change.actor, "status": status_word,
        "national_status": change.status.value, "kind": change.kind.value, "tracking_id": change.tracking_id,
        "source_id": source_id, "occurred_at": change.occurred_at.isoformat(),
    }


def _set_path(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value
