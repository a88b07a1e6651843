"""Hostile aggregates and groupBy: bounded before anything runs, answered in Twenty's shape.

A gateway with small limits (10 aggregate fields, 20 groups) and a command listener: a refused
request sends no command to the workspace's database. The deadline holds for the pipelines
too (a held `aggregate` command ends in 504), and the in-memory backend refuses clearly what it
cannot compute.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from gateway.app import create_app
from gateway.db import Database, open_database
from gateway.settings import Settings
from gateway.workspaces import create_workspace
from tests.conftest import GatewayUnderTest, gateway_settings
from tests.integration.helpers import data
from tests.integration.test_core_relations import CommandCounter

APP_NAME = "docgate-group-by-limits"


@pytest.fixture(scope="module")
async def small(mongo_uri: str, db_prefix: str) -> AsyncIterator[tuple[GatewayUnderTest, CommandCounter]]:
    """Limits of 10 aggregate fields and 20 groups, a 1 s deadline, 200 people with distinct titles."""
    counter = CommandCounter()
    settings = gateway_settings(mongo_uri, db_prefix + "l", max_aggregate_fields=10, max_groups=20,
                                request_timeout_seconds=1.0)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongo_uri, tz_aware=True, uuidRepresentation="standard", appname=APP_NAME, event_listeners=[counter])
    db = Database(client, settings.control_db)
    workspace, token = await create_workspace(db, "limits")
    # Seeded without the 1 s deadline, which a loaded machine may miss while writing 50 records.
    seeder = create_app(gateway_settings(mongo_uri, db_prefix + "l"), db=db)
    async with seeder.router.lifespan_context(seeder):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=seeder), base_url="http://docgate") as http:
            create = "mutation($d: [PersonCreateInput]!) { createPeople(data: $d) { id } }"
            for start in range(0, 200, 50):
                variables = {"d": [{"jobTitle": f"title {i:03}", "city": "Paris"} for i in range(start, start + 50)]}
                response = await http.post("/graphql", json={"query": create, "variables": variables},
                                           headers={"Authorization": f"Bearer {token}"})
                data(response.json())
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docgate") as http:
            gateway = GatewayUnderTest(http, app, db, workspace["_id"], token)
            data(await gateway.graphql("{ people(first: 1) { totalCount } }"))  # warm: key, schema, member
            yield gateway, counter
    await db.close()


async def refused(small: tuple[GatewayUnderTest, CommandCounter], query: str, variables: Any = None) -> str:
    gateway, counter = small
    counter.commands.clear()
    body = await gateway.graphql(query, variables)
    assert body.get("data") in (None, {"peopleGroupBy": None}, {"people": None}), body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert counter.commands == [], counter.commands  # refused before the database was asked anything
    message: str = error["message"]
    return message


async def test_too_many_aggregate_fields_are_refused_aliases_counted(
    small: tuple[GatewayUnderTest, CommandCounter],
) -> None:
    many = " ".join(f"a{i}: countEmptyJobTitle" for i in range(11))
    assert "DOCGATE_MAX_AGGREGATE_FIELDS" in await refused(small, f"{{ people {{ {many} }} }}")
    assert "DOCGATE_MAX_AGGREGATE_FIELDS" in await refused(
        small, f"{{ peopleGroupBy(groupBy: [{{city: true}}]) {{ {many} }} }}")
    nested = f"{{ companies {{ edges {{ node {{ people {{ {many} }} }} }} }} }}"
    assert "DOCGATE_MAX_AGGREGATE_FIELDS" in await refused(small, nested)
    gateway, _ = small
    ten = " ".join(f"a{i}: countEmptyJobTitle" for i in range(10))
    assert data(await gateway.graphql(f"{{ people {{ {ten} }} }}"))["people"]["a9"] == 0


async def test_more_groups_than_the_setting_are_refused(small: tuple[GatewayUnderTest, CommandCounter]) -> None:
    for limit in (21, 2**31 - 1):
        message = await refused(small, "query($n: Int) { peopleGroupBy(groupBy: [{jobTitle: true}], limit: $n) "
                                       "{ totalCount } }", {"n": limit})
        assert "DOCGATE_MAX_GROUPS" in message and str(limit) in message


async def test_many_groups_answer_the_limit_with_small_samples(small: tuple[GatewayUnderTest, CommandCounter]) -> None:
    gateway, counter = small
    counter.commands.clear()
    groups = data(await gateway.graphql(
        "{ peopleGroupBy(groupBy: [{jobTitle: true}], limit: 20, orderBy: [{jobTitle: DescNullsLast}]) "
        "{ groupByDimensionValues totalCount edges { node { id jobTitle } } pageInfo { hasNextPage } } }"
    ))["peopleGroupBy"]
    assert len(groups) == 20 and len(counter.commands) == 1
    assert [g["groupByDimensionValues"] for g in groups] == [[f"title {i:03}"] for i in range(199, 179, -1)]
    assert all(len(g["edges"]) == 1 and not g["pageInfo"]["hasNextPage"] for g in groups)
    city = data(await gateway.graphql(
        "{ peopleGroupBy(groupBy: [{city: true}]) { totalCount edges { node { id } } pageInfo { hasNextPage } } }"
    ))["peopleGroupBy"]
    assert city[0]["totalCount"] == 200 and len(city[0]["edges"]) == 10 and city[0]["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize("group_by, message", [
    ('[{createdAt: {granularity: DAY}}]', "Time zone should be specified"),
    ('[{createdAt: {granularity: DAY, timeZone: "Mars/Olympus"}}]', "Invalid timezone: Mars/Olympus"),
    ('[{createdAt: {granularity: WEEK, timeZone: "UTC+2"}}]', "Invalid timezone: UTC+2"),
    ('[{jobTitle: true, city: true}]', "You cannot provide multiple fields in one GroupByInput"),
    ('[{company: {accountOwner: {userEmail: true}}}]', "Cannot group by a relation field of the relation field"),
    ("[" + ", ".join(["{city: true}"] * 21) + "]", "groupBy groups by at most 20 fields"),
])
async def test_bad_group_by_inputs_get_twentys_errors(
    small: tuple[GatewayUnderTest, CommandCounter], group_by: str, message: str
) -> None:
    found = await refused(small, f"{{ peopleGroupBy(groupBy: {group_by}) {{ totalCount }} }}")
    assert message in found


async def test_a_granularity_that_does_not_exist_fails_validation(
    small: tuple[GatewayUnderTest, CommandCounter],
) -> None:
    gateway, _ = small
    body = await gateway.graphql("{ peopleGroupBy(groupBy: [{createdAt: {granularity: FORTNIGHT}}]) { totalCount } }")
    assert body["errors"][0]["extensions"]["code"] != "INTERNAL_SERVER_ERROR"
    assert "FORTNIGHT" in body["errors"][0]["message"]


async def test_view_ids_and_huge_offsets_are_refused(small: tuple[GatewayUnderTest, CommandCounter]) -> None:
    assert "views are not part of docgate" in await refused(
        small, '{ peopleGroupBy(groupBy: [{city: true}], viewId: "6f1a4cb8-5bd6-4d3a-93d5-84b6e58f5bc3") '
               "{ totalCount } }")
    assert "DOCGATE_MAX_RECORDS_PER_REQUEST" in await refused(
        small, "{ peopleGroupBy(groupBy: [{city: true}], offsetForRecords: 100000000) { totalCount } }")


async def test_rest_refuses_and_clamps_as_twenty_does(small: tuple[GatewayUnderTest, CommandCounter]) -> None:
    gateway, _ = small
    many = '["' + '", "'.join(["countEmptyJobTitle", "countEmptyCity", "countEmptyAvatarUrl", "countEmptyName",
                                "countEmptyEmails", "countEmptyPhones", "countEmptyId", "countEmptyCreatedAt",
                                "countEmptyUpdatedAt", "countEmptyDeletedAt", "countEmptyPosition"]) + '"]'
    response = await gateway.client.get("/rest/people/groupBy", headers=gateway.headers,
                                        params={"group_by": '[{"city": true}]', "aggregate": many})
    assert response.status_code == 400 and "DOCGATE_MAX_AGGREGATE_FIELDS" in response.json()["messages"][0]
    response = await gateway.client.get("/rest/people/groupBy", headers=gateway.headers,
                                        params={"group_by": '[{"jobTitle": true}]', "limit": "100000000000"})
    assert response.status_code == 200 and len(response.json()) == 20  # clamped to the setting


async def test_a_group_by_past_its_deadline_answers_504(
    small: tuple[GatewayUnderTest, CommandCounter], mongo_uri: str
) -> None:
    gateway, _ = small
    async with AsyncMongoClient(mongo_uri) as admin:
        await admin.admin.command("configureFailPoint", "failCommand", mode="alwaysOn", data={
            "failCommands": ["aggregate"], "blockConnection": True, "blockTimeMS": 2500, "appName": APP_NAME})
        try:
            body = await gateway.graphql("{ peopleGroupBy(groupBy: [{city: true}]) { totalCount } }")
            assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
            response = await gateway.client.get("/rest/people/groupBy", headers=gateway.headers,
                                                params={"group_by": '[{"city": true}]'})
            assert response.status_code == 504
        finally:
            await admin.admin.command("configureFailPoint", "failCommand", mode="off")


async def test_the_in_memory_backend_counts_and_refuses_the_rest_clearly() -> None:
    settings = Settings(mongodb_uri="memory://", log_level="WARNING")
    db = open_database(settings)
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        _, token = await create_workspace(db, "memory")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docgate") as client:
            gateway = GatewayUnderTest(client, app, db, "", token)
            data(await gateway.graphql('mutation { createPeople(data: [{city: "a"}, {city: "b"}]) { id } }'))
            assert data(await gateway.graphql("{ people { totalCount } }"))["people"]["totalCount"] == 2
            for query in ("{ people { countEmptyCity } }", "{ peopleGroupBy(groupBy: [{city: true}]) { totalCount } }"):
                [error] = (await gateway.graphql(query))["errors"]
                assert error["extensions"]["code"] == "BAD_USER_INPUT" and "in-memory backend" in error["message"]
    await db.close()
