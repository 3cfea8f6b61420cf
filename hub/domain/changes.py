"""Changes the hub makes that a regional app must hear: one type per kind.

A mutation builds one of these; the outbox stores it (:func:`to_payload`,
:func:`from_payload`); the dispatcher hands it to the region's connector,
which matches on its type. Every side shares these classes, so a field that
one side writes and another reads under another name is a type error, not a
lost category.

::

    Change (tracking id, when, actor, status after the change)
    ├── SubmitChange         a new complaint, with what the region needs to file it
    ├── VerifyChange         ├── RejectChange (reason)     ├── PostponeChange (reason)
    ├── AddDetailChange      the reporter answered a postponement (text)
    ├── DispositionChange    to an agency
    ├── ReturnChange         not our authority (bukan wewenang): the agency handed it back
    ├── FollowUpChange       ├── CommentChange             ├── ResolveChange
    ├── ReopenChange         ├── RateChange                ├── CloseChange
    ├── WithdrawChange       └── TransferChange            moved to another region

``actor`` is already what the region may see: a reporter of an anonymous
complaint is :data:`~hub.domain.access.HIDDEN_REPORTER`, never a name or an
address, and a submission of an anonymous complaint carries no contact.
"""

from __future__ import annotations

import dataclasses
import enum
import typing
from dataclasses import dataclass
from datetime import datetime
from types import UnionType
from typing import TYPE_CHECKING, Any, ClassVar

from hub.domain.vocabulary import Channel, ComplaintType, Privacy, Role, Status

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class ChangeKind(enum.StrEnum):
    SUBMIT = "submit"
    VERIFY = "verify"
    REJECT = "reject"
    POSTPONE = "postpone"  # tunda
    ADD_DETAIL = "add_detail"
    DISPOSITION = "disposition"  # disposisi
    RETURN = "return"  # bukan wewenang
    FOLLOW_UP = "follow_up"  # tindak lanjut
    COMMENT = "comment"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    RATE = "rate"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    TRANSFER = "transfer"


