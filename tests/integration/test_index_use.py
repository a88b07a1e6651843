"""Which hot paths the store answers through an index, shown by its own `explain`.

Every read and write command a request sends to a workspace database is captured (PyMongo
command monitoring) and explained by the store; the by-id read, the relation fetch, the
unique-key lookup of an upsert and an equality filter on a join column must each be an index
scan, not a collection scan. The indexes come from the metadata (made when objects, relations
and unique fields are made, and again at start-up)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pymongo import monitoring

from gateway.app import create_app
from gateway.db import open_database
from gateway.workspaces import create_workspace
from tests.conftest import GatewayUnderTest, gateway_settings
from tests.integration.helpers import data

# Reads only: the embedded store's explain of a write does not show the plan it runs.
EXPLAINABLE = {"find", "aggregate", "count"}
_DRIVER_FIELDS = {"$db", "lsid", "$clusterTime", "txnNumber", "autocommit", "startTransaction", "readConcern",
                  "writeConcern", "maxTimeMS", "$readPreference", "cursor"}


class Commands(monitoring.CommandListener):
    """The explainable commands sent to workspace databases, as sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in EXPLAINABLE and "_" in event.database_name:
            command = {k: v for k, v in event.command.items() if k not in _DRIVER_FIELDS}
            if event.command_name == "aggregate":
                command["cursor"] = {}
            self.sent.append((event.database_name, command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.fixture(scope="module")
async def watched(mongo_uri: str, db_prefix: str) -> AsyncIterator[tuple[GatewayUnderTest, Commands]]:
    commands = Commands()
    settings = gateway_settings(mongo_uri, db_prefix + "x")
    db = open_database(settings, listeners=[commands])
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        workspace, token = await create_workspace(db, "explained")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docgate") as client:
            yield GatewayUnderTest(client, app, db, workspace["_id"], token), commands
    await db.close()


def stages(plan: dict[str, Any]) -> list[str]:
    """The stages of a winning plan, outermost first, with the index an IXSCAN uses."""
    found = []
    node: dict[str, Any] | None = plan
    while node:
        found.append(node["stage"] + (f"({node['indexName']})" if "indexName" in node else ""))
        node = node.get("inputStage")
    return found


async def plans(gateway: GatewayUnderTest, commands: Commands, collection: str) -> list[tuple[dict[str, Any],
                                                                                                 list[str]]]:
    """Each command sent to `collection` with its winning plan's stages."""
    out = []
    for database, command in commands.sent:
        if command.get(next(iter(command))) != collection:
            continue
        explained = await gateway.db.client[database].command({"explain": command, "verbosity": "queryPlanner"})
        planner = explained.get("queryPlanner") or explained["stages"][0]["$cursor"]["queryPlanner"]
        out.append((command, stages(planner["winningPlan"])))
    return out


def scans(found: list[tuple[dict[str, Any], list[str]]]) -> list[dict[str, Any]]:
    return [command for command, plan in found if not any(s.startswith("IXSCAN") for s in plan)]


async def test_hot_paths_read_through_indexes(watched: tuple[GatewayUnderTest, Commands]) -> None:
    gateway, commands = watched
    company = data(await gateway.graphql('mutation { createCompany(data: {name: "Acme"}) { id } }'))[
        "createCompany"]["id"]
    people = data(await gateway.graphql(
        "mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }",
        {"d": [{"name": {"firstName": f"p{i}"}, "companyId": company,
                "emails": {"primaryEmail": f"p{i}@acme.example"}} for i in range(30)]}))["createPeople"]

    cases = {
        "by id": ("query($id: UUID!) { person(filter: {id: {eq: $id}}) { id company { name } } }",
                  {"id": people[3]["id"]}),
        "relation fetch": (
            "query($id: UUID!) { company(filter: {id: {eq: $id}}) { people { edges { node { id } } } } }",
            {"id": company}),
        "join column filter": ("query($id: UUID!) { people(filter: {companyId: {eq: $id}}) { edges { node { id } } } }",
                               {"id": company}),
        "unique-key upsert": ("mutation($d: [PersonCreateInput!]!) { createPeople(data: $d, upsert: true) { id } }",
                              {"d": [{"emails": {"primaryEmail": "p4@acme.example"}, "jobTitle": "upserted"}]}),
    }
    report = {}
    for name, (query, variables) in cases.items():
        commands.sent.clear()
        data(await gateway.graphql(query, variables))
        found = await plans(gateway, commands, "person") + await plans(gateway, commands, "company")
        assert found, (name, commands.sent)
        report[name] = found
    assert {name: scans(found) for name, found in report.items()} == {name: [] for name in report}


async def test_indexes_dropped_by_hand_come_back_at_start_up(
    watched: tuple[GatewayUnderTest, Commands], mongo_uri: str, db_prefix: str
) -> None:
    gateway, _ = watched
    people = gateway.db.workspace(gateway.workspace_id)["person"]
    await people.drop_indexes()
    assert list(await people.index_information()) == ["_id_"]
    settings = gateway_settings(mongo_uri, db_prefix + "x")
    restarted = open_database(settings)
    app = create_app(settings, db=restarted)
    async with app.router.lifespan_context(app):
        for _ in range(100):  # made in the background: serving does not wait for it
            if "deletedAt_1_companyId_1__id_1" in await people.index_information():
                break
            await asyncio.sleep(0.1)
    await restarted.close()
    names = set(await people.index_information())
    assert {"deletedAt_1_companyId_1__id_1", "companyId_1__id_1", "position_1__id_1", "unique_emails"} <= names
