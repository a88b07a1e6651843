"""What a role grants on objects and fields, and its permission flags: Twenty's upserts.

- `upsertObjectPermissions`: per object, read / update / soft-delete / destroy, each either a
  boolean or null ("as the role-wide flag"); writing without reading is refused.
- `upsertFieldPermissions`: per field, `canReadFieldValue` / `canUpdateFieldValue` may only be
  false (a restriction) or null; both null removes the restriction. As Twenty, a field of an
  object the role cannot read takes no restriction.
- `upsertPermissionFlags`: the role's flags become exactly those given.

Each answers the role's whole list after the change, as Twenty does.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from schema_builder.errors import BadUserInput, NotFound
from schema_builder.permissions.model import PERMISSION_FLAGS

from .roles import ROLES, get_role, now
from .validation import RoleValidationFailed, problem

ACTIONS = ("canReadObjectRecords", "canUpdateObjectRecords", "canSoftDeleteObjectRecords", "canDestroyObjectRecords")
WIDE = dict(zip(ACTIONS, ("canReadAllObjectRecords", "canUpdateAllObjectRecords", "canSoftDeleteAllObjectRecords",
                          "canDestroyAllObjectRecords"), strict=True))


def _editable(role: Mapping[str, Any], kind: str, entity: dict[str, Any]) -> None:
    if not role.get("isEditable", True):
        raise RoleValidationFailed(kind, "update", entity, [problem("ROLE_NOT_EDITABLE")])


def effective(role: Mapping[str, Any], permission: Mapping[str, Any], action: str) -> bool:
    value = permission.get(action)
    return bool(role.get(WIDE[action])) if value is None else bool(value)


async def upsert_object_permissions(
    control: Any, workspace_id: str, role_id: str, items: Sequence[Mapping[str, Any]], objects: Mapping[str, Any],
) -> dict[str, Any]:
    role = await get_role(control, workspace_id, role_id)
    current = {p["objectMetadataId"]: dict(p) for p in role.get("objectPermissions") or ()}
    for item in items:
        object_id = str(item["objectMetadataId"])
        entity = {"objectMetadataId": object_id, "roleId": role_id}
        _editable(role, "objectPermission", entity)
        if object_id not in objects:
            raise NotFound("Object metadata not found", subCode="OBJECT_METADATA_NOT_FOUND_PERMISSIONS",
                           userFriendlyMessage="Object metadata not found.")
        permission = current.get(object_id) or {"id": str(uuid.uuid4()), "objectMetadataId": object_id}
        permission.update({a: item[a] for a in ACTIONS if a in item})
        if not effective(role, permission, "canReadObjectRecords") and any(
            effective(role, permission, a) for a in ACTIONS[1:]
        ):
            raise RoleValidationFailed(
                "objectPermission", "update", entity, [problem("CANNOT_GIVE_WRITING_PERMISSION_ON_NON_READABLE_OBJECT")]
            )
        current[object_id] = permission
    role["objectPermissions"] = list(current.values())
    await control[ROLES].update_one(
        {"_id": role_id}, {"$set": {"objectPermissions": role["objectPermissions"], "updatedAt": now()}}
    )
    return role


async def upsert_field_permissions(
    control: Any, workspace_id: str, role_id: str, items: Sequence[Mapping[str, Any]], fields: Mapping[str, Any],
) -> dict[str, Any]:
    role = await get_role(control, workspace_id, role_id)
    current = {p["fieldMetadataId"]: dict(p) for p in role.get("fieldPermissions") or ()}
    for item in items:
        field_id, object_id = str(item["fieldMetadataId"]), str(item["objectMetadataId"])
        entity = {"fieldMetadataId": field_id, "objectMetadataId": object_id, "roleId": role_id}
        _editable(role, "fieldPermission", entity)
        field = fields.get(field_id)
        if field is None or field.get("objectMetadataId") != object_id:
            raise NotFound("Field metadata not found", subCode="FIELD_METADATA_NOT_FOUND",
                           userFriendlyMessage="Field metadata not found.")
        read, write = item.get("canReadFieldValue"), item.get("canUpdateFieldValue")
        if read is True or write is True:
            raise RoleValidationFailed("fieldPermission", "update", entity, [problem("ONLY_FIELD_RESTRICTION_ALLOWED")])
        on_object: dict[str, Any] = next(
            (p for p in role.get("objectPermissions") or () if p["objectMetadataId"] == object_id), {})
        if not effective(role, on_object, "canReadObjectRecords"):
            raise RoleValidationFailed("fieldPermission", "update", entity,
                                       [problem("FIELD_RESTRICTION_ONLY_ALLOWED_ON_READABLE_OBJECT")])
        if read is None and write is None:
            current.pop(field_id, None)  # nothing restricted any more
            continue
        permission = current.get(field_id) or {"id": str(uuid.uuid4()), "fieldMetadataId": field_id,
                                               "objectMetadataId": object_id}
        permission.update({"canReadFieldValue": read, "canUpdateFieldValue": write})
        current[field_id] = permission
    role["fieldPermissions"] = list(current.values())
    await control[ROLES].update_one(
        {"_id": role_id}, {"$set": {"fieldPermissions": role["fieldPermissions"], "updatedAt": now()}}
    )
    return role


async def upsert_permission_flags(
    control: Any, workspace_id: str, role_id: str, keys: Sequence[str]
) -> dict[str, Any]:
    role = await get_role(control, workspace_id, role_id)
    _editable(role, "rolePermissionFlag", {"roleId": role_id})
    unknown = [k for k in keys if k not in PERMISSION_FLAGS]
    if unknown:
        raise BadUserInput(
            f"Invalid permission setting (unknown value): {unknown[0]!r}; "
            f"expected one of {', '.join(PERMISSION_FLAGS)}",
            subCode="INVALID_SETTING_PERMISSIONS",
        )
    existing = {f["flag"]: f for f in role.get("permissionFlags") or ()}
    role["permissionFlags"] = [existing.get(k) or {"id": str(uuid.uuid4()), "flag": k} for k in dict.fromkeys(keys)]
    await control[ROLES].update_one(
        {"_id": role_id}, {"$set": {"permissionFlags": role["permissionFlags"], "updatedAt": now()}}
    )
    return role


def object_permission_views(role: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Twenty's `ObjectPermission`s of a role, with the fields it restricts on each object."""
    restricted: dict[str, dict[str, Any]] = {}
    for fp in role.get("fieldPermissions") or ():
        restricted.setdefault(fp["objectMetadataId"], {})[fp["fieldMetadataId"]] = {
            "canRead": fp.get("canReadFieldValue"), "canUpdate": fp.get("canUpdateFieldValue"),
        }
    views = []
    for op in role.get("objectPermissions") or ():
        object_id = op["objectMetadataId"]
        views.append({
            **{a: op.get(a) for a in ACTIONS}, "objectMetadataId": object_id,
            "restrictedFields": restricted.get(object_id, {}),
            "rowLevelPermissionPredicates": [p for p in role.get("predicates") or ()
                                             if p.get("objectMetadataId") == object_id],
            "rowLevelPermissionPredicateGroups": [g for g in role.get("predicateGroups") or ()
                                                  if g.get("objectMetadataId") == object_id],
        })
    return views
