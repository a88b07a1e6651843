"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-update-phones-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): updating PHONES fields (body in composite_update.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_update import field_fixture, it_should_update, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testPhonesUpdateObject", "Test Phones Update Object")
created_field_metadata_id = field_fixture("PHONES", "testPhones", "Test Phones", "IconPhone")

SUCCESSFUL_TEST_CASES = [
    pytest.param(
        {"label": "Updated Phones", "description": "Updated description", "icon": "IconPhoneCall"},
        id="phones field basic metadata (label, description, icon)",
    ),
    pytest.param({"settings": {"maxNumberOfValues": 4}}, id="phones field settings with maxNumberOfValues"),
    pytest.param(
        {
            "defaultValue": {
                "primaryPhoneNumber": "'+33123456789'",
                "primaryPhoneCountryCode": "'FR'",
                "primaryPhoneCallingCode": "'+33'",
                "additionalPhones": None,
            }
        },
        id="phones field default value with primary phone",
    ),
    pytest.param({"defaultValue": None}, id="phones field default value with empty values"),
    pytest.param({"defaultValue": None}, id="phones field default value set to null"),
    pytest.param(
        {
            "settings": {"maxNumberOfValues": 6},
            "defaultValue": {
                "primaryPhoneNumber": "'+1555123456'",
                "primaryPhoneCountryCode": "'US'",
                "primaryPhoneCallingCode": "'+1'",
                "additionalPhones": None,
            },
        },
        id="phones field settings and default value together",
    ),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_update(
    gateway: GatewayUnderTest, created_field_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_update(gateway, created_field_metadata_id, input)
