"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/
failing-create-one-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): the field types a client may not create.

The spec also compares the errors with a Jest snapshot (stored at a later revision), whose
messages the port checks: the code, and the field validation error naming the type."""

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


@pytest.fixture(scope="module")
async def created_object_metadata_id(gateway: GatewayUnderTest) -> AsyncIterator[str]:
    data, _ = await create_one_object_metadata(gateway, {
        "nameSingular": "testFailingObject", "namePlural": "testFailingObjects",
        "labelSingular": "Test Failing Object", "labelPlural": "Test Failing Objects", "icon": "IconTestPipe",
        "isLabelSyncedWithName": False})
    object_id = data["createOneObject"]["id"]
    yield object_id
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


@pytest.mark.parametrize(
    ("type_name", "name", "expected_message", "snapshot_message"),
    [
        ("NUMERIC", "numericField", "NUMERIC",
         "Field type NUMERIC is not supported for field creation. Use NUMBER instead."),
        ("POSITION", "positionField", "POSITION",
         "Field type POSITION is a system type and cannot be created manually."),
        ("TS_VECTOR", "tsVectorField", "TS Vector", "TS Vector is not supported for field creation"),
    ],
)
async def test_should_fail_to_create_field_type_via_api(
    gateway: GatewayUnderTest, created_object_metadata_id: str, type_name: str, name: str, expected_message: str,
    snapshot_message: str,
) -> None:
    data, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": created_object_metadata_id, "type": type_name, "name": name, "label": name,
        "isLabelSyncedWithName": False}, "id type name label")
    assert data is None
    assert errors is not None
    assert errors[0]["extensions"]["code"] == "METADATA_VALIDATION_FAILED"
    error_details = str(errors[0]["extensions"]["errors"])
    assert expected_message in error_details
    assert snapshot_message in error_details
