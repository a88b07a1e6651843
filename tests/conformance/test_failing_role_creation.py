"""Port of `packages/twenty-server/test/integration/metadata/suites/role/failing-role-creation.integration-spec.ts`
(revision 41d242555963991041c474c5267df7d174c6a972).

Twenty compares each error with a Jest snapshot; the port checks the snapshot's code, message
and the validation report's entries (`extensions.errors.role[0]`)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.role_factories import create_one_role, delete_one_role
from tests.conformance.twenty import expect_one_not_internal_server_error
from tests.conftest import GatewayUnderTest

EXISTING = "Existing Test Role"
WRITE_WITHOUT_READ = ("CANNOT_GIVE_WRITING_PERMISSION_WITHOUT_READING_PERMISSION",
                      "Cannot give writing permission without reading permission")
FLAGS = ("canUpdateAllSettings", "canAccessAllTools", "canReadAllObjectRecords", "canUpdateAllObjectRecords",
         "canSoftDeleteAllObjectRecords", "canDestroyAllObjectRecords")


def flags(*true: str) -> dict[str, bool]:
    return {f: f in true for f in FLAGS}


MISSING_LABEL = pytest.param(
    "when label is missing", flags("canReadAllObjectRecords"), None,
    marks=pytest.mark.xfail(strict=True, reason="graphql-core words a missing required input field of a variable "
                            "differently from graphql-js ('Expected value of type … to include required field')"),
    id="when label is missing",
)
CASES: list[Any] = [
    MISSING_LABEL,
    ("when label already exists", {"label": EXISTING, **flags("canReadAllObjectRecords")},
     ("ROLE_LABEL_ALREADY_EXISTS", "A role with this label already exists")),
    ("when canReadAllObjectRecords is false but canUpdateAllObjectRecords is true",
     {"label": "Inconsistent Update Role", **flags("canUpdateAllObjectRecords")}, WRITE_WITHOUT_READ),
    ("when canReadAllObjectRecords is false but canSoftDeleteAllObjectRecords is true",
     {"label": "Inconsistent Soft Delete Role", **flags("canSoftDeleteAllObjectRecords")}, WRITE_WITHOUT_READ),
    ("when canReadAllObjectRecords is false but canDestroyAllObjectRecords is true",
     {"label": "Inconsistent Destroy Role", **flags("canDestroyAllObjectRecords")}, WRITE_WITHOUT_READ),
    ("when canReadAllObjectRecords is false but multiple write permissions are true",
     {"label": "Inconsistent Multiple Write Role", **flags("canUpdateAllObjectRecords", "canSoftDeleteAllObjectRecords",
                                                           "canDestroyAllObjectRecords")}, WRITE_WITHOUT_READ),
]


@pytest.fixture(scope="module")
async def existing_role(gateway: GatewayUnderTest) -> Any:
    data, _ = await create_one_role(gateway, {"label": EXISTING, **flags("canReadAllObjectRecords")})
    yield data["createOneRole"]["id"]
    await delete_one_role(gateway, data["createOneRole"]["id"])


@pytest.mark.parametrize(("title", "input", "problem"), CASES, ids=[c[0] if isinstance(c, tuple) else c.id
                                                                    for c in CASES])
async def test_role_creation_should_fail(
    gateway: GatewayUnderTest, existing_role: str, title: str, input: dict[str, Any], problem: tuple[str, str] | None
) -> None:
    data, errors = await create_one_role(gateway, input)
    error = expect_one_not_internal_server_error({"errors": errors})
    if problem is None:  # the snapshot: GraphQL's own refusal of the missing required field
        assert error["extensions"]["code"] in ("BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED")
        assert 'Field "label" of required type "String!" was not provided.' in error["message"]
        return
    assert error["message"] == "Multiple validation errors occurred while creating role"
    extensions = error["extensions"]
    assert extensions["code"] == "METADATA_VALIDATION_FAILED"
    assert extensions["message"] == "Validation failed for 1 role"
    assert extensions["summary"] == {"role": 1, "totalErrors": 1}
    [failure] = extensions["errors"]["role"]
    assert failure["metadataName"] == "role" and failure["status"] == "fail" and failure["type"] == "create"
    assert failure["flatEntityMinimalInformation"]["label"] == input["label"]
    assert isinstance(failure["flatEntityMinimalInformation"]["universalIdentifier"], str)
    [found] = failure["errors"]
    assert (found["code"], found["message"]) == problem
