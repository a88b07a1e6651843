"""Port of `packages/twenty-server/test/integration/metadata/suites/role/successful-role-update.integration-spec.ts`
(revision 41d242555963991041c474c5267df7d174c6a972)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.role_factories import create_one_role, delete_one_role, update_one_role
from tests.conftest import GatewayUnderTest

ORIGINAL = {
    "label": "Original Role Label", "description": "Original description", "icon": "IconSettings",
    "canUpdateAllSettings": False, "canAccessAllTools": False, "canReadAllObjectRecords": True,
    "canUpdateAllObjectRecords": False, "canSoftDeleteAllObjectRecords": False, "canDestroyAllObjectRecords": False,
    "canBeAssignedToUsers": True, "canBeAssignedToAgents": False, "canBeAssignedToApiKeys": False,
}


@pytest.fixture
async def test_role_id(gateway: GatewayUnderTest) -> AsyncIterator[str]:
    data, _ = await create_one_role(gateway, ORIGINAL)
    yield data["createOneRole"]["id"]
    await delete_one_role(gateway, data["createOneRole"]["id"])


async def updated(gateway: GatewayUnderTest, role_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    data, errors = await update_one_role(gateway, role_id, payload)
    assert errors is None
    assert data is not None
    result: dict[str, Any] = data["updateOneRole"]
    return result


def matches(actual: dict[str, Any], expected: dict[str, Any]) -> bool:
    return {k: actual[k] for k in expected} == expected


async def test_should_update_role_label(gateway: GatewayUnderTest, test_role_id: str) -> None:
    role = await updated(gateway, test_role_id, {"label": "Updated Role Label"})
    assert matches(role, {"id": test_role_id, "label": "Updated Role Label", "description": "Original description",
                          "icon": "IconSettings"})


async def test_should_update_role_description(gateway: GatewayUnderTest, test_role_id: str) -> None:
    role = await updated(gateway, test_role_id, {"description": "Updated description for the role"})
    assert matches(role, {"id": test_role_id, "label": "Original Role Label",
                          "description": "Updated description for the role"})


async def test_should_update_role_icon(gateway: GatewayUnderTest, test_role_id: str) -> None:
    role = await updated(gateway, test_role_id, {"icon": "IconUser"})
    assert matches(role, {"id": test_role_id, "icon": "IconUser"})


async def test_should_update_role_permissions(gateway: GatewayUnderTest, test_role_id: str) -> None:
    role = await updated(gateway, test_role_id, {"canUpdateAllSettings": True, "canAccessAllTools": True})
    assert matches(role, {"id": test_role_id, "canUpdateAllSettings": True, "canAccessAllTools": True,
                          "canReadAllObjectRecords": True})


async def test_should_update_role_object_record_permissions(gateway: GatewayUnderTest, test_role_id: str) -> None:
    role = await updated(gateway, test_role_id, {"canUpdateAllObjectRecords": True,
                                                 "canSoftDeleteAllObjectRecords": True})
    assert matches(role, {"id": test_role_id, "canReadAllObjectRecords": True, "canUpdateAllObjectRecords": True,
                          "canSoftDeleteAllObjectRecords": True, "canDestroyAllObjectRecords": False})


async def test_should_update_role_assignment_permissions(gateway: GatewayUnderTest, test_role_id: str) -> None:
    role = await updated(gateway, test_role_id, {"canBeAssignedToAgents": True, "canBeAssignedToApiKeys": True})
    assert matches(role, {"id": test_role_id, "canBeAssignedToUsers": True, "canBeAssignedToAgents": True,
                          "canBeAssignedToApiKeys": True})


async def test_should_update_multiple_role_properties_at_once(gateway: GatewayUnderTest, test_role_id: str) -> None:
    role = await updated(gateway, test_role_id, {
        "label": "Comprehensive Update", "description": "Updated multiple fields", "icon": "IconBriefcase",
        "canUpdateAllSettings": True, "canAccessAllTools": True, "canUpdateAllObjectRecords": True,
        "canBeAssignedToAgents": True,
    })
    assert matches(role, {
        "id": test_role_id, "label": "Comprehensive Update", "description": "Updated multiple fields",
        "icon": "IconBriefcase", "canUpdateAllSettings": True, "canAccessAllTools": True,
        "canReadAllObjectRecords": True, "canUpdateAllObjectRecords": True, "canBeAssignedToUsers": True,
        "canBeAssignedToAgents": True,
    })


NONE = {"canReadAllObjectRecords": False, "canUpdateAllObjectRecords": False, "canSoftDeleteAllObjectRecords": False,
        "canDestroyAllObjectRecords": False}


async def test_should_update_role_to_read_false_when_explicitly_setting_all_write_permissions_to_false(
    gateway: GatewayUnderTest, test_role_id: str
) -> None:
    await updated(gateway, test_role_id, {"canUpdateAllObjectRecords": True, "canSoftDeleteAllObjectRecords": True,
                                          "canDestroyAllObjectRecords": True})
    role = await updated(gateway, test_role_id, NONE)
    assert matches(role, {"id": test_role_id, **NONE})


async def test_should_update_role_from_read_true_to_read_false_with_all_write_false(
    gateway: GatewayUnderTest, test_role_id: str
) -> None:
    role = await updated(gateway, test_role_id, NONE)
    assert matches(role, {"id": test_role_id, **NONE})
