"""Global ids: every object with identity is a Node that ``node(id:)`` finds, within the caller's scope only."""

from __future__ import annotations

from hub.domain import global_ids
from hub.domain.vocabulary import Privacy, Role
from hub.store.database import session_factory
from hub.store.models import Attachment
from hub.store.outbox_models import OutboxRow, OutboxStatus, OutboxTarget
from hub.store.privacy_models import AccessLogEntry
from hub.store.sync_models import RejectedRecord, RunStatus, SyncRun
from hub.store.types import utcnow
from tests.api.builders import add_agency, add_complaint
from tests.hubclient import hub_client
from tests.mutations.helpers import SUBMIT, complaint_input

NODE = """query($id: ID!) { node(id: $id) { __typename id
  ... on Agency { name } ... on Attachment { fileName } ... on SyncRun { trigger }
  ... on RejectedRecord { raw } ... on OutboxItem { change complaintId } ... on AccessLogEntry { field }
  ... on WebhookSubscription { name agencyId } ... on WebhookDelivery { eventKind }
  ... on DuplicateFlag { status } ... on Complaint { trackingId } ... on Region { code } } }"""
HOOK = """mutation($input: CreateWebhookSubscriptionInput!) { r: createWebhookSubscription(input: $input) {
  __typename ... on WebhookSecretPayload { subscription { id } } } }"""
FLAGS = "{ duplicateFlags { edges { node { id } } } }"


async def _rows(engine, complaint_id: int, subscription: int) -> dict[str, int]:
    """One row of each kind that only admins list, all in region 19.71."""
    now = utcnow()
    async with session_factory(engine)() as s, s.begin():
        rows = {
            "SyncRun": SyncRun(region_code="19.71", source_system="rest:19.71", trigger="manual",
                               status=RunStatus.SUCCEEDED, started_at=now),
            "RejectedRecord": RejectedRecord(region_code="19.71", source_system="rest:19.71", record_key="r-1",
                                             source_id="r-1", raw='{"id": "r-1", "status": "??"}',
                                             reason="unknown status"),
            "OutboxItem": OutboxRow(complaint_id=complaint_id, region_code="19.71", source_system="rest:19.71",
                                    kind="verify", payload={"tracking_id": "x"}, idempotency_key="node-test-1",
                                    status=OutboxStatus.PENDING),
            "WebhookDelivery": OutboxRow(complaint_id=complaint_id, region_code="19.71", source_system="webhook:1",
                                         kind="complaint.verified", payload={"type": "complaint.verified"},
                                         idempotency_key="node-test-2", target=OutboxTarget.WEBHOOK,
                                         subscription_id=subscription),
            "AccessLogEntry": AccessLogEntry(viewer="admin.nasional", viewer_role=Role.NATIONAL_ADMIN,
                                             complaint_id=complaint_id, field="reporter", read_at=now),
            "Attachment": Attachment(complaint_id=complaint_id, file_name="foto.jpg", content_type="image/jpeg",
                                     url="https://lapor.example/foto.jpg", source_system="rest:19.71"),
        }
        s.add_all(rows.values())
        await s.flush()
        return {name: row.id for name, row in rows.items()}


async def test_every_node_type_is_found_by_its_global_id_within_scope(engine, database_url):
    agency = await add_agency(engine, "19.71", "Dinas PUPR Kota Pangkalpinang")
    secret = await add_complaint(engine, region_code="19.71", privacy=Privacy.CONFIDENTIAL)
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")
        region = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        elsewhere = hub.token(Role.REGION_ADMIN, region_codes=["61.71"], subject="admin.pontianak")
        for channel in ("WEB", "SMS"):  # one reporter twice: a duplicate flag
            await hub.query(SUBMIT, {"input": complaint_input(channel=channel)})
        flag = (await hub.query(FLAGS, token=national))["duplicateFlags"]["edges"][0]["node"]["id"]
        hook = (await hub.query(HOOK, {"input": {"name": "pupr", "url": "https://pupr.example/hook",
                                                 "eventKinds": ["VERIFIED"],
                                                 "agencyId": global_ids.encode("Agency", agency)}},
                                token=region))["r"]["subscription"]["id"]
        keys = await _rows(engine, secret.id, global_ids.decode(hook, "WebhookSubscription"))
        ids = {name: global_ids.encode(name, key) for name, key in keys.items()}
        ids |= {"Agency": global_ids.encode("Agency", agency), "DuplicateFlag": flag, "WebhookSubscription": hook,
                "Complaint": global_ids.encode("Complaint", secret.id), "Region": global_ids.encode("Region", "19.71")}

        async def node(name: str, token: str | None) -> dict | None:
            return (await hub.query(NODE, {"id": ids[name]}, token=token))["node"]

        for name in ids:  # the national admin sees everything, each as its own type with the id asked for
            found = await node(name, national)
            assert found is not None and (found["__typename"], found["id"]) == (name, ids[name]), name
        assert (await node("OutboxItem", national))["change"] == "VERIFY"
        assert (await node("OutboxItem", national))["complaintId"] == ids["Complaint"]
        assert (await node("WebhookSubscription", national))["agencyId"] == ids["Agency"]
        assert (await node("SyncRun", national))["trigger"] == "MANUAL"
        assert (await node("RejectedRecord", national))["raw"] == {"id": "r-1", "status": "??"}

        admin_only = ("SyncRun", "RejectedRecord", "OutboxItem", "WebhookSubscription", "WebhookDelivery",
                      "DuplicateFlag")
        for name in (*admin_only, "Attachment", "Complaint"):  # the region's own admin sees its region's
            assert await node(name, region) is not None, name
        assert await node("AccessLogEntry", region) is None  # national admins only
        for name in (*admin_only, "Attachment", "Complaint", "AccessLogEntry"):  # another region's admin: nothing
            assert await node(name, elsewhere) is None, name
        for name in (*admin_only, "Attachment", "Complaint", "AccessLogEntry"):  # the public: nothing of these
            assert await node(name, None) is None, name
        assert (await node("Agency", None))["name"] == "Dinas PUPR Kota Pangkalpinang"  # reference data
        assert (await node("Region", None))["code"] == "19.71"


async def test_an_id_that_names_no_node_is_refused_as_bad_input(database_url):
    async with hub_client(database_url, schedule=False) as hub:
        for given in ("42", "not base64!", global_ids.encode("Category", "ROADS"), global_ids.encode("SyncRun", "x")):
            errors = await hub.errors(NODE, {"id": given})
            assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT" and errors[0]["extensions"]["field"] == "id"
