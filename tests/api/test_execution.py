"""Executing a document is cheap the second time: parsed and validated once."""

from __future__ import annotations

from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from hub.domain.vocabulary import Role
from tests.hubclient import hub_client

PAGE = "query Page($first: Int!) { complaints(first: $first) { totalCount edges { node { trackingId } } } }"


async def test_a_repeated_document_is_parsed_and_validated_once(database_url):
    parse, validate = _get_parse_cache(256), _get_validate_cache(256)
    async with hub_client(database_url, schedule=False) as hub:
        token = hub.token(Role.NATIONAL_ADMIN)
        await hub.query(PAGE, {"first": 5}, token=token)
        parsed, validated = parse.cache_info(), validate.cache_info()
        for first in (1, 2, 3):
            await hub.query(PAGE, {"first": first}, token=token)
        assert parse.cache_info().misses == parsed.misses and parse.cache_info().hits == parsed.hits + 3
        assert validate.cache_info().misses == validated.misses
        assert validate.cache_info().hits == validated.hits + 3
        # the limits still hold on a cached document
        errors = await hub.errors("{ a1: categories { code } " + " ".join(f"a{i}: categories {{ code }}" for i in range(2, 40)) + " }")
        assert "aliases" in errors[0]["message"].lower()
