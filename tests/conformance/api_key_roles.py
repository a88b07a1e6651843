"""The setting of Twenty's API-key role specs: a role that only holds API_KEYS_AND_WEBHOOKS
(with every record readable and updatable), held by the caller — in Twenty a member user (Jony),
in the ports an API key."""

from __future__ import annotations

from typing import Any

from tests.conformance.role_factories import (
    api_key_with_role,
    create_one_role,
    find_one_role_by_label,
    upsert_permission_flags,
)
from tests.conftest import GatewayUnderTest


async def caller_with_api_keys_flag(gateway: GatewayUnderTest, label: str) -> dict[str, Any]:
    data, errors = await create_one_role(gateway, {
        "label": label, "description": "Role that only holds API_KEYS_AND_WEBHOOKS", "canUpdateAllSettings": False,
        "canReadAllObjectRecords": True, "canUpdateAllObjectRecords": True, "canSoftDeleteAllObjectRecords": False,
        "canDestroyAllObjectRecords": False,
    }, "id")
    assert errors is None, errors
    role_id = data["createOneRole"]["id"]
    _, errors = await upsert_permission_flags(gateway, role_id, ["API_KEYS_AND_WEBHOOKS"])
    assert errors is None, errors
    return {"roleId": role_id, "adminRoleId": (await find_one_role_by_label(gateway, "Admin"))["id"],
            "token": await api_key_with_role(gateway, role_id, "jony")}
