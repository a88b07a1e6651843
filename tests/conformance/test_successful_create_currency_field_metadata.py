"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-create-currency-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): creating CURRENCY fields (body in composite_creation.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_creation import it_should_create, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testCurrencyObject", "Test Currency Object")

SUCCESSFUL_TEST_CASES = [
    pytest.param({"name": "amount", "label": "Amount", "description": "Transaction amount",
                  "icon": "IconCurrencyDollar"},
                 id="currency field with basic metadata (name, label, description, icon)"),
    pytest.param({"name": "price", "label": "Price",
                  "defaultValue": {"amountMicros": "'1000000'", "currencyCode": "'USD'"}},
                 id="currency field with default value containing amount and currency"),
    pytest.param({"name": "discount", "label": "Discount",
                  "defaultValue": {"amountMicros": "'0'", "currencyCode": "'EUR'"}},
                 id="currency field with zero default amount"),
    pytest.param({"name": "budget", "label": "Budget",
                  "defaultValue": {"amountMicros": None, "currencyCode": "'GBP'"}},
                 id="currency field with only currency code default"),
    pytest.param({"name": "cost", "label": "Cost", "defaultValue": None}, id="currency field with empty default value"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_create(
    gateway: GatewayUnderTest, created_object_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_create(gateway, created_object_metadata_id, "CURRENCY", input)
