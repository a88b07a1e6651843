"""Port of `packages/twenty-server/test/integration/graphql/suites/settings-permissions/
api-key-role-privilege-escalation.integration-spec.ts` (latest stored revision,
0af5830b8422464544a3d4cf4a8006d2e4eafdce: not stored at 41d242555963991041c474c5267df7d174c6a972).

Adapted: the member holding the API_KEYS_AND_WEBHOOKS-only role is an API key of that role."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.api_key_roles import caller_with_api_keys_flag
from tests.conformance.permission_checks import PERMISSION_DENIED
from tests.conformance.twenty import Operation, make_metadata_api_request
from tests.conftest import GatewayUnderTest


@pytest.fixture(scope="module")
async def ctx(gateway: GatewayUnderTest) -> dict[str, Any]:
    return await caller_with_api_keys_flag(gateway, "Api Key Escalation Test Role")


def create_key(name: str, role_id: str) -> Operation:
    return Operation(
        f'mutation CreateApiKey {{ createApiKey(input: {{ name: "{name}" expiresAt: "2027-01-01T00:00:00.000Z" '
        f'roleId: "{role_id}" }}) {{ id }} }}', {})


async def test_create_api_key_should_deny_minting_an_api_key_bound_to_a_role_that_exceeds_the_caller_permissions(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    response = await make_metadata_api_request(gateway, create_key("escalation-key", ctx["adminRoleId"]), ctx["token"])
    assert response.status == 200
    assert response.body["data"] is None
    assert response.body["errors"][0]["message"] == PERMISSION_DENIED
    assert response.body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_create_api_key_should_allow_minting_an_api_key_bound_to_a_role_within_the_caller_permissions(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    response = await make_metadata_api_request(gateway, create_key("legit-key", ctx["roleId"]), ctx["token"])
    assert response.status == 200
    assert response.body.get("errors") is None
    assert response.body["data"]["createApiKey"]["id"]


async def test_assign_role_to_api_key_should_deny_re_assigning_an_api_key_to_a_role_that_exceeds_the_caller_permissions(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    created = await make_metadata_api_request(gateway, create_key("assign-escalation-key", ctx["roleId"]), ctx["token"])
    api_key_id = created.body["data"]["createApiKey"]["id"]
    response = await make_metadata_api_request(gateway, Operation(
        f'mutation AssignRoleToApiKey {{ assignRoleToApiKey(apiKeyId: "{api_key_id}" '
        f'roleId: "{ctx["adminRoleId"]}") }}', {}), ctx["token"])
    assert response.status == 200
    assert response.body["data"] is None
    assert response.body["errors"][0]["message"] == PERMISSION_DENIED
    assert response.body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
