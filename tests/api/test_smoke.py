from __future__ import annotations

from datetime import UTC, datetime

from hub.store.complaint_writes import NewComplaint, NewReporter, record_complaint
from hub.domain.sla import ServiceLevels
from hub.store.database import session_factory
from tests.hubclient import hub_client


async def test_smoke(engine, database_url):
    async with session_factory(engine)() as s, s.begin():
        c = await record_complaint(s, NewComplaint(title="Jalan rusak", body="Jalan berlubang", region_code="61.71",
            category_code="ROADS", reporter=NewReporter(name="Budi")), levels=ServiceLevels(), now=datetime.now(UTC))
    async with hub_client(database_url) as hub:
        data = await hub.query("{ complaints(first: 5) { totalCount edges { cursor node { id trackingId title region { name parent { name } } category { name } sources { sourceSystem sourceId } timeline(last: 3) { kind actor } verifyDue slaBreached reporter { name } } } } }")
        print(data)
        assert data["complaints"]["totalCount"] == 1
