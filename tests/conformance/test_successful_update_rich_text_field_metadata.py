"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-update-rich-text-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): updating RICH_TEXT fields (body in composite_update.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_update import field_fixture, it_should_update, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testRichTextUpdateObject", "Test Rich Text V2 Update Object")
created_field_metadata_id = field_fixture("RICH_TEXT", "testRichText", "Test Rich Text", "IconNotes")

SUCCESSFUL_TEST_CASES = [
    pytest.param(
        {"label": "Updated Rich Text", "description": "Updated description", "icon": "IconFileText"},
        id="rich text v2 field basic metadata (label, description, icon)",
    ),
    pytest.param(
        {"defaultValue": {"blocknote": None, "markdown": "'# Default Title'"}},
        id="rich text v2 field default value with markdown",
    ),
    pytest.param(
        {"defaultValue": {"blocknote": '\'{"blocks":[{"type":"paragraph"}]}\'', "markdown": None}},
        id="rich text v2 field default value with blocknote",
    ),
    pytest.param(
        {"defaultValue": {"blocknote": "'{\"blocks\":[]}'", "markdown": "'## Heading'"}},
        id="rich text v2 field default value with both formats",
    ),
    pytest.param({"defaultValue": None}, id="rich text v2 field default value set to null"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_update(
    gateway: GatewayUnderTest, created_field_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_update(gateway, created_field_metadata_id, input)
