"""Port of
`packages/twenty-server/test/integration/rest/suites/rest-api-core-find-duplicates.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.search_factories import TEST_COMPANY_1_ID, TEST_PERSON_IDS, TEST_PRIMARY_LINK_URL
from tests.conformance.twenty import delete_all_records, make_rest_api_request
from tests.conftest import GatewayUnderTest

TEST_PERSON_1_ID, TEST_PERSON_2_ID, TEST_PERSON_3_ID = TEST_PERSON_IDS[:3]
JOHN_DOE = {"data": [{"name": {"firstName": "John", "lastName": "Doe"}}]}


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await delete_all_records(gateway, "person")
    await delete_all_records(gateway, "company")
    company_data = {"id": TEST_COMPANY_1_ID, "domainName": {"primaryLinkUrl": TEST_PRIMARY_LINK_URL}}
    company = await make_rest_api_request(gateway, "post", "/companies", company_data)
    assert company.status == 201, company.body
    people = await make_rest_api_request(gateway, "post", "/batch/people", [
        {"id": TEST_PERSON_1_ID, "companyId": TEST_COMPANY_1_ID, "name": {"firstName": "John", "lastName": "Doe"}},
        {"id": TEST_PERSON_2_ID, "companyId": TEST_COMPANY_1_ID, "name": {"firstName": "John", "lastName": "Doe"}},
        {"id": TEST_PERSON_3_ID, "companyId": TEST_COMPANY_1_ID, "name": {"firstName": "Phil", "lastName": "Collins"}},
    ])
    assert people.status == 201, people.body
    yield


async def test_should_retrieve_duplicates_by_object_data(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people/duplicates", JOHN_DOE)
    assert response.status == 200, response.body
    data = response.body["data"]
    assert len(data) == 1
    duplicates_info = data[0]
    assert duplicates_info["totalCount"] == 2
    assert len(duplicates_info["personDuplicates"]) == 2
    first, second = duplicates_info["personDuplicates"]
    assert first["id"] == TEST_PERSON_1_ID
    assert second["id"] == TEST_PERSON_2_ID


async def test_should_retrieve_duplicates_by_ids(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people/duplicates", {"ids": [TEST_PERSON_1_ID]})
    assert response.status == 200, response.body
    data = response.body["data"]
    assert len(data) == 1
    assert data[0]["totalCount"] == 1
    assert len(data[0]["personDuplicates"]) == 1
    assert data[0]["personDuplicates"][0]["id"] == TEST_PERSON_2_ID


async def test_should_not_provide_wrong_duplicates(gateway: GatewayUnderTest) -> None:
    body = {"data": [{"name": {"firstName": "Not", "lastName": "Existing"}}]}
    response = await make_rest_api_request(gateway, "post", "/people/duplicates", body)
    assert response.status == 200, response.body
    data = response.body["data"]
    assert len(data) == 1
    assert data[0]["totalCount"] == 0
    assert len(data[0]["personDuplicates"]) == 0


async def test_should_return_400_error_when_empty_object_data_provided(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people/duplicates", {"data": []})
    assert response.status == 400
    assert 'The "data" condition can not be empty when "ids" input not provided' in response.body["messages"][0]
    assert response.body["error"] == "BadRequestException"


async def test_should_return_empty_result_when_empty_ids_provided(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people/duplicates", {"ids": []})
    assert response.status == 200, response.body
    assert len(response.body["data"]) == 0


async def test_should_return_400_error_when_ids_and_data_are_provided(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people/duplicates", {"data": [], "ids": []})
    assert response.status == 400
    assert 'You cannot provide both "data" and "ids" arguments' in response.body["messages"][0]
    assert response.body["error"] == "BadRequestException"


async def test_should_support_depth_0_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people/duplicates?depth=0", JOHN_DOE)
    assert response.status == 200, response.body
    first, second = response.body["data"][0]["personDuplicates"]
    assert first["companyId"] == TEST_COMPANY_1_ID
    assert "company" not in first
    assert second["companyId"] == TEST_COMPANY_1_ID
    assert "company" not in second


async def test_should_support_depth_1_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people/duplicates?depth=1", JOHN_DOE)
    assert response.status == 200, response.body
    first, second = response.body["data"][0]["personDuplicates"]
    for person in (first, second):
        assert person["company"] is not None
        assert person["company"]["id"] == TEST_COMPANY_1_ID
        assert "people" not in person["company"]


async def test_should_not_support_depth_2_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people/duplicates?depth=2", JOHN_DOE)
    assert response.status == 400
