"""Port of `packages/twenty-server/test/integration/graphql/suites/settings-permissions/
roles.integration-spec.ts` (revision 41d242555963991041c474c5267df7d174c6a972).

Adapted: Twenty's admin user (Jane) is the workspace's Admin key, its member user (Jony) a key
of the Member role, and its seed Guest role one the port makes. docgate has no workspace
members: the tests of `updateWorkspaceMemberRole` and of the members of Twenty's seed roles are
expected failures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.metadata_factories import (
    create_one_object_metadata,
    delete_one_object_metadata,
    update_one_object_metadata,
)
from tests.conformance.permission_checks import PERMISSION_DENIED
from tests.conformance.role_factories import create_one_role, delete_one_role, find_roles, member_token
from tests.conformance.twenty import Operation, make_metadata_api_request
from tests.conftest import GatewayUnderTest

NO_MEMBERS = pytest.mark.xfail(strict=True, reason="docgate has no workspace members (users): roles are held by "
                               "API keys, and updateWorkspaceMemberRole is not served")
FIELD_TEXT_MOCK_ID = "20202020-0000-4000-8000-000000000001"  # Twenty's `fieldTextMock.id` stand-in


@pytest.fixture(scope="module")
async def ctx(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, Any]]:
    data, _ = await create_one_role(gateway, {"label": "Guest", "canReadAllObjectRecords": True}, "id")
    roles = {r["label"]: r["id"] for r in await find_roles(gateway)}
    yield {"admin": roles["Admin"], "guest": data["createOneRole"]["id"], "member": roles["Member"],
           "token": await member_token(gateway)}


async def assert_permission_denied_for_member_with_member_role(
    gateway: GatewayUnderTest, ctx: dict[str, Any], query: str
) -> None:
    response = await make_metadata_api_request(gateway, Operation(query, {}), ctx["token"])
    assert response.status == 200
    assert response.body["data"] is None
    assert response.body["errors"][0]["message"] == PERMISSION_DENIED
    assert response.body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


GET_ROLES_WITH_MEMBERS = "query GetRoles { getRoles { label workspaceMembers { id name { firstName lastName } } } }"


@NO_MEMBERS
async def test_get_roles_should_allow_admin_to_query_get_roles(gateway: GatewayUnderTest, ctx: dict[str, Any]) -> None:
    response = await make_metadata_api_request(gateway, Operation(GET_ROLES_WITH_MEMBERS, {}))
    assert response.status == 200 and response.body.get("errors") is None
    roles = {r["label"]: r for r in response.body["data"]["getRoles"]}
    assert len(roles) >= 4 and {"Guest", "Admin", "Member", "Object-restricted"} <= set(roles)
    assert roles["Admin"]["workspaceMembers"] == [
        {"id": "20202020-463f-435b-828c-107e007a2711", "name": {"firstName": "Jane", "lastName": "Austen"}}]


async def test_get_roles_should_throw_a_permission_error_when_user_does_not_have_permission_member_role(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    await assert_permission_denied_for_member_with_member_role(gateway, ctx, GET_ROLES_WITH_MEMBERS)


@NO_MEMBERS
async def test_update_workspace_member_role_should_throw_a_permission_error_when_user_does_not_have_permission(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    await assert_permission_denied_for_member_with_member_role(gateway, ctx, (
        'mutation UpdateWorkspaceMemberRole { updateWorkspaceMemberRole(workspaceMemberId: "test-workspace-member-id",'
        ' roleId: "test-role-id") { id } }'))


@NO_MEMBERS
async def test_update_workspace_member_role_should_throw_a_permission_error_when_tries_to_update_their_own_role(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    response = await make_metadata_api_request(gateway, Operation(
        'mutation UpdateWorkspaceMemberRole { updateWorkspaceMemberRole(workspaceMemberId: '
        '"20202020-463f-435b-828c-107e007a2711", roleId: "test-role-id") { id } }', {}))
    assert response.body["data"] is None
    assert response.body["errors"][0]["message"] == "Cannot update self role"


async def test_create_role_should_throw_a_permission_error_when_user_does_not_have_permission_to_create_roles(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    await assert_permission_denied_for_member_with_member_role(
        gateway, ctx, 'mutation CreateOneRole { createOneRole(createRoleInput: {label: "test-role"}) { id } }')


async def test_create_role_should_create_a_role_when_user_has_permission_to_create_a_role_admin_role(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    response = await make_metadata_api_request(gateway, Operation(
        'mutation CreateOneRole { createOneRole(createRoleInput: {label: "Test role"}) { id } }', {}))
    assert response.status == 200
    assert response.body.get("data") is not None and response.body.get("errors") is None
    await delete_one_role(gateway, response.body["data"]["createOneRole"]["id"])


@pytest.fixture(scope="module")
async def editable_role(gateway: GatewayUnderTest, ctx: dict[str, Any]) -> AsyncIterator[str]:
    response = await make_metadata_api_request(gateway, Operation(
        'mutation CreateOneRole { createOneRole(createRoleInput: {label: "Test role 2"}) { id } }', {}))
    role_id: str = response.body["data"]["createOneRole"]["id"]
    yield role_id
    await delete_one_role(gateway, role_id)


def update_role(role_id: str, label: str) -> str:
    return (f'mutation UpdateOneRole {{ updateOneRole(updateRoleInput: {{id: "{role_id}", '
            f'update: {{label: "{label}"}}}}) {{ id label }} }}')


async def test_update_role_should_throw_a_permission_error_when_user_does_not_have_permission_to_update_roles(
    gateway: GatewayUnderTest, ctx: dict[str, Any], editable_role: str
) -> None:
    await assert_permission_denied_for_member_with_member_role(gateway, ctx, update_role(editable_role,
                                                                                         "new role label (1)"))


async def test_update_role_should_update_a_role_when_user_has_permission_to_update_a_role_admin_role(
    gateway: GatewayUnderTest, ctx: dict[str, Any], editable_role: str
) -> None:
    response = await make_metadata_api_request(gateway, Operation(update_role(editable_role, "new role label (3)"), {}))
    assert response.status == 200 and response.body.get("errors") is None
    assert response.body["data"]["updateOneRole"] == {"id": editable_role, "label": "new role label (3)"}


@pytest.fixture(scope="module")
async def house(gateway: GatewayUnderTest) -> AsyncIterator[str]:
    data, _ = await create_one_object_metadata(gateway, {
        "nameSingular": "house", "namePlural": "houses", "labelSingular": "House", "labelPlural": "Houses",
        "icon": "IconBuildingSkyscraper"})
    object_id: str = data["createOneObject"]["id"]
    yield object_id
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


def upsert_object_permission(object_id: str, role_id: str) -> str:
    return (
        "mutation UpsertObjectPermissions { upsertObjectPermissions(upsertObjectPermissionsInput: "
        f'{{ roleId: "{role_id}", objectPermissions: [{{objectMetadataId: "{object_id}", '
        "canUpdateObjectRecords: true, canReadObjectRecords: true}]}) { objectMetadataId canUpdateObjectRecords } }"
    )


async def test_upsert_object_permission_should_throw_a_permission_error_when_user_does_not_have_permission(
    gateway: GatewayUnderTest, ctx: dict[str, Any], house: str
) -> None:
    await assert_permission_denied_for_member_with_member_role(gateway, ctx, upsert_object_permission(
        house, ctx["guest"]))


def has_role_not_editable(body: Any, kind: str) -> bool:
    failures = ((body["errors"][0]["extensions"].get("errors") or {}).get(kind)) or []
    return any(e.get("code") == "ROLE_NOT_EDITABLE" for f in failures for e in f.get("errors") or ())


async def test_upsert_object_permission_should_throw_an_error_when_role_is_not_editable(
    gateway: GatewayUnderTest, ctx: dict[str, Any], house: str
) -> None:
    response = await make_metadata_api_request(gateway, Operation(upsert_object_permission(house, ctx["admin"]), {}))
    assert response.status == 200 and response.body["data"] is None
    assert response.body["errors"][0]["extensions"]["code"] == "METADATA_VALIDATION_FAILED"
    assert has_role_not_editable(response.body, "objectPermission")


async def test_upsert_object_permission_should_upsert_an_object_permission_when_user_has_permission(
    gateway: GatewayUnderTest, ctx: dict[str, Any], house: str, editable_role: str
) -> None:
    response = await make_metadata_api_request(gateway, Operation(upsert_object_permission(house, editable_role), {}))
    assert response.status == 200 and response.body.get("errors") is None
    assert {"objectMetadataId": house, "canUpdateObjectRecords": True} in response.body["data"][
        "upsertObjectPermissions"]


async def test_upsert_field_permissions_should_throw_a_permission_error_when_user_does_not_have_permission(
    gateway: GatewayUnderTest, ctx: dict[str, Any], house: str
) -> None:
    await assert_permission_denied_for_member_with_member_role(gateway, ctx, (
        "mutation UpsertFieldPermissions { upsertFieldPermissions(upsertFieldPermissionsInput: "
        f'{{roleId: "{ctx["guest"]}", fieldPermissions: [{{objectMetadataId: "{house}", '
        f'fieldMetadataId: "{FIELD_TEXT_MOCK_ID}", canReadFieldValue: false, canUpdateFieldValue: false}}]}}) '
        "{ id roleId objectMetadataId fieldMetadataId canReadFieldValue canUpdateFieldValue } }"))


def upsert_settings(role_id: str) -> str:
    return ("mutation UpsertPermissionFlags { upsertPermissionFlags(upsertPermissionFlagsInput: "
            f'{{roleId: "{role_id}", permissionFlagKeys: ["DATA_MODEL"]}}) {{ id roleId flag }} }}')


async def test_upsert_permission_flags_should_throw_a_permission_error_when_user_does_not_have_permission(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    await assert_permission_denied_for_member_with_member_role(gateway, ctx, upsert_settings(ctx["guest"]))


async def test_upsert_permission_flags_should_throw_an_error_when_role_is_not_editable(
    gateway: GatewayUnderTest, ctx: dict[str, Any]
) -> None:
    response = await make_metadata_api_request(gateway, Operation(upsert_settings(ctx["admin"]), {}))
    assert response.status == 200 and response.body["data"] is None
    assert response.body["errors"][0]["extensions"]["code"] == "METADATA_VALIDATION_FAILED"
    assert has_role_not_editable(response.body, "rolePermissionFlag")


async def test_upsert_permission_flags_should_upsert_a_setting_permission_when_user_has_permission(
    gateway: GatewayUnderTest, ctx: dict[str, Any], editable_role: str
) -> None:
    response = await make_metadata_api_request(gateway, Operation(upsert_settings(editable_role), {}))
    assert response.status == 200 and response.body.get("errors") is None
    flags = response.body["data"]["upsertPermissionFlags"]
    assert any(f["roleId"] == editable_role and f["flag"] == "DATA_MODEL" for f in flags)
