"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-update-full-name-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): updating FULL_NAME fields (body in composite_update.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_update import field_fixture, it_should_update, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testFullNameUpdateObject", "Test Full Name Update Object")
created_field_metadata_id = field_fixture("FULL_NAME", "testFullName", "Test Full Name", "IconUser")

SUCCESSFUL_TEST_CASES = [
    pytest.param(
        {"label": "Updated Full Name", "description": "Updated description", "icon": "IconUserCircle"},
        id="full name field basic metadata (label, description, icon)",
    ),
    pytest.param(
        {"defaultValue": {"firstName": "'John'", "lastName": "'Doe'"}},
        id="full name field default value with first and last name",
    ),
    pytest.param(
        {"defaultValue": {"firstName": "'Jane'", "lastName": None}},
        id="full name field default value with only first name",
    ),
    pytest.param({"defaultValue": None}, id="full name field default value with empty values"),
    pytest.param({"defaultValue": None}, id="full name field default value set to null"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_update(
    gateway: GatewayUnderTest, created_field_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_update(gateway, created_field_metadata_id, input)
