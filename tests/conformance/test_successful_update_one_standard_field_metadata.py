"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/
successful-update-one-standard-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): what a standard field lets change (opportunity.stage's
description, icon, activity, label, options and default; deletedAt's activity) and isUnique on
the standard `name` field of a custom object, with the index that makes it so.

The spec compares the atomic updates with a Jest snapshot; the port checks that the answer carries
the update (and the field's name unchanged), which is what the snapshot records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.enum_cases import matches
from tests.conformance.metadata_factories import (
    create_one_object_metadata,
    delete_one_object_metadata,
    find_many_object_metadata,
    update_one_field_metadata,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest

GQL_FIELDS = "id name label description icon isActive options defaultValue"

SUCCESSFUL_UPDATE_CASES = [
    pytest.param({"description": "Updated test description for company name field"}, id="when updating description"),
    pytest.param({"icon": "IconBuildingFactory"}, id="when updating icon"),
    pytest.param({"isActive": False}, id="when setting isActive to false"),
    pytest.param({"label": "Business Name"}, id="when updating label"),
    pytest.param(
        {
            "options": [
                {"value": "NEW", "label": "New Lead", "position": 0, "color": "red"},
                {"value": "SCREENING", "label": "Under Review", "position": 1, "color": "purple"},
                {"value": "MEETING", "label": "Meeting", "position": 2, "color": "sky"},
                {"value": "PROPOSAL", "label": "Proposal Sent", "position": 3, "color": "turquoise"},
                {"value": "CUSTOMER", "label": "Customer", "position": 4, "color": "yellow"},
                {"value": "CLOSED", "label": "Closed", "position": 5, "color": "green"},
            ]
        },
        id="when updating options",
    ),
    pytest.param({"defaultValue": "'SCREENING'"}, id="when updating defaultValue"),
]


async def _opportunity_fields(gateway: GatewayUnderTest) -> dict[str, dict[str, Any]]:
    objects = await find_many_object_metadata(
        gateway,
        {},
        {"first": 100},
        """
        id nameSingular fieldsList { id name label description icon isActive type options settings defaultValue }""",
    )
    opportunity = next(o for o in objects if o["nameSingular"] == "opportunity")
    return {f["name"]: f for f in opportunity["fieldsList"]}


@pytest.fixture
async def original_stage(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, Any]]:
    """beforeAll + afterEach: opportunity.stage as it was, restored after each update."""
    stage = (await _opportunity_fields(gateway))["stage"]
    yield stage
    restore = {k: stage[k] for k in ("label", "description", "icon", "isActive", "options", "defaultValue")}
    _, errors = await update_one_field_metadata(gateway, stage["id"], restore)
    assert errors is None, errors


@pytest.mark.parametrize("context", SUCCESSFUL_UPDATE_CASES)
async def test_atomic_update(
    gateway: GatewayUnderTest, original_stage: dict[str, Any], context: dict[str, Any]
) -> None:
    data, errors = await update_one_field_metadata(gateway, original_stage["id"], context, GQL_FIELDS)
    assert data is not None, errors
    updated = data["updateOneField"]
    assert updated["id"] == original_stage["id"]
    assert updated["name"] == "stage"
    assert matches(updated, context), (updated, context)


async def test_should_deactivate_and_reactivate_standard_field_successfully(gateway: GatewayUnderTest) -> None:
    deleted_at = (await _opportunity_fields(gateway))["deletedAt"]
    assert deleted_at["isActive"] is True
    data, errors = await update_one_field_metadata(gateway, deleted_at["id"], {"isActive": False}, GQL_FIELDS)
    assert data is not None, errors
    assert data["updateOneField"]["isActive"] is False
    data, errors = await update_one_field_metadata(gateway, deleted_at["id"], {"isActive": True}, GQL_FIELDS)
    assert data is not None, errors
    assert data["updateOneField"]["isActive"] is True


@pytest.fixture
async def custom_object_id(gateway: GatewayUnderTest) -> AsyncIterator[str]:
    data, errors = await create_one_object_metadata(
        gateway,
        {
            "labelSingular": "Test Unique Standard Field",
            "labelPlural": "Test Unique Standard Fields",
            "namePlural": "testUniqueStandardField",
            "nameSingular": "testUniqueStandardFields",
            "description": "Test unique standard field for isUnique update",
            "icon": "IconBox",
            "isLabelSyncedWithName": False,
        },
        "id nameSingular",
    )
    assert data is not None, errors
    object_id = data["createOneObject"]["id"]
    yield object_id
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


async def test_should_set_is_unique_to_true_on_standard_field(gateway: GatewayUnderTest, custom_object_id: str) -> None:
    objects = await find_many_object_metadata(
        gateway, {}, {"first": 100}, "id nameSingular fieldsList { id name label isUnique isActive type }"
    )
    custom = next(o for o in objects if o["id"] == custom_object_id)
    name_field = next(f for f in custom["fieldsList"] if f["name"] == "name")
    data, errors = await update_one_field_metadata(
        gateway, name_field["id"], {"isUnique": True}, "id name label isUnique isActive"
    )
    assert data is not None, errors
    assert data["updateOneField"]["id"] == name_field["id"]
    assert data["updateOneField"]["name"] == "name"
    assert data["updateOneField"]["isUnique"] is True

    # findManyObjectMetadataWithIndexes
    objects = await find_many_object_metadata(
        gateway,
        {},
        {"first": 100},
        """
        id indexMetadataList { id name isUnique isCustom indexWhereClause indexType
          indexFieldMetadataList { id fieldMetadataId order } }""",
    )
    custom = next(o for o in objects if o["id"] == custom_object_id)
    index = next(
        i
        for i in custom["indexMetadataList"]
        if any(f["fieldMetadataId"] == name_field["id"] for f in i["indexFieldMetadataList"])
    )
    assert index["isUnique"] is True
    assert index["isCustom"] is True
