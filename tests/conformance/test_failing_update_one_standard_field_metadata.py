"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/
failing-update-one-standard-field-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): what a standard field refuses to change. (The
spec's second `xdescribe`, on isUnique of standard indexes, is disabled in Twenty and not ported.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.metadata_factories import find_many_object_metadata, update_one_field_metadata
from tests.conformance.twenty import expect_one_not_internal_server_error
from tests.conftest import GatewayUnderTest


@pytest.mark.parametrize(
    "context",
    [
        pytest.param({"name": "newName"}, id="when trying to update name on standard field"),
        pytest.param({"isLabelSyncedWithName": False},
                     id="when trying to update isLabelSyncedWithName on standard field"),
        pytest.param({"name": "newName", "isLabelSyncedWithName": True},
                     id="when trying to update several forbidden properties"),
    ],
)
async def test_standard_field_metadata_update_should_be_ignored(gateway: GatewayUnderTest, context: Any) -> None:
    objects = await find_many_object_metadata(gateway, {}, {"first": 100}, """
        id nameSingular fieldsList { id name label description icon isActive isLabelSyncedWithName }""")
    company = next(o for o in objects if o["nameSingular"] == "company")
    name_field = next(f for f in company["fieldsList"] if f["name"] == "name")
    _, errors = await update_one_field_metadata(
        gateway, name_field["id"], context, "id name label description icon isActive isLabelSyncedWithName")
    expect_one_not_internal_server_error({"errors": errors})
