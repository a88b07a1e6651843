"""Port of `packages/twenty-server/test/integration/metadata/suites/role/failing-delete-one-role.integration-spec.ts`
(revision 41d242555963991041c474c5267df7d174c6a972): the errors of its Jest snapshot."""

from __future__ import annotations

import uuid

from tests.conformance.role_factories import delete_one_role, find_one_role_by_label
from tests.conftest import GatewayUnderTest


async def test_when_deleting_a_non_editable_system_role_admin(gateway: GatewayUnderTest) -> None:
    admin = await find_one_role_by_label(gateway, "Admin")
    _, errors = await delete_one_role(gateway, admin["id"])
    [error] = errors
    assert error["message"] == "Multiple validation errors occurred while deleting role"
    extensions = error["extensions"]
    assert extensions["code"] == "METADATA_VALIDATION_FAILED"
    assert extensions["summary"] == {"role": 1, "totalErrors": 1}
    [failure] = extensions["errors"]["role"]
    assert failure["flatEntityMinimalInformation"]["label"] == "Admin"
    assert (failure["metadataName"], failure["status"], failure["type"]) == ("role", "fail", "delete")
    assert [(e["code"], e["message"], e["userFriendlyMessage"]) for e in failure["errors"]] == [(
        "ROLE_NOT_EDITABLE", "Role is not editable",
        "This role cannot be modified because it is a system role. Only custom roles can be edited.",
    )]


async def test_when_deleting_the_workspace_default_role_member(gateway: GatewayUnderTest) -> None:
    member = await find_one_role_by_label(gateway, "Member")
    _, errors = await delete_one_role(gateway, member["id"])
    [error] = errors
    assert error["message"] == "Default role cannot be deleted"
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["userFriendlyMessage"] == (
        "The default role cannot be deleted as it is required for the workspace to function properly."
    )


async def test_when_deleting_a_non_existent_role(gateway: GatewayUnderTest) -> None:
    _, errors = await delete_one_role(gateway, str(uuid.uuid4()))
    [error] = errors
    assert error["message"] == "Role not found"
    assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["subCode"] == "ROLE_NOT_FOUND"
