"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-update-emails-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): updating EMAILS fields (body in composite_update.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_update import field_fixture, it_should_update, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testEmailsUpdateObject", "Test Emails Update Object")
created_field_metadata_id = field_fixture("EMAILS", "testEmails", "Test Emails", "IconMail")

SUCCESSFUL_TEST_CASES = [
    pytest.param(
        {"label": "Updated Emails", "description": "Updated description", "icon": "IconMailOpened"},
        id="emails field basic metadata (label, description, icon)",
    ),
    pytest.param({"settings": {"maxNumberOfValues": 3}}, id="emails field settings with maxNumberOfValues"),
    pytest.param(
        {"defaultValue": {"primaryEmail": "'contact@example.com'", "additionalEmails": None}},
        id="emails field default value with primary email",
    ),
    pytest.param({"defaultValue": None}, id="emails field default value with empty values"),
    pytest.param({"defaultValue": None}, id="emails field default value set to null"),
    pytest.param(
        {
            "settings": {"maxNumberOfValues": 5},
            "defaultValue": {"primaryEmail": "'support@company.com'", "additionalEmails": None},
        },
        id="emails field settings and default value together",
    ),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_update(
    gateway: GatewayUnderTest, created_field_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_update(gateway, created_field_metadata_id, input)
