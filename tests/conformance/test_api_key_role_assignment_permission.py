"""Port of `packages/twenty-server/test/integration/graphql/suites/settings-permissions/
api-key-role-assignment-permission.integration-spec.ts` (latest stored revision,
188cf4c3fe9ec42f10b70592911e22a05610f739: not stored at 41d242555963991041c474c5267df7d174c6a972).

Adapted: the member (Jony) holding the "Api Keys Only Role" is an API key of that role. The
tests of rotating an application registration's client secret are expected failures: docgate
has no applications (out of scope)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.api_key_roles import caller_with_api_keys_flag
from tests.conformance.role_factories import assign_role_to_api_key, create_api_key
from tests.conftest import GatewayUnderTest

NO_APPLICATIONS = pytest.mark.xfail(strict=True, reason="docgate has no application registrations (out of scope)")


@pytest.fixture(scope="module")
async def ctx(gateway: GatewayUnderTest) -> dict[str, Any]:
    caller = await caller_with_api_keys_flag(gateway, "Api Keys Only Role")
    data, _ = await create_api_key(gateway, {"name": "Seed key", "expiresAt": "2099-01-01T00:00:00Z",
                                             "roleId": caller["adminRoleId"]})
    return {**caller, "apiKeyId": data["createApiKey"]["id"]}


async def test_denies_creating_an_api_key_with_the_admin_role_when_the_caller_lacks_roles_permission(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    data, errors = await create_api_key(gateway, {"name": "Escalation attempt", "expiresAt": "2099-01-01T00:00:00Z",
                                                  "roleId": ctx["adminRoleId"]}, "id", ctx["token"])
    assert (data or {}).get("createApiKey") is None
    assert errors is not None and errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_denies_assigning_a_role_to_an_api_key_when_the_caller_lacks_roles_permission(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    _, errors = await assign_role_to_api_key(gateway, ctx["apiKeyId"], ctx["adminRoleId"], ctx["token"])
    assert errors is not None and errors[0]["extensions"]["code"] == "FORBIDDEN"


ROTATE = ("mutation RotateSecret($id: String!) { rotateApplicationRegistrationClientSecret(id: $id) "
          "{ clientSecret } }")


@NO_APPLICATIONS
async def test_denies_rotating_an_application_registration_client_secret_when_the_caller_lacks_roles_permission(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    body = await gateway.metadata(ROTATE, {"id": "none"})
    assert body.get("errors") and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "rotateApplicationRegistrationClientSecret" in body.get("data", {})


@NO_APPLICATIONS
async def test_allows_rotating_an_application_registration_client_secret_with_roles_permission(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    body = await gateway.metadata(ROTATE, {"id": "none"})
    assert body.get("errors") is None
    assert isinstance(body["data"]["rotateApplicationRegistrationClientSecret"]["clientSecret"], str)
