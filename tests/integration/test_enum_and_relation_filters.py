"""Filters Twenty offers on SELECT and MULTI_SELECT fields (its enum filter: eq, neq, in,
containsAny, is, isEmptyArray, and gt…lte on a single value), and its refusal of a relation
filter inside a relation filter."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_field, create_object, data, error

OPTIONS = [{"value": v, "label": v.title()} for v in ("RED", "GREEN", "BLUE")]


@pytest.fixture(scope="module")
async def paints(gateway: GatewayUnderTest) -> dict[str, str]:
    """Paints with a SELECT `finish` and a MULTI_SELECT `colors`; their ids by name."""
    paint = await create_object(gateway, "paint", "paints")
    await create_field(gateway, paint, name="finish", type="SELECT", options=[
        {"value": "MATT", "label": "Matt"}, {"value": "SATIN", "label": "Satin"}, {"value": "GLOSS", "label": "Gloss"}])
    await create_field(gateway, paint, name="colors", type="MULTI_SELECT", options=OPTIONS)
    made = {}
    for name, finish, colors in (("p1", "MATT", ["RED"]), ("p2", "GLOSS", ["RED", "BLUE"]), ("p3", None, []),
                                 ("p4", "SATIN", None)):
        body = await gateway.graphql(
            "mutation($d: PaintCreateInput!) { createPaint(data: $d) { id } }",
            {"d": {"name": name, "finish": finish, "colors": colors}},
        )
        made[name] = data(body)["createPaint"]["id"]
    return made


async def names(gateway: GatewayUnderTest, filter: dict[str, Any]) -> list[str]:
    body = await gateway.graphql(
        "query($f: PaintFilterInput) { paints(filter: $f, orderBy: [{name: AscNullsFirst}]) "
        "{ edges { node { name } } } }", {"f": filter}
    )
    return [e["node"]["name"] for e in data(body)["paints"]["edges"]]


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"finish": {"eq": "MATT"}}, ["p1"]),
        ({"finish": {"neq": "MATT"}}, ["p2", "p4"]),  # null is neither
        ({"finish": {"in": ["MATT", "GLOSS"]}}, ["p1", "p2"]),
        ({"finish": {"containsAny": ["SATIN"]}}, ["p4"]),
        ({"finish": {"is": "NULL"}}, ["p3"]),
        ({"finish": {"gt": "MATT"}}, ["p2", "p4"]),  # in the options' order
        ({"finish": {"isEmptyArray": True}}, []),  # one value is never an empty list
        ({"finish": {"isEmptyArray": False}}, ["p1", "p2", "p4"]),
        ({"colors": {"eq": "RED"}}, ["p1"]),  # exactly [RED]
        ({"colors": {"neq": "RED"}}, ["p2", "p3"]),
        ({"colors": {"in": ["BLUE", "GREEN"]}}, ["p2"]),
        ({"colors": {"containsAny": ["RED"]}}, ["p1", "p2"]),
        ({"colors": {"isEmptyArray": True}}, ["p3"]),
        ({"colors": {"isEmptyArray": False}}, ["p1", "p2"]),
        ({"colors": {"is": "NULL"}}, ["p4"]),
        ({"not": {"colors": {"containsAny": ["BLUE"]}}}, ["p1", "p3"]),
    ],
)
async def test_enum_operators(paints: dict[str, str], gateway: GatewayUnderTest, filter: Any, expected: Any) -> None:
    assert await names(gateway, filter) == expected


async def test_enum_filter_types_have_twenty_operators(gateway: GatewayUnderTest, paints: dict[str, str]) -> None:
    query = 'query($t: String!) { __type(name: $t) { inputFields { name type { kind name ofType { name } } } } }'
    single = data(await gateway.graphql(query, {"t": "PaintFinishEnumFilter"}))["__type"]["inputFields"]
    assert [f["name"] for f in single] == ["eq", "neq", "in", "containsAny", "is", "isEmptyArray", "gt", "gte", "lt",
                                           "lte"]
    # One shape for every enum filter, MULTI_SELECT's too, as Twenty's createGqlEnumFilterType makes it
    # (the comparisons are then refused on a MULTI_SELECT when used).
    multi = data(await gateway.graphql(query, {"t": "PaintColorsEnumFilter"}))["__type"]["inputFields"]
    assert [f["name"] for f in multi] == [f["name"] for f in single]
    assert next(f for f in multi if f["name"] == "in")["type"] == {"kind": "LIST", "name": None,
                                                                   "ofType": {"name": "PaintColorsEnum"}}


async def test_a_relation_filter_inside_a_relation_filter_is_refused(gateway: GatewayUnderTest) -> None:
    one_hop = await gateway.graphql('{ people(filter: {company: {name: {eq: "x"}}}) { totalCount } }')
    assert data(one_hop)["people"]["totalCount"] == 0
    deeper = error(await gateway.graphql(
        '{ people(filter: {company: {accountOwner: {name: {firstName: {eq: "x"}}}}}) { totalCount } }'
    ))
    assert deeper["message"] == "Relation filter nesting deeper than 1 hop is not supported"
    assert deeper["extensions"]["code"] == "BAD_USER_INPUT"
    inside_or = error(await gateway.graphql(
        '{ opportunities(filter: {or: [{pointOfContact: {company: {name: {eq: "x"}}}}]}) { totalCount } }'
    ))
    assert inside_or["message"] == deeper["message"]
