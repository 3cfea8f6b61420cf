"""The hub as an Apollo Federation 2 subgraph: SDL and entity references."""

from __future__ import annotations

import base64

from hub.domain.vocabulary import Role
from tests.hubclient import hub_client
from tests.stats.dataset import load

ENTITIES = """
query($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Complaint { trackingId regionCode }
    ... on Region { code name }
  }
}
"""


def _global_id(type_name: str, key: object) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


async def test_the_subgraph_sdl_declares_the_entities(database_url):
    async with hub_client(database_url) as hub:
        sdl = (await hub.query("{ _service { sdl } }"))["_service"]["sdl"]
    assert "https://specs.apollo.dev/federation/v2" in sdl
    assert 'type Complaint implements Node @key(fields: "id")' in sdl
    assert 'type Region implements Node @key(fields: "code")' in sdl


async def test_entities_resolve_within_the_callers_scope(database_url, engine):
    await load(engine)
    reps = [
        {"__typename": "Region", "code": "35.78"},
        {"__typename": "Complaint", "id": _global_id("Complaint", 1)},
        {"__typename": "Complaint", "id": _global_id("Complaint", 4)},  # confidential
    ]
    async with hub_client(database_url) as hub:
        public = (await hub.query(ENTITIES, {"reps": reps}))["_entities"]
        admin = (await hub.query(ENTITIES, {"reps": reps}, token=hub.token(Role.NATIONAL_ADMIN)))["_entities"]
    assert public[0] == {"code": "35.78", "name": "Kota Surabaya"}
    assert public[1] == {"trackingId": "LPR-2019-0000001", "regionCode": "35.78"}
    assert public[2] is None
    assert admin[2] == {"trackingId": "LPR-2019-0000004", "regionCode": "35.73"}
