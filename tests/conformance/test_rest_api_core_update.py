"""Port of
`packages/twenty-server/test/integration/rest/suites/rest-api-core-update.integration-spec.ts`
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
    generate_record_name,
)
from tests.conftest import GatewayUnderTest

UPDATED_DATA = {
    "name": {"firstName": "Updated", "lastName": "Person"},
    "emails": {"primaryEmail": "updated@example.com", "additionalEmails": ["extra@example.com"]},
    "jobTitle": generate_record_name(TEST_PERSON_1_ID),
}


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await delete_all_records(gateway, "person")
    company = {"id": TEST_COMPANY_1_ID, "domainName": {"primaryLinkUrl": TEST_PRIMARY_LINK_URL}}
    await make_rest_api_request(gateway, "post", "/companies", company)
    await make_rest_api_request(gateway, "post", "/people", {"id": TEST_PERSON_1_ID, "companyId": TEST_COMPANY_1_ID})
    yield


async def test_should_update_an_existing_person_name_emails_and_job_title(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "patch", f"/people/{TEST_PERSON_1_ID}", UPDATED_DATA)
    assert response.status == 200
    updated = response.body["data"]["updatePerson"]
    assert updated["id"] == TEST_PERSON_1_ID
    assert updated["name"]["firstName"] == "Updated"
    assert updated["name"]["lastName"] == "Person"
    assert updated["emails"]["primaryEmail"] == "updated@example.com"
    assert updated["emails"]["additionalEmails"] == ["extra@example.com"]
    assert updated["jobTitle"] == UPDATED_DATA["jobTitle"]
    assert updated["companyId"] == TEST_COMPANY_1_ID


async def test_should_support_depth_0_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "patch", f"/people/{TEST_PERSON_1_ID}?depth=0", UPDATED_DATA)
    assert response.status == 200
    updated = response.body["data"]["updatePerson"]
    assert "companyId" in updated
    assert "company" not in updated


async def test_should_support_depth_1_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "patch", f"/people/{TEST_PERSON_1_ID}?depth=1", UPDATED_DATA)
    assert response.status == 200
    updated = response.body["data"]["updatePerson"]
    assert updated["company"] is not None
    assert "people" not in updated["company"]


async def test_should_support_depth_2_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "patch", f"/people/{TEST_PERSON_1_ID}?depth=2", UPDATED_DATA)
    assert response.status == 400


async def test_should_return_a_entity_not_found_error_when_trying_to_update_a_non_existing_person(
    gateway: GatewayUnderTest,
) -> None:
    response = await make_rest_api_request(gateway, "patch", f"/people/{NOT_EXISTING_TEST_PERSON_ID}")
    assert response.status == 404
    assert response.body["error"] == "NotFoundException"
    assert response.body["messages"][0] == "Record not found"
