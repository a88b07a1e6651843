"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/enum/
successful-update-default-value-option-value-and-side-effect-on-records.integration-spec.ts
(twentyhq/twenty, revision 41d242555963991041c474c5267df7d174c6a972): a SELECT option whose value
changes (same id) changes in the records that hold it; a new default applies to new records only.
(The spec's options snapshot is checked as the options sent, with their ids.)"""

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

SINGULAR = "testSelectObject"


@pytest.fixture(scope="module")
async def field(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, Any]]:
    data, errors = await create_one_object_metadata(
        gateway,
        {
            "nameSingular": SINGULAR,
            "namePlural": "testSelectObjects",
            "labelSingular": "Test Select Object",
            "labelPlural": "Test Select Objects",
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
            "type": "SELECT",
            "name": "statusField",
            "label": "Status Field",
            "isLabelSyncedWithName": False,
            "defaultValue": "'OPTION_1'",
            "options": [
                {"label": "Option 1", "value": "OPTION_1", "color": "green", "position": 0},
                {"label": "Option 2", "value": "OPTION_2", "color": "blue", "position": 1},
                {"label": "Option 3", "value": "OPTION_3", "color": "red", "position": 2},
            ],
        },
        "id options defaultValue",
    )
    assert data is not None, errors
    yield data["createOneField"]
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


async def _create(gateway: GatewayUnderTest) -> dict[str, Any]:
    response = await make_graphql_api_request(gateway, create_one_operation_factory(SINGULAR, "id statusField", {}))
    created: dict[str, Any] = response.body["data"]["createTestSelectObject"]
    return created


async def _status(gateway: GatewayUnderTest, record_id: str) -> Any:
    response = await make_graphql_api_request(
        gateway, find_one_operation_factory(SINGULAR, "id statusField", {"id": {"eq": record_id}})
    )
    return response.body["data"][SINGULAR]["statusField"]


async def test_should_update_existing_records_when_default_value_option_value_is_changed(
    gateway: GatewayUnderTest, field: dict[str, Any]
) -> None:
    first = await _create(gateway)
    assert first["statusField"] == "OPTION_1"
    ids = {o["value"]: o["id"] for o in field["options"]}
    options = [
        {"id": ids["OPTION_1"], "label": "Option 1", "value": "OPTION_1_MODIFIED", "color": "green", "position": 0},
        {"id": ids["OPTION_2"], "label": "Option 2", "value": "OPTION_2", "color": "blue", "position": 1},
        {"id": ids["OPTION_3"], "label": "Option 3", "value": "OPTION_3", "color": "red", "position": 2},
    ]
    data, errors = await update_one_field_metadata(
        gateway, field["id"], {"defaultValue": "'OPTION_1_MODIFIED'", "options": options}, "id options defaultValue"
    )
    assert data is not None, errors
    assert data["updateOneField"]["defaultValue"] == "'OPTION_1_MODIFIED'"
    assert await _status(gateway, first["id"]) == "OPTION_1_MODIFIED"

    data, errors = await update_one_field_metadata(
        gateway, field["id"], {"defaultValue": "'OPTION_2'"}, "id options defaultValue"
    )
    assert data is not None, errors
    assert data["updateOneField"]["defaultValue"] == "'OPTION_2'"
    assert data["updateOneField"]["options"] == options
    second = await _create(gateway)
    assert second["statusField"] == "OPTION_2"
    assert await _status(gateway, first["id"]) == "OPTION_1_MODIFIED"
