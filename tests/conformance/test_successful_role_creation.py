"""Port of `packages/twenty-server/test/integration/metadata/suites/role/successful-role-creation.integration-spec.ts`
(revision 41d242555963991041c474c5267df7d174c6a972)."""

from __future__ import annotations

import pytest

from tests.conformance.role_factories import create_one_role, delete_one_role
from tests.conftest import GatewayUnderTest

CASES = [
    (
        "should create a basic custom role with minimal input",
        {"label": "Test Custom Role", "description": "A custom role for integration testing", "icon": "IconSettings",
         "canUpdateAllSettings": False, "canAccessAllTools": True, "canReadAllObjectRecords": True,
         "canUpdateAllObjectRecords": False, "canSoftDeleteAllObjectRecords": False,
         "canDestroyAllObjectRecords": False, "canBeAssignedToUsers": True, "canBeAssignedToAgents": False,
         "canBeAssignedToApiKeys": False},
        {"label": "Test Custom Role", "description": "A custom role for integration testing", "icon": "IconSettings",
         "isEditable": True, "canUpdateAllSettings": False, "canAccessAllTools": True,
         "canReadAllObjectRecords": True, "canUpdateAllObjectRecords": False, "canSoftDeleteAllObjectRecords": False,
         "canDestroyAllObjectRecords": False, "canBeAssignedToUsers": True, "canBeAssignedToAgents": False,
         "canBeAssignedToApiKeys": False},
    ),
    (
        "should create role with read and write permissions",
        {"label": "Role With All Permissions", "description": "Role with read and write permissions",
         "canUpdateAllSettings": True, "canAccessAllTools": True, "canReadAllObjectRecords": True,
         "canUpdateAllObjectRecords": True, "canSoftDeleteAllObjectRecords": True, "canDestroyAllObjectRecords": True},
        {"label": "Role With All Permissions", "canReadAllObjectRecords": True, "canUpdateAllObjectRecords": True,
         "canSoftDeleteAllObjectRecords": True, "canDestroyAllObjectRecords": True},
    ),
    (
        "should create role with read=false and all write permissions=false",
        {"label": "Read-Only False Role", "description": "Role with no read or write permissions",
         "canUpdateAllSettings": False, "canAccessAllTools": False, "canReadAllObjectRecords": False,
         "canUpdateAllObjectRecords": False, "canSoftDeleteAllObjectRecords": False,
         "canDestroyAllObjectRecords": False},
        {"label": "Read-Only False Role", "canReadAllObjectRecords": False, "canUpdateAllObjectRecords": False,
         "canSoftDeleteAllObjectRecords": False, "canDestroyAllObjectRecords": False},
    ),
]


@pytest.mark.parametrize(("title", "input", "expected"), CASES, ids=[c[0] for c in CASES])
async def test_role_creation_should_succeed(
    gateway: GatewayUnderTest, title: str, input: dict[str, object], expected: dict[str, object]
) -> None:
    data, errors = await create_one_role(gateway, input)
    created_role_id = (data or {}).get("createOneRole", {}).get("id")
    try:
        assert errors is None
        assert data is not None
        assert isinstance(created_role_id, str)
        assert {k: data["createOneRole"][k] for k in expected} == expected
    finally:
        await delete_one_role(gateway, created_role_id)
