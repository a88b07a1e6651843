"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-create-emails-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): creating EMAILS fields (body in composite_creation.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_creation import it_should_create, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testEmailsObject", "Test Emails Object")

SUCCESSFUL_TEST_CASES = [
    pytest.param({"name": "contactEmails", "label": "Contact Emails", "description": "Contact email addresses",
                  "icon": "IconMail"}, id="emails field with basic metadata (name, label, description, icon)"),
    pytest.param({"name": "limitedEmails", "label": "Limited Emails", "settings": {"maxNumberOfValues": 3}},
                 id="emails field with maxNumberOfValues setting"),
    pytest.param({"name": "defaultEmails", "label": "Default Emails",
                  "defaultValue": {"primaryEmail": "'contact@example.com'", "additionalEmails": None}},
                 id="emails field with default value containing primary email"),
    pytest.param({"name": "emptyEmails", "label": "Empty Emails", "defaultValue": None},
                 id="emails field with empty default value"),
    pytest.param({"name": "configuredEmails", "label": "Configured Emails", "settings": {"maxNumberOfValues": 5},
                  "defaultValue": {"primaryEmail": "'support@company.com'", "additionalEmails": None}},
                 id="emails field with settings and default value"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_create(
    gateway: GatewayUnderTest, created_object_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_create(gateway, created_object_metadata_id, "EMAILS", input)
