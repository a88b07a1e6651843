"""Port of `packages/twenty-server/test/integration/graphql/suites/object-records-permissions/
fields-permissions/read-permissions.integration-spec.ts` (revision 41d242555963991041c474c5267df7d174c6a972).

Adapted: Twenty gives the custom role to Jony (a seed user) and calls with his token; the port
gives it to an API key. Aggregates and groupBy arrive with their own work: without them in the
schema, those tests are expected failures (imperative xfail, so that they run once merged)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.permission_checks import (
    expect_no_graphql_errors,
    expect_permission_denied_error,
    require_schema_field,
)
from tests.conformance.role_factories import (
    api_key_with_role,
    create_custom_role_with_object_permissions,
    delete_one_role,
    field_id,
    upsert_field_permissions,
)
from tests.conformance.twenty import (
    Operation,
    create_many_operation_factory,
    create_one_operation_factory,
    delete_many_operation_factory,
    delete_one_operation_factory,
    find_many_operation_factory,
    find_one_operation_factory,
    make_graphql_api_request,
    update_many_operation_factory,
    update_one_operation_factory,
)
from tests.conftest import GatewayUnderTest

WITH_PEOPLE_JOB_TITLE = "id name people { edges { node { id name { firstName lastName } jobTitle } } }"
WITH_POSITION = "id name position people { edges { node { id name { firstName lastName } } } }"
WITHOUT_POSITION_AND_JOB_TITLE = "id name people { edges { node { id name { firstName lastName } } } }"
WITH_PEOPLE_JOB_TITLE_AGGREGATE = "id name people { percentageEmptyJobTitle }"


@pytest.fixture(scope="module")
async def seeded(gateway: GatewayUnderTest) -> dict[str, str]:
    company_id, person_id = str(uuid.uuid4()), str(uuid.uuid4())
    await make_graphql_api_request(gateway, create_one_operation_factory(
        "company", "id name", {"id": company_id, "name": "TestCompany"}))
    await make_graphql_api_request(gateway, create_one_operation_factory(
        "person", "id jobTitle", {"id": person_id, "jobTitle": "Paris", "companyId": company_id}))
    return {"company": company_id, "person": person_id,
            "companyPosition": await field_id(gateway, "company", "position"),
            "personJobTitle": await field_id(gateway, "person", "jobTitle")}


@pytest.fixture
async def role(gateway: GatewayUnderTest, seeded: dict[str, str]) -> AsyncIterator[dict[str, Any]]:
    ids = await create_custom_role_with_object_permissions(
        gateway, "CompanyPeopleRole", can_read_company=True, can_read_person=True)
    yield {**ids, "token": await api_key_with_role(gateway, ids["roleId"])}
    await delete_one_role(gateway, ids["roleId"])


async def as_role(gateway: GatewayUnderTest, role: dict[str, Any], operation: Operation) -> Any:
    return (await make_graphql_api_request(gateway, operation, role["token"])).body


async def restrict(gateway: GatewayUnderTest, role: dict[str, Any], obj: str, field: str, **permission: Any) -> None:
    await upsert_field_permissions(gateway, role["roleId"], [
        {"objectMetadataId": role[f"{obj}ObjectId"], "fieldMetadataId": field, **permission}])


async def restrict_company_position(gateway: GatewayUnderTest, role: dict[str, Any], seeded: dict[str, str]) -> None:
    await restrict(gateway, role, "company", seeded["companyPosition"], canUpdateFieldValue=False)


async def restrict_person_job_title(gateway: GatewayUnderTest, role: dict[str, Any], seeded: dict[str, str]) -> None:
    await restrict(gateway, role, "person", seeded["personJobTitle"], canUpdateFieldValue=False)


async def test_should_allow_restricted_fields_to_be_read_1_find_many(
    gateway: GatewayUnderTest, role: Any, seeded: Any
) -> None:
    await restrict_company_position(gateway, role, seeded)
    body = await as_role(gateway, role, find_many_operation_factory("company", "companies", WITH_POSITION))
    expect_no_graphql_errors(body)
    assert "position" in body["data"]["companies"]["edges"][0]["node"]


async def test_should_allow_restricted_fields_to_be_read_2_find_one(
    gateway: GatewayUnderTest, role: Any, seeded: Any
) -> None:
    await restrict_company_position(gateway, role, seeded)
    body = await as_role(gateway, role, find_one_operation_factory(
        "company", WITH_POSITION, {"id": {"eq": seeded["company"]}}))
    expect_no_graphql_errors(body)
    assert "position" in body["data"]["company"]


@pytest.mark.parametrize("make", [
    lambda s: update_many_operation_factory("company", "companies", WITH_POSITION, {"name": "TestUpdate"},
                                            {"id": {"eq": s["company"]}}),
    lambda s: update_one_operation_factory("company", WITH_POSITION, s["company"], {"name": "TestUpdate"}),
    lambda s: create_many_operation_factory("company", "companies", WITH_POSITION, [
        {"id": str(uuid.uuid4()), "name": "TestCompany"}, {"id": str(uuid.uuid4()), "name": "TestCompany2"}]),
    lambda s: create_one_operation_factory("company", WITH_POSITION, {"id": str(uuid.uuid4()), "name": "TestCompany3"}),
    lambda s: delete_many_operation_factory("company", "companies", WITH_POSITION, {"id": {"eq": s["company"]}}),
    lambda s: delete_one_operation_factory("company", WITH_POSITION, s["company"]),
], ids=["3. updateMany", "4. updateOne", "5. createMany", "5. createOne", "6. deleteMany", "7. deleteOne"])
async def test_should_allow_restricted_fields_to_be_read_but_not_written(
    gateway: GatewayUnderTest, role: Any, seeded: Any, make: Any
) -> None:
    await restrict_company_position(gateway, role, seeded)
    expect_permission_denied_error(await as_role(gateway, role, make(seeded)))


async def test_2_should_allow_a_restricted_field_of_a_related_object_to_be_read(
    gateway: GatewayUnderTest, role: Any, seeded: Any
) -> None:
    await restrict_person_job_title(gateway, role, seeded)
    body = await as_role(gateway, role, find_many_operation_factory("company", "companies", WITH_PEOPLE_JOB_TITLE))
    expect_no_graphql_errors(body)
    company = next(e["node"] for e in body["data"]["companies"]["edges"] if e["node"]["id"] == seeded["company"])
    assert "jobTitle" in company["people"]["edges"][0]["node"]


async def test_3_should_succeed_if_restricted_fields_exist_but_are_not_requested(
    gateway: GatewayUnderTest, role: Any, seeded: Any
) -> None:
    await restrict_company_position(gateway, role, seeded)
    await restrict_person_job_title(gateway, role, seeded)
    body = await as_role(gateway, role, find_many_operation_factory(
        "company", "companies", WITHOUT_POSITION_AND_JOB_TITLE))
    assert body.get("errors") is None
    assert body["data"]["companies"]["edges"][0]["node"]["id"]


async def test_should_reject_filters_on_fields_without_read_permission(
    gateway: GatewayUnderTest, role: Any, seeded: Any
) -> None:
    await restrict(gateway, role, "person", seeded["personJobTitle"], canReadFieldValue=False,
                   canUpdateFieldValue=None)
    operation = Operation(
        "query People($filter: PersonFilterInput) { people(filter: $filter, first: 0) { totalCount } }",
        {"filter": {"jobTitle": {"like": "Par%"}}},
    )
    expect_permission_denied_error(await as_role(gateway, role, operation))


def group_by(order_by: list[Any]) -> Operation:
    return Operation(
        "query PeopleGroupBy($groupBy: [PersonGroupByInput!]!, $orderBy: [PersonOrderByWithGroupByInput!]) {"
        " peopleGroupBy(groupBy: $groupBy, orderBy: $orderBy) { groupByDimensionValues totalCount } }",
        {"groupBy": [{"companyId": True}], "orderBy": order_by})


async def test_should_reject_ordering_a_group_by_on_a_relation_record_by_a_target_field_without_read_permission(
    gateway: GatewayUnderTest, role: Any, seeded: Any
) -> None:
    await require_schema_field(gateway, "Query", "peopleGroupBy")
    await restrict(gateway, role, "company", seeded["companyPosition"], canReadFieldValue=False,
                   canUpdateFieldValue=None)
    expect_permission_denied_error(await as_role(gateway, role, group_by([{"company": {"position": "AscNullsLast"}}])))


async def test_should_allow_ordering_a_group_by_on_a_relation_record_by_a_readable_target_field(
    gateway: GatewayUnderTest, role: Any, seeded: Any
) -> None:
    await require_schema_field(gateway, "Query", "peopleGroupBy")
    await restrict(gateway, role, "company", seeded["companyPosition"], canReadFieldValue=False,
                   canUpdateFieldValue=None)
    expect_no_graphql_errors(await as_role(gateway, role, group_by([{"company": {"name": "AscNullsLast"}}])))


async def test_aggregate_operations_1_should_allow_aggregate_over_a_restricted_field(
    gateway: GatewayUnderTest, role: Any, seeded: Any
) -> None:
    await require_schema_field(gateway, "CompanyConnection", "countEmptyPosition")
    await restrict_company_position(gateway, role, seeded)
    body = await as_role(gateway, role, Operation("query Companies { companies { countEmptyPosition } }", {}))
    expect_no_graphql_errors(body)
    assert "countEmptyPosition" in body["data"]["companies"]


async def test_aggregate_operations_2_should_allow_aggregate_over_a_restricted_field_on_a_related_object(
    gateway: GatewayUnderTest, role: Any, seeded: Any
) -> None:
    await require_schema_field(gateway, "PersonConnection", "percentageEmptyJobTitle")
    await restrict_person_job_title(gateway, role, seeded)
    body = await as_role(gateway, role, find_many_operation_factory(
        "company", "companies", WITH_PEOPLE_JOB_TITLE_AGGREGATE))
    expect_no_graphql_errors(body)
    assert "percentageEmptyJobTitle" in body["data"]["companies"]["edges"][0]["node"]["people"]
