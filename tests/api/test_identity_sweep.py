"""The identity sweep: a reporter's planted name, phone and e-mail reach no
one the scope table withholds them from, on any path.

An anonymous complaint is pulled from a regional app (first served
malformed, so it is also a rejected record with its raw payload, then
cleanly), with a follow-up the reporter wrote there; an anonymous and a
confidential complaint are submitted through the hub, handled, and commented
on by their reporter (the region hears those comments in its own words for a
withheld reporter). Then every non-national role queries every field of
every type (the query documents are generated from the schema), and the
outbox, webhook deliveries, logs and ``/metrics`` are read.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)
from sqlalchemy import select

from hub.domain.access import HIDDEN_REPORTER
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Role
from hub.observability.logs import JsonFormatter
from hub.schema.build import build_schema
from hub.simulators.region_file import write_region_file
from hub.store.database import session_factory
from hub.store.models import Complaint
from hub.store.outbox_models import OutboxRow, OutboxTarget
from hub.sync.runs import PullRun
from tests.e2e.regional import regions
from tests.hubclient import hub_client, nodes
from tests.mutations.helpers import DISPOSITION, FOLLOW_UP, VERIFY, add_agency, global_id, run

PULLED = ("Wulandari Kusumaningrum", "0813 7777 2468", "wulan.rahasia@contoh.id")
SUBMITTED_ANONYMOUS = ("Bambang Sukmadiraja", "0857 3131 8642", "bambang.sembunyi@contoh.id")
SUBMITTED_CONFIDENTIAL = ("Citra Purnamasari", "0821 9090 1357", "citra.tertutup@contoh.id")
HOOK = """mutation($input: CreateWebhookSubscriptionInput!) { r: createWebhookSubscription(input: $input) { __typename } }"""
SUBMIT = """mutation($input: SubmitComplaintInput!) { r: submitComplaint(input: $input) {
  ... on ComplaintPayload { complaint { id trackingId } } } }"""

MAX_DEPTH = 5
REGION_WORD = "Pelapor Anonim"  # the region's own words for a withheld reporter
# The shape planned reads build without field-by-field execution (hub.resolvers.complaint_plan)
PLANNED = """
  id trackingId title body privacy status reporterHidden reporter { name phone email }
  region { code name parent { code } } agency { id name } category { code name }
  sources { sourceSystem sourceId }
  timeline { kind fromStatus toStatus text actor actorRole sourceSystem occurredAt }
