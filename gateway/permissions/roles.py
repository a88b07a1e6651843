"""Roles: stored one document each in the control database, permissions embedded.

A role document holds Twenty's role (`label`, `description`, `icon`, `isEditable`, the
role-wide `can…` flags, `canBeAssignedTo…`) and everything granted or restricted under it:
`objectPermissions`, `fieldPermissions`, `permissionFlags`, and the row-level `predicates` and
`predicateGroups` — so a role is read in one query and changed atomically in one update.

Every workspace has the standard roles Admin (every right, not editable: it cannot lose them)
and Member (every record, no settings; the workspace's default role, which cannot be deleted).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from schema_builder.errors import BadUserInput
from schema_builder.permissions.compile import ADMIN

from .validation import DefaultRoleCannotBeDeleted, RoleValidationFailed, problem, role_not_found

ROLES = "roles"
MEMBER = "member"
OBJECT_FLAGS = ("canReadAllObjectRecords", "canUpdateAllObjectRecords", "canSoftDeleteAllObjectRecords",
                "canDestroyAllObjectRecords")
ROLE_FLAGS = ("canUpdateAllSettings", "canAccessAllTools", *OBJECT_FLAGS)
TARGET_FLAGS = ("canBeAssignedToUsers", "canBeAssignedToAgents", "canBeAssignedToApiKeys")
EDITABLE = ("label", "description", "icon", *ROLE_FLAGS, *TARGET_FLAGS)

STANDARD_ROLES: dict[str, dict[str, Any]] = {
    ADMIN: {
        "label": "Admin", "description": "Admin role", "icon": "IconUserCog", "isEditable": False,
        **dict.fromkeys(ROLE_FLAGS, True), **dict.fromkeys(TARGET_FLAGS, True),
    },
    # docgate's Member may be given to API keys (Twenty's only to users): it is the role of a
    # key that may use every record but change no settings.
    MEMBER: {
        "label": "Member", "description": "Member role", "icon": "IconUser", "isEditable": True,
        "canUpdateAllSettings": False, "canAccessAllTools": True, **dict.fromkeys(OBJECT_FLAGS, True),
        **dict.fromkeys(TARGET_FLAGS, True),
    },
}


def now() -> datetime:
    return datetime.now(UTC)


async def ensure_role_indexes(control: Any) -> None:
    await control[ROLES].create_index([("workspaceId", ASCENDING), ("label", ASCENDING)], unique=True)
    await control[ROLES].create_index(
        [("workspaceId", ASCENDING), ("standardId", ASCENDING)], unique=True,
        partialFilterExpression={"standardId": {"$type": "string"}},
    )


def _new_role(workspace_id: str, values: Mapping[str, Any], standard_id: str | None = None) -> dict[str, Any]:
    stamp = now()
    role_id = str(uuid.uuid4())
    return {
        "_id": role_id, "workspaceId": workspace_id, "standardId": standard_id,
        "universalIdentifier": str(uuid.uuid5(uuid.NAMESPACE_URL, f"docgate:role:{standard_id}"))
        if standard_id else role_id,
        "label": values["label"], "description": values.get("description"), "icon": values.get("icon"),
        "isEditable": values.get("isEditable", True),
        **{flag: bool(values.get(flag, False)) for flag in ROLE_FLAGS},
        **{flag: bool(values.get(flag, True)) for flag in TARGET_FLAGS},
        "objectPermissions": [], "fieldPermissions": [], "permissionFlags": [], "predicates": [],
        "predicateGroups": [], "createdAt": stamp, "updatedAt": stamp,
    }


async def ensure_standard_roles(control: Any, workspace_id: str) -> dict[str, str]:
    """Admin and Member in the workspace (made once, whichever replica gets there first);
    returns their ids by standard id."""
    ids: dict[str, str] = {}
    for standard_id, values in STANDARD_ROLES.items():
        found = await control[ROLES].find_one({"workspaceId": workspace_id, "standardId": standard_id}, {"_id": 1})
        if found is None:
            try:
                doc = _new_role(workspace_id, values, standard_id)
                await control[ROLES].insert_one(doc)
                found = doc
            except DuplicateKeyError:  # another replica made it meanwhile (or a role took its label)
                found = await control[ROLES].find_one({"workspaceId": workspace_id, "standardId": standard_id})
                if found is None:
                    doc["label"] = f"{values['label']} ({standard_id})"
                    await control[ROLES].insert_one(doc)
                    found = doc
        ids[standard_id] = found["_id"]
    return ids


async def list_roles(control: Any, workspace_id: str) -> list[dict[str, Any]]:
    cursor = control[ROLES].find({"workspaceId": workspace_id}).sort([("createdAt", 1), ("_id", 1)])
    return list(await cursor.to_list(None))


async def get_role(control: Any, workspace_id: str, role_id: str) -> dict[str, Any]:
    doc = await control[ROLES].find_one({"_id": role_id, "workspaceId": workspace_id})
    if doc is None:
        raise role_not_found()
    return dict(doc)


async def role_by_label_or_id(control: Any, workspace_id: str, name: str) -> dict[str, Any]:
    """A role named by its label (as the CLI takes it) or its id."""
    await ensure_standard_roles(control, workspace_id)
    doc = await control[ROLES].find_one({"workspaceId": workspace_id, "$or": [{"label": name}, {"_id": name}]})
    if doc is None:
        labels = [r["label"] for r in await list_roles(control, workspace_id)]
        raise role_not_found().__class__(f"role '{name}' not found; the workspace's roles: {', '.join(labels)}")
    return dict(doc)


def _entity(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Twenty's `flatEntityMinimalInformation` of a role."""
    info = {"id": doc.get("_id") or doc.get("id"), "universalIdentifier": doc.get("universalIdentifier")}
    if doc.get("label") is not None:
        info["label"] = doc["label"]
    return {k: v for k, v in info.items() if v is not None}


