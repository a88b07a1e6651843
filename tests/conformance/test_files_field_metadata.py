"""Ports of packages/twenty-server/test/integration/metadata/suites/field-metadata/atomic/
create-one-files-field-metadata.integration-spec.ts and update-one-files-field-metadata.integration-spec.ts
(twentyhq/twenty, revision 41d242555963991041c474c5267df7d174c6a972): FILES fields, whose
settings must give maxNumberOfValues between 1 and 60 and which cannot be unique. (The failing
cases' snapshots are checked as `expectOneNotInternalServerErrorSnapshot` does: one error, not a
server fault; the port checks Twenty's message too.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.composite_creation import object_fixture
from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    delete_one_field_metadata,
    update_one_field_metadata,
)
from tests.conformance.twenty import expect_one_not_internal_server_error
from tests.conftest import GatewayUnderTest

LIMIT_MESSAGE = (
    "maxNumberOfValues must be defined in settings and be a number greater than 0 and less than or equal to 60"
)
UNIQUE_MESSAGE = "Files field is not supported for unique fields"
GQL_FIELDS = "id type name label description icon settings"

created_object_metadata_id = object_fixture("testFilesFieldObject", "Test Files Field Object")


def _refused(errors: Any, message: str) -> None:
    error = expect_one_not_internal_server_error({"errors": errors})
    problems = error["extensions"]["errors"]["fieldMetadata"][0]["errors"]
    assert message in [p["message"] for p in problems], problems


@pytest.mark.parametrize(
    "limit",
    [
        pytest.param(1, id="should create files field with maxNumberOfValues = 1"),
        pytest.param(5, id="should create files field with maxNumberOfValues = 5"),
        pytest.param(60, id="should create files field with maxNumberOfValues = 60 (max allowed)"),
    ],
)
async def test_create(gateway: GatewayUnderTest, created_object_metadata_id: str, limit: int) -> None:
    data, errors = await create_one_field_metadata(
        gateway,
        {
            "objectMetadataId": created_object_metadata_id,
            "name": f"filesField{limit}",
            "label": f"Files Field {limit}",
            "type": "FILES",
            "settings": {"maxNumberOfValues": limit},
        },
        "id type name label settings",
    )
    assert errors is None
    assert data["createOneField"]["type"] == "FILES"
    assert data["createOneField"]["settings"] == {"maxNumberOfValues": limit}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(
            {"settings": {"maxNumberOfValues": 0}},
            LIMIT_MESSAGE,
            id="should fail to create files field with maxNumberOfValues = 0",
        ),
        pytest.param(
            {"settings": {"maxNumberOfValues": 61}},
            LIMIT_MESSAGE,
            id="should fail to create files field with maxNumberOfValues = 61 (exceeds max)",
        ),
        pytest.param({}, LIMIT_MESSAGE, id="should fail to create files field without settings"),
        pytest.param(
            {"settings": {"maxNumberOfValues": 5}, "isUnique": True},
            UNIQUE_MESSAGE,
            id="should fail to create files field with isUnique = true",
        ),
    ],
)
async def test_create_fails(
    gateway: GatewayUnderTest, created_object_metadata_id: str, extra: dict[str, Any], message: str
) -> None:
    _, errors = await create_one_field_metadata(
        gateway,
        {
            "objectMetadataId": created_object_metadata_id,
            "name": "filesFieldInvalid",
            "label": "Files Field Invalid",
            "type": "FILES",
            **extra,
        },
    )
    _refused(errors, message)


@pytest.fixture
async def files_field_id(gateway: GatewayUnderTest, created_object_metadata_id: str) -> AsyncIterator[str]:
    data, errors = await create_one_field_metadata(
        gateway,
        {
            "objectMetadataId": created_object_metadata_id,
            "type": "FILES",
            "name": "testFiles",
            "label": "Test Files",
            "description": "Initial description",
            "icon": "IconFile",
            "isLabelSyncedWithName": False,
            "settings": {"maxNumberOfValues": 5},
        },
    )
    assert data is not None, errors
    field_id = data["createOneField"]["id"]
    yield field_id
    await update_one_field_metadata(gateway, field_id, {"isActive": False})
    await delete_one_field_metadata(gateway, field_id)


@pytest.mark.parametrize(
    "update",
    [
        pytest.param(
            {"label": "Updated Files", "description": "Updated description", "icon": "IconFiles"},
            id="should update files field basic metadata (label, description, icon)",
        ),
        pytest.param(
            {"settings": {"maxNumberOfValues": 5}}, id="should update files field settings with maxNumberOfValues = 5"
        ),
    ],
)
async def test_update(gateway: GatewayUnderTest, files_field_id: str, update: dict[str, Any]) -> None:
    data, errors = await update_one_field_metadata(gateway, files_field_id, update, GQL_FIELDS)
    assert errors is None
    assert {k: data["updateOneField"][k] for k in update} == update


@pytest.mark.parametrize(
    ("update", "message"),
    [
        pytest.param(
            {"settings": {"maxNumberOfValues": 0}},
            LIMIT_MESSAGE,
            id="should fail to update files field settings with maxNumberOfValues = 0",
        ),
        pytest.param(
            {"settings": {"maxNumberOfValues": 61}},
            LIMIT_MESSAGE,
            id="should fail to update files field settings with maxNumberOfValues = 61 (exceeds max)",
        ),
        pytest.param({"isUnique": True}, UNIQUE_MESSAGE, id="should fail to update files field with isUnique = true"),
    ],
)
async def test_update_fails(
    gateway: GatewayUnderTest, files_field_id: str, update: dict[str, Any], message: str
) -> None:
    _, errors = await update_one_field_metadata(gateway, files_field_id, update)
    _refused(errors, message)
