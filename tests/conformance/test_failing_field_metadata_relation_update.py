"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/relation/
failing-field-metadata-relation-update.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): relation field updates that are refused.

The spec compares the errors with a Jest snapshot, not stored at that revision. The port checks
METADATA_VALIDATION_FAILED, "Multiple validation errors occurred while updating field", and the
problems Twenty's validators at that revision report (validateFlatFieldMetadataName, which has no
"Name should be in camelCase" check any more though an older stored snapshot shows one;
validateMorphOrRelationFlatFieldOnDelete)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_object_metadata,
    delete_one_object_metadata,
    get_mock_create_object_input,
    update_one_field_metadata,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest


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
    employer = data["createOneField"]["id"]
    data, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": enterprise, "name": "staff", "label": "Staff", "isLabelSyncedWithName": False,
        "type": "RELATION", "relationCreationPayload": {
            "targetFieldLabel": "company", "type": "ONE_TO_MANY", "targetObjectMetadataId": employee,
            "targetFieldIcon": "IconUsers"}})
    assert data is not None, errors
    yield {"employerFieldMetadataId": employer, "employeesOneToManyFieldMetadataId": data["createOneField"]["id"]}
    for object_id in (employee, enterprise):
        await update_one_object_metadata(gateway, object_id, {"isActive": False})
        await delete_one_object_metadata(gateway, object_id)


CASES = [
    pytest.param("employerFieldMetadataId", {"name": "New Name"}, [
        "Name is not valid: it must start with lowercase letter and contain only alphanumeric letters",
    ], id="when name is not in camel case"),
    pytest.param("employeesOneToManyFieldMetadataId",
                 {"settings": {"relationType": "ONE_TO_MANY", "onDelete": "SET_NULL"}},
                 ["On delete action is only supported for many to one relations"],
                 id="when updating ONE_TO_MANY relation with onDelete action"),
]


@pytest.mark.parametrize(("field_key", "update_payload", "messages"), CASES)
async def test_relation(
    gateway: GatewayUnderTest, context: dict[str, str], field_key: str, update_payload: dict[str, Any],
    messages: list[str],
) -> None:
    data, errors = await update_one_field_metadata(gateway, context[field_key], update_payload)
    assert errors
    assert data is None or data.get("updateOneField") is None
    error = errors[0]
    assert error["message"] == "Multiple validation errors occurred while updating field"
    assert error["extensions"]["code"] == "METADATA_VALIDATION_FAILED"
    problems = error["extensions"]["errors"]["fieldMetadata"][0]["errors"]
    assert [p["message"] for p in problems] == messages
