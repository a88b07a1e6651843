"""Port of `packages/twenty-server/test/integration/graphql/suites/object-records-permissions/
permissions-on-relations.integration-spec.ts` (revision 41d242555963991041c474c5267df7d174c6a972).

Adapted: Twenty gives each custom role to Jony (a seed user); the port gives it to an API key."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conformance.permission_checks import PERMISSION_DENIED
from tests.conformance.role_factories import (
    api_key_with_role,
    create_custom_role_with_object_permissions,
    delete_one_role,
)
from tests.conformance.twenty import (
    create_one_operation_factory,
    find_many_operation_factory,
    find_one_operation_factory,
    make_graphql_api_request,
)
from tests.conftest import GatewayUnderTest

PERSON_ID = str(uuid.uuid4())


@pytest.fixture(scope="module")
async def seeded(gateway: GatewayUnderTest) -> None:
    company_id = str(uuid.uuid4())
    await make_graphql_api_request(gateway, create_one_operation_factory(
        "company", "name", {"id": company_id, "name": "Twenty"}))
    await make_graphql_api_request(gateway, create_one_operation_factory(
        "person", "id",
        {"id": PERSON_ID, "name": {"firstName": "Marie"}, "jobTitle": "Paris", "companyId": company_id}))


async def as_role(gateway: GatewayUnderTest, label: str, operation: Any, **reads: bool) -> Any:
    ids = await create_custom_role_with_object_permissions(gateway, label, **reads)
    try:
        token = await api_key_with_role(gateway, ids["roleId"])
        return (await make_graphql_api_request(gateway, operation, token)).body
    finally:
        await delete_one_role(gateway, ids["roleId"])


WITH_COMPANY = "id jobTitle company { id name }"


async def test_should_throw_permission_error_when_querying_person_with_company_relation_without_company_read_permission(
    gateway: GatewayUnderTest, seeded: None
) -> None:
    body = await as_role(gateway, "PersonOnlyRole", find_many_operation_factory("person", "people", WITH_COMPANY),
                         can_read_person=True, can_read_company=False)
    assert body["errors"][0]["message"] == PERMISSION_DENIED
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_should_successfully_query_person_with_company_relation_when_having_both_permissions(
    gateway: GatewayUnderTest, seeded: None
) -> None:
    body = await as_role(gateway, "PersonAndCompanyRole", find_many_operation_factory("person", "people", WITH_COMPANY),
                         can_read_person=True, can_read_company=True)
    assert body["data"] is not None and body["data"]["people"] is not None
    person = body["data"]["people"]["edges"][0]["node"]
    assert "company" in person
    assert body.get("error") is None


async def test_nested_relations_should_throw_permission_error_when_querying_nested_opportunity_relation_without_opportunity_read_permission(  # noqa: E501
    gateway: GatewayUnderTest, seeded: None
) -> None:
    operation = find_one_operation_factory(
        "person", "id jobTitle company { id name opportunities { edges { node { name } } } }",
        {"id": {"eq": PERSON_ID}})
    body = await as_role(gateway, "PersonCompanyOnlyRole", operation, can_read_person=True, can_read_company=True,
                         can_read_opportunities=False)
    assert body.get("errors") is not None
    assert body["errors"][0]["message"] == PERMISSION_DENIED
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
