"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/enum/
successful-update-one-enum-field-metadata-v2.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972), with its cases (enum_cases.py). Adapted:
CUSTOM_OBJECT_DISHES' description (not read) is a placeholder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.enum_cases import (
    CUSTOM_OBJECT_DISHES,
    UPDATE_ENUM_FIELD_METADATA_TEST_CASES,
    matches,
    option,
    params,
)
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

INITIAL_OPTIONS = [option(), option(label="Option 2", value="OPTION_2", position=2)]


@pytest.fixture(scope="module")
async def created_object_metadata_id(gateway: GatewayUnderTest) -> AsyncIterator[str]:
    data, _ = await create_one_object_metadata(gateway, {
        **CUSTOM_OBJECT_DISHES, "icon": "IconBuildingSkyscraper", "isLabelSyncedWithName": False})
    object_id = data["createOneObject"]["id"]
    yield object_id
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


@pytest.fixture(params=["SELECT", "MULTI_SELECT"])
async def field(gateway: GatewayUnderTest, created_object_metadata_id: str,
                request: pytest.FixtureRequest) -> AsyncIterator[dict[str, str]]:
    data, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": created_object_metadata_id, "type": request.param, "name": "testField",
        "label": "Test Field", "isLabelSyncedWithName": False, "options": INITIAL_OPTIONS}, "id type")
    assert data is not None, errors
    yield {"id": data["createOneField"]["id"], "type": request.param}
    await update_one_field_metadata(gateway, data["createOneField"]["id"], {"isActive": False})
    await delete_one_field_metadata(gateway, data["createOneField"]["id"])


async def test_should_update_default_value_to_null_even_if_it_was_set_before(
    gateway: GatewayUnderTest, field: dict[str, str]
) -> None:
    raw = f"'{INITIAL_OPTIONS[0]['value']}'"
    expected_default = [raw] if field["type"] == "MULTI_SELECT" else raw
    data, _ = await update_one_field_metadata(gateway, field["id"], {"defaultValue": expected_default},
                                              "id defaultValue")
    assert data["updateOneField"]["defaultValue"] == expected_default
    updated_options = INITIAL_OPTIONS[1:]
    data, errors = await update_one_field_metadata(
        gateway, field["id"], {"defaultValue": None, "options": updated_options}, "id options defaultValue")
    assert errors is None
    assert data["updateOneField"]["defaultValue"] is None
    assert matches(data["updateOneField"]["options"], updated_options)


def _cases() -> list[Any]:
    return [
        pytest.param(type_name, *p.values, id=f"{type_name}: {p.id}")
        for type_name in ("SELECT", "MULTI_SELECT")
        for p in params(UPDATE_ENUM_FIELD_METADATA_TEST_CASES[type_name]["successful"])
    ]


@pytest.mark.parametrize(("type_name", "input", "expected_options"), _cases())
async def test_update(gateway: GatewayUnderTest, created_object_metadata_id: str, type_name: str,
                      input: dict[str, Any], expected_options: Any) -> None:
    data, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": created_object_metadata_id, "type": type_name, "name": "testField",
        "label": "Test Field", "isLabelSyncedWithName": False, "options": INITIAL_OPTIONS}, "id type")
    assert data is not None, errors
    field_id = data["createOneField"]["id"]
    try:
        data, errors = await update_one_field_metadata(gateway, field_id, to_request(input), "id options defaultValue")
        assert data["updateOneField"] is not None, errors
        updated = data["updateOneField"]["options"]
        assert updated is not None
        assert errors is None
        assert all(o["id"] for o in updated)
        to_compare = expected_options if expected_options is not None else input.get("options") or []
        assert len(updated) == len(to_compare)
        assert matches(updated, to_compare)
        if input.get("defaultValue") is not None:
            assert data["updateOneField"]["defaultValue"] == input["defaultValue"]
    finally:  # afterEach
        await update_one_field_metadata(gateway, field_id, {"isActive": False})
        await delete_one_field_metadata(gateway, field_id)
