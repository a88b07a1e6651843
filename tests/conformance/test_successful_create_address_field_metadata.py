"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-create-address-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): creating ADDRESS fields (body in composite_creation.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_creation import it_should_create, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testAddressObject", "Test Address Object")

SUCCESSFUL_TEST_CASES = [
    pytest.param({"name": "location", "label": "Location", "description": "Physical location", "icon": "IconMapPin"},
                 id="address field with basic metadata (name, label, description, icon)"),
    pytest.param({"name": "simpleAddress", "label": "Simple Address",
                  "settings": {"subFields": ["addressStreet1", "addressCity"]}},
                 id="address field with subFields setting (street and city only)"),
    pytest.param({"name": "fullAddress", "label": "Full Address", "settings": {"subFields": [
        "addressStreet1", "addressStreet2", "addressCity", "addressState", "addressPostcode", "addressCountry",
        "addressLat", "addressLng"]}}, id="address field with all subFields"),
    pytest.param({"name": "officeAddress", "label": "Office Address", "defaultValue": {
        "addressStreet1": "'123 Main St'", "addressStreet2": "'Suite 100'", "addressCity": "'San Francisco'",
        "addressState": "'CA'", "addressPostcode": "'94102'", "addressCountry": "'USA'", "addressLat": None,
        "addressLng": None}}, id="address field with default value containing full address"),
    pytest.param({"name": "shippingAddress", "label": "Shipping Address", "defaultValue": {
        "addressStreet1": "'456 Oak Ave'", "addressStreet2": None, "addressCity": "'New York'", "addressState": None,
        "addressPostcode": None, "addressCountry": None, "addressLat": None, "addressLng": None}},
        id="address field with partial default value"),
    pytest.param({"name": "billingAddress", "label": "Billing Address", "defaultValue": None},
                 id="address field with empty default value"),
    pytest.param({"name": "warehouseAddress", "label": "Warehouse Address",
                  "settings": {"subFields": ["addressStreet1", "addressCity", "addressCountry"]},
                  "defaultValue": {"addressStreet1": None, "addressStreet2": None, "addressCity": None,
                                   "addressState": None, "addressPostcode": None, "addressCountry": "'USA'",
                                   "addressLat": None, "addressLng": None}},
                 id="address field with settings and default value"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_create(
    gateway: GatewayUnderTest, created_object_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_create(gateway, created_object_metadata_id, "ADDRESS", input)
