"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-create-actor-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): creating ACTOR fields (body in composite_creation.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_creation import it_should_create, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testActorObject", "Test Actor Object")

SUCCESSFUL_TEST_CASES = [
    pytest.param({"name": "processedBy", "label": "Processed By", "description": "Person who processed this",
                  "icon": "IconUser"}, id="actor field with basic metadata (name, label, description, icon)"),
    pytest.param({"name": "initiatedBy", "label": "Initiated By",
                  "defaultValue": {"source": "'MANUAL'", "workspaceMemberId": None, "name": "'System'"}},
                 id="actor field with default value containing source and name"),
    pytest.param({"name": "importedBy", "label": "Imported By",
                  "defaultValue": {"source": "'API'", "workspaceMemberId": None, "name": "'API User'"}},
                 id="actor field with API source default"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_create(
    gateway: GatewayUnderTest, created_object_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_create(gateway, created_object_metadata_id, "ACTOR", input)
