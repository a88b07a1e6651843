"""`GET /rest/{plural}/groupBy`: Twenty's parameters, errors and answer."""

from __future__ import annotations

from typing import Any

import pytest

from rest_shim.group_by import parse_aggregate, parse_group_by, parse_order_by_with_group_by, rest_number
from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import FieldMeta, ObjectMeta
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data

PERSON = ObjectMeta("p", "person", "people", fields=(FieldMeta("1", "city", "TEXT"),))


def test_parameters_parse_as_twentys_parsers() -> None:
    assert parse_group_by('[{"city": true}]') == [{"city": True}]
    assert parse_group_by('{"city": true}') == [{"city": True}]  # one object: a list of one
    assert parse_aggregate('["totalCount", "countEmptyCity", "totalCount"]', PERSON) == ("totalCount",
                                                                                         "countEmptyCity")
    assert parse_aggregate(None, PERSON) == ()
    assert parse_order_by_with_group_by('[{"aggregate": {"totalCount": "DescNullsLast"}}]') == [
        {"aggregate": {"totalCount": "DescNullsLast"}}]
    assert parse_order_by_with_group_by(None) is None


@pytest.mark.parametrize("call, message", [
    (lambda: parse_group_by(None), "Invalid group_by query parameter - should be a valid array of objects"),
    (lambda: parse_group_by("[{city"), "Invalid group_by query parameter"),
    (lambda: parse_group_by('["city"]'), "Invalid group_by query parameter"),
    (lambda: parse_aggregate("nope", PERSON), "Invalid aggregate query parameter - should be a valid array of string"),
    (lambda: parse_aggregate('{"a": 1}', PERSON), "Invalid aggregate query parameter"),
    (lambda: parse_aggregate('["totalCount", "sumNope", "maxNope"]', PERSON),
     "Unknown aggregate field(s): sumNope, maxNope"),
    (lambda: parse_order_by_with_group_by("city[AscNullsFirst]"), "Invalid order_by query parameter"),
])
def test_bad_parameters_get_twentys_messages(call: Any, message: str) -> None:
    with pytest.raises(BadUserInput) as caught:
        call()
    assert message in caught.value.message


def test_numbers_come_as_postgresql_gives_them_as_text() -> None:
    assert rest_number(3) == "3" and rest_number(1e12) == "1000000000000" and rest_number(0.25) == "0.25"
    assert rest_number(None) is None and rest_number("2025-01-01T00:00:00.000Z") == "2025-01-01T00:00:00.000Z"
    assert rest_number(True) is True


async def rest(gateway: GatewayUnderTest, method: str = "GET", **params: str) -> Any:
    return await gateway.client.request(method, "/rest/people/groupBy", params=params, headers=gateway.headers)


async def test_groups_with_aggregates_and_a_sample(gateway: GatewayUnderTest) -> None:
    data(await gateway.graphql('mutation { createPeople(data: [{city: "Paris", jobTitle: "a"}, '
                               '{city: "Paris"}, {city: "Rome", jobTitle: "b"}]) { id } }'))
    response = await rest(gateway, group_by='[{"city": true}]', aggregate='["totalCount", "countEmptyJobTitle"]',
                          order_by='[{"aggregate": {"totalCount": "DescNullsLast"}}]', include_records_sample="true",
                          order_by_for_records="jobTitle[AscNullsLast]")
    assert response.status_code == 200, response.text
    paris, rome = response.json()
    assert paris["groupByDimensionValues"] == ["Paris"] and paris["totalCount"] == "2"
    assert paris["countEmptyJobTitle"] == "1"
    assert [r["jobTitle"] for r in paris["records"]] == ["a", None]
    assert rome["records"][0]["city"] == "Rome" and "id" in rome["records"][0]
    plain = (await rest(gateway, group_by='[{"city": true}]', filter='city[eq]:"Rome"')).json()
    assert plain == [{"groupByDimensionValues": ["Rome"]}]  # nothing asked: no aggregate, no records


@pytest.mark.parametrize("params, message", [
    ({}, "Invalid group_by query parameter"),
    ({"group_by": "[{city"}, "Invalid group_by query parameter"),
    ({"group_by": '[{"city": true}]', "aggregate": '["nope"]'}, "Unknown aggregate field(s): nope"),
    ({"group_by": '[{"city": true}]', "order_by": "city"}, "Invalid order_by query parameter"),
    ({"group_by": '[{"nope": true}]'}, "nope"),
    ({"group_by": '[{"createdAt": {"granularity": "DAY"}}]'}, "Time zone should be specified"),
    ({"group_by": '[{"city": true}]', "limit": "-1"}, "limit"),
    ({"group_by": '[{"city": true}]', "view_id": "6f1a4cb8-5bd6-4d3a-93d5-84b6e58f5bc3"}, "views"),
])
async def test_bad_requests_are_400_naming_the_problem(gateway: GatewayUnderTest, params: dict[str, str],
                                                       message: str) -> None:
    response = await rest(gateway, **params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["statusCode"] == 400 and message in body["messages"][0], body


async def test_only_get_is_allowed(gateway: GatewayUnderTest) -> None:
    response = await rest(gateway, "POST", group_by='[{"city": true}]')
    assert response.status_code == 400 and "use GET" in response.json()["messages"][0]
