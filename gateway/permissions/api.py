"""The role part of the `/metadata` schema, with Twenty's names: roles, what they grant, and
which role an API key holds.

`metadata_sdl` appends `SDL`; `metadata_api` binds `bindables()`. Which callers may use these
fields (the ROLES and API_KEYS_AND_WEBHOOKS flags) is decided in the compile step
(`compile.permissions`), like everything else; what is checked here is the change itself.
Every change bumps the workspace's access version: keys and compiled roles are looked up again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ariadne import MutationType, ObjectType, QueryType
from graphql import GraphQLResolveInfo

from schema_builder.errors import BadUserInput, NotFound
from schema_builder.permissions.errors import PermissionDenied

from ..apikeys import API_KEYS, assign_role, get_api_key
from ..metadata_snapshot import context_of, snapshot, store_of
from .access import role_within
from .grants import (
    object_permission_views,
    upsert_field_permissions,
    upsert_object_permissions,
    upsert_permission_flags,
)
from .predicates import upsert_predicates
from .roles import create_role, delete_role, ensure_standard_roles, list_roles, role_view, update_role
from .sdl import SDL
from .versions import bump_access

__all__ = ["SDL", "bindables", "checked_role_for_key"]

query = QueryType()
mutation = MutationType()
role_type = ObjectType("Role")
api_key_type = ObjectType("ApiKey")
_ROLES = "permissions.roles"  # the request's one read of the workspace's roles


async def _roles(info: GraphQLResolveInfo) -> dict[str, dict[str, Any]]:
    ctx = context_of(info)
    found: dict[str, dict[str, Any]] | None = ctx.loaders.get(_ROLES)
    if found is None:
        await ensure_standard_roles(ctx.db.control, ctx.workspace_id)
        found = ctx.loaders[_ROLES] = {r["_id"]: r for r in await list_roles(ctx.db.control, ctx.workspace_id)}
    return found


async def _changed(info: GraphQLResolveInfo) -> None:
    ctx = context_of(info)
    ctx.loaders.pop(_ROLES, None)
    await bump_access(ctx.db.control, ctx.workspace_id, getattr(ctx, "on_access_change", None))


# ---- reads ------------------------------------------------------------------------------


@query.field("getRoles")
async def resolve_roles(_: Any, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return [role_view(r) for r in (await _roles(info)).values()]


@query.field("getApiKeyRoles")
async def resolve_api_key_roles(_: Any, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return [role_view(r) for r in (await _roles(info)).values() if r.get("canBeAssignedToApiKeys", True)]


@role_type.field("permissionFlags")
def resolve_flags(role: Mapping[str, Any], _: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return [{**f, "roleId": role["id"]} for f in role.get("permissionFlags") or ()]


@role_type.field("objectPermissions")
def resolve_object_permissions(role: Mapping[str, Any], _: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return object_permission_views(role)


@role_type.field("fieldPermissions")
def resolve_field_permissions(role: Mapping[str, Any], _: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return [{**f, "roleId": role["id"]} for f in role.get("fieldPermissions") or ()]


@role_type.field("rowLevelPermissionPredicates")
def resolve_predicates(role: Mapping[str, Any], _: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return list(role.get("predicates") or ())


@role_type.field("rowLevelPermissionPredicateGroups")
def resolve_predicate_groups(role: Mapping[str, Any], _: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return list(role.get("predicateGroups") or ())


@role_type.field("workspaceMembers")
@role_type.field("agents")
def resolve_none(role: Mapping[str, Any], _: GraphQLResolveInfo) -> list[Any]:
    return []  # docgate has neither users nor agents: roles are held by API keys


@role_type.field("apiKeys")
async def resolve_role_keys(role: Mapping[str, Any], info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    ctx = context_of(info)
    query_: dict[str, Any] = {"workspaceId": ctx.workspace_id, "roleId": role["id"]}
    if role.get("standardId") == "admin":  # keys of earlier releases hold no role: Admin's
        query_ = {"workspaceId": ctx.workspace_id, "$or": [{"roleId": role["id"]}, {"roleId": None}]}
    keys = await ctx.db.control[API_KEYS].find(query_).sort("createdAt", 1).to_list(None)
    return [{"id": k["_id"], "name": k["name"], "expiresAt": k.get("expiresAt"), "revokedAt": k.get("revokedAt")}
            for k in keys]


@api_key_type.field("role")
async def resolve_key_role(key: Mapping[str, Any], info: GraphQLResolveInfo) -> dict[str, Any] | None:
    roles = await _roles(info)
    role = roles.get(key.get("roleId") or "")
    if role is None and key.get("roleId") is None:  # a key of an earlier release: Admin
        role = next((r for r in roles.values() if r.get("standardId") == "admin"), None)
    return role_view(role) if role is not None else None


# ---- changes ------------------------------------------------------------------------------


@mutation.field("createOneRole")
async def resolve_create_role(_: Any, info: GraphQLResolveInfo, createRoleInput: Mapping[str, Any]) -> dict[str, Any]:
    ctx = context_of(info)
    doc = await create_role(ctx.db.control, ctx.workspace_id, createRoleInput)
    await _changed(info)
    return role_view(doc)


@mutation.field("updateOneRole")
async def resolve_update_role(_: Any, info: GraphQLResolveInfo, updateRoleInput: Mapping[str, Any]) -> dict[str, Any]:
    ctx = context_of(info)
    doc = await update_role(ctx.db.control, ctx.workspace_id, str(updateRoleInput["id"]), updateRoleInput["update"])
    await _changed(info)
    return role_view(doc)


@mutation.field("deleteOneRole")
async def resolve_delete_role(_: Any, info: GraphQLResolveInfo, roleId: str) -> str:
    ctx = context_of(info)
    deleted = await delete_role(ctx.db.control, ctx.workspace_id, roleId)
    await _changed(info)
    return deleted


@mutation.field("upsertObjectPermissions")
async def resolve_upsert_objects(
    _: Any, info: GraphQLResolveInfo, upsertObjectPermissionsInput: Mapping[str, Any]
) -> list[dict[str, Any]]:
    ctx = context_of(info)
    given = upsertObjectPermissionsInput
    role = await upsert_object_permissions(
        ctx.db.control, ctx.workspace_id, str(given["roleId"]), given["objectPermissions"],
        (await snapshot(info)).objects,
    )
    await _changed(info)
    return object_permission_views(role)


@mutation.field("upsertFieldPermissions")
async def resolve_upsert_fields(
    _: Any, info: GraphQLResolveInfo, upsertFieldPermissionsInput: Mapping[str, Any]
) -> list[dict[str, Any]]:
    ctx = context_of(info)
    given = upsertFieldPermissionsInput
    role = await upsert_field_permissions(
        ctx.db.control, ctx.workspace_id, str(given["roleId"]), given["fieldPermissions"],
        (await snapshot(info)).fields_by_id,
    )
    await _changed(info)
    return [{**f, "roleId": role["_id"]} for f in role.get("fieldPermissions") or ()]


@mutation.field("upsertPermissionFlags")
async def resolve_upsert_flags(
    _: Any, info: GraphQLResolveInfo, upsertPermissionFlagsInput: Mapping[str, Any]
) -> list[dict[str, Any]]:
    ctx = context_of(info)
    given = upsertPermissionFlagsInput
    role = await upsert_permission_flags(
        ctx.db.control, ctx.workspace_id, str(given["roleId"]), [str(k) for k in given["permissionFlagKeys"]]
    )
    await _changed(info)
    return [{**f, "roleId": role["_id"]} for f in role["permissionFlags"]]


@mutation.field("upsertRowLevelPermissionPredicates")
async def resolve_upsert_predicates(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> dict[str, Any]:
    ctx = context_of(info)
    result = await upsert_predicates(ctx.db.control, ctx.workspace_id, input, await store_of(info).load_model())
    await _changed(info)
    return result


async def checked_role_for_key(info: GraphQLResolveInfo, role_id: str | None) -> str:
    """The role a key the caller creates (or re-assigns) gets: one that exists, may be given
    to API keys, and grants nothing the caller lacks (no escalation through keys). Default:
    the caller's own role."""
    ctx = context_of(info)
    caller = getattr(ctx, "permissions", None)
    roles = await _roles(info)
    if role_id is None:
        if caller is not None:
            return str(caller.role_id)
        return str(next(r["_id"] for r in roles.values() if r.get("standardId") == "admin"))
    role = roles.get(str(role_id))
    if role is None:
        raise NotFound("Role not found", subCode="ROLE_NOT_FOUND", userFriendlyMessage="Role not found.")
    if not role.get("canBeAssignedToApiKeys", True):
        raise BadUserInput("Role cannot be assigned to API keys", subCode="ROLE_CANNOT_BE_ASSIGNED_TO_API_KEYS",
                           userFriendlyMessage="This role cannot be assigned to API keys.")
    if caller is not None and not role_within(role, caller, caller.model):
        raise PermissionDenied()
    return str(role["_id"])


@mutation.field("assignRoleToApiKey")
async def resolve_assign_role(_: Any, info: GraphQLResolveInfo, apiKeyId: str, roleId: str) -> bool:
    ctx = context_of(info)
    await get_api_key(ctx.db.control, apiKeyId, ctx.workspace_id)
    role_id = await checked_role_for_key(info, roleId)
    await assign_role(ctx.db.control, apiKeyId, ctx.workspace_id, role_id)
    await _changed(info)
    return True


def bindables() -> list[Any]:
    return [query, mutation, role_type, api_key_type]

