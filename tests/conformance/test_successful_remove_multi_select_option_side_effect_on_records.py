"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/enum/
successful-remove-multi-select-option-side-effect-on-records.integration-spec.ts (twentyhq/twenty,
revision 41d242555963991041c474c5267df7d174c6a972): removing a MULTI_SELECT option takes the
value out of the records that hold it, with or without surviving values."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_object_metadata,
    delete_one_object_metadata,
    update_one_field_metadata,
    update_one_object_metadata,
)
from tests.conformance.twenty import create_one_operation_factory, find_one_operation_factory, make_graphql_api_request
from tests.conftest import GatewayUnderTest

SINGULAR = "testMultiSelectRemoval"


@pytest.fixture(scope="module")
async def field(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, Any]]:
    data, errors = await create_one_object_metadata(
        gateway,
        {
            "nameSingular": SINGULAR,
            "namePlural": "testMultiSelectRemovals",
            "labelSingular": "Test Multi Select Removal",
            "labelPlural": "Test Multi Select Removals",
            "icon": "IconTestPipe",
            "isLabelSyncedWithName": False,
        },
    )
    assert data is not None, errors
    object_id = data["createOneObject"]["id"]
    data, errors = await create_one_field_metadata(
        gateway,
        {
            "objectMetadataId": object_id,
            "type": "MULTI_SELECT",
            "name": "tagField",
            "label": "Tag Field",
            "isLabelSyncedWithName": False,
            "options": [
                {"label": "Option 1", "value": "OPTION_1", "color": "green", "position": 0},
                {"label": "Option 2", "value": "OPTION_2", "color": "blue", "position": 1},
                {"label": "Option 3", "value": "OPTION_3", "color": "red", "position": 2},
            ],
        },
        "id options",
    )
    assert data is not None, errors
    yield data["createOneField"]
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


async def _create(gateway: GatewayUnderTest, tags: list[str]) -> str:
    response = await make_graphql_api_request(
        gateway, create_one_operation_factory(SINGULAR, "id tagField", {"tagField": tags})
    )
    created = response.body["data"][f"create{SINGULAR[0].upper()}{SINGULAR[1:]}"]
    assert created["tagField"] == tags
    return str(created["id"])


async def _tags(gateway: GatewayUnderTest, record_id: str) -> Any:
    response = await make_graphql_api_request(
        gateway, find_one_operation_factory(SINGULAR, "id tagField", {"id": {"eq": record_id}})
    )
    return response.body["data"][SINGULAR]["tagField"]


async def test_should_strip_the_removed_option_from_existing_records(
    gateway: GatewayUnderTest, field: dict[str, Any]
) -> None:
    mixed = await _create(gateway, ["OPTION_1", "OPTION_2"])
    removed_only = await _create(gateway, ["OPTION_2"])
    surviving = await _create(gateway, ["OPTION_1", "OPTION_3"])
    by_value = {o["value"]: o["id"] for o in field["options"]}
    data, errors = await update_one_field_metadata(
        gateway,
        field["id"],
        {
            "options": [
                {"id": by_value["OPTION_1"], "label": "Option 1", "value": "OPTION_1", "color": "green", "position": 0},
                {"id": by_value["OPTION_3"], "label": "Option 3", "value": "OPTION_3", "color": "red", "position": 1},
            ]
        },
        "id options",
    )
    assert errors is None
    assert len(data["updateOneField"]["options"]) == 2
    assert await _tags(gateway, mixed) == ["OPTION_1"]
    assert await _tags(gateway, removed_only) in (None, [])
    assert await _tags(gateway, surviving) == ["OPTION_1", "OPTION_3"]
