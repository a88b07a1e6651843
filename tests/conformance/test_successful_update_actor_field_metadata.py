"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/composite/
successful-update-actor-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): updating ACTOR fields (body in composite_update.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.composite_update import field_fixture, it_should_update, object_fixture
from tests.conftest import GatewayUnderTest

created_object_metadata_id = object_fixture("testActorUpdateObject", "Test Actor Update Object")
created_field_metadata_id = field_fixture("ACTOR", "testActor", "Test Actor", "IconUser")

SUCCESSFUL_TEST_CASES = [
    pytest.param(
        {"label": "Updated Actor", "description": "Updated description", "icon": "IconUsers"},
        id="actor field basic metadata (label, description, icon)",
    ),
    pytest.param(
        {"defaultValue": {"source": "'MANUAL'", "workspaceMemberId": None, "name": "'System'"}},
        id="actor field default value with MANUAL source",
    ),
    pytest.param(
        {"defaultValue": {"source": "'API'", "workspaceMemberId": None, "name": "'API User'"}},
        id="actor field default value with API source",
    ),
    pytest.param({"defaultValue": None}, id="actor field default value set to null"),
]


@pytest.mark.parametrize("input", SUCCESSFUL_TEST_CASES)
async def test_it_should_update(
    gateway: GatewayUnderTest, created_field_metadata_id: str, input: dict[str, Any]
) -> None:
    await it_should_update(gateway, created_field_metadata_id, input)
