"""Filters, ordering and cursor pagination through the Core GraphQL API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_field, create_object, data, error

ROWS: list[dict[str, Any]] = [
    {"name": "alpha", "size": 10, "ratio": 0.5, "flag": True, "at": "2025-01-01T00:00:00.000Z", "day": "2025-01-01",
     "kind": "SMALL", "marks": ["RED"], "words": ["Apple", "pie"], "owner": {"firstName": "Ada", "lastName": "L"}},
    {"name": "beta", "size": 20, "ratio": None, "flag": False, "at": "2025-02-01T00:00:00.000Z", "day": None,
     "kind": "LARGE", "marks": ["RED", "BLUE"], "words": [], "owner": {"firstName": "Alan", "lastName": "T"}},
    {"name": "gamma", "size": None, "ratio": 1.5, "flag": None, "at": None, "day": "2025-03-01",
     "kind": None, "marks": [], "words": ["banana"], "owner": {"firstName": None, "lastName": "H"}},
    {"name": "Delta.*", "size": 30, "ratio": 2.5, "flag": True, "at": "2025-04-01T00:00:00.000Z",
     "day": "2025-04-01", "kind": "SMALL", "marks": None, "words": None,
     "owner": {"firstName": "Grace", "lastName": None}},
]


@pytest.fixture(scope="module")
async def items(gateway: GatewayUnderTest) -> list[str]:
    item = await create_object(gateway, "item", "items")
    await create_field(gateway, item, name="size", type="NUMBER", settings={"dataType": "INT"})
    await create_field(gateway, item, name="ratio", type="NUMBER")
    await create_field(gateway, item, name="flag", type="BOOLEAN")
    await create_field(gateway, item, name="at", type="DATE_TIME")
    await create_field(gateway, item, name="day", type="DATE")
    await create_field(gateway, item, name="kind", type="SELECT",
                       options=[{"value": "SMALL", "label": "S"}, {"value": "LARGE", "label": "L"}])
    await create_field(gateway, item, name="marks", type="MULTI_SELECT",
                       options=[{"value": "RED", "label": "R"}, {"value": "BLUE", "label": "B"}])
    await create_field(gateway, item, name="words", type="ARRAY")
    await create_field(gateway, item, name="owner", type="FULL_NAME")
    created = data(await gateway.graphql(
        "mutation($d: [ItemCreateInput!]!) { createItems(data: $d) { id } }", {"d": ROWS}
    ))["createItems"]
    return [r["id"] for r in created]


async def names(gateway: GatewayUnderTest, filter: dict[str, Any] | None = None,
                order_by: list[dict[str, Any]] | None = None) -> list[str]:
    body = await gateway.graphql(
        "query($f: ItemFilterInput, $o: [ItemOrderByInput]) "
        "{ items(filter: $f, orderBy: $o) { edges { node { name } } } }",
        {"f": filter, "o": order_by},
    )
    return [e["node"]["name"] for e in data(body)["items"]["edges"]]


FILTER_CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({"name": {"eq": "beta"}}, ["beta"]),
    ({"name": {"neq": "beta"}}, ["alpha", "gamma", "Delta.*"]),
    ({"name": {"in": ["alpha", "gamma"]}}, ["alpha", "gamma"]),
    ({"name": {"like": "%a"}}, ["alpha", "beta", "gamma"]),
    ({"name": {"ilike": "D%"}}, ["Delta.*"]),
    ({"name": {"like": "d%"}}, []),
    ({"name": {"ilike": "%.*"}}, ["Delta.*"]),
    ({"name": {"ilike": ".*"}}, []),
    ({"name": {"startsWith": "gam"}}, ["gamma"]),
    ({"name": {"endsWith": "ta"}}, ["beta"]),
    ({"name": {"gt": "beta"}}, ["gamma"]),
    ({"size": {"gt": 10}}, ["beta", "Delta.*"]),
    ({"size": {"gte": 10, "lt": 30}}, ["alpha", "beta"]),
    ({"size": {"lte": 10}}, ["alpha"]),
    ({"size": {"is": "NULL"}}, ["gamma"]),
    ({"size": {"is": "NOT_NULL"}}, ["alpha", "beta", "Delta.*"]),
    ({"size": {"neq": 10}}, ["beta", "Delta.*"]),
    ({"ratio": {"in": [0.5, 2.5]}}, ["alpha", "Delta.*"]),
    ({"flag": {"eq": True}}, ["alpha", "Delta.*"]),
    ({"flag": {"is": "NULL"}}, ["gamma"]),
    ({"at": {"gte": "2025-02-01T00:00:00Z"}}, ["beta", "Delta.*"]),
    ({"at": {"lt": "2025-02-01T00:00:00Z"}}, ["alpha"]),
    ({"day": {"eq": "2025-03-01"}}, ["gamma"]),
    ({"day": {"gt": "2025-01-15"}}, ["gamma", "Delta.*"]),
    ({"kind": {"eq": "SMALL"}}, ["alpha", "Delta.*"]),
    ({"kind": {"in": ["LARGE"]}}, ["beta"]),
    ({"kind": {"is": "NULL"}}, ["gamma"]),
    ({"marks": {"containsAny": ["BLUE"]}}, ["beta"]),
    ({"marks": {"isEmptyArray": True}}, ["gamma"]),
    ({"words": {"containsIlike": "%APP%"}}, ["alpha"]),
    ({"words": {"isEmptyArray": True}}, ["beta"]),
    ({"words": {"is": "NULL"}}, ["Delta.*"]),
    ({"owner": {"firstName": {"ilike": "a%"}}}, ["alpha", "beta"]),
    ({"owner": {"lastName": {"is": "NULL"}}}, ["Delta.*"]),
    ({"or": [{"name": {"eq": "alpha"}}, {"size": {"gt": 25}}]}, ["alpha", "Delta.*"]),
    ({"and": [{"flag": {"eq": True}}, {"size": {"lt": 20}}]}, ["alpha"]),
    # SQL semantics, as Twenty: a comparison with null is not true, and neither is its negation.
    ({"not": {"kind": {"eq": "SMALL"}}}, ["beta"]),
    ({"not": {"or": [{"name": {"eq": "alpha"}}, {"name": {"eq": "beta"}}]}}, ["gamma", "Delta.*"]),
]


@pytest.mark.parametrize(("filter", "expected"), FILTER_CASES)
async def test_filter_operators(gateway: GatewayUnderTest, items: list[str], filter: dict[str, Any],
                                expected: list[str]) -> None:
    assert await names(gateway, filter) == expected


async def test_filter_text_is_never_an_operator_or_a_regex(gateway: GatewayUnderTest, items: list[str]) -> None:
    assert await names(gateway, {"name": {"eq": "(a|b)"}}) == []
    assert await names(gateway, {"name": {"like": "^alpha$"}}) == []
    body = await gateway.graphql('{ items(filter: {name: {eq: {ne: 1}}}) { totalCount } }')
    assert error(body)["extensions"]["code"] in ("GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT")


async def test_soft_deleted_records_are_hidden_unless_asked(gateway: GatewayUnderTest, items: list[str]) -> None:
    await gateway.graphql("mutation($id: UUID!) { deleteItem(id: $id) { id } }", {"id": items[1]})
    try:
        assert "beta" not in await names(gateway)
        assert await names(gateway, {"deletedAt": {"is": "NOT_NULL"}}) == ["beta"]
        either = {"or": [{"deletedAt": {"is": "NULL"}}, {"deletedAt": {"is": "NOT_NULL"}}]}
        assert "beta" in await names(gateway, either)
    finally:
        await gateway.graphql("mutation($id: UUID!) { restoreItem(id: $id) { id } }", {"id": items[1]})


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("AscNullsFirst", ["gamma", "alpha", "beta", "Delta.*"]),
        ("AscNullsLast", ["alpha", "beta", "Delta.*", "gamma"]),
        ("DescNullsFirst", ["gamma", "Delta.*", "beta", "alpha"]),
        ("DescNullsLast", ["Delta.*", "beta", "alpha", "gamma"]),
    ],
)
async def test_order_directions_place_nulls(gateway: GatewayUnderTest, items: list[str], direction: str,
                                            expected: list[str]) -> None:
    assert await names(gateway, order_by=[{"size": direction}]) == expected


async def test_order_by_composite_sub_field_then_id(gateway: GatewayUnderTest, items: list[str]) -> None:
    assert await names(gateway, order_by=[{"owner": {"firstName": "AscNullsLast"}}]) == [
        "alpha", "beta", "Delta.*", "gamma"
    ]
    # A SELECT orders by its options (SMALL, then LARGE: Twenty's enum order, not the alphabet's);
    # text by code point ("a" sorts after "D").
    assert await names(gateway, order_by=[{"kind": "AscNullsLast"}, {"name": "DescNullsLast"}]) == [
        "alpha", "Delta.*", "beta", "gamma"
    ]
    assert await names(gateway, {"kind": {"gt": "SMALL"}}) == ["beta"]


async def page(gateway: GatewayUnderTest, **args: Any) -> dict[str, Any]:
    body = await gateway.graphql(
        "query($first: Int, $last: Int, $after: String, $before: String, $o: [ItemOrderByInput]) {"
        " items(first: $first, last: $last, after: $after, before: $before, orderBy: $o) {"
        "  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
        "  edges { cursor node { name } } } }",
        args,
    )
    result: dict[str, Any] = data(body)["items"]
    return result


@pytest.mark.parametrize("order", [None, [{"size": "DescNullsFirst"}], [{"ratio": "AscNullsLast"}]])
async def test_pages_forward_and_backward_cover_everything_once(
    gateway: GatewayUnderTest, items: list[str], order: Any
) -> None:
    everything = [e["node"]["name"] for e in (await page(gateway, o=order))["edges"]]
    forward: list[str] = []
    after = None
    while True:
        result = await page(gateway, first=1, after=after, o=order)
        forward += [e["node"]["name"] for e in result["edges"]]
        if not result["pageInfo"]["hasNextPage"]:
            break
        after = result["pageInfo"]["endCursor"]
    assert forward == everything
    backward: list[str] = []
    before = None
    while True:
        result = await page(gateway, last=1, before=before, o=order)
        backward = [e["node"]["name"] for e in result["edges"]] + backward
        if not result["pageInfo"]["hasPreviousPage"]:
            break
        before = result["pageInfo"]["startCursor"]
    assert backward == everything


async def test_paging_while_inserting_never_repeats_or_skips(gateway: GatewayUnderTest, items: list[str]) -> None:
    before_first_page = [e["node"]["name"] for e in (await page(gateway))["edges"]]
    seen: list[str] = []
    after = None
    for i in range(10):
        result = await page(gateway, first=2, after=after)
        seen += [e["node"]["name"] for e in result["edges"]]
        await gateway.graphql("mutation($n: String) { createItem(data: {name: $n, size: 15}) { id } }",
                              {"n": f"inserted{i}"})
        if not result["pageInfo"]["hasNextPage"]:
            break
        after = result["pageInfo"]["endCursor"]
    originals = [n for n in seen if not n.startswith("inserted")]
    assert originals == before_first_page
    assert len(seen) == len(set(seen))
    await gateway.graphql('mutation { destroyItems(filter: {name: {startsWith: "inserted"}}) { id } }')


@pytest.mark.parametrize(
    "args",
    [{"first": 1, "last": 1}, {"after": "x", "before": "y"}, {"first": -1}, {"first": 1000}],
)
async def test_argument_conflicts_are_bad_user_input(gateway: GatewayUnderTest, items: list[str],
                                                     args: dict[str, Any]) -> None:
    body = await gateway.graphql(
        "query($first: Int, $last: Int, $after: String, $before: String)"
        " { items(first: $first, last: $last, after: $after, before: $before) { totalCount } }",
        args,
    )
    assert error(body)["extensions"]["code"] == "BAD_USER_INPUT"


async def test_total_count_counts_the_filter_not_the_page(gateway: GatewayUnderTest, items: list[str]) -> None:
    body = await gateway.graphql('{ items(first: 1, filter: {flag: {eq: true}}) { totalCount edges { node { id } } } }')
    assert data(body)["items"]["totalCount"] == 2
    assert len(data(body)["items"]["edges"]) == 1


async def test_unknown_filter_field_names_it(gateway: GatewayUnderTest, items: list[str]) -> None:
    body = await gateway.graphql("{ items(filter: {colour: {eq: 1}}) { totalCount } }")
    assert "colour" in error(body)["message"]
