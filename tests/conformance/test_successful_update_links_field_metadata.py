"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-update-links-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): updating LINKS fields (body in composite_update.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_update import field_fixture, it_should_update, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testLinksUpdateObject", "Test Links Update Object")
created_field_metadata_id = field_fixture("LINKS", "testLinks", "Test Links", "IconLink")

SUCCESSFUL_TEST_CASES = [
    pytest.param(
        {"label": "Updated Links", "description": "Updated description", "icon": "IconExternalLink"},
        id="links field basic metadata (label, description, icon)",
    ),
    pytest.param({"settings": {"maxNumberOfValues": 5}}, id="links field settings with maxNumberOfValues"),
    pytest.param(
        {
            "defaultValue": {
                "primaryLinkLabel": "'Website'",
                "primaryLinkUrl": "'https://example.com'",
                "secondaryLinks": None,
            }
        },
        id="links field default value with primary link",
    ),
    pytest.param({"defaultValue": None}, id="links field default value with empty values"),
    pytest.param({"defaultValue": None}, id="links field default value set to null"),
    pytest.param(
        {
            "settings": {"maxNumberOfValues": 3},
            "defaultValue": {
                "primaryLinkLabel": "'Homepage'",
                "primaryLinkUrl": "'https://company.com'",
                "secondaryLinks": None,
            },
        },
        id="links field settings and default value together",
    ),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_update(
    gateway: GatewayUnderTest, created_field_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_update(gateway, created_field_metadata_id, input)
