"""Merging records: every relation ends on the survivor and none is lost, the events of every
record changed are recorded with the change, a dry run writes nothing, a merge that fails
half-way changes nothing, and Twenty's limits hold."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from gateway.db import Database
from tests.conftest import GatewayUnderTest, running_gateway
from tests.integration.events import Events, quiet, summary
from tests.integration.helpers import data, error

__all__ = ["quiet"]  # the module's gateway: events recorded, not sent

MERGE = """mutation($ids: [UUID]!, $i: Int!, $dry: Boolean) {
  mergePeople(ids: $ids, conflictPriorityIndex: $i, dryRun: $dry) {
    id deletedAt name { firstName lastName } emails { primaryEmail additionalEmails } jobTitle companyId } }"""


async def one(gateway: GatewayUnderTest, mutation: str, variables: dict[str, Any]) -> Any:
    return next(iter(data(await gateway.graphql(mutation, variables)).values()))


_runs = iter(range(1000))


async def setting(gateway: GatewayUnderTest) -> dict[str, Any]:
    """Three people, their company, notes, an opportunity: relations to re-point."""
    run = next(_runs)
    company = await one(gateway, 'mutation { createCompany(data: {name: "Analytical Engines"}) { id } }', {})
    people = await one(gateway, "mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }", {"d": [
        {"name": {"firstName": "Ada", "lastName": "Lovelace"}, "jobTitle": "Countess"},
        {"name": {"firstName": "A.", "lastName": "Lovelace"}, "emails": {"primaryEmail": f"ada{run}@engines.example"},
         "companyId": company["id"]},
        {"name": {"firstName": "Augusta", "lastName": "King"},
         "emails": {"primaryEmail": f"augusta{run}@king.example"}},
    ]})
    ids = [p["id"] for p in people]
    note = await one(gateway, 'mutation { createNote(data: {title: "Notes on the engine"}) { id } }', {})
    targets = await one(gateway, "mutation($d: [NoteTargetCreateInput!]!) { createNoteTargets(data: $d) { id } }",
                        {"d": [{"noteId": note["id"], "targetPersonId": ids[1]},
                               {"noteId": note["id"], "targetPersonId": ids[2]}]})
    deal = await one(gateway, "mutation($p: UUID) { createOpportunity(data: {name: \"Engine\", "
                              "pointOfContactId: $p}) { id } }", {"p": ids[2]})
    return {"company": company["id"], "people": ids, "targets": [t["id"] for t in targets], "deal": deal["id"]}


async def test_relations_end_on_the_survivor_and_events_are_recorded(quiet: GatewayUnderTest) -> None:
    made = await setting(quiet)
    ada, twin, augusta = made["people"]
    events = Events(quiet)
    await events.mark()
    merged = await one(quiet, MERGE, {"ids": [ada, twin, augusta], "i": 0})
    assert merged["id"] == ada and merged["jobTitle"] == "Countess"  # the priority record's value
    assert merged["emails"]["primaryEmail"].startswith("ada")  # only the others had one: the first
    assert merged["emails"]["additionalEmails"][0].startswith("augusta")
    assert merged["companyId"] == made["company"]
    targets = data(await quiet.graphql(
        "query($i: [UUID!]) { noteTargets(filter: {id: {in: $i}}) { edges { node { targetPersonId } } } }",
        {"i": made["targets"]}))["noteTargets"]["edges"]
    assert [t["node"]["targetPersonId"] for t in targets] == [ada, ada]  # none lost, all on the survivor
    deal = await one(quiet, "query($i: UUID!) { opportunity(filter: {id: {eq: $i}}) { pointOfContactId } }",
                     {"i": made["deal"]})
    assert deal["pointOfContactId"] == ada
    left = data(await quiet.graphql("query($i: [UUID!]) { people(filter: {id: {in: $i}}) { edges { node { id } } } }",
                                    {"i": made["people"]}))["people"]["edges"]
    assert [p["node"]["id"] for p in left] == [ada]
    trashed = data(await quiet.graphql(
        "query($i: [UUID!]) { people(filter: {id: {in: $i}, deletedAt: {is: NOT_NULL}}) { edges { node { id "
        "emails { primaryEmail } } } } }", {"i": made["people"]}))["people"]["edges"]
    assert {p["node"]["id"] for p in trashed} == {twin, augusta}  # in the trash, restorable
    assert next(p for p in trashed if p["node"]["id"] == twin)["node"]["emails"]["primaryEmail"] is None  # taken over
    timeline = data(await quiet.graphql(
        "query($i: [UUID!]) { timelineActivities(filter: {targetPersonId: {in: $i}}) { edges { node { "
        "targetPersonId name } } } }", {"i": made["people"]}))["timelineActivities"]["edges"]
    history = [t["node"] for t in timeline if t["node"]["name"] != "person.deleted"]
    assert {t["targetPersonId"] for t in history} == {ada}  # their history follows them too
    assert [t["name"] for t in history].count("person.created") == 3
    trashing = [t["node"]["targetPersonId"] for t in timeline if t["node"]["name"] == "person.deleted"]
    assert sorted(trashing) == sorted([twin, augusta])  # the merge's own trashing: on the trashed records
    recorded = await events.since_mark()
    assert summary(recorded) == {
        ("person.updated", ada), ("person.deleted", twin), ("person.deleted", augusta),
        ("noteTarget.updated", made["targets"][0]), ("noteTarget.updated", made["targets"][1]),
        ("opportunity.updated", made["deal"]),
    }
    survivor_event = next(e for e in recorded if e["eventName"] == "person.updated")
    assert {"emails", "companyId"} <= set(survivor_event["updatedFields"])
    assert all("_searchTokens" not in e["record"] and "_duplicateKeys" not in e["record"] for e in recorded)


async def test_a_dry_run_writes_nothing(quiet: GatewayUnderTest) -> None:
    made = await setting(quiet)
    events = Events(quiet)
    await events.mark()
    records = quiet.db.records(quiet.workspace_id, "person")
    before = await records.find({"_id": {"$in": made["people"]}}).sort("_id", 1).to_list(None)
    preview = await one(quiet, MERGE, {"ids": made["people"], "i": 1, "dry": True})
    assert preview["id"] not in made["people"] and preview["deletedAt"] is not None  # Twenty's preview record
    assert preview["emails"]["primaryEmail"].startswith("ada")
    assert await records.find({"_id": {"$in": made["people"]}}).sort("_id", 1).to_list(None) == before
    assert await events.since_mark() == []


@pytest.fixture(scope="module")
async def faulty(mongo_uri: str, db_prefix: str) -> AsyncIterator[GatewayUnderTest]:
    """A gateway whose database client names itself, so a fail point hits its commands only."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_uri, tz_aware=True, appname="merge-faults")
    async with running_gateway(mongo_uri, f"{db_prefix}f", db=Database(client, f"{db_prefix}f")) as gateway:
        yield gateway


