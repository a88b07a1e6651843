"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/relation/
successful-field-metadata-relation-update.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): relation fields that can be updated (deactivated,
renamed, a required one described) and both sides of self-relations."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_object_metadata,
    create_relation_between_objects,
    delete_one_object_metadata,
    find_many_fields_metadata,
    get_mock_create_object_input,
    update_one_field_metadata,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest


async def _drop_objects(gateway: GatewayUnderTest, *object_ids: str) -> None:
    for object_id in object_ids:
        await update_one_object_metadata(gateway, object_id, {"isActive": False})
        await delete_one_object_metadata(gateway, object_id)


@pytest.fixture(scope="module")
async def context(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, str]]:
    data, _ = await create_one_object_metadata(gateway, get_mock_create_object_input(
        namePlural="employees", nameSingular="employee"))
    employee = data["createOneObject"]["id"]
    data, _ = await create_one_object_metadata(gateway, get_mock_create_object_input(
        namePlural="enterprises", nameSingular="enterprise"))
    enterprise = data["createOneObject"]["id"]
    data, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": employee, "name": "employer", "label": "Employer", "isLabelSyncedWithName": False,
        "type": "RELATION", "relationCreationPayload": {
            "targetFieldLabel": "employees", "type": "MANY_TO_ONE", "targetObjectMetadataId": enterprise,
            "targetFieldIcon": "IconBuildingSkyscraper"}})
    assert data is not None, errors
    yield {"employeeObjectId": employee, "enterpriseObjectId": enterprise,
           "employerFieldMetadataId": data["createOneField"]["id"]}
    await _drop_objects(gateway, employee, enterprise)


async def test_when_is_active_is_updated_to_false(gateway: GatewayUnderTest, context: dict[str, str]) -> None:
    data, errors = await update_one_field_metadata(
        gateway, context["employerFieldMetadataId"], {"isActive": False}, "id isActive")
    assert errors is None
    assert data["updateOneField"]["isActive"] is False


async def test_should_successfully_update_the_name_of_a_relation_field(
    gateway: GatewayUnderTest, context: dict[str, str]
) -> None:
    fields = await find_many_fields_metadata(
        gateway, {"id": {"eq": context["employerFieldMetadataId"]}}, {"first": 1}, "id name")
    assert fields[0]["node"]["name"] == "employer"
    data, errors = await update_one_field_metadata(
        gateway, context["employerFieldMetadataId"], {"name": "leadEmployer"}, "id name")
    assert errors is None
    assert data["updateOneField"]["name"] == "leadEmployer"


async def test_should_successfully_update_a_non_nullable_relation_field(
    gateway: GatewayUnderTest, context: dict[str, str]
) -> None:
    data, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": context["employeeObjectId"], "name": "mandatoryEmployer", "label": "Mandatory employer",
        "isLabelSyncedWithName": False, "isNullable": False, "type": "RELATION", "relationCreationPayload": {
            "targetFieldLabel": "mandatoryEmployees", "type": "MANY_TO_ONE",
            "targetObjectMetadataId": context["enterpriseObjectId"], "targetFieldIcon": "IconBuildingSkyscraper"}},
        "id isNullable")
    assert data is not None, errors
    assert data["createOneField"]["isNullable"] is False
    data, errors = await update_one_field_metadata(
        gateway, data["createOneField"]["id"], {"description": "Updated description for a required relation"},
        "id description")
    assert errors is None
    assert data["updateOneField"]["description"] == "Updated description for a required relation"


@pytest.fixture
async def person_object_id(gateway: GatewayUnderTest) -> AsyncIterator[str]:
    data, errors = await create_one_object_metadata(gateway, get_mock_create_object_input(
        namePlural="peopleForUpdate", nameSingular="personForUpdate"))
    assert data is not None, errors
    object_id = data["createOneObject"]["id"]
    yield object_id
    await _drop_objects(gateway, object_id)


async def test_should_successfully_update_many_to_one_self_relation_field_label(
    gateway: GatewayUnderTest, person_object_id: str
) -> None:
    created = await create_relation_between_objects(
        gateway, person_object_id, person_object_id, "RELATION", "MANY_TO_ONE", name="supervisor")
    update = {"label": "Direct Supervisor", "description": "The direct supervisor of this person"}
    data, errors = await update_one_field_metadata(gateway, created["id"], update, "id label description")
    assert data is not None, errors
    assert data["updateOneField"] == {"id": created["id"], **update}


async def test_should_successfully_update_one_to_many_self_relation_field_label(
    gateway: GatewayUnderTest, person_object_id: str
) -> None:
    created = await create_relation_between_objects(
        gateway, person_object_id, person_object_id, "RELATION", "ONE_TO_MANY", name="directReports",
        target_field_label="supervisor")
    update = {"label": "Direct Reports", "description": "All direct reports under this person", "icon": "IconUsers"}
    data, errors = await update_one_field_metadata(gateway, created["id"], update, "id label description icon")
    assert data is not None, errors
    assert data["updateOneField"] == {"id": created["id"], **update}


async def test_should_successfully_update_both_sides_of_self_relation_independently(
    gateway: GatewayUnderTest, person_object_id: str
) -> None:
    created = await create_relation_between_objects(
        gateway, person_object_id, person_object_id, "RELATION", "MANY_TO_ONE", name="mentor")
    mentor_id = created["id"]
    mentees_id = created["relation"]["targetFieldMetadata"]["id"]
    for field_id, update in ((mentor_id, {"label": "Mentor", "description": "The mentor of this person"}),
                             (mentees_id, {"label": "Mentees", "description": "All mentees under this person"})):
        data, errors = await update_one_field_metadata(gateway, field_id, update, "id label description")
        assert data is not None, errors
        assert data["updateOneField"] == {"id": field_id, **update}
