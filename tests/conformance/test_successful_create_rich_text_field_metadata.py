"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-create-rich-text-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): creating RICH_TEXT fields (body in composite_creation.py).
At that revision RICH_TEXT is the composite type (blocknote, markdown) the older RICH_TEXT_V2 was;
its `successful-create-rich-text-v2` spec is not at the revision."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_creation import it_should_create, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testRichTextObject", "Test Rich Text V2 Object")

SUCCESSFUL_TEST_CASES = [
    pytest.param({"name": "description", "label": "Description", "description": "Rich text description field",
                  "icon": "IconNotes"}, id="rich text v2 field with basic metadata (name, label, description, icon)"),
    pytest.param({"name": "notes", "label": "Notes",
                  "defaultValue": {"blocknote": None, "markdown": "'# Default Title'"}},
                 id="rich text v2 field with default value containing markdown"),
    pytest.param({"name": "content", "label": "Content",
                  "defaultValue": {"blocknote": "'{\"blocks\":[{\"type\":\"paragraph\"}]}'", "markdown": None}},
                 id="rich text v2 field with default value containing blocknote"),
    pytest.param({"name": "body", "label": "Body", "defaultValue": None},
                 id="rich text v2 field with empty default value"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_create(
    gateway: GatewayUnderTest, created_object_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_create(gateway, created_object_metadata_id, "RICH_TEXT", input)