def check_read_before_write(values: Mapping[str, Any], entity: dict[str, Any], action: str) -> None:
    if not values.get("canReadAllObjectRecords") and any(
        values.get(flag) for flag in ("canUpdateAllObjectRecords", "canSoftDeleteAllObjectRecords",
                                      "canDestroyAllObjectRecords")
    ):
        raise RoleValidationFailed(
            "role", action, entity, [problem("CANNOT_GIVE_WRITING_PERMISSION_WITHOUT_READING_PERMISSION")]
        )


async def _label_taken(control: Any, workspace_id: str, label: str, other_than: str | None = None) -> bool:
    query: dict[str, Any] = {"workspaceId": workspace_id, "label": label}
    if other_than is not None:
        query["_id"] = {"$ne": other_than}
    return await control[ROLES].find_one(query, {"_id": 1}) is not None


async def create_role(control: Any, workspace_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in values.items() if v is not None}
    doc = _new_role(workspace_id, data)
    if data.get("id"):
        try:
            doc["_id"] = doc["universalIdentifier"] = str(uuid.UUID(str(data["id"])))
        except ValueError:
            raise BadUserInput(f"id must be a UUID, got {str(data['id'])[:60]!r}") from None
    entity = _entity(doc)
    if await _label_taken(control, workspace_id, doc["label"]):
        raise RoleValidationFailed("role", "create", entity, [problem("ROLE_LABEL_ALREADY_EXISTS")])
    check_read_before_write(doc, entity, "create")
    try:
        await control[ROLES].insert_one(doc)
    except DuplicateKeyError:  # a concurrent request took the label (or the id) first
        raise RoleValidationFailed("role", "create", entity, [problem("ROLE_LABEL_ALREADY_EXISTS")]) from None
    return doc


async def update_role(control: Any, workspace_id: str, role_id: str, update: Mapping[str, Any]) -> dict[str, Any]:
    doc = await get_role(control, workspace_id, role_id)
    entity = _entity({"_id": doc["_id"], "universalIdentifier": doc.get("universalIdentifier")})
    if not doc.get("isEditable", True):
        raise RoleValidationFailed("role", "update", entity, [problem("ROLE_NOT_EDITABLE")])
    changes = {k: v for k, v in update.items() if k in EDITABLE and (v is not None or k in ("description", "icon"))}
    merged = {**doc, **changes}
    if "label" in changes and await _label_taken(control, workspace_id, str(changes["label"]), role_id):
        raise RoleValidationFailed("role", "update", entity, [problem("ROLE_LABEL_ALREADY_EXISTS")])
    check_read_before_write(merged, entity, "update")
    if changes:
        changes["updatedAt"] = now()
        try:
            await control[ROLES].update_one({"_id": role_id}, {"$set": changes})
        except DuplicateKeyError:
            raise RoleValidationFailed("role", "update", entity, [problem("ROLE_LABEL_ALREADY_EXISTS")]) from None
    return {**doc, **changes}


async def delete_role(control: Any, workspace_id: str, role_id: str) -> str:
    """Delete a custom role; the API keys holding it keep no role and are refused everything
    until one is assigned (rather than falling back to a role with more rights)."""
    doc = await get_role(control, workspace_id, role_id)
    if doc.get("standardId") == MEMBER:
        raise DefaultRoleCannotBeDeleted()
    if not doc.get("isEditable", True):
        raise RoleValidationFailed("role", "delete", _entity(doc), [problem("ROLE_NOT_EDITABLE")])
    await control[ROLES].delete_one({"_id": role_id, "workspaceId": workspace_id})
    return role_id


def role_view(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A role as Twenty's `Role` type answers it (its lists resolved in `api`)."""
    view = {k: v for k, v in doc.items() if k not in ("_id", "workspaceId")}
    view["id"] = doc["_id"]
    return view