class ChangeFormatError(ValueError):
    """A stored change that cannot be read back (an unknown kind, a missing or mistyped field)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    kind: ClassVar[ChangeKind]

    tracking_id: str
    occurred_at: datetime
    actor: str  # as the region may see it
    actor_role: Role | None
    status: Status  # the complaint's national status after the change


@dataclass(frozen=True, slots=True, kw_only=True)
class ReporterContact:
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AttachmentLink:
    url: str
    file_name: str | None = None
    content_type: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.SUBMIT

    title: str
    body: str
    type: ComplaintType
    privacy: Privacy
    channel: Channel
    region_code: str
    category_code: str | None = None
    category_name: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    reporter: ReporterContact | None = None  # None for an anonymous complaint
    attachments: tuple[AttachmentLink, ...] = ()

    @property
    def anonymous(self) -> bool:
        return self.privacy is Privacy.ANONYMOUS

    @property
    def confidential(self) -> bool:
        return self.privacy is Privacy.CONFIDENTIAL


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.VERIFY


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.REJECT
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PostponeChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.POSTPONE
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AddDetailChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.ADD_DETAIL
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DispositionChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.DISPOSITION
    agency_id: int
    agency_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.RETURN
    reason: str
    agency_id: int | None = None
    agency_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.FOLLOW_UP
    text: str
    attachments: tuple[AttachmentLink, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.COMMENT
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolveChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.RESOLVE
    text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReopenChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.REOPEN
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RateChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.RATE
    stars: int
    comment: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CloseChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.CLOSE
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WithdrawChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.WITHDRAW
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TransferChange(Change):
    kind: ClassVar[ChangeKind] = ChangeKind.TRANSFER
    from_region_code: str
    to_region_code: str
    reason: str


OutboundChange = (
    SubmitChange | VerifyChange | RejectChange | PostponeChange | AddDetailChange | DispositionChange | ReturnChange
    | FollowUpChange | CommentChange | ResolveChange | ReopenChange | RateChange | CloseChange | WithdrawChange
    | TransferChange
)

CHANGE_TYPES: dict[ChangeKind, type[Change]] = {cls.kind: cls for cls in typing.get_args(OutboundChange)}


def text_of(change: OutboundChange) -> str | None:
    """The words a person wrote with the change, if any (a follow-up's text, a rejection's reason)."""
    for name in ("text", "reason", "comment"):
        value = getattr(change, name, None)
        if isinstance(value, str) and value:
            return value
    return None


def summary(change: OutboundChange) -> str:
    """One line in Indonesian saying what happened, for regional apps that keep free text."""
    match change:
        case SubmitChange():
            return f"Laporan baru {change.tracking_id}: {change.title}"
        case VerifyChange():
            return "Laporan diverifikasi"
        case RejectChange():
            return f"Laporan ditolak: {change.reason}"
        case PostponeChange():
            return f"Laporan ditunda, pelapor diminta melengkapi: {change.reason}"
        case AddDetailChange():
            return f"Pelapor melengkapi laporan: {change.text}"
        case DispositionChange():
            return f"Didisposisikan ke {change.agency_name}"
        case ReturnChange():
            return f"Bukan wewenang {change.agency_name or 'instansi'}: {change.reason}"
        case FollowUpChange():
            return change.text
        case CommentChange():
            return change.text
        case ResolveChange():
            return f"Laporan selesai ditindaklanjuti{': ' + change.text if change.text else ''}"
        case ReopenChange():
            return f"Laporan dibuka kembali{': ' + change.reason if change.reason else ''}"
        case RateChange():
            return f"Penilaian pelapor: {change.stars}/5{': ' + change.comment if change.comment else ''}"
        case CloseChange():
            return f"Laporan ditutup{': ' + change.reason if change.reason else ''}"
        case WithdrawChange():
            return f"Laporan dicabut{': ' + change.reason if change.reason else ''}"
        case TransferChange():
            return f"Laporan dialihkan ke wilayah {change.to_region_code}: {change.reason}"
    typing.assert_never(change)


# -- storing a change ----------------------------------------------------------------------------


def to_payload(change: DataclassInstance) -> dict[str, Any]:
    """A JSON-ready dict of ``change`` (its kind is stored beside it); notices and messages are stored the same way."""
    return {field.name: _plain(getattr(change, field.name)) for field in dataclasses.fields(change)}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def from_payload(kind: str, payload: dict[str, Any]) -> OutboundChange:
    """The change stored as ``kind`` and ``payload``; :class:`ChangeFormatError` says what is wrong."""
    try:
        cls = CHANGE_TYPES[ChangeKind(kind)]
    except ValueError:
        raise ChangeFormatError(f"unknown change kind {kind!r}") from None
    return typing.cast(OutboundChange, _build(cls, payload, kind))


def _build(cls: type, payload: Any, where: str) -> Any:
    if not isinstance(payload, dict):
        raise ChangeFormatError(f"{where}: expected an object, got {type(payload).__name__}")
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name not in payload:
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                raise ChangeFormatError(f"{where}: field `{field.name}` is missing")
            continue
        values[field.name] = _value(hints[field.name], payload[field.name], f"{where}.{field.name}")
    return cls(**values)


def _value(hint: Any, raw: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (UnionType, typing.Union):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if raw is None:
            return None
        return _value(options[0], raw, where)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(raw, list):
            raise ChangeFormatError(f"{where}: expected a list")
        return tuple(_value(item, element, f"{where}[{i}]") for i, element in enumerate(raw))
    try:
        if hint is datetime:
            return datetime.fromisoformat(raw)
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return hint(raw)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return _build(hint, raw, where)
        if hint is float and isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        if isinstance(hint, type) and isinstance(raw, hint) and not (hint is int and isinstance(raw, bool)):
            return raw
    except (TypeError, ValueError) as exc:
        raise ChangeFormatError(f"{where}: {raw!r} is not a {getattr(hint, '__name__', hint)} ({exc})") from None
    raise ChangeFormatError(f"{where}: {raw!r} is not a {getattr(hint, '__name__', hint)}")


def build_from_payload(cls: type, payload: Any, where: str) -> Any:
    """An instance of the dataclass ``cls`` read back from a stored payload, checked field by field.

    The same reading serves other typed payloads written by :func:`to_payload`
    (the notices of :mod:`hub.domain.notices`); :class:`ChangeFormatError` says what is wrong.
    """
    return _build(cls, payload, where)
