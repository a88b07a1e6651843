"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/enum/
failing-update-one-enum-field-metadata-v2.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972), with its cases (enum_cases.py). The spec also
compares the errors with a Jest snapshot (Twenty's wording); the port checks the rest: no data,
errors, not an internal error. Adapted: CUSTOM_OBJECT_DISHES' description is a placeholder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.enum_cases import CUSTOM_OBJECT_DISHES, UPDATE_ENUM_FIELD_METADATA_TEST_CASES, option, params
from tests.conformance.enum_cases import request_input as to_request
from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_object_metadata,
    delete_one_object_metadata,
    update_one_field_metadata,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest

INITIAL_OPTIONS = [option(), option(label="Option 2", value="OPTION_2", position=2)]


@pytest.fixture(scope="module")
async def fields(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, str]]:
    data, _ = await create_one_object_metadata(gateway, {
        **CUSTOM_OBJECT_DISHES, "icon": "IconBuildingSkyscraper", "isLabelSyncedWithName": False})
    object_id = data["createOneObject"]["id"]
    made = {}
    for type_name in ("SELECT", "MULTI_SELECT"):
        data, errors = await create_one_field_metadata(gateway, {
            "objectMetadataId": object_id, "type": type_name, "name": f"testField{type_name[:1]}",
            "label": "Test Field", "isLabelSyncedWithName": False, "options": INITIAL_OPTIONS}, "id type")
        assert data is not None, errors
        made[type_name] = data["createOneField"]["id"]
    yield made
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


def _cases() -> list[Any]:
    return [
        pytest.param(type_name, p.values[0], id=f"{type_name}: {p.id}")
        for type_name in ("SELECT", "MULTI_SELECT")
        for p in params(UPDATE_ENUM_FIELD_METADATA_TEST_CASES[type_name]["failing"])
    ]


@pytest.mark.parametrize(("type_name", "input"), _cases())
async def test_update(gateway: GatewayUnderTest, fields: dict[str, str], type_name: str, input: dict[str, Any]) -> None:
    data, errors = await update_one_field_metadata(gateway, fields[type_name], to_request(input), "id options")
    assert data is None
    assert errors is not None
    assert errors[0]["extensions"]["code"] != "INTERNAL_SERVER_ERROR"
