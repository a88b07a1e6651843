"""Port of
`packages/twenty-server/test/integration/rest/suites/rest-api-core-delete.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.

The spec's three `describe` blocks each empty the people first; here they share the
module's workspace, in the spec's order.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.twenty import delete_all_records, make_rest_api_request
from tests.conformance.twenty_data import NOT_EXISTING_TEST_PERSON_ID, TEST_PERSON_1_ID
from tests.conftest import GatewayUnderTest


@pytest.fixture
async def delete_one_before_each(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await make_rest_api_request(gateway, "post", "/people", {"id": TEST_PERSON_1_ID})
    yield


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await delete_all_records(gateway, "person")
    yield


async def test_delete_one_should_delete_one_person(gateway: GatewayUnderTest, delete_one_before_each: None) -> None:
    response = await make_rest_api_request(gateway, "delete", f"/people/{TEST_PERSON_1_ID}")
    assert response.status == 200
    assert response.body["data"]["deletePerson"] == {"id": TEST_PERSON_1_ID}


async def test_delete_one_should_return_an_entity_not_found_error_when_trying_to_delete_a_non_existing_person(
    gateway: GatewayUnderTest, delete_one_before_each: None
) -> None:
    response = await make_rest_api_request(gateway, "delete", f"/people/{NOT_EXISTING_TEST_PERSON_ID}")
    assert response.status == 404
    assert response.body["error"] == "NotFoundException"
    assert response.body["messages"][0] == "Record not found"


async def test_delete_many_should_require_filters_for_bulk_delete_operations(gateway: GatewayUnderTest) -> None:
    await delete_all_records(gateway, "person")
    response = await make_rest_api_request(gateway, "delete", "/people?soft_delete=true")
    assert response.status == 400
    assert response.body["error"] == "BadRequestException"
    assert "Filters are mandatory for bulk delete operations" in response.body["messages"][0]


async def test_destroy_many_should_require_filters_for_bulk_destroy_operations(gateway: GatewayUnderTest) -> None:
    await delete_all_records(gateway, "person")
    response = await make_rest_api_request(gateway, "delete", "/people?soft_delete=false")
    assert response.status == 400
    assert response.body["error"] == "BadRequestException"
    assert "Filters are mandatory for bulk destroy operations" in response.body["messages"][0]
