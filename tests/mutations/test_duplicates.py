"""Duplicates across doors: flagged on submission, listed by scope and page, settled by merge or dismissal."""

from __future__ import annotations

from tests.hubclient import hub_client
from tests.mutations.helpers import MERGE, run, submit, tokens

FLAGS = """
query($status: DuplicateFlagStatus, $first: Int!, $after: String) {
  duplicateFlags(status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id status resolvedBy similarity reason
                   complaint { trackingId channel } duplicateOf { trackingId channel } } }
  }
}
"""
DISMISS = """mutation($id: ID!) { r: dismissDuplicateFlag(id: $id) {
  __typename ... on DuplicateFlagPayload { flag { id status resolvedBy } }
  ... on NotFoundError { message } ... on ValidationError { message field } } }"""

WEB_TEXT = {"title": "Lampu PJU mati di Jl. Merdeka", "body": "Sudah seminggu gelap, rawan kecelakaan."}
SMS_TEXT = {"title": "Lampu PJU mati di Jl Merdeka", "body": "sdh seminggu gelap, rawan kecelakaan"}
SITI = {"name": "Siti Rahayu", "phone": "081234567890"}


async def flags(hub, token, status="OPEN", first=20, after=None):
    data = await hub.query(FLAGS, {"status": status, "first": first, "after": after}, token=token)
    return data["duplicateFlags"]


async def test_a_web_and_an_sms_submission_by_one_reporter_make_one_flag_that_a_merge_settles(engine, database_url):
    async with hub_client(database_url, schedule=False) as hub:
        web = await submit(hub, channel="WEB", reporter=SITI, **WEB_TEXT)
        sms = await submit(hub, channel="SMS", reporter={"phone": "+62 812-3456-7890"}, **SMS_TEXT)
        await submit(hub, reporter={"name": "Budi", "phone": "085711112222"}, **WEB_TEXT)  # another reporter
        await submit(hub, reporter=SITI, **{**WEB_TEXT, "regionCode": "61.71"})  # another region
        await submit(hub, reporter=SITI, title="Sampah menumpuk di pasar", body="Bau menyengat sejak Senin.")
        who = tokens(hub)

        listed = await flags(hub, who["national"])
        assert listed["totalCount"] == 1
        flag = listed["edges"][0]["node"]
        assert (flag["complaint"]["trackingId"], flag["complaint"]["channel"]) == (sms["trackingId"], "SMS")
        assert (flag["duplicateOf"]["trackingId"], flag["duplicateOf"]["channel"]) == (web["trackingId"], "WEB")
        assert flag["status"] == "OPEN" and flag["similarity"] >= 0.6 and "same reporter" in flag["reason"]
        assert (await flags(hub, who["region"]))["totalCount"] == 1
        assert (await flags(hub, who["other_region"]))["totalCount"] == 0  # not in their scope
        assert (await flags(hub, None))["totalCount"] == 0  # the public settles nothing

        merged = await run(hub, MERGE, who["region"], keep=web["trackingId"], dup=sms["trackingId"])
        assert merged["__typename"] == "ComplaintPayload"
        assert (await flags(hub, who["national"]))["totalCount"] == 0
        settled = (await flags(hub, who["national"], status="MERGED"))["edges"]
        assert [(e["node"]["id"], e["node"]["status"], e["node"]["resolvedBy"]) for e in settled] == [
            (flag["id"], "MERGED", "admin.pangkalpinang")]


async def test_flags_are_paged_and_a_dismissal_settles_one(engine, database_url):
    async with hub_client(database_url, schedule=False) as hub:
        for phone in ("081234567890", "085711112222"):
            await submit(hub, reporter={"name": "Pelapor", "phone": phone}, **WEB_TEXT)
            await submit(hub, channel="SMS", reporter={"phone": phone}, **SMS_TEXT)
        who = tokens(hub)
        first = await flags(hub, who["national"], first=1)
        assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
        second = await flags(hub, who["national"], first=1, after=first["pageInfo"]["endCursor"])
        assert second["pageInfo"]["hasNextPage"] is False
        ids = [first["edges"][0]["node"]["id"], second["edges"][0]["node"]["id"]]
        assert len(set(ids)) == 2

        hidden = (await hub.query(DISMISS, {"id": ids[0]}, token=who["other_region"]))["r"]
        assert hidden["__typename"] == "NotFoundError"
        dismissed = (await hub.query(DISMISS, {"id": ids[0]}, token=who["region"]))["r"]
        assert dismissed == {"__typename": "DuplicateFlagPayload",
                             "flag": {"id": ids[0], "status": "DISMISSED", "resolvedBy": "admin.pangkalpinang"}}
        again = (await hub.query(DISMISS, {"id": ids[0]}, token=who["region"]))["r"]
        assert again["__typename"] == "ValidationError"
        assert [e["node"]["id"] for e in (await flags(hub, who["national"]))["edges"]] == [ids[1]]
        assert [e["node"]["id"] for e in (await flags(hub, who["national"], status="DISMISSED"))["edges"]] == [ids[0]]
