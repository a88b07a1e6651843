"""A workspace made by the previous release starts under this one with all its data and the
new standard model: from the stored fixture (tests/fixtures), through the real start-up.

Also: the migration runs once (a second start changes nothing), one replica at a time when
several start together, takes over a lease a dead replica left, and a failure leaves the
workspace on its old version, to be tried again at the next start.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from gateway import migrations
from gateway.apikeys import create_api_key
from gateway.app import create_app
from gateway.db import Database, open_database
from gateway.migrations import LATEST_VERSION, migrate_workspace
from gateway.migrations.lease import LEASE, VERSION
from schema_builder.metadata.store import FIELDS, WORKSPACES
from tests.conftest import gateway_settings
from tests.integration.previous_release import load_previous_release

PEOPLE = """{ people(filter: {deletedAt: {is: NULL}}, orderBy: [{createdAt: AscNullsFirst}]) { edges { node {
  id name { firstName lastName } emails { primaryEmail additionalEmails } jobTitle city avatarUrl
  avatarFile { fileId label } phones { primaryPhoneNumber additionalPhones { number countryCode callingCode } }
  companyId createdBy { source name } updatedBy { source name } searchVector } } } }"""


class Started:
    def __init__(self, db: Database, client: httpx.AsyncClient, workspace_id: str, token: str, dump: Any) -> None:
        self.db, self.client, self.workspace_id, self.token, self.dump = db, client, workspace_id, token, dump

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        body = (await self.client.post("/graphql", json={"query": query, "variables": variables},
                                       headers={"Authorization": f"Bearer {self.token}"})).json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def records(self, collection: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.dump["records"][collection]
        return found


@pytest.fixture(scope="module")
async def started(mongo_uri: str, db_prefix: str) -> AsyncIterator[Started]:
    """The previous release's workspace, loaded, then the app started on it (which migrates)."""
    settings = gateway_settings(mongo_uri, db_prefix, webhook_dispatcher=False)
    db = open_database(settings)
    dump = await load_previous_release(db)
    workspace_id = dump["workspaceId"]
    _, token = await create_api_key(db.control, workspace_id, "after-upgrade")
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://docgate") as client:
            yield Started(db, client, workspace_id, token, dump)
    await db.close()


def by_id(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["_id"]: d for d in docs}


async def test_the_workspace_is_on_the_new_version_and_no_lease_is_left(started: Started) -> None:
    doc = await started.db.control[WORKSPACES].find_one({"_id": started.workspace_id})
    assert doc is not None and doc[VERSION] == LATEST_VERSION and LEASE not in doc
    assert LATEST_VERSION == 3 and VERSION not in started.dump["control"]["workspaces"][0]


async def test_the_workspace_gains_a_timeline_that_records_its_changes(started: Started) -> None:
    objects = (await started.graphql("{ timelineActivities { totalCount } }"))["timelineActivities"]
    assert objects["totalCount"] == 0  # history starts with the upgrade
    note = (await started.graphql('mutation { createNote(data: {title: "After the upgrade"}) { id } }'))["createNote"]
    await started.graphql("mutation($id: UUID!) { destroyNote(id: $id) { id } }", {"id": note["id"]})
    found = await started.graphql(
        "query($id: UUID) { timelineActivities(filter: {targetNoteId: {eq: $id}}) { edges { node { name } } } }",
        {"id": note["id"]},
    )
    assert [e["node"]["name"] for e in found["timelineActivities"]["edges"]] == ["note.created", "note.destroyed"]


async def test_every_person_keeps_its_values_and_gains_the_new_fields(started: Started) -> None:
    stored = by_id(started.records("person"))
    people = [e["node"] for e in (await started.graphql(PEOPLE))["people"]["edges"]]
    live = [d for d in stored.values() if d["deletedAt"] is None]
    assert sorted(p["id"] for p in people) == sorted(d["_id"] for d in live)
    for person in people:
        old = stored[person["id"]]
        assert person["name"] == {"firstName": old["name"]["firstName"], "lastName": old["name"]["lastName"]}
        assert person["emails"]["primaryEmail"] == old["emails"]["primaryEmail"]
        assert person["jobTitle"] == old["jobTitle"] and person["city"] == old["city"]
        assert person["avatarUrl"] == old["avatarUrl"] and person["companyId"] == old["companyId"]
        assert person["avatarFile"] is None  # new, empty
        assert person["createdBy"] == {"source": "API", "name": "API"}
        assert person["updatedBy"] == person["createdBy"]  # nobody else is known to have changed it
        first = old["name"]["firstName"].lower()
        assert f"'{first}':" in person["searchVector"]
    ada = next(p for p in people if p["name"]["firstName"] == "Ada")
    assert ada["phones"]["additionalPhones"] == [{"number": "698765432", "countryCode": "FR", "callingCode": "+33"}]
    assert ada["emails"]["additionalEmails"] == ["countess@example.com"]
    assert "'lovelace':" in ada["searchVector"] and "'ada@example.com':" in ada["searchVector"]


