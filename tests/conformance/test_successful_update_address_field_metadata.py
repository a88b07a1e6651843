"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-update-address-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): updating ADDRESS fields (body in composite_update.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_update import field_fixture, it_should_update, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testAddressUpdateObject", "Test Address Update Object")
created_field_metadata_id = field_fixture("ADDRESS", "testAddress", "Test Address", "IconMapPin")

SUCCESSFUL_TEST_CASES = [
    pytest.param(
        {"label": "Updated Address", "description": "Updated description", "icon": "IconHome"},
        id="address field basic metadata (label, description, icon)",
    ),
    pytest.param(
        {"settings": {"subFields": ["addressStreet1", "addressCity", "addressCountry"]}},
        id="address field settings with limited subFields",
    ),
    pytest.param(
        {
            "settings": {
                "subFields": [
                    "addressStreet1",
                    "addressStreet2",
                    "addressCity",
                    "addressState",
                    "addressPostcode",
                    "addressCountry",
                    "addressLat",
                    "addressLng",
                ]
            }
        },
        id="address field settings with all subFields",
    ),
    pytest.param(
        {
            "defaultValue": {
                "addressStreet1": "'123 Main St'",
                "addressStreet2": "'Apt 4'",
                "addressCity": "'New York'",
                "addressState": "'NY'",
                "addressPostcode": "'10001'",
                "addressCountry": "'USA'",
                "addressLat": None,
                "addressLng": None,
            }
        },
        id="address field default value with full address",
    ),
    pytest.param(
        {
            "defaultValue": {
                "addressStreet1": "'456 Oak Ave'",
                "addressStreet2": None,
                "addressCity": "'Boston'",
                "addressState": None,
                "addressPostcode": None,
                "addressCountry": None,
                "addressLat": None,
                "addressLng": None,
            }
        },
        id="address field default value with partial address",
    ),
    pytest.param({"defaultValue": None}, id="address field default value set to null"),
    pytest.param(
        {
            "settings": {"subFields": ["addressStreet1", "addressCity", "addressPostcode"]},
            "defaultValue": {
                "addressStreet1": None,
                "addressStreet2": None,
                "addressCity": None,
                "addressState": None,
                "addressPostcode": None,
                "addressCountry": "'USA'",
                "addressLat": None,
                "addressLng": None,
            },
        },
        id="address field settings and default value together",
    ),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_update(
    gateway: GatewayUnderTest, created_field_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_update(gateway, created_field_metadata_id, input)
