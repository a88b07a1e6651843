"""The one test body Twenty's `successful-create-<composite>-field-metadata` specs share
(revision 41d242555963991041c474c5267df7d174c6a972): create the field on a test object, check
the answer with `toMatchObject(input)`, deactivate and delete it (afterEach)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from tests.conformance.enum_cases import matches
from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_object_metadata,
    delete_one_field_metadata,
    delete_one_object_metadata,
    update_one_field_metadata,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest

GQL_FIELDS = "id type name label description icon defaultValue isLabelSyncedWithName settings"


def object_fixture(singular: str, label: str) -> Callable[..., Any]:
    """The spec's beforeAll/afterAll: a test object (`testCurrencyObject`, …) for the module."""

    @pytest.fixture(scope="module")
    async def created_object_metadata_id(gateway: GatewayUnderTest) -> AsyncIterator[str]:
        data, errors = await create_one_object_metadata(gateway, {
            "nameSingular": singular, "namePlural": f"{singular}s", "labelSingular": label,
            "labelPlural": f"{label}s", "icon": "IconTestPipe", "isLabelSyncedWithName": False})
        assert data is not None, errors
        object_id = data["createOneObject"]["id"]
        yield object_id
        await update_one_object_metadata(gateway, object_id, {"isActive": False})
        await delete_one_object_metadata(gateway, object_id)

    return created_object_metadata_id


async def it_should_create(gateway: GatewayUnderTest, object_id: str, type_name: str, input: dict[str, Any]) -> None:
    input_payload = {"objectMetadataId": object_id, "type": type_name, "isLabelSyncedWithName": False, **input}
    data, errors = await create_one_field_metadata(gateway, input_payload, GQL_FIELDS)
    assert data is not None, errors
    field = data["createOneField"]
    try:
        expected = {k: v for k, v in input_payload.items() if k != "objectMetadataId"}
        assert matches(field, expected), (field, expected)
    finally:
        await update_one_field_metadata(gateway, field["id"], {"isActive": False})
        await delete_one_field_metadata(gateway, field["id"])
