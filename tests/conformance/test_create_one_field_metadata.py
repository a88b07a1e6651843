"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/
create-one-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): a field's name and label kept in sync.

The third case compares the error with a Jest snapshot (stored at a later revision); the port
asserts what it holds that a client reads: one error, its code, the field validation error
(NAME_NOT_SYNCED_WITH_LABEL, the label as its value) and the field it concerns."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_object_metadata,
    delete_one_object_metadata,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest

GQL_FIELDS = "id name label isLabelSyncedWithName"


@pytest.fixture
async def created_object_metadata_id(gateway: GatewayUnderTest) -> AsyncIterator[str]:
    data, _ = await create_one_object_metadata(gateway, {
        "nameSingular": "myTestObject", "namePlural": "myTestObjects", "labelSingular": "My Test Object",
        "labelPlural": "My Test Objects", "icon": "Icon123"})
    object_id = data["createOneObject"]["id"]
    yield object_id
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


async def test_should_create_a_field_when_name_and_label_are_synced_correctly(
    gateway: GatewayUnderTest, created_object_metadata_id: str
) -> None:
    data, _ = await create_one_field_metadata(gateway, {
        "name": "testField", "label": "Test Field", "type": "TEXT",
        "objectMetadataId": created_object_metadata_id, "isLabelSyncedWithName": True}, GQL_FIELDS)
    assert data["createOneField"]["name"] == "testField"


async def test_should_set_is_label_sync_with_name_to_false_if_not_in_input(
    gateway: GatewayUnderTest, created_object_metadata_id: str
) -> None:
    data, _ = await create_one_field_metadata(gateway, {
        "name": "testField", "label": "Test Field", "type": "TEXT",
        "objectMetadataId": created_object_metadata_id}, GQL_FIELDS)
    assert data["createOneField"]["isLabelSyncedWithName"] is False


async def test_should_return_an_error_when_name_and_label_are_not_synced_but_is_label_synced_with_name_is_true(
    gateway: GatewayUnderTest, created_object_metadata_id: str
) -> None:
    _, errors = await create_one_field_metadata(gateway, {
        "name": "testField", "label": "Different Label", "type": "TEXT",
        "objectMetadataId": created_object_metadata_id, "isLabelSyncedWithName": True}, GQL_FIELDS)
    assert len(errors) == 1
    (first,) = errors
    assert first["extensions"]["code"] == "METADATA_VALIDATION_FAILED"
    assert first["message"] == "Multiple validation errors occurred while creating field"
    (failure,) = first["extensions"]["errors"]["fieldMetadata"]
    assert failure["type"] == "create_field"
    assert failure["flatEntityMinimalInformation"]["name"] == "testField"
    assert failure["flatEntityMinimalInformation"]["objectMetadataId"] == created_object_metadata_id
    (problem,) = failure["errors"]
    assert problem["code"] == "NAME_NOT_SYNCED_WITH_LABEL" and problem["value"] == "Different Label"
    assert problem["message"].startswith("Name is not synced with label")
