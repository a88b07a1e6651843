"""Ordering by a to-one relation's field: order, nulls, cursors both ways, REST and GraphQL
alike, and what a hostile client is refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data, error
from tests.rest_shim.core_rest_helpers import fails, ok

PAGE = """
query($orderBy: [PersonOrderByInput], $first: Int, $last: Int, $after: String, $before: String,
      $filter: PersonFilterInput) {
  people(orderBy: $orderBy, first: $first, last: $last, after: $after, before: $before, filter: $filter) {
    edges { cursor node { id jobTitle company { name } } }
    pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  }
}
"""
MARK = "relation-ordering"


@pytest.fixture(scope="module", autouse=True)
async def people(gateway: GatewayUnderTest) -> None:
    names = ["beta", "Alpha", None, "alpha", "Gamma"]
    companies = data(await gateway.graphql(
        "mutation($d: [CompanyCreateInput]!) { createCompanies(data: $d) { id name } }",
        {"d": [{"name": name} for name in names]},
    ))["createCompanies"]
    rows = [{"jobTitle": MARK, "companyId": c["id"]} for c in companies]
    rows += [{"jobTitle": MARK}, {"jobTitle": MARK}]  # no company at all
    data(await gateway.graphql("mutation($d: [PersonCreateInput]!) { createPeople(data: $d) { id } }", {"d": rows}))


async def page(gateway: GatewayUnderTest, **variables: Any) -> dict[str, Any]:
    result: dict[str, Any] = data(await gateway.graphql(PAGE, {"filter": {"jobTitle": {"eq": MARK}}, **variables}))
    return result["people"]


def names_of(connection: dict[str, Any]) -> list[str | None]:
    return [(e["node"]["company"] or {}).get("name") for e in connection["edges"]]


async def test_order_is_case_insensitive_with_nulls_where_asked(gateway: GatewayUnderTest) -> None:
    ascending = names_of(await page(gateway, orderBy=[{"company": {"name": "AscNullsLast"}}]))
    assert [n.lower() if n else n for n in ascending] == ["alpha", "alpha", "beta", "gamma", None, None, None]
    descending = names_of(await page(gateway, orderBy=[{"company": {"name": "DescNullsFirst"}}]))
    assert descending[:3] == [None, None, None]
    assert [n.lower() for n in descending[3:] if n] == ["gamma", "beta", "alpha", "alpha"]


@pytest.mark.parametrize("direction", ["AscNullsLast", "AscNullsFirst", "DescNullsLast", "DescNullsFirst"])
async def test_cursors_walk_every_record_once_forward_and_back(gateway: GatewayUnderTest, direction: str) -> None:
    order = [{"company": {"name": direction}}]
    whole = [e["node"]["id"] for e in (await page(gateway, orderBy=order))["edges"]]
    forward: list[str] = []
    after = None
    while True:
        connection = await page(gateway, orderBy=order, first=2, after=after)
        forward += [e["node"]["id"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert forward == whole
    backward: list[str] = []
    before = None
    while True:
        connection = await page(gateway, orderBy=order, last=2, before=before)
        backward = [e["node"]["id"] for e in connection["edges"]] + backward
        if not connection["pageInfo"]["hasPreviousPage"]:
            break
        before = connection["pageInfo"]["startCursor"]
    assert backward == whole


async def test_rest_orders_by_a_relation_field_as_graphql_does(gateway: GatewayUnderTest) -> None:
    graphql = [e["node"]["id"] for e in (await page(gateway, orderBy=[{"company": {"name": "AscNullsLast"}}]))["edges"]]
    answer = await ok(gateway, "GET", "people", order_by="company.name[AscNullsLast]", filter=f"jobTitle[eq]:{MARK}")
    assert [p["id"] for p in answer["data"]["people"]] == graphql
    assert all("_dgRel" not in key for p in answer["data"]["people"] for key in p)  # no helper key leaks


@pytest.mark.parametrize(
    ("order_by", "message"),
    [
        ([{"company": {"accountOwner": {"name": {"firstName": "AscNullsLast"}}}}],
         "ordering by a relation of a relation is not supported"),
        ([{"noteTargets": {"id": "AscNullsLast"}}], 'is not defined by type "PersonOrderByInput"'),
        ([{"company": {"nope": "AscNullsLast"}}], 'Field "nope" is not defined by type "CompanyOrderByInput"'),
        ([{"company": {"name": "Sideways"}}], 'Value "Sideways" does not exist in "OrderByDirection" enum'),
    ],
)
async def test_what_cannot_be_ordered_by_is_refused(gateway: GatewayUnderTest, order_by: Any, message: str) -> None:
    body = await gateway.graphql(PAGE, {"orderBy": order_by})
    assert message in error(body)["message"], body


async def test_a_forged_cursor_cannot_smuggle_an_operator(gateway: GatewayUnderTest) -> None:
    import base64
    import json

    forged = base64.b64encode(json.dumps({"company.name": {"$gt": ""}, "id": "x"}).encode()).decode()
    body = await gateway.graphql(PAGE, {"orderBy": [{"company": {"name": "AscNullsLast"}}], "after": forged})
    assert error(body)["extensions"]["code"] == "BAD_USER_INPUT" and "Invalid cursor" in error(body)["message"]


async def test_rest_refuses_two_hops_with_a_400(gateway: GatewayUnderTest) -> None:
    order_by = "company.accountOwner.name.firstName[AscNullsLast]"
    status, message = await fails(gateway, "GET", "people", order_by=order_by)
    assert status == 400 and "relation of a relation" in message
