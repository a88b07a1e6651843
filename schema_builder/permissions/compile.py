"""A role document + a workspace model → what the role allows (pure).

The role document is Twenty's role with its permissions embedded (see
`gateway.permissions.store`): the role-wide flags (`canReadAllObjectRecords`, …), then per
object overrides (`objectPermissions`, null meaning "as the role-wide flag"), per field
restrictions (`fieldPermissions`), permission flags and row-level predicates.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from schema_builder.compile.filters import translate_filter
from schema_builder.errors import DocgateError
from schema_builder.metadata.model import FieldMeta, ObjectMeta, WorkspaceModel
from schema_builder.permissions.model import (
    NOTHING,
    PERMISSION_FLAGS,
    TOOL_FLAGS,
    CompiledPermissions,
    ObjectAccess,
)
from schema_builder.permissions.row_filters import compile_rows

log = logging.getLogger("docgate.permissions")

ADMIN = "admin"  # the `standardId` of the Admin role
_ACTIONS = (
    ("canReadAllObjectRecords", "canReadObjectRecords"),
    ("canUpdateAllObjectRecords", "canUpdateObjectRecords"),
    ("canSoftDeleteAllObjectRecords", "canSoftDeleteObjectRecords"),
    ("canDestroyAllObjectRecords", "canDestroyObjectRecords"),
)


def is_unrestricted(role: Mapping[str, Any]) -> bool:
    """Admin, or a role granting everything: such keys skip every check."""
    if role.get("standardId") == ADMIN:
        return True
    return (
        all(role.get(wide) is True for wide, _ in _ACTIONS)
        and role.get("canUpdateAllSettings") is True
        and role.get("canAccessAllTools") is True
        and not any(
            op.get(specific) is False for op in role.get("objectPermissions") or () for _, specific in _ACTIONS
        )
        and not any(
            fp.get("canReadFieldValue") is False or fp.get("canUpdateFieldValue") is False
            for fp in role.get("fieldPermissions") or ()
        )
        and not role.get("predicates")
    )


def granted_flags(role: Mapping[str, Any]) -> frozenset[str]:
    """The permission flags a role holds: all of them with canUpdateAllSettings (the tool
    flags with canAccessAllTools), else those it was given."""
    flags = {str(f.get("flag")) for f in role.get("permissionFlags") or ()}
    if role.get("canUpdateAllSettings"):
        flags |= set(PERMISSION_FLAGS) - TOOL_FLAGS
    if role.get("canAccessAllTools"):
        flags |= TOOL_FLAGS
    return frozenset(flags)


def compile_role(role: Mapping[str, Any], model: WorkspaceModel) -> CompiledPermissions | None:
    """What `role` allows in `model`; None when it allows everything."""
    if is_unrestricted(role):
        return None
    overrides = {op.get("objectMetadataId"): op for op in role.get("objectPermissions") or ()}
    fields_by_object: dict[str, list[Mapping[str, Any]]] = {}
    for fp in role.get("fieldPermissions") or ():
        fields_by_object.setdefault(str(fp.get("objectMetadataId")), []).append(fp)
    objects = {
        obj.id: _object_access(
            model, obj, role, overrides.get(obj.id) or {}, fields_by_object.get(obj.id, []),
        )
        for obj in model.objects
    }
    return CompiledPermissions(
        role_id=str(role["_id"]), label=str(role.get("label")), model=model, objects=objects,
        flags=granted_flags(role),
    )


def _object_access(
    model: WorkspaceModel,
    obj: ObjectMeta,
    role: Mapping[str, Any],
    override: Mapping[str, Any],
    field_permissions: list[Mapping[str, Any]],
) -> ObjectAccess:
    granted = [
        bool(override[specific]) if override.get(specific) is not None else bool(role.get(wide))
        for wide, specific in _ACTIONS
    ]
    read, update, soft_delete, destroy = granted
    by_id = {f.id: f for f in obj.fields}
    unreadable: set[str] = set()
    unwritable: set[str] = set()
    for fp in field_permissions:
        meta = by_id.get(str(fp.get("fieldMetadataId")))
        if meta is None:
            continue
        names = _names(obj, meta)
        if fp.get("canReadFieldValue") is False:
            unreadable |= names
            unwritable |= names
        if fp.get("canUpdateFieldValue") is False:
            unwritable |= names
    row_filter, row_fields = _rows(model, obj, role)
    if not read:
        row_filter = NOTHING
    return ObjectAccess(
        read=read, update=update, soft_delete=soft_delete, destroy=destroy,
        unreadable=frozenset(unreadable), unwritable=frozenset(unwritable),
        row_filter=row_filter, row_fields=row_fields,
    )


def _names(obj: ObjectMeta, meta: FieldMeta) -> set[str]:
    """The names a field is read and written by: itself, its join column, its older names."""
    names = {meta.name}
    if meta.join_column:
        names.add(meta.join_column)
    for alias in obj.aliases:
        if alias.alias_of == meta.name:
            names.add(alias.name)
            if alias.join_column:
                names.add(alias.join_column)
    return names


def _rows(model: WorkspaceModel, obj: ObjectMeta, role: Mapping[str, Any]) -> tuple[Any, frozenset[str]]:
    try:
        twenty_filter, used = compile_rows(obj, role.get("predicates") or (), role.get("predicateGroups") or ())
        if twenty_filter is None:
            return None, used
        return translate_filter(model, obj, twenty_filter), used
    except DocgateError as exc:
        # A predicate the model no longer supports (its field changed type, say): the rule
        # cannot be enforced as written, so the role sees none of these rows.
        log.warning("role %s: row-level predicates of %s cannot be compiled (%s); hiding every row",
                    role.get("_id"), obj.name_singular, exc.message)
        return NOTHING, frozenset()
