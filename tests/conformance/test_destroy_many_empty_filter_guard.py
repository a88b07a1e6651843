"""Port of
`packages/twenty-server/test/integration/graphql/suites/destroy-many-empty-filter-guard.integration-spec.ts`
at 12e634b45cdb4a3ba66b4c7318481f67b2670b2f (its snapshot at 353a9d6c5f69e394cb643c3358afea7711a2b3aa):
the spec is not stored at 41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.twenty import (
    create_many_operation_factory,
    delete_many_operation_factory,
    destroy_many_operation_factory,
    expect_one_not_internal_server_error,
    find_many_operation_factory,
    make_graphql_api_request,
)
from tests.conformance.twenty_data import PERSON_GQL_FIELDS, seed_dev_custom_fields
from tests.conftest import GatewayUnderTest

SNAPSHOT = {
    "extensions": {
        "code": "BAD_USER_INPUT", "subCode": "INVALID_QUERY_INPUT", "userFriendlyMessage": "An error occurred."
    },
    "message": "A non-empty filter is required",
}



@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await seed_dev_custom_fields(gateway)
    yield


async def seed_people(gateway: GatewayUnderTest) -> tuple[str, str]:
    one, two = str(uuid.uuid4()), str(uuid.uuid4())
    op = create_many_operation_factory("person", "people", PERSON_GQL_FIELDS, data=[{"id": one}, {"id": two}])
    await make_graphql_api_request(gateway, op)
    return one, two


async def find_people_by_ids(gateway: GatewayUnderTest, ids: list[str]) -> list[str]:
    op = find_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={"id": {"in": ids}})
    body = (await make_graphql_api_request(gateway, op)).body
    return [edge["node"]["id"] for edge in body["data"]["people"]["edges"]]


async def cleanup_people(gateway: GatewayUnderTest, ids: list[str]) -> None:
    op = destroy_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={"id": {"in": ids}})
    await make_graphql_api_request(gateway, op)


async def test_should_reject_destroy_many_with_an_empty_filter_and_not_delete_any_record(
    gateway: GatewayUnderTest,
) -> None:
    one, two = await seed_people(gateway)
    op = destroy_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={})
    body = (await make_graphql_api_request(gateway, op)).body
    assert body["data"] == {"destroyPeople": None}
    expect_one_not_internal_server_error(body, SNAPSHOT)
    assert set(await find_people_by_ids(gateway, [one, two])) >= {one, two}
    await cleanup_people(gateway, [one, two])


async def test_should_reject_delete_many_with_an_empty_filter_and_not_soft_delete_any_record(
    gateway: GatewayUnderTest,
) -> None:
    one, two = await seed_people(gateway)
    op = delete_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={})
    body = (await make_graphql_api_request(gateway, op)).body
    assert body["data"] == {"deletePeople": None}
    expect_one_not_internal_server_error(body, SNAPSHOT)
    assert set(await find_people_by_ids(gateway, [one, two])) >= {one, two}
    await cleanup_people(gateway, [one, two])


@pytest.mark.parametrize(
    "filter",
    [
        pytest.param({"and": []}, id='an empty "and" array'),
        pytest.param({"or": []}, id='an empty "or" array'),
        pytest.param({"and": [{}]}, id='an "and" of empty sub-filters'),
        pytest.param({"name": {}}, id="an empty composite filter"),
        pytest.param({"company": {}}, id="an empty relation filter"),
    ],
)
async def test_should_reject_destroy_many_and_not_delete_any_record(
    gateway: GatewayUnderTest, filter: dict[str, Any]
) -> None:
    one, two = await seed_people(gateway)
    op = destroy_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter=filter)
    body = (await make_graphql_api_request(gateway, op)).body
    assert body["data"] == {"destroyPeople": None}
    assert len(body["errors"]) == 1
    assert body["errors"][0]["extensions"]["code"] != "INTERNAL_SERVER_ERROR"
    assert set(await find_people_by_ids(gateway, [one, two])) >= {one, two}
    await cleanup_people(gateway, [one, two])


async def test_should_still_destroy_records_when_a_valid_filter_is_provided(gateway: GatewayUnderTest) -> None:
    one, two = await seed_people(gateway)
    op = destroy_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={"id": {"in": [one, two]}})
    body = (await make_graphql_api_request(gateway, op)).body
    assert "errors" not in body
    assert len(body["data"]["destroyPeople"]) == 2
    assert await find_people_by_ids(gateway, [one, two]) == []
