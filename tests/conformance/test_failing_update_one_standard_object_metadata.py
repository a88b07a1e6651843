"""Port of packages/twenty-server/test/integration/metadata/suites/object-metadata/
failing-update-one-standard-object-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): what a standard object refuses to change.

`expectOneNotInternalServerErrorSnapshot`: one error, not a fault of the server (the snapshot
itself is Twenty's wording of the same refusal)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.metadata_factories import find_many_object_metadata, update_one_object_metadata
from tests.conformance.twenty import expect_one_not_internal_server_error
from tests.conftest import GatewayUnderTest


@pytest.mark.parametrize(
    "context",
    [
        pytest.param(lambda r: {"nameSingular": "newCompany"},
                     id="when trying to update nameSingular on standard object"),
        pytest.param(lambda r: {"namePlural": "newCompanies"},
                     id="when trying to update namePlural on standard object"),
        pytest.param(lambda r: {"labelIdentifierFieldMetadataId": r["textFieldMetadataId"]},
                     id="when trying to update labelIdentifierFieldMetadataId on standard object"),
        pytest.param(lambda r: {"namePlural": "newCompanies", "isActive": False, "isLabelSyncedWithName": False,
                                "shortcut": "whatever"}, id="when trying to update several forbidden properties"),
    ],
)
async def test_standard_object_metadata_update_should_fail(gateway: GatewayUnderTest, context: Any) -> None:
    objects = await find_many_object_metadata(gateway, {}, {"first": 100}, """
        id nameSingular namePlural labelSingular labelPlural isLabelSyncedWithName fieldsList { id name type }""")
    company = next(o for o in objects if o["nameSingular"] == "company")
    name_field = next(f for f in company["fieldsList"] if f["name"] == "name")
    runtime = {"objectMetadataId": company["id"], "textFieldMetadataId": name_field["id"]}
    _, errors = await update_one_object_metadata(gateway, company["id"], context(runtime))
    expect_one_not_internal_server_error({"errors": errors})
