"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-update-currency-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): updating CURRENCY fields (body in composite_update.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_update import field_fixture, it_should_update, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testCurrencyUpdateObject", "Test Currency Update Object")
created_field_metadata_id = field_fixture("CURRENCY", "testCurrency", "Test Currency", "IconCurrencyDollar")

SUCCESSFUL_TEST_CASES = [
    pytest.param(
        {"label": "Updated Currency", "description": "Updated description", "icon": "IconCoin"},
        id="currency field basic metadata (label, description, icon)",
    ),
    pytest.param(
        {"defaultValue": {"amountMicros": "'1000000'", "currencyCode": "'USD'"}},
        id="currency field default value with amount and currency",
    ),
    pytest.param(
        {"defaultValue": {"amountMicros": "'0'", "currencyCode": "'EUR'"}},
        id="currency field default value with zero amount",
    ),
    pytest.param(
        {"defaultValue": {"amountMicros": None, "currencyCode": "'GBP'"}},
        id="currency field default value with only currency code",
    ),
    pytest.param({"defaultValue": None}, id="currency field default value with empty values"),
    pytest.param({"defaultValue": None}, id="currency field default value set to null"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_update(
    gateway: GatewayUnderTest, created_field_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_update(gateway, created_field_metadata_id, input)