async def test_a_merge_failing_half_way_changes_nothing(faulty: GatewayUnderTest, mongo_uri: str) -> None:
    made = await setting(faulty)
    await faulty.app.state.gateway.search_indexer.idle.wait()
    snapshot = {}
    for name in ("person", "noteTarget", "opportunity"):
        snapshot[name] = await faulty.db.records(faulty.workspace_id, name).find({}).sort("_id", 1).to_list(None)
    admin: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_uri)
    # The related records are re-pointed and the others trashed; the survivor's own update fails.
    await admin.admin.command({"configureFailPoint": "failCommand", "mode": {"skip": 3, "times": 1},
                               "data": {"failCommands": ["update"], "errorCode": 2, "appName": "merge-faults"}})
    try:
        failed = await faulty.graphql(MERGE, {"ids": made["people"], "i": 0})
    finally:
        await admin.admin.command({"configureFailPoint": "failCommand", "mode": "off"})
        await admin.close()
    assert failed.get("errors"), failed
    for name, before in snapshot.items():
        after = await faulty.db.records(faulty.workspace_id, name).find({}).sort("_id", 1).to_list(None)
        assert after == before, name


async def test_twenty_s_limits_hold(quiet: GatewayUnderTest) -> None:
    made = await setting(quiet)
    ids = made["people"]
    assert error(await quiet.graphql(MERGE, {"ids": ids[:1], "i": 0}))["message"] == (
        "At least 2 record IDs are required for merge")
    assert error(await quiet.graphql(MERGE, {"ids": ids * 4, "i": 0}))["message"] == (
        "Maximum 9 records can be merged at once")
    assert error(await quiet.graphql(MERGE, {"ids": ids, "i": 3}))["message"] == (
        "Invalid conflict priority '3'. Valid options for 3 records: 0-2")
    assert error(await quiet.graphql(MERGE, {"ids": [ids[0], ids[0]], "i": 0}))["message"] == (
        "One or more records not found")
    missing = error(await quiet.graphql(MERGE, {"ids": [ids[0], "00000000-0000-4000-8000-000000000000"], "i": 0}))
    assert missing["extensions"]["code"] == "NOT_FOUND"
    no_criteria = error(await quiet.graphql('mutation { mergeNotes(ids: [], conflictPriorityIndex: 0) { id } }'))
    assert no_criteria["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"  # notes have no criteria: no merge
