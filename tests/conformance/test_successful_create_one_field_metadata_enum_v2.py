"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/enum/
successful-create-one-field-metadata-enum-v2.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972), with its cases (enum_cases.py). RATING has no case
there. Adapted: CUSTOM_OBJECT_DISHES' description (not read) is a placeholder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.enum_cases import CREATE_ENUM_FIELD_METADATA_TEST_CASES, CUSTOM_OBJECT_DISHES, matches, params
from tests.conformance.enum_cases import request_input as to_request
from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_object_metadata,
    delete_one_field_metadata,
    delete_one_object_metadata,
    update_one_field_metadata,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest


@pytest.fixture(scope="module")
async def created_object_metadata_id(gateway: GatewayUnderTest) -> AsyncIterator[str]:
    data, _ = await create_one_object_metadata(gateway, {
        **CUSTOM_OBJECT_DISHES, "icon": "IconBuildingSkyscraper", "isLabelSyncedWithName": False})
    object_id = data["createOneObject"]["id"]
    yield object_id
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


async def _create(gateway: GatewayUnderTest, object_id: str, type_name: str, input: dict[str, Any],
                  expected_options: Any) -> None:
    data, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": object_id, "type": type_name, "name": "testField", "label": "Test Field",
        "isLabelSyncedWithName": False, **to_request(input)}, "id options defaultValue type")
    assert data is not None, errors
    field = data["createOneField"]
    try:
        assert field["type"] == type_name
        assert errors is None
        options_to_compare = expected_options if expected_options is not None else input.get("options") or []
        assert len(field["options"]) == len(options_to_compare)
        assert all(o["id"] for o in field["options"])
        assert matches(field["options"], options_to_compare)
        if input.get("defaultValue") is not None:
            assert field["defaultValue"] == input["defaultValue"]
    finally:  # afterEach
        await update_one_field_metadata(gateway, field["id"], {"isActive": False})
        await delete_one_field_metadata(gateway, field["id"])


@pytest.mark.parametrize(("input", "expected_options"), params(CREATE_ENUM_FIELD_METADATA_TEST_CASES["SELECT"]
                                                               ["successful"]))
async def test_successful_create_field_metadata_select(
    gateway: GatewayUnderTest, created_object_metadata_id: str, input: dict[str, Any], expected_options: Any
) -> None:
    await _create(gateway, created_object_metadata_id, "SELECT", input, expected_options)


@pytest.mark.parametrize(("input", "expected_options"), params(CREATE_ENUM_FIELD_METADATA_TEST_CASES["MULTI_SELECT"]
                                                               ["successful"]))
async def test_successful_create_field_metadata_multi_select(
    gateway: GatewayUnderTest, created_object_metadata_id: str, input: dict[str, Any], expected_options: Any
) -> None:
    await _create(gateway, created_object_metadata_id, "MULTI_SELECT", input, expected_options)
