"""Port of `packages/twenty-server/test/integration/rest/suites/field-permissions.integration-spec.ts`
(revision 41d242555963991041c474c5267df7d174c6a972).

Adapted: Twenty restricts its seed Member role and calls with Jony's token (a Member user);
docgate has no users, so the port restricts the workspace's Member role and calls with an API
key holding it. The seed company and person are created by the port, as the spec does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.role_factories import (
    field_id,
    find_one_role_by_label,
    member_token,
    object_ids,
    upsert_field_permissions,
    upsert_row_level_permission_predicates,
)
from tests.conformance.twenty import make_rest_api_request
from tests.conftest import GatewayUnderTest

TEST_COMPANY_1_ID = "20202020-0713-40a5-8216-82802401d33e"
TEST_PERSON_1_ID = "20202020-1c0e-494c-a1b6-85b1c6fefaa5"
DENIED = "Entity performing the request does not have permission"
PHONES = {"primaryPhoneNumber": "555123456", "primaryPhoneCountryCode": "US", "primaryPhoneCallingCode": "+1"}


@pytest.fixture(scope="module")
async def setup(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, str]]:
    await make_rest_api_request(gateway, "post", "/companies", {
        "id": TEST_COMPANY_1_ID, "domainName": {"primaryLinkUrl": "https://www.twenty.com"}})
    await make_rest_api_request(gateway, "post", "/people", {
        "id": TEST_PERSON_1_ID, "jobTitle": "person-1", "emails": {"primaryEmail": "test@test.com"},
        "phones": {"primaryPhoneNumber": "123456789", "primaryPhoneCountryCode": "US",
                   "primaryPhoneCallingCode": "+1"}})
    person = (await object_ids(gateway))["person"]
    emails, phones = await field_id(gateway, "person", "emails"), await field_id(gateway, "person", "phones")
    member = (await find_one_role_by_label(gateway, "Member"))["id"]
    await upsert_field_permissions(gateway, member, [{"objectMetadataId": person, "fieldMetadataId": emails,
                                                      "canReadFieldValue": False, "canUpdateFieldValue": None}])
    yield {"person": person, "emails": emails, "phones": phones, "member": member,
           "token": await member_token(gateway)}


async def restrict_phones(gateway: GatewayUnderTest, setup: dict[str, str], read: bool | None,
                          update: bool | None) -> None:
    await upsert_field_permissions(gateway, setup["member"], [{
        "objectMetadataId": setup["person"], "fieldMetadataId": setup["phones"], "canReadFieldValue": read,
        "canUpdateFieldValue": update}])


async def predicates(gateway: GatewayUnderTest, setup: dict[str, str], on_phones: bool) -> None:
    _, errors = await upsert_row_level_permission_predicates(gateway, {
        "roleId": setup["member"], "objectMetadataId": setup["person"],
        "predicates": [{"fieldMetadataId": setup["phones"], "operand": "IS_NOT_EMPTY"}] if on_phones else [],
        "predicateGroups": []})
    assert errors is None, errors


async def test_should_hide_fields_when_user_has_restricted_read_permissions_find_one(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    response = await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_1_ID}", bearer=setup["token"])
    assert response.status == 200
    person = response.body["data"]["person"]
    assert person is not None and person["id"] and "emails" not in person


async def test_update_one_should_hide_fields_in_the_response_when_user_has_restricted_read_permissions(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    await restrict_phones(gateway, setup, False, None)
    response = await make_rest_api_request(gateway, "patch", f"/people/{TEST_PERSON_1_ID}",
                                           {"name": {"firstName": "John"}}, bearer=setup["token"])
    assert response.status == 200
    updated = response.body["data"]["updatePerson"]
    assert updated["name"]["firstName"] == "John" and "phones" not in updated


async def test_update_one_should_block_update_when_user_tries_to_update_non_updatable_field(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    await restrict_phones(gateway, setup, None, False)
    response = await make_rest_api_request(gateway, "patch", f"/people/{TEST_PERSON_1_ID}", {"phones": {
        "primaryPhoneNumber": "987654321", "primaryPhoneCountryCode": "FR", "primaryPhoneCallingCode": "+33"}},
        bearer=setup["token"])
    assert response.status == 400
    assert DENIED in response.body["messages"][0]


async def test_update_one_should_allow_update_when_user_has_no_restricted_update_permissions(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    await restrict_phones(gateway, setup, None, None)
    response = await make_rest_api_request(gateway, "patch", f"/people/{TEST_PERSON_1_ID}",
                                           {"jobTitle": "Updated City"}, bearer=setup["token"])
    assert response.status == 200
    assert response.body["data"]["updatePerson"]["jobTitle"] == "Updated City"


async def test_create_one_should_block_create_when_restricted_field_is_not_in_any_rls_predicate(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    await restrict_phones(gateway, setup, None, False)
    response = await make_rest_api_request(gateway, "post", "/people", {"phones": PHONES}, bearer=setup["token"])
    assert response.status == 400
    assert DENIED in response.body["messages"][0]


async def test_create_one_should_allow_create_when_restricted_field_is_referenced_in_an_rls_predicate(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    await restrict_phones(gateway, setup, None, False)
    await predicates(gateway, setup, True)
    try:
        response = await make_rest_api_request(gateway, "post", "/people", {"phones": PHONES}, bearer=setup["token"])
        assert response.status == 201, response.body
        created = response.body["data"]["createPerson"]
        assert created is not None and created["phones"]["primaryPhoneNumber"] == "555123456"
    finally:
        await predicates(gateway, setup, False)


async def test_create_one_should_allow_create_when_user_has_no_restricted_update_permissions(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    await upsert_field_permissions(gateway, setup["member"], [
        {"objectMetadataId": setup["person"], "fieldMetadataId": setup["phones"], "canReadFieldValue": None,
         "canUpdateFieldValue": None},
        {"objectMetadataId": setup["person"], "fieldMetadataId": setup["emails"], "canReadFieldValue": False,
         "canUpdateFieldValue": None},
    ])
    response = await make_rest_api_request(gateway, "post", "/people", {"jobTitle": "New City"}, bearer=setup["token"])
    assert response.status == 201
    created = response.body["data"]["createPerson"]
    assert created["jobTitle"] == "New City" and "emails" not in created


async def test_create_many_should_block_create_many_when_restricted_field_is_not_in_any_rls_predicate(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    await restrict_phones(gateway, setup, None, False)
    response = await make_rest_api_request(gateway, "post", "/batch/people", [{"phones": PHONES}],
                                           bearer=setup["token"])
    assert response.status == 400
    assert DENIED in response.body["messages"][0]


async def test_create_many_should_allow_create_many_when_restricted_field_is_referenced_in_an_rls_predicate(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    await restrict_phones(gateway, setup, None, False)
    await predicates(gateway, setup, True)
    try:
        response = await make_rest_api_request(gateway, "post", "/batch/people", [{"phones": PHONES}],
                                               bearer=setup["token"])
        assert response.status == 201, response.body
        created = response.body["data"]["createPeople"]
        assert len(created) == 1 and created[0]["phones"]["primaryPhoneNumber"] == "555123456"
    finally:
        await predicates(gateway, setup, False)


async def test_create_many_should_allow_create_many_when_user_has_no_restricted_update_permissions(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    await upsert_field_permissions(gateway, setup["member"], [
        {"objectMetadataId": setup["person"], "fieldMetadataId": setup["phones"], "canReadFieldValue": None,
         "canUpdateFieldValue": None},
        {"objectMetadataId": setup["person"], "fieldMetadataId": setup["emails"], "canReadFieldValue": False,
         "canUpdateFieldValue": None},
    ])
    response = await make_rest_api_request(gateway, "post", "/batch/people",
                                           [{"jobTitle": "Batch City 1"}, {"jobTitle": "Batch City 2"}],
                                           bearer=setup["token"])
    assert response.status == 201
    created = response.body["data"]["createPeople"]
    assert len(created) == 2
    assert created[0]["jobTitle"] == "Batch City 1" and "emails" not in created[0]
    assert created[1]["jobTitle"] == "Batch City 2" and "emails" not in created[1]