async def test_the_trash_stays_the_trash(started: Started) -> None:
    trashed = [d for d in started.records("person") if d["deletedAt"] is not None]
    found = (await started.graphql("{ people(filter: {deletedAt: {is: NOT_NULL}}) { edges { node { id } } } }"))
    assert [e["node"]["id"] for e in found["people"]["edges"]] == [d["_id"] for d in trashed]


async def test_annual_recurring_revenue_became_annual_revenue_and_keeps_its_old_name(started: Started) -> None:
    stored = by_id(started.records("company"))
    query = "{ companies { edges { node { id name annualRevenue { amountMicros currencyCode } " \
            "annualRecurringRevenue { amountMicros currencyCode } employees idealCustomerProfile accountOwnerId " \
            "domainName { primaryLinkUrl } address { addressCity } } } } }"
    for edge in (await started.graphql(query))["companies"]["edges"]:
        company, old = edge["node"], stored[edge["node"]["id"]]
        assert company["annualRevenue"] == company["annualRecurringRevenue"]
        assert company["annualRevenue"] == {k: (old.get("annualRecurringRevenue") or {}).get(k)
                                            for k in ("amountMicros", "currencyCode")}
        assert company["employees"] == old["employees"] and company["accountOwnerId"] == old["accountOwnerId"]
        assert company["domainName"]["primaryLinkUrl"] == old["domainName"]["primaryLinkUrl"]
    raw = await started.db.workspace(started.workspace_id)["company"].find({}).to_list(None)
    assert all("annualRecurringRevenue" not in d and "annualRevenue" in d for d in raw)  # moved, not copied


async def test_note_and_task_targets_point_at_the_same_records_under_both_names(started: Started) -> None:
    kinds = (("noteTargets", "noteTarget", "noteId"), ("taskTargets", "taskTarget", "taskId"))
    for plural, collection, parent in kinds:
        stored = by_id(started.records(collection))
        query = f"{{ {plural} {{ edges {{ node {{ id {parent} targetPersonId targetCompanyId targetOpportunityId " \
                "personId companyId opportunityId targetPerson { id } person { id } } } } }"
        edges = (await started.graphql(query))[plural]["edges"]
        assert len(edges) == len(stored)
        for edge in edges:
            target, old = edge["node"], stored[edge["node"]["id"]]
            assert target[parent] == old[parent]
            for name in ("person", "company", "opportunity"):
                current = f"target{name.title()}Id"
                assert target[current] == old[f"{name}Id"] == target[f"{name}Id"]
            assert (target["targetPerson"] or {}).get("id") == old["personId"] == (target["person"] or {}).get("id")
        indexes = await started.db.workspace(started.workspace_id)[collection].index_information()
        keys = {spec["key"][0][0] for spec in indexes.values()}
        assert {"targetPersonId", "targetCompanyId", "targetOpportunityId"} <= keys  # lookups stay indexed


async def test_custom_objects_and_their_relations_survive(started: Started) -> None:
    invoice = (await started.graphql(
        "{ invoices { edges { node { name total customer { name } updatedBy { name } searchVector } } } }"
    ))["invoices"]["edges"][0]["node"]
    assert invoice == {"name": "INV-1", "total": 42.5, "customer": {"name": "Acme"}, "updatedBy": {"name": "API"},
                       "searchVector": "'1':3 'inv':2 'inv-1':1"}  # a hyphenated word and its parts
    hooks = await started.db.control["webhooks"].find({"workspaceId": started.workspace_id}).to_list(None)
    assert [h["targetUrl"] for h in hooks] == ["https://hooks.example.com/docgate"]


async def test_new_workspace_member_fields_have_their_defaults(started: Started) -> None:
    member = (await started.graphql(
        "{ workspaceMembers { edges { node { name { firstName } userEmail colorScheme locale timeZone "
        "calendarStartDay dateFormat timeFormat numberFormat avatarUrl userId } } } }"
    ))["workspaceMembers"]["edges"][0]["node"]
    assert member == {"name": {"firstName": "Grace"}, "userEmail": "grace@example.com", "colorScheme": "System",
                      "locale": "en", "timeZone": "system", "calendarStartDay": 7, "dateFormat": "SYSTEM",
                      "timeFormat": "SYSTEM", "numberFormat": "SYSTEM", "avatarUrl": None, "userId": None}


