"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-create-full-name-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): creating FULL_NAME fields (body in composite_creation.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_creation import it_should_create, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testFullNameObject", "Test Full Name Object")

SUCCESSFUL_TEST_CASES = [
    pytest.param({"name": "contactName", "label": "Contact Name", "description": "Full name of contact",
                  "icon": "IconUser"}, id="full name field with basic metadata (name, label, description, icon)"),
    pytest.param({"name": "ownerName", "label": "Owner Name",
                  "defaultValue": {"firstName": "'John'", "lastName": "'Doe'"}},
                 id="full name field with default value containing first and last name"),
    pytest.param({"name": "customerName", "label": "Customer Name",
                  "defaultValue": {"firstName": "'Jane'", "lastName": None}},
                 id="full name field with only first name default"),
    pytest.param({"name": "authorName", "label": "Author Name", "defaultValue": None},
                 id="full name field with empty default value"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_create(
    gateway: GatewayUnderTest, created_object_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_create(gateway, created_object_metadata_id, "FULL_NAME", input)
