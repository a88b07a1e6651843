"""Aggregates cost one database command per connection, groupBy one per request.

Counted with a PyMongo command listener on the real daemon: the read commands sent to the
workspace's database while one request is answered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.db import open_database
from gateway.workspaces import create_workspace
from tests.conftest import GatewayUnderTest, gateway_settings
from tests.integration.helpers import data
from tests.integration.test_core_relations import CommandCounter

FIVE = "totalCount sumAmountAmountMicros avgAmountAmountMicros countEmptyName percentageNotEmptyCloseDate"


@pytest.fixture(scope="module")
async def counted(mongo_uri: str, db_prefix: str) -> AsyncIterator[tuple[GatewayUnderTest, CommandCounter]]:
    counter = CommandCounter()
    settings = gateway_settings(mongo_uri, db_prefix + "a")
    db = open_database(settings, listeners=[counter])
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        workspace, token = await create_workspace(db, "counted")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docgate") as client:
            gateway = GatewayUnderTest(client, app, db, workspace["_id"], token)
            made = await gateway.graphql('mutation { createCompanies(data: [{name: "A"}, {name: "B"}, {name: "C"}]) '
                                         "{ id } }")
            companies = data(made)["createCompanies"]
            opportunities = [
                {"name": f"o{i}", "stage": ("NEW", "SCREENING", "MEETING")[i % 3],
                 "amount": {"amountMicros": i * 1_000_000, "currencyCode": "USD"},
                 "closeDate": f"2025-0{1 + i % 9}-1{i % 10}T10:00:00Z", "companyId": companies[i % 3]["id"]}
                for i in range(30)
            ]
            create = "mutation($d: [OpportunityCreateInput]!) { createOpportunities(data: $d) { id } }"
            data(await gateway.graphql(create, {"d": opportunities}))
            await gateway.graphql("{ opportunities(first: 1) { totalCount } }")  # warm: key, schema
            yield gateway, counter
    await db.close()


async def count(counted: tuple[GatewayUnderTest, CommandCounter], query: str) -> tuple[Any, list[tuple[str, str]]]:
    gateway, counter = counted
    counter.commands.clear()
    body = data(await gateway.graphql(query))
    return body, list(counter.commands)


async def test_a_connection_with_five_aggregates_is_one_command(
    counted: tuple[GatewayUnderTest, CommandCounter],
) -> None:
    body, commands = await count(counted, f"{{ opportunities {{ {FIVE} }} }}")
    assert commands == [("aggregate", "opportunity")]
    assert body["opportunities"]["totalCount"] == 30
    assert body["opportunities"]["sumAmountAmountMicros"] == sum(range(30)) * 1_000_000


async def test_with_its_records_the_page_is_the_one_more_command_totalcount_cost_already(
    counted: tuple[GatewayUnderTest, CommandCounter],
) -> None:
    _, before = await count(counted, "{ opportunities { totalCount edges { node { id } } } }")
    _, after = await count(counted, f"{{ opportunities {{ {FIVE} edges {{ node {{ id }} }} }} }}")
    assert len(after) == len(before) == 2
    assert sorted(c for c, _ in after) == ["aggregate", "find"]


async def test_nested_connections_aggregates_are_one_command_for_all_parents(
    counted: tuple[GatewayUnderTest, CommandCounter],
) -> None:
    body, commands = await count(
        counted, f"{{ companies {{ edges {{ node {{ name opportunities {{ {FIVE} }} }} }} }} }}"
    )
    assert commands == [("find", "company"), ("aggregate", "opportunity")]
    edges = body["companies"]["edges"]
    assert sorted(e["node"]["opportunities"]["totalCount"] for e in edges) == [10, 10, 10]


async def test_a_group_by_with_aggregates_records_and_a_relation_is_one_command(
    counted: tuple[GatewayUnderTest, CommandCounter],
) -> None:
    body, commands = await count(counted, """{ opportunitiesGroupBy(
        groupBy: [{stage: true}, {company: {name: true}}, {closeDate: {granularity: MONTH, timeZone: "Europe/Paris"}}],
        orderBy: [{aggregate: {sumAmountAmountMicros: DescNullsLast}}], limit: 100) {
        groupByDimensionValues totalCount sumAmountAmountMicros maxCloseDate countUniqueValuesName
        edges { node { id name } } pageInfo { hasNextPage } } }""")
    assert commands == [("aggregate", "opportunity")]
    groups = body["opportunitiesGroupBy"]
    assert sum(g["totalCount"] for g in groups) == 30
    sums = [g["sumAmountAmountMicros"] for g in groups]
    assert sums == sorted(sums, reverse=True)


async def test_rest_group_by_is_one_command(counted: tuple[GatewayUnderTest, CommandCounter]) -> None:
    gateway, counter = counted
    counter.commands.clear()
    response = await gateway.client.get("/rest/opportunities/groupBy", headers=gateway.headers, params={
        "group_by": '[{"stage": true}]', "aggregate": '["totalCount", "sumAmountAmountMicros"]',
        "include_records_sample": "true"})
    assert response.status_code == 200, response.text
    assert counter.commands == [("aggregate", "opportunity")]
    assert {g["totalCount"] for g in response.json()} == {"10"}
