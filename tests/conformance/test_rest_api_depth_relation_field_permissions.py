"""Port of `packages/twenty-server/test/integration/rest/suites/
rest-api-depth-relation-field-permissions.integration-spec.ts` (revision 41d242555963991041c474c5267df7d174c6a972).

Adapted: Twenty gives the custom role to Jony (a seed user); the port gives it to an API key."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.role_factories import (
    api_key_with_role,
    create_custom_role_with_object_permissions,
    delete_one_role,
    field_id,
    upsert_field_permissions,
)
from tests.conformance.twenty import create_one_operation_factory, make_graphql_api_request, make_rest_api_request
from tests.conftest import GatewayUnderTest


@pytest.fixture(scope="module")
async def records(gateway: GatewayUnderTest) -> dict[str, str]:
    company_id, person_id = str(uuid.uuid4()), str(uuid.uuid4())
    await make_graphql_api_request(gateway, create_one_operation_factory(
        "company", "id name", {"id": company_id, "name": "RestDepthPermissionCompany"}))
    await make_graphql_api_request(gateway, create_one_operation_factory(
        "person", "id", {"id": person_id, "companyId": company_id}))
    return {"company": company_id, "person": person_id, "people": await field_id(gateway, "company", "people")}


@pytest.fixture
async def role(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, Any]]:
    ids = await create_custom_role_with_object_permissions(
        gateway, "RestDepthRelationRole", can_read_company=True, can_read_person=True)
    yield {**ids, "token": await api_key_with_role(gateway, ids["roleId"])}
    await delete_one_role(gateway, ids["roleId"])


async def test_should_omit_the_entire_relation_when_the_relation_field_is_restricted_for_the_requesting_role(
    gateway: GatewayUnderTest, records: dict[str, str], role: dict[str, Any]
) -> None:
    await upsert_field_permissions(gateway, role["roleId"], [{
        "objectMetadataId": role["companyObjectId"], "fieldMetadataId": records["people"], "canReadFieldValue": False}])
    response = await make_rest_api_request(gateway, "get", f"/companies/{records['company']}?depth=1",
                                           bearer=role["token"])
    assert response.status == 200
    company = response.body["data"]["company"]
    assert company["id"] == records["company"]
    assert "people" not in company


async def test_should_include_related_records_when_the_relation_field_is_not_restricted(
    gateway: GatewayUnderTest, records: dict[str, str], role: dict[str, Any]
) -> None:
    response = await make_rest_api_request(gateway, "get", f"/companies/{records['company']}?depth=1",
                                           bearer=role["token"])
    assert response.status == 200
    company = response.body["data"]["company"]
    assert company["id"] == records["company"]
    assert any(p["id"] == records["person"] for p in company["people"])