"""
PLANNED_LIST = "{ complaints(first: 100) { totalCount edges { node { %s } } } }" % PLANNED
PLANNED_ONE = "query($t: String!, $id: ID!) { complaint(trackingId: $t) { %s } node(id: $id) { ... on Complaint { %s } } }" \
    % (PLANNED, PLANNED)


def planted(values: tuple[str, str, str]) -> list[str]:
    """The three values and the forms they may be written in (the phone without spaces)."""
    name, phone, email = values
    return [name, phone, phone.replace(" ", ""), email, name.split()[1]]


def leaks(text: str, values: tuple[str, str, str]) -> list[str]:
    folded = text.casefold()
    return [v for v in planted(values) if v.casefold() in folded]


# --- documents generated from the schema ---------------------------------------------------


class Documents:
    """A query document per root field, selecting every field of every type below it."""

    def __init__(self, schema: Any, arguments: dict[str, Any]) -> None:
        self.schema = schema
        self.arguments = arguments

    def literal(self, name: str, type_: Any) -> str | None:
        if name in self.arguments:
            return json.dumps(self.arguments[name])
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            inner = self.literal(name, type_.of_type)
            return f"[{inner}]" if inner is not None else None
        if isinstance(type_, GraphQLEnumType):
            return next(iter(type_.values))
        if isinstance(type_, GraphQLInputObjectType):
            required = [f for f, field in type_.fields.items() if isinstance(field.type, GraphQLNonNull)]
            return "{}" if not required else None
        return {"Int": "20", "Boolean": "true", "String": '"19.71"', "ID": '"19.71"'}.get(type_.name)

    def args(self, field: Any) -> str | None:
        given = []
        for name, arg in field.args.items():
            if name in self.arguments or isinstance(arg.type, GraphQLNonNull) or name in ("includeResolved",):
                value = self.literal(name, arg.type)
                if value is None:
                    return None
                given.append(f"{name}: {value}")
        return f"({', '.join(given)})" if given else ""

    def selection(self, type_: Any, depth: int, seen: frozenset[str]) -> str | None:
        named = get_named_type(type_)
        if depth == 0:
            return None
        if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
            options = self.schema.get_possible_types(named)
            parts = ["__typename"]
            for option in options:
                inner = self.selection(option, depth, seen)
                if inner:
                    parts.append(f"... on {option.name} {{ {inner} }}")
            return " ".join(parts)
        assert isinstance(named, GraphQLObjectType)
        parts = []
        for name, field in named.fields.items():
            args = self.args(field)
            if args is None:
                continue
            inner_type = get_named_type(field.type)
            if is_leaf_type(inner_type):
                parts.append(f"{name}{args}")
            elif inner_type.name not in seen:
                inner = self.selection(field.type, depth - 1, seen | {named.name})
                if inner:
                    parts.append(f"{name}{args} {{ {inner} }}")
        return " ".join(parts) or "__typename"

    def queries(self) -> dict[str, str]:
        found = {}
        for name, field in self.schema.query_type.fields.items():
            args = self.args(field)
            if args is None:
                continue
            if is_leaf_type(get_named_type(field.type)):
                found[name] = f"{{ {name}{args} }}"
            else:
                inner = self.selection(field.type, MAX_DEPTH, frozenset({"Query"}))
                found[name] = f"{{ {name}{args} {{ {inner} }} }}"
        return found


# --- the test ---------------------------------------------------------------------------------


def _region_file(tmp_path, registry) -> str:
    entries = [r.model_dump(mode="json", exclude_none=True) for r in registry.regions]
    return str(write_region_file(tmp_path / "regions.yaml", entries))


async def _pull(engine, registry) -> None:
    await PullRun(engine, registry.regions[0], levels=ServiceLevels(), full=True).execute()


async def test_a_planted_identity_reaches_no_one_the_scope_table_withholds_it_from(
        engine, database_url, monkeypatch, tmp_path, caplog):
    caplog.set_level(logging.INFO)  # the hub logs at INFO; a driver at DEBUG prints SQL parameters
    with regions(monkeypatch, complaints=3, kinds=("rest",)) as (found, registry):
        rest = found["rest"]
        registry.regions[0] = registry.regions[0].model_copy(update={"hidden_reporter": REGION_WORD})
        name, phone, email = PULLED
        created = httpx.post(f"{rest.base_url}/api/v1/laporan", headers={"X-API-Key": "sim-key"}, json={
            "judul": "Pungutan liar di kantor kelurahan", "isi_laporan": "Diminta uang untuk surat pengantar.",
            "kategori": "Lainnya", "pelapor": {"nama": name, "telepon": phone, "email": email, "anonim": True},
        }, timeout=10)
        assert created.status_code == 201, created.text
        regional_id = created.json()["id"]
        replied = httpx.post(f"{rest.base_url}/api/v1/laporan/{regional_id}/tanggapan", headers={"X-API-Key": "sim-key"},
                             json={"isi": f"Saya bisa dihubungi di {phone}", "oleh": name}, timeout=10)
        assert replied.status_code == 201, replied.text
        rest.faults(malformed_rate=1.0)  # served malformed: kept as rejected records with their raw payloads
        await _pull(engine, registry)
        rest.faults(malformed_rate=0.0)
        await _pull(engine, registry)

        agency = await add_agency(engine, "19.71")
        async with hub_client(database_url, schedule=False, regions_file=_region_file(tmp_path, registry)) as hub:
            national = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")
            admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
            hooked = await hub.query(HOOK, {"input": {"name": "dashboard", "url": "http://127.0.0.1:9/hook",
                                                      "eventKinds": ["SUBMITTED", "VERIFIED", "DISPOSITIONED",
                                                                     "FOLLOWED_UP"], "regionCode": "19.71"}},
                                     token=national)
            assert hooked["r"]["__typename"] == "WebhookSecretPayload"

            tracking: dict[str, str] = {}
            for label, privacy, (n, p, e) in (("anonymous", "ANONYMOUS", SUBMITTED_ANONYMOUS),
                                             ("confidential", "CONFIDENTIAL", SUBMITTED_CONFIDENTIAL)):
                data = await hub.query(SUBMIT, {"input": {
                    "title": f"Laporan {label}", "body": "Isi laporan.", "regionCode": "19.71", "privacy": privacy,
                    "reporter": {"name": n, "phone": p, "email": e}}})
                tracking[label] = data["r"]["complaint"]["trackingId"]
            async with session_factory(engine)() as session:
                rows = {c.tracking_id: c for c in await session.scalars(select(Complaint))}
            pulled = next(c for c in rows.values() if c.title == "Pungutan liar di kantor kelurahan")
            assert pulled.privacy.value == "ANONYMOUS"
            tracking["pulled"] = pulled.tracking_id

            for ref in tracking.values():
                assert (await run(hub, VERIFY, admin, id=ref))["__typename"] == "ComplaintPayload"
                assert (await run(hub, DISPOSITION, admin, id=ref, agency=global_id("Agency", agency)))["__typename"] == "ComplaintPayload"
                reporter = hub.token(Role.REPORTER, reporter_id=rows[ref].reporter_id, subject="pelapor")
                said = await run(hub, FOLLOW_UP, reporter, id=ref, text="Terima kasih, mohon segera ditindaklanjuti.")
                assert said["__typename"] == "ComplaintPayload", said
            await hub.runtime.dispatcher.run_once()  # pushes to the region, notices fanned out to the webhook

            ids = {label: rows[ref].id for label, ref in tracking.items()}
            from strawberry.relay.utils import to_base64

            schema = build_schema(hub.settings)._schema
            base = {"first": 20, "limit": 50, "includeResolved": True, "regionCode": "19.71",
                    "representations": [{"__typename": "Complaint", "id": to_base64("Complaint", i)} for i in ids.values()]}
            viewers: dict[str, tuple[str | None, bool]] = {  # role -> (token, may know the confidential reporter)
                "PUBLIC": (None, False),
                "REPORTER (another)": (hub.token(Role.REPORTER, reporter_id=987654), False),
                "REPORTER (a code opened the confidential one)": (
                    hub.token(Role.REPORTER, complaint_ids=[ids["confidential"]]), True),
                "AGENCY_OFFICER": (hub.token(Role.AGENCY_OFFICER, agency_id=agency), True),
                "REGION_ADMIN": (admin, True),
                "PROVINCE_ADMIN": (hub.token(Role.REGION_ADMIN, region_codes=["19"]), True),
                "REGION_ADMIN (elsewhere)": (hub.token(Role.REGION_ADMIN, region_codes=["61.71"]), False),
            }
            swept = 0
            for role, (token, knows_confidential) in viewers.items():
                documents: list[str] = []
                for label, ref in tracking.items():
                    for args in ({"trackingId": ref}, {"id": to_base64("Complaint", ids[label])}):
                        documents += [q for n, q in Documents(schema, {**base, **args}).queries().items()
                                      if n in ("complaint", "node")]
                documents += [q for n, q in Documents(schema, base).queries().items() if n not in ("complaint", "node")]
                planned = [(PLANNED_LIST, {})] + [(PLANNED_ONE, {"t": ref, "id": to_base64("Complaint", ids[label])})
                                                  for label, ref in tracking.items()]
                for document, variables in [(d, {}) for d in documents] + planned:
                    response = await hub.post(document, variables, token=token)
                    assert response.status_code == 200, (role, document, response.text)
                    text = response.text
                    swept += 1
                    for values in (PULLED, SUBMITTED_ANONYMOUS) + (() if knows_confidential else (SUBMITTED_CONFIDENTIAL,)):
                        assert not leaks(text, values), f"{role} reads {leaks(text, values)} through {document[:200]}"
            assert swept > 100
            # the planted values are there to be found: a national admin reads them
            seen = await hub.query("""query($t: String!) { complaint(trackingId: $t) { reporter { name }
                timeline { actor text } } rejectedRecords(includeResolved: true) { edges { node { raw } } } }""",
                                   {"t": tracking["pulled"]}, token=national)
            assert seen["complaint"]["reporter"]["name"] == PULLED[0]
            assert any(PULLED[1] in (e["text"] or "") and e["actor"] == PULLED[0] for e in seen["complaint"]["timeline"])
            assert any(PULLED[2] in json.dumps(r["raw"], ensure_ascii=False) for r in nodes(seen["rejectedRecords"]))
            shown = nodes((await hub.query("{ rejectedRecords(includeResolved: true) { edges { node { raw } } } }",
                                           token=admin))["rejectedRecords"])
            assert shown and all(PULLED[2] not in json.dumps(r["raw"], ensure_ascii=False) for r in shown)

            async with session_factory(engine)() as session:
                outbox = list(await session.scalars(select(OutboxRow)))
            anonymous_ids = {ids["pulled"], ids["anonymous"]}
            outbound = [r for r in outbox if r.target in (OutboxTarget.REGION, OutboxTarget.WEBHOOK)]
            assert {r.target for r in outbound} == {OutboxTarget.REGION, OutboxTarget.WEBHOOK}
            for row in outbound:
                body = json.dumps(row.payload, ensure_ascii=False)
                if row.complaint_id in anonymous_ids:
                    for values in (PULLED, SUBMITTED_ANONYMOUS):
                        assert not leaks(body, values), f"{row.target.value} {row.kind} carries {leaks(body, values)}"
                elif row.target is OutboxTarget.REGION and row.payload.get("actor_role") == Role.REPORTER.value:
                    assert row.payload["actor"] == HIDDEN_REPORTER, row.payload
            reporters_changes = [r for r in outbox if r.target is OutboxTarget.REGION
                                 and r.payload.get("actor_role") == Role.REPORTER.value]
            assert reporters_changes and all(r.payload["actor"] == HIDDEN_REPORTER for r in reporters_changes)

            # the regional app heard the reporters' comments, in its own words for them, and no identity
            authors = [entry["oleh"] for record in rest.ground_truth() for entry in record["riwayat"]
                       if entry["isi"] == "Terima kasih, mohon segera ditindaklanjuti."]
            assert authors and set(authors) == {REGION_WORD}, authors

            metrics = await hub.http.get("/metrics")
            for values in (PULLED, SUBMITTED_ANONYMOUS, SUBMITTED_CONFIDENTIAL):
                assert not leaks(metrics.text, values)

    formatter = JsonFormatter()
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    for values in (PULLED, SUBMITTED_ANONYMOUS, SUBMITTED_CONFIDENTIAL):
        assert not [v for v in planted(values)[1:4] if v in logged], "a phone number or e-mail reached the logs"


@pytest.fixture(autouse=True)
def _quiet_uvicorn():
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
