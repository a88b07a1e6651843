"""Port of
`packages/twenty-server/test/integration/graphql/suites/restore-many-empty-filter-guard.integration-spec.ts`
and its snapshot at 274cc0e8be224f40f24cd4c147f90b43fab4b5c1: the spec is not stored at
41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from tests.conformance.twenty import (
    create_many_operation_factory,
    delete_many_operation_factory,
    destroy_many_operation_factory,
    expect_one_not_internal_server_error,
    find_many_operation_factory,
    make_graphql_api_request,
    restore_many_operation_factory,
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


async def seed_soft_deleted_people(gateway: GatewayUnderTest) -> tuple[str, str]:
    one, two = str(uuid.uuid4()), str(uuid.uuid4())
    op = create_many_operation_factory("person", "people", PERSON_GQL_FIELDS, data=[{"id": one}, {"id": two}])
    await make_graphql_api_request(gateway, op)
    op = delete_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={"id": {"in": [one, two]}})
    await make_graphql_api_request(gateway, op)
    return one, two


async def find_living_people_by_ids(gateway: GatewayUnderTest, ids: list[str]) -> list[str]:
    op = find_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={"id": {"in": ids}})
    body = (await make_graphql_api_request(gateway, op)).body
    return [edge["node"]["id"] for edge in body["data"]["people"]["edges"]]


async def cleanup_people(gateway: GatewayUnderTest, ids: list[str]) -> None:
    op = destroy_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={"id": {"in": ids}})
    await make_graphql_api_request(gateway, op)


async def test_should_reject_restore_many_with_an_empty_filter_and_not_restore_any_record(
    gateway: GatewayUnderTest,
) -> None:
    one, two = await seed_soft_deleted_people(gateway)
    op = restore_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={})
    body = (await make_graphql_api_request(gateway, op)).body
    assert body["data"] == {"restorePeople": None}
    expect_one_not_internal_server_error(body, SNAPSHOT)
    assert await find_living_people_by_ids(gateway, [one, two]) == []
    await cleanup_people(gateway, [one, two])


async def test_should_still_restore_records_when_a_valid_filter_is_provided(gateway: GatewayUnderTest) -> None:
    one, two = await seed_soft_deleted_people(gateway)
    op = restore_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={"id": {"in": [one, two]}})
    body = (await make_graphql_api_request(gateway, op)).body
    assert "errors" not in body
    assert len(body["data"]["restorePeople"]) == 2
    assert set(await find_living_people_by_ids(gateway, [one, two])) >= {one, two}
    await cleanup_people(gateway, [one, two])
