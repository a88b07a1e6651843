"""Port of `packages/twenty-server/test/integration/metadata/suites/role/failing-role-update.integration-spec.ts`
(revision 41d242555963991041c474c5267df7d174c6a972).

Twenty compares each error with a Jest snapshot; the port checks the snapshot's code, message
and the validation report's entries."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.role_factories import (
    create_one_role,
    delete_one_role,
    find_one_role_by_label,
    update_one_role,
)
from tests.conformance.twenty import expect_one_not_internal_server_error
from tests.conftest import GatewayUnderTest

DUPLICATE_LABEL = "Existing Role For Duplicate Test"
READ_ONLY = {"canUpdateAllSettings": False, "canAccessAllTools": False, "canReadAllObjectRecords": True,
             "canUpdateAllObjectRecords": False, "canSoftDeleteAllObjectRecords": False,
             "canDestroyAllObjectRecords": False}
WRITE_WITHOUT_READ = ("CANNOT_GIVE_WRITING_PERMISSION_WITHOUT_READING_PERMISSION",
                      "Cannot give writing permission without reading permission")


@pytest.fixture(scope="module")
async def setup(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, str]]:
    admin = await find_one_role_by_label(gateway, "Admin")
    data, _ = await create_one_role(gateway, {"label": DUPLICATE_LABEL, **READ_ONLY})
    yield {"nonEditableRoleId": admin["id"], "existingRoleLabelForDuplicate": DUPLICATE_LABEL}
    await delete_one_role(gateway, data["createOneRole"]["id"])


@pytest.fixture
async def test_role_id(gateway: GatewayUnderTest) -> AsyncIterator[str]:
    data, _ = await create_one_role(gateway, {
        "label": "Test Role To Update", "description": "Original description", "icon": "IconSettings", **READ_ONLY,
        "canBeAssignedToUsers": True, "canBeAssignedToAgents": False, "canBeAssignedToApiKeys": False,
    })
    yield data["createOneRole"]["id"]
    await delete_one_role(gateway, data["createOneRole"]["id"])


def expect_validation_failure(errors: Any, problem: tuple[str, str]) -> None:
    error = expect_one_not_internal_server_error({"errors": errors})
    assert error["message"] == "Multiple validation errors occurred while updating role"
    extensions = error["extensions"]
    assert extensions["code"] == "METADATA_VALIDATION_FAILED"
    assert extensions["message"] == "Validation failed for 1 role"
    assert extensions["summary"] == {"role": 1, "totalErrors": 1}
    [failure] = extensions["errors"]["role"]
    assert (failure["metadataName"], failure["status"], failure["type"]) == ("role", "fail", "update")
    assert isinstance(failure["flatEntityMinimalInformation"]["universalIdentifier"], str)
    [found] = failure["errors"]
    assert (found["code"], found["message"]) == problem


async def test_should_fail_when_updating_only_can_read_to_false_while_role_has_existing_write_permissions(
    gateway: GatewayUnderTest, setup: dict[str, str], test_role_id: str
) -> None:
    data, _ = await create_one_role(gateway, {
        "label": "Role With Write Permissions", "description": "Role with write permissions for update tests",
        "canUpdateAllSettings": False, "canAccessAllTools": False, "canReadAllObjectRecords": True,
        "canUpdateAllObjectRecords": True, "canSoftDeleteAllObjectRecords": True, "canDestroyAllObjectRecords": True,
    })
    role_id = data["createOneRole"]["id"]
    try:
        _, errors = await update_one_role(gateway, role_id, {"canReadAllObjectRecords": False})
        expect_validation_failure(errors, WRITE_WITHOUT_READ)
    finally:
        await delete_one_role(gateway, role_id)


CASES: list[tuple[str, str, dict[str, Any], tuple[str, str]]] = [
    ("when updating label to one that already exists", "test", {"label": DUPLICATE_LABEL},
     ("ROLE_LABEL_ALREADY_EXISTS", "A role with this label already exists")),
    ("when updating a non-editable system role", "admin", {"label": "new role label"},
     ("ROLE_NOT_EDITABLE", "Role is not editable")),
    ("when updating canReadAllObjectRecords to false while canUpdateAllObjectRecords is true", "test",
     {"canReadAllObjectRecords": False, "canUpdateAllObjectRecords": True}, WRITE_WITHOUT_READ),
    ("when updating canReadAllObjectRecords to false while canSoftDeleteAllObjectRecords is true", "test",
     {"canReadAllObjectRecords": False, "canSoftDeleteAllObjectRecords": True}, WRITE_WITHOUT_READ),
    ("when updating canReadAllObjectRecords to false while canDestroyAllObjectRecords is true", "test",
     {"canReadAllObjectRecords": False, "canDestroyAllObjectRecords": True}, WRITE_WITHOUT_READ),
    ("when updating to enable write permissions without read permission", "test",
     {"canReadAllObjectRecords": False, "canUpdateAllObjectRecords": True, "canSoftDeleteAllObjectRecords": True},
     WRITE_WITHOUT_READ),
]


@pytest.mark.parametrize(("title", "target", "payload", "problem"), CASES, ids=[c[0] for c in CASES])
async def test_role_update_should_fail(
    gateway: GatewayUnderTest, setup: dict[str, str], test_role_id: str, title: str, target: str,
    payload: dict[str, Any], problem: tuple[str, str],
) -> None:
    role_id = setup["nonEditableRoleId"] if target == "admin" else test_role_id
    _, errors = await update_one_role(gateway, role_id, payload)
    expect_validation_failure(errors, problem)


async def test_should_fail_when_updating_a_non_existent_role(gateway: GatewayUnderTest, setup: dict[str, str]) -> None:
    _, errors = await update_one_role(gateway, str(uuid.uuid4()), {"label": "Updated Label"})
    error = expect_one_not_internal_server_error({"errors": errors})
    assert error["message"] == "Role not found"
    assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["subCode"] == "ROLE_NOT_FOUND"
    assert error["extensions"]["userFriendlyMessage"] == (
        "The role you are looking for could not be found. It may have been deleted or you may not have access to it."
    )