async def test_the_migrated_workspace_has_the_schema_of_a_new_one(started: Started, mongo_uri: str) -> None:
    """Same objects, fields and types as a workspace the new release creates."""
    from gateway.workspaces import create_workspace

    fresh, _ = await create_workspace(started.db, f"fresh-{uuid.uuid4().hex[:6]}")

    async def shape(workspace_id: str) -> set[tuple[str, str, str, bool]]:
        objects = {o["_id"]: o["nameSingular"] for o in
                   await started.db.control["objectMetadata"].find({"workspaceId": workspace_id}).to_list(None)}
        fields = await started.db.control[FIELDS].find({"workspaceId": workspace_id}).to_list(None)
        custom = {i for i, name in objects.items() if name == "invoice"}
        return {(objects[f["objectMetadataId"]], f["name"], f["type"], bool(f.get("deprecatedNames")))
                for f in fields if not {f["objectMetadataId"], f.get("relationTargetObjectMetadataId")} & custom}

    assert await shape(started.workspace_id) == await shape(fresh["_id"])


async def test_a_second_start_changes_nothing(started: Started) -> None:
    before = await started.db.control[WORKSPACES].find_one({"_id": started.workspace_id})
    fields = await started.db.control[FIELDS].count_documents({"workspaceId": started.workspace_id})
    assert await migrate_workspace(started.db, started.workspace_id) == LATEST_VERSION
    after = await started.db.control[WORKSPACES].find_one({"_id": started.workspace_id})
    assert after == before  # not even the metadata version moved
    assert await started.db.control[FIELDS].count_documents({"workspaceId": started.workspace_id}) == fields


# ---- several replicas, failures ------------------------------------------------------------------


@pytest.fixture
async def loaded(mongo_uri: str) -> AsyncIterator[tuple[Database, str]]:
    """The fixture loaded under a fresh prefix, not started: each test migrates it its own way."""
    db = open_database(gateway_settings(mongo_uri, f"t{uuid.uuid4().hex[:10]}"))
    dump = await load_previous_release(db)
    yield db, dump["workspaceId"]
    await db.close()


async def field_names(db: Database, workspace_id: str) -> list[tuple[str, str]]:
    docs = await db.control[FIELDS].find({"workspaceId": workspace_id}).to_list(None)
    return sorted((d["objectMetadataId"], d["name"]) for d in docs)


async def test_replicas_starting_together_migrate_once(loaded: tuple[Database, str], mongo_uri: str) -> None:
    db, workspace_id = loaded
    replicas = [open_database(gateway_settings(mongo_uri, db.control.name)) for _ in range(3)]
    try:
        versions = await asyncio.gather(*(migrate_workspace(r, workspace_id) for r in replicas))
    finally:
        for replica in replicas:
            await replica.close()
    assert versions == [LATEST_VERSION] * 3
    names = await field_names(db, workspace_id)
    assert len(names) == len(set(names))  # nothing made twice
    person = await db.workspace(workspace_id)["noteTarget"].count_documents({"targetPersonId": {"$ne": None}})
    assert person == 1


async def test_a_failure_leaves_the_old_version_and_the_next_start_finishes(
    loaded: tuple[Database, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, workspace_id = loaded

    async def crash(*args: Any) -> int:  # the replica dies while filling records in
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(migrations.runner, "fill_system_values", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        await migrate_workspace(db, workspace_id)
    doc = await db.control[WORKSPACES].find_one({"_id": workspace_id})
    assert doc is not None and VERSION not in doc and LEASE not in doc  # old version, lease released
    monkeypatch.undo()
    assert await migrate_workspace(db, workspace_id) == LATEST_VERSION
    names = await field_names(db, workspace_id)
    assert len(names) == len(set(names))
    people = await db.workspace(workspace_id)["person"].find({}).to_list(None)
    assert all(p.get("updatedBy") and "searchVector" in p for p in people)


async def test_a_lease_left_by_a_dead_replica_is_taken_over(loaded: tuple[Database, str]) -> None:
    db, workspace_id = loaded
    stale = {"owner": "dead-replica", "expiresAt": datetime.now(UTC) - timedelta(seconds=1)}
    await db.control[WORKSPACES].update_one({"_id": workspace_id}, {"$set": {LEASE: stale}})
    assert await migrate_workspace(db, workspace_id) == LATEST_VERSION


async def test_a_live_lease_is_waited_for_and_its_workspace_left_alone(loaded: tuple[Database, str]) -> None:
    db, workspace_id = loaded
    busy = {"owner": "other-replica", "expiresAt": datetime.now(UTC) + timedelta(minutes=5)}
    await db.control[WORKSPACES].update_one({"_id": workspace_id}, {"$set": {LEASE: busy}})
    fields = await field_names(db, workspace_id)
    assert await migrate_workspace(db, workspace_id, wait_seconds=0.5) == 1  # gave up waiting: serves it as is
    assert await field_names(db, workspace_id) == fields
    doc = await db.control[WORKSPACES].find_one({"_id": workspace_id})
    assert doc is not None and doc[LEASE]["owner"] == "other-replica"
