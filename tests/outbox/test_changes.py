"""Typed outbound changes: what each action queues for its region, stored and read back unchanged."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, datetime

import pytest
import yaml
from sqlalchemy import select

from hub.domain.access import HIDDEN_REPORTER
from hub.domain.changes import (
    CHANGE_TYPES,
    ChangeFormatError,
    ChangeKind,
    CommentChange,
    DispositionChange,
    OutboundChange,
    SubmitChange,
    from_payload,
    summary,
    to_payload,
)
from hub.domain.vocabulary import Channel, ComplaintType, Privacy, Role, Status
from hub.store.database import session_factory
from hub.store.outbox_models import OutboxRow
from tests.hubclient import hub_client
from tests.mutations.helpers import (
    DISPOSITION,
    FOLLOW_UP,
    SUBMIT,
    VERIFY,
    add_agency,
    complaint_input,
    global_id,
    run,
    tokens,
)
from tests.mutations.test_lifecycle import reporter_of
from tests.outbox.test_dispatch import closed_port, rest_region

NOW = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)


def example(cls: type) -> OutboundChange:
    """An instance of ``cls`` with every field given a value of its type."""
    values: dict[str, typing.Any] = {}
    hints = typing.get_type_hints(cls)
    samples = {str: "teks", int: 7, float: -2.1, datetime: NOW, Status: Status.VERIFIED, Role: Role.REGION_ADMIN,
               Privacy: Privacy.CONFIDENTIAL, Channel: Channel.SMS, ComplaintType: ComplaintType.ASPIRATION}
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        optional = typing.get_origin(hint) in (typing.Union, types.UnionType)
        target = [a for a in typing.get_args(hint) if a is not type(None)][0] if optional else hint
        if typing.get_origin(target) is tuple:
            item = typing.get_args(target)[0]
            values[field.name] = (item(url="https://contoh.go.id/foto.jpg", file_name="foto.jpg"),)
        elif dataclasses.is_dataclass(target):
            values[field.name] = target(name="Siti", phone="0812", email="siti@contoh.id")
        else:
            values[field.name] = samples[target]
    return typing.cast(OutboundChange, cls(**values))


@pytest.mark.parametrize("kind", list(ChangeKind))
def test_every_kind_of_change_is_stored_and_read_back_unchanged(kind):
    change = example(CHANGE_TYPES[kind])
    assert from_payload(kind.value, to_payload(change)) == change
    assert summary(change)


def test_a_stored_change_that_cannot_be_read_says_what_is_wrong():
    with pytest.raises(ChangeFormatError, match="unknown change kind 'status'"):
        from_payload("status", {})
    payload = to_payload(example(DispositionChange))
    del payload["agency_name"]
    with pytest.raises(ChangeFormatError, match="agency_name` is missing"):
        from_payload("disposition", payload)
    payload = to_payload(example(DispositionChange))
    payload["agency_id"] = "tujuh"
    with pytest.raises(ChangeFormatError, match="agency_id: 'tujuh' is not a int"):
        from_payload("disposition", payload)


async def queued(engine) -> list[OutboundChange]:
    async with session_factory(engine)() as session:
        rows = (await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all()
    return [from_payload(row.kind, row.payload) for row in rows]


async def test_actions_queue_typed_changes_and_an_anonymous_reporter_is_never_named(
    engine, database_url, tmp_path, monkeypatch
):
    monkeypatch.setenv("PKP_API_KEY", "rahasia")
    regions = tmp_path / "regions.yaml"
    regions.write_text(yaml.safe_dump({"regions": [rest_region(f"http://127.0.0.1:{closed_port()}")]}))
    agency = await add_agency(engine)
    async with hub_client(database_url, schedule=False, regions_file=str(regions)) as hub:
        hidden = {"name": "Rahmat Rahasia", "phone": "081299990000", "email": "rahmat@contoh.id"}
        filed = (await hub.query(SUBMIT, {"input": complaint_input(privacy="ANONYMOUS", reporter=hidden)}))["r"]
        ref = filed["complaint"]["trackingId"]
        who = tokens(hub, agency_id=agency, reporter_id=await reporter_of(engine, ref))
        reporter = hub.token(Role.REPORTER, reporter_id=await reporter_of(engine, ref), subject="rahmat@contoh.id")
        await run(hub, VERIFY, who["region"], id=ref)
        await run(hub, DISPOSITION, who["region"], id=ref, agency=global_id("Agency", agency))
        await run(hub, FOLLOW_UP, reporter, id=ref, text="Mohon segera ditangani")
    submit, verify, disposition, comment = await queued(engine)
    assert isinstance(submit, SubmitChange) and submit.privacy is Privacy.ANONYMOUS
    assert submit.reporter is None and submit.actor == HIDDEN_REPORTER
    assert submit.category_code == "ROADS" and submit.category_name
    assert (verify.kind, verify.status, verify.actor) == (ChangeKind.VERIFY, Status.VERIFIED, "admin.pangkalpinang")
    assert isinstance(disposition, DispositionChange) and disposition.agency_id == agency
    assert isinstance(comment, CommentChange) and comment.actor == HIDDEN_REPORTER
    for change in (submit, verify, disposition, comment):
        text = repr(to_payload(change))
        for identity in hidden.values():
            assert identity not in text, (identity, change)
