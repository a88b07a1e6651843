"""Port of `packages/twenty-server/test/integration/graphql/suites/settings-permissions/
api-key-role-assignment-scope.integration-spec.ts` (latest stored revision,
5e02bf99a21945b8a09a9bbb4a85f302373dff87: not stored at 41d242555963991041c474c5267df7d174c6a972).

Adapted: the member holding the API_KEYS_AND_WEBHOOKS-only role is an API key of that role."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.api_key_roles import caller_with_api_keys_flag
from tests.conformance.permission_checks import PERMISSION_DENIED
from tests.conformance.role_factories import assign_role_to_api_key, create_api_key
from tests.conftest import GatewayUnderTest


@pytest.fixture(scope="module")
async def ctx(gateway: GatewayUnderTest) -> dict[str, Any]:
    return await caller_with_api_keys_flag(gateway, "Api Key Escalation Test Role")


async def test_create_api_key_should_deny_minting_an_api_key_bound_to_a_role_that_exceeds_the_caller_permissions(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    data, errors = await create_api_key(gateway, {"name": "above-scope-key", "expiresAt": "2027-01-01T00:00:00.000Z",
                                                  "roleId": ctx["adminRoleId"]}, "id", ctx["token"])
    assert data is None
    assert errors is not None
    assert errors[0]["message"] == PERMISSION_DENIED
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_create_api_key_should_allow_minting_an_api_key_bound_to_a_role_within_the_caller_permissions(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    data, errors = await create_api_key(gateway, {"name": "legit-key", "expiresAt": "2027-01-01T00:00:00.000Z",
                                                  "roleId": ctx["roleId"]}, "id", ctx["token"])
    assert errors is None
    assert data["createApiKey"]["id"]


async def test_assign_role_to_api_key_should_deny_re_assigning_an_api_key_to_a_role_that_exceeds_the_caller_permissions(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    created, _ = await create_api_key(gateway, {"name": "above-scope-reassign-key",
                                                "expiresAt": "2027-01-01T00:00:00.000Z", "roleId": ctx["roleId"]},
                                      "id", ctx["token"])
    data, errors = await assign_role_to_api_key(gateway, created["createApiKey"]["id"], ctx["adminRoleId"],
                                                ctx["token"])
    assert data is None
    assert errors is not None
    assert errors[0]["message"] == PERMISSION_DENIED
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
