"""Statistics by agency and by channel, as a province compares its agencies and intake channels."""

from __future__ import annotations

from hub.domain.vocabulary import Channel, Role, Status
from tests.api.builders import add_agency, add_complaint
from tests.hubclient import hub_client
from tests.mutations.helpers import global_id

STATS = """query($groupBy: StatsGroupBy!, $filter: ComplaintFilter) {
  stats(groupBy: $groupBy, filter: $filter) { groups { key label total completed } overall { total } } }"""


async def test_figures_by_agency_and_by_channel(engine, database_url):
    roads = await add_agency(engine, "61.71", "Dinas PUPR Kota Pontianak")
    water = await add_agency(engine, "61.71", "PDAM Tirta Khatulistiwa")
    await add_agency(engine, "61.71", "Dinas Pendidikan Kota Pontianak")  # no complaints: not listed
    for title, agency, channel, status in [
        ("Jalan berlubang", roads, Channel.WEB, Status.RESOLVED),
        ("Trotoar rusak", roads, Channel.SMS, Status.DISPOSITIONED),
        ("Air keruh", water, Channel.SMS, Status.DISPOSITIONED),
        ("Lampu mati", None, Channel.MOBILE, Status.SUBMITTED),
    ]:
        await add_complaint(engine, title=title, body=title, region_code="61.71", agency_id=agency,
                            channel=channel, status=status)
    async with hub_client(database_url, schedule=False) as hub:
        admin = hub.token(Role.REGION_ADMIN, region_codes=["61.71"])
        by_agency = (await hub.query(STATS, {"groupBy": "AGENCY"}, token=admin))["stats"]
        by_channel = (await hub.query(STATS, {"groupBy": "CHANNEL"}, token=admin))["stats"]
    groups = {g["label"]: (g["total"], g["completed"]) for g in by_agency["groups"]}
    assert groups == {"Dinas PUPR Kota Pontianak": (2, 1), "PDAM Tirta Khatulistiwa": (1, 0), "(no agency yet)": (1, 0)}
    assert {g["key"] for g in by_agency["groups"]} == {global_id("Agency", roads), global_id("Agency", water), ""}
    assert by_agency["overall"]["total"] == 4
    channels = {g["key"]: g["total"] for g in by_channel["groups"]}
    assert channels["SMS"] == 2 and channels["WEB"] == 1 and channels["MOBILE"] == 1
    assert sum(channels.values()) == 4
