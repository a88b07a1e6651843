"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-create-links-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): creating LINKS fields (body in composite_creation.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_creation import it_should_create, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testLinksObject", "Test Links Object")

SUCCESSFUL_TEST_CASES = [
    pytest.param({"name": "socialLinks", "label": "Social Links", "description": "Social media links",
                  "icon": "IconLink"}, id="links field with basic metadata (name, label, description, icon)"),
    pytest.param({"name": "limitedLinks", "label": "Limited Links", "settings": {"maxNumberOfValues": 5}},
                 id="links field with maxNumberOfValues setting"),
    pytest.param({"name": "websiteLinks", "label": "Website Links", "defaultValue": {
        "primaryLinkLabel": "'Website'", "primaryLinkUrl": "'https://example.com'", "secondaryLinks": None}},
        id="links field with default value containing primary link"),
    pytest.param({"name": "emptyLinks", "label": "Empty Links", "defaultValue": None},
                 id="links field with empty default value"),
    pytest.param({"name": "configuredLinks", "label": "Configured Links", "settings": {"maxNumberOfValues": 3},
                  "defaultValue": {"primaryLinkLabel": "'Homepage'", "primaryLinkUrl": "'https://company.com'",
                                   "secondaryLinks": None}},
                 id="links field with settings and default value"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_create(
    gateway: GatewayUnderTest, created_object_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_create(gateway, created_object_metadata_id, "LINKS", input)
