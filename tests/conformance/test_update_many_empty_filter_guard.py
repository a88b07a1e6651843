"""Port of
`packages/twenty-server/test/integration/graphql/suites/update-many-empty-filter-guard.integration-spec.ts`
and its snapshot at 274cc0e8be224f40f24cd4c147f90b43fab4b5c1: the spec is not stored at
41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from tests.conformance.twenty import (
    create_many_operation_factory,
    destroy_many_operation_factory,
    expect_one_not_internal_server_error,
    find_many_operation_factory,
    make_graphql_api_request,
    update_many_operation_factory,
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
    data = [{"id": one, "jobTitle": "Original"}, {"id": two, "jobTitle": "Original"}]
    op = create_many_operation_factory("person", "people", PERSON_GQL_FIELDS, data=data)
    await make_graphql_api_request(gateway, op)
    return one, two


async def find_people_job_titles_by_ids(gateway: GatewayUnderTest, ids: list[str]) -> list[str]:
    op = find_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={"id": {"in": ids}})
    body = (await make_graphql_api_request(gateway, op)).body
    return [edge["node"]["jobTitle"] for edge in body["data"]["people"]["edges"]]


async def cleanup_people(gateway: GatewayUnderTest, ids: list[str]) -> None:
    op = destroy_many_operation_factory("person", "people", PERSON_GQL_FIELDS, filter={"id": {"in": ids}})
    await make_graphql_api_request(gateway, op)


async def test_should_reject_update_many_with_an_empty_filter_and_not_update_any_record(
    gateway: GatewayUnderTest,
) -> None:
    one, two = await seed_people(gateway)
    op = update_many_operation_factory("person", "people", PERSON_GQL_FIELDS, data={"jobTitle": "HACKED"}, filter={})
    body = (await make_graphql_api_request(gateway, op)).body
    assert body["data"] == {"updatePeople": None}
    expect_one_not_internal_server_error(body, SNAPSHOT)
    assert await find_people_job_titles_by_ids(gateway, [one, two]) == ["Original", "Original"]
    await cleanup_people(gateway, [one, two])


async def test_should_still_update_records_when_a_valid_filter_is_provided(gateway: GatewayUnderTest) -> None:
    one, two = await seed_people(gateway)
    op = update_many_operation_factory(
        "person", "people", PERSON_GQL_FIELDS, data={"jobTitle": "Updated"}, filter={"id": {"in": [one, two]}}
    )
    body = (await make_graphql_api_request(gateway, op)).body
    assert "errors" not in body
    assert len(body["data"]["updatePeople"]) == 2
    assert await find_people_job_titles_by_ids(gateway, [one, two]) == ["Updated", "Updated"]
    await cleanup_people(gateway, [one, two])
