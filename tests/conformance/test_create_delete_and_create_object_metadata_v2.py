"""Port of packages/twenty-server/test/integration/metadata/suites/object-metadata/
create-delete-and-create-object-metadata-v2.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): the same object and field made, deleted and made again."""

from __future__ import annotations

import time
from typing import Any

from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_object_metadata,
    delete_one_field_metadata,
    delete_one_object_metadata,
    update_one_field_metadata,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest

OBJECT_GQL_FIELDS = "id labelPlural description labelSingular namePlural nameSingular icon isLabelSyncedWithName"
FIELD_GQL_FIELDS = "id label name type description"


def matches(actual: dict[str, Any], expected: dict[str, Any]) -> bool:
    """`toMatchObject`."""
    return all(actual.get(key) == value for key, value in expected.items())


async def test_it_should_handle_creation_deletion_and_creation_of_the_same_metadata_entity_gracefully(
    gateway: GatewayUnderTest,
) -> None:
    unique_suffix = str(time.time_ns() // 1_000_000)[-8:]
    create_object_input = {
        "namePlural": f"dishes{unique_suffix}",
        "nameSingular": f"dish{unique_suffix}",
        "labelPlural": f"Dishes {unique_suffix}",
        "labelSingular": f"Dish {unique_suffix}",
        "description": "My favorite dishes",
        "icon": "IconBuildingSkyscraper",
        "isLabelSyncedWithName": False,
    }
    data, _ = await create_one_object_metadata(gateway, create_object_input, OBJECT_GQL_FIELDS)
    created_object_metadata_id = data["createOneObject"]["id"]
    assert matches(data["createOneObject"], create_object_input)

    create_field_input = {"label": "field label", "name": "fieldName", "type": "TEXT",
                          "description": "custom description"}
    data, _ = await create_one_field_metadata(
        gateway, {**create_field_input, "objectMetadataId": created_object_metadata_id}, FIELD_GQL_FIELDS)
    create_one_field = data["createOneField"]
    assert matches(create_one_field, create_field_input)

    _, errors = await update_one_field_metadata(gateway, create_one_field["id"], {"isActive": False})
    assert errors is None
    _, errors = await delete_one_field_metadata(gateway, create_one_field["id"])
    assert errors is None

    data, _ = await create_one_field_metadata(
        gateway, {**create_field_input, "objectMetadataId": created_object_metadata_id}, FIELD_GQL_FIELDS)
    assert matches(data["createOneField"], create_field_input)

    _, errors = await update_one_object_metadata(gateway, created_object_metadata_id, {"isActive": False})
    assert errors is None
    _, errors = await delete_one_object_metadata(gateway, created_object_metadata_id)
    assert errors is None

    data, _ = await create_one_object_metadata(gateway, create_object_input, OBJECT_GQL_FIELDS)
    created_object_metadata_id = data["createOneObject"]["id"]
    assert matches(data["createOneObject"], create_object_input)

    data, _ = await create_one_field_metadata(
        gateway, {**create_field_input, "objectMetadataId": created_object_metadata_id}, FIELD_GQL_FIELDS)
    assert matches(data["createOneField"], create_field_input)

    # afterEach
    await update_one_object_metadata(gateway, created_object_metadata_id, {"isActive": False})
    await delete_one_object_metadata(gateway, created_object_metadata_id)
