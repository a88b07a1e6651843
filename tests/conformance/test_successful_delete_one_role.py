"""Port of `packages/twenty-server/test/integration/metadata/suites/role/successful-delete-one-role.integration-spec.ts`
(revision 41d242555963991041c474c5267df7d174c6a972)."""

from __future__ import annotations

import pytest

from tests.conformance.role_factories import create_one_role, delete_one_role, find_one_role_by_label
from tests.conftest import GatewayUnderTest

READ_ONLY = {"canUpdateAllSettings": False, "canAccessAllTools": False, "canReadAllObjectRecords": True,
             "canUpdateAllObjectRecords": False, "canSoftDeleteAllObjectRecords": False,
             "canDestroyAllObjectRecords": False}


async def test_should_successfully_delete_a_custom_editable_role(gateway: GatewayUnderTest) -> None:
    create_data, create_errors = await create_one_role(gateway, {
        "label": "Deletable Custom Role", "description": "A custom role that can be deleted", **READ_ONLY})
    assert create_errors is None
    custom_role_id = create_data["createOneRole"]["id"]
    assert custom_role_id
    data, errors = await delete_one_role(gateway, custom_role_id)
    assert errors is None
    assert data["deleteOneRole"] == custom_role_id


async def test_should_delete_a_custom_role_and_verify_it_can_no_longer_be_found(gateway: GatewayUnderTest) -> None:
    label = "Role To Be Deleted And Verified"
    create_data, _ = await create_one_role(gateway, {"label": label, **READ_ONLY})
    role_id = create_data["createOneRole"]["id"]
    assert (await find_one_role_by_label(gateway, label))["id"] == role_id
    data, errors = await delete_one_role(gateway, role_id)
    assert errors is None
    assert data["deleteOneRole"] == role_id
    with pytest.raises(LookupError, match=f'Role with label "{label}" not found'):
        await find_one_role_by_label(gateway, label)
