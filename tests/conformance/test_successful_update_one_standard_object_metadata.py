"""Port of packages/twenty-server/test/integration/metadata/suites/object-metadata/
successful-update-one-standard-object-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): what a standard object lets change. (The spec's
snapshot of the answer is the same values its `toMatchObject` checks, plus ids.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.metadata_factories import find_many_object_metadata, update_one_object_metadata
from tests.conftest import GatewayUnderTest

GQL_FIELDS = "id nameSingular namePlural labelSingular labelPlural color description icon isActive shortcut"


@pytest.mark.parametrize(
    "context",
    [
        pytest.param({"description": "Updated test description for company"}, id="when updating description"),
        pytest.param({"icon": "IconBuildingSkyscraper"}, id="when updating icon"),
        pytest.param({"isActive": False}, id="when setting isActive to false"),
        pytest.param({"labelSingular": "Business", "labelPlural": "Businesses"},
                     id="when updating labelSingular and labelPlural"),
        pytest.param({"color": "red"}, id="when updating color"),
    ],
)
async def test_standard_object_metadata_update_should_succeed(gateway: GatewayUnderTest, context: Any) -> None:
    objects = await find_many_object_metadata(gateway, {}, {"first": 100}, GQL_FIELDS)
    original = next(o for o in objects if o["nameSingular"] == "company")
    try:
        data, errors = await update_one_object_metadata(gateway, original["id"], context, GQL_FIELDS)
        assert errors is None
        updated = data["updateOneObject"]
        assert updated["id"] == original["id"]
        assert {k: updated[k] for k in context} == context
    finally:
        # afterEach, as the spec's (`expectToFail: false` only warns): Twenty refuses `shortcut` on a
        # standard object, so this restore is refused as a whole, in Twenty as here.
        restore = {k: original[k] for k in ("labelSingular", "labelPlural", "description", "icon", "isActive",
                                            "shortcut")}
        await update_one_object_metadata(gateway, original["id"], restore)
