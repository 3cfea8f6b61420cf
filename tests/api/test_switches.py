"""Production switches: introspection and suggestions by role, trusted documents only."""

from __future__ import annotations

import json

import pytest

from hub.domain.vocabulary import Role
from hub.schema.trusted_documents import ManifestError, document_hash, load_trusted_documents
from hub.settings import Settings
from tests.hubclient import hub_client

INTROSPECT = "{ __schema { queryType { name } } }"
TYPO = "{ categories { nmae } }"
PROVINCES = "query Provinces { regions(level: PROVINCE) { code } }"
CATEGORIES = "query Categories { categories { code } }"


def test_production_defaults_to_staff_and_dev_to_on():
    production = Settings(env="production", jwt_secret="x" * 40)
    assert (production.introspection_switch, production.suggestions_switch) == ("staff", "staff")
    assert (Settings().introspection_switch, Settings().suggestions_switch) == ("on", "on")


async def test_introspection_and_suggestions_for_staff_only(database_url):
    async with hub_client(database_url, schedule=False, introspection="staff", field_suggestions="staff") as hub:
        (error,) = await hub.errors(INTROSPECT)
        assert error["extensions"]["code"] == "INTROSPECTION_DISABLED"
        (error,) = await hub.errors(INTROSPECT, token=hub.token(Role.REPORTER, reporter_id=1))
        assert error["extensions"]["code"] == "INTROSPECTION_DISABLED"
        staff = hub.token(Role.AGENCY_OFFICER, agency_id=1)
        assert (await hub.query(INTROSPECT, token=staff))["__schema"]["queryType"]["name"] == "Query"
        assert await hub.query("{ categories { __typename code } }")  # __typename is not introspection
        (error,) = await hub.errors(TYPO)
        assert "nmae" in error["message"] and "Did you mean" not in error["message"]
        (error,) = await hub.errors(TYPO, token=staff)
        assert "Did you mean 'name'?" in error["message"]


async def test_off_is_off_for_everyone(database_url):
    async with hub_client(database_url, schedule=False, introspection="off", field_suggestions="off") as hub:
        admin = hub.token(Role.NATIONAL_ADMIN)
        (error,) = await hub.errors("query { ...F } fragment F on Query { __type(name: \"Complaint\") { name } }",
                                    token=admin)
        assert error["extensions"]["code"] == "INTROSPECTION_DISABLED"
        (error,) = await hub.errors(TYPO, token=admin)
        assert "Did you mean" not in error["message"]


@pytest.fixture
def manifest(tmp_path):
    path = tmp_path / "trusted.json"
    path.write_text(json.dumps({document_hash(PROVINCES): PROVINCES}))
    return path


async def test_with_trusted_documents_only_listed_operations_run(database_url, manifest):
    async with hub_client(database_url, schedule=False, trusted_documents=str(manifest)) as hub:
        # by full text whose hash is listed
        assert len((await hub.query(PROVINCES))["regions"]) == 38
        # by hash alone
        by_hash = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(PROVINCES)}}}
        response = await hub.http.post("/graphql", json=by_hash)
        assert response.status_code == 200 and len(response.json()["data"]["regions"]) == 38
        # anything else is refused, before it runs
        (error,) = await hub.errors(CATEGORIES, token=hub.token(Role.NATIONAL_ADMIN))
        assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
        assert "trusted documents" in error["message"]
        unknown = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": document_hash(CATEGORIES)}}}
        response = await hub.http.post("/graphql", json=unknown)
        assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        mismatch = {"query": CATEGORIES, **by_hash}
        response = await hub.http.post("/graphql", json=mismatch)
        assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
        # a trusted operation's name is a metric label; others are "other"
        metrics = (await hub.http.get("/metrics")).text
        assert 'operation="Provinces"' in metrics and 'operation="Categories"' not in metrics


def test_an_apollo_manifest_is_read_and_a_wrong_hash_is_refused(tmp_path):
    path = tmp_path / "apollo.json"
    path.write_text(json.dumps({"format": "apollo-persisted-query-manifest", "version": 1, "operations": [
        {"id": document_hash(CATEGORIES), "name": "Categories", "type": "query", "body": CATEGORIES}]}))
    trusted = load_trusted_documents(str(path))
    assert trusted.operation_names == {"Categories"}
    path.write_text(json.dumps({"0" * 64: CATEGORIES}))
    with pytest.raises(ManifestError, match="is not the sha256 of its document"):
        load_trusted_documents(str(path))


async def test_in_production_refusals_still_say_why(database_url):
    async with hub_client(database_url, schedule=False, env="production", jwt_secret="s" * 40) as hub:
        (error,) = await hub.errors(INTROSPECT)
        assert error["extensions"]["code"] == "INTROSPECTION_DISABLED"
        (error,) = await hub.errors(TYPO)
        assert "Did you mean" not in error["message"]
        nested = 'query { region(code: "32") { children { parent { children { parent { children { name } } } } } } }'
        (error,) = await hub.errors(nested)
        assert error["extensions"]["code"] == "QUERY_TOO_COSTLY" and "costs 70,563" in error["message"]
        assert (await hub.query(INTROSPECT, token=hub.token(Role.NATIONAL_ADMIN)))["__schema"]
