"""The one test body Twenty's `successful-update-<composite>-field-metadata` specs share
(revision 41d242555963991041c474c5267df7d174c6a972): a test object for the module (beforeAll),
a fresh field per test (beforeEach), the update checked with `toMatchObject(input)`, the field
deactivated and deleted (afterEach)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from tests.conformance.composite_creation import object_fixture
from tests.conformance.enum_cases import matches
from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    delete_one_field_metadata,
    update_one_field_metadata,
)
from tests.conftest import GatewayUnderTest

GQL_FIELDS = "id type name label description icon settings defaultValue"

__all__ = ["field_fixture", "it_should_update", "object_fixture"]


def field_fixture(type_name: str, name: str, label: str, icon: str) -> Callable[..., Any]:
    """The spec's beforeEach/afterEach: the field each test updates."""

    @pytest.fixture
    async def created_field_metadata_id(
        gateway: GatewayUnderTest, created_object_metadata_id: str
    ) -> AsyncIterator[str]:
        data, errors = await create_one_field_metadata(
            gateway,
            {
                "objectMetadataId": created_object_metadata_id,
                "type": type_name,
                "name": name,
                "label": label,
                "description": "Initial description",
                "icon": icon,
                "isLabelSyncedWithName": False,
            },
        )
        assert data is not None, errors
        field_id = data["createOneField"]["id"]
        yield field_id
        await update_one_field_metadata(gateway, field_id, {"isActive": False})
        await delete_one_field_metadata(gateway, field_id)

    return created_field_metadata_id


async def it_should_update(gateway: GatewayUnderTest, field_id: str, input: dict[str, Any]) -> None:
    data, errors = await update_one_field_metadata(gateway, field_id, input, GQL_FIELDS)
    assert data is not None, errors
    assert matches(data["updateOneField"], input), (data["updateOneField"], input)
