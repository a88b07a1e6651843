"""Port of
`packages/twenty-server/test/integration/rest/suites/rest-api-core-find-one.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.twenty import delete_all_records, make_rest_api_request
from tests.conformance.twenty_data import (
    NOT_EXISTING_TEST_PERSON_ID,
    TEST_COMPANY_1_ID,
    TEST_PERSON_1_ID,
    TEST_PRIMARY_LINK_URL,
    TEST_PRIMARY_LINK_URL_WITHOUT_TRAILING_SLASH,
    generate_record_name,
)
from tests.conftest import GatewayUnderTest

PERSON_JOB_TITLE = generate_record_name(TEST_PERSON_1_ID)


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await delete_all_records(gateway, "person")
    await delete_all_records(gateway, "company")
    company = {"id": TEST_COMPANY_1_ID, "domainName": {"primaryLinkUrl": TEST_PRIMARY_LINK_URL}}
    await make_rest_api_request(gateway, "post", "/companies", company)
    body = {"id": TEST_PERSON_1_ID, "jobTitle": PERSON_JOB_TITLE, "companyId": TEST_COMPANY_1_ID}
    await make_rest_api_request(gateway, "post", "/people", body)
    yield


async def test_should_retrieve_a_person_by_id(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_1_ID}")
    assert response.status == 200
    person = response.body["data"]["person"]
    assert person["id"] == TEST_PERSON_1_ID
    assert person["jobTitle"] == PERSON_JOB_TITLE


async def test_should_return_404_error_when_trying_to_retrieve_a_non_existing_person(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", f"/people/{NOT_EXISTING_TEST_PERSON_ID}")
    assert response.status == 404
    assert response.body["error"] == "NotFoundException"
    assert response.body["messages"][0] == "Record not found"


async def test_should_return_400_error_when_trying_to_retrieve_with_malformed_uuid(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people/malformed-uuid")
    assert response.status == 400
    assert "'malformed-uuid' is not a valid UUID" in response.body["messages"][0]
    assert response.body["error"] == "BadRequestException"


async def test_should_support_depth_0_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_1_ID}?depth=0")
    assert response.status == 200
    person = response.body["data"]["person"]
    assert "companyId" in person
    assert "company" not in person


async def test_should_support_depth_1_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_1_ID}?depth=1")
    assert response.status == 200
    person = response.body["data"]["person"]
    assert person["company"]["domainName"]["primaryLinkUrl"] == TEST_PRIMARY_LINK_URL_WITHOUT_TRAILING_SLASH
    assert "people" not in person["company"]


async def test_should_not_support_depth_2_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_1_ID}?depth=2")
    assert response.status == 400
