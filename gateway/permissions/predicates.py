"""Row-level predicates of a role on one object: Twenty's `upsertRowLevelPermissionPredicates`.

The call gives the whole set for (role, object): predicates and groups it names are created or
updated (by id), those it leaves out are deleted. Everything is checked before anything is
stored — that each field, object and group named exists, that groups form a tree, that each
predicate is one docgate can enforce — and the set is compiled as enforcement will compile it,
so a set that would not compile is refused rather than stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from schema_builder.compile.filters import translate_filter
from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import ObjectMeta, WorkspaceModel
from schema_builder.permissions.row_filters import OPERANDS, check_predicate, compile_rows

from .roles import ROLES, get_role, now
from .validation import RoleValidationFailed, not_found, problem

PREDICATE_KEYS = ("fieldMetadataId", "operand", "value", "subFieldName", "workspaceMemberFieldMetadataId",
                  "workspaceMemberSubFieldName", "rowLevelPermissionPredicateGroupId",
                  "positionInRowLevelPermissionPredicateGroup")
GROUP_KEYS = ("parentRowLevelPermissionPredicateGroupId", "logicalOperator",
              "positionInRowLevelPermissionPredicateGroup")


def _find_object(model: WorkspaceModel, object_id: str, given: str = "objectMetadataId") -> ObjectMeta:
    obj = model.by_id(object_id)
    if obj is None:
        raise not_found("objectMetadata", given)
    return obj


async def upsert_predicates(
    control: Any, workspace_id: str, payload: Mapping[str, Any], model: WorkspaceModel
) -> dict[str, Any]:
    """Replace the role's predicates on the object; returns {predicates, predicateGroups}."""
    role_id, object_id = str(payload["roleId"]), str(payload["objectMetadataId"])
    role = await get_role(control, workspace_id, role_id)
    if not role.get("isEditable", True):
        raise RoleValidationFailed("rowLevelPermissionPredicate", "update", {"roleId": role_id},
                                   [problem("ROLE_NOT_EDITABLE")])
    obj = _find_object(model, object_id)
    groups = [_group(model, role_id, object_id, g) for g in payload.get("predicateGroups") or ()]
    group_ids = {g["id"] for g in groups}
    for group in groups:
        parent = group.get("parentRowLevelPermissionPredicateGroupId")
        if parent is not None and parent not in group_ids:
            raise not_found("rowLevelPermissionPredicateGroup", "parentRowLevelPermissionPredicateGroupId")
    _refuse_cycles(groups)
    predicates = [_predicate(model, obj, role_id, p, group_ids) for p in payload.get("predicates") or ()]
    twenty_filter, _ = compile_rows(obj, predicates, groups)
    if twenty_filter is not None:
        translate_filter(model, obj, twenty_filter)  # what enforcement will send: refused now if it cannot be
    kept_predicates = [p for p in role.get("predicates") or () if p.get("objectMetadataId") != object_id]
    kept_groups = [g for g in role.get("predicateGroups") or () if g.get("objectMetadataId") != object_id]
    await control[ROLES].update_one({"_id": role_id}, {"$set": {
        "predicates": kept_predicates + predicates, "predicateGroups": kept_groups + groups, "updatedAt": now(),
    }})
    return {"predicates": predicates, "predicateGroups": groups}


def _group(model: WorkspaceModel, role_id: str, object_id: str, given: Mapping[str, Any]) -> dict[str, Any]:
    group_object = str(given.get("objectMetadataId") or object_id)
    _find_object(model, group_object)
    if group_object != object_id:
        raise BadUserInput("a predicate group belongs to the object of the call (objectMetadataId)")
    operator = given.get("logicalOperator")
    if operator not in ("AND", "OR"):
        raise BadUserInput(f"logicalOperator must be AND or OR, got {operator!r}")
    return {
        "id": str(given.get("id") or uuid.uuid4()), "roleId": role_id, "objectMetadataId": object_id,
        **{k: given.get(k) for k in GROUP_KEYS},
    }


def _refuse_cycles(groups: Sequence[Mapping[str, Any]]) -> None:
    parents = {g["id"]: g.get("parentRowLevelPermissionPredicateGroupId") for g in groups}
    for start in parents:
        seen, current = {start}, parents[start]
        while current is not None:
            if current in seen:
                raise BadUserInput(f"predicate group '{start}' is its own ancestor: groups must form a tree")
            seen.add(current)
            current = parents.get(current)


def _predicate(
    model: WorkspaceModel, obj: ObjectMeta, role_id: str, given: Mapping[str, Any], group_ids: set[str]
) -> dict[str, Any]:
    field = next((f for f in obj.fields if f.id == str(given.get("fieldMetadataId"))), None)
    if field is None:
        raise not_found("fieldMetadata", "fieldMetadataId")
    operand = str(given.get("operand"))
    if operand not in OPERANDS:
        raise BadUserInput(f"unknown operand {operand!r}")
    group = given.get("rowLevelPermissionPredicateGroupId")
    if group is not None and str(group) not in group_ids:
        raise not_found("rowLevelPermissionPredicateGroup", "rowLevelPermissionPredicateGroupId")
    try:
        check_predicate(obj, field, operand, given.get("subFieldName"))
        member_field = given.get("workspaceMemberFieldMetadataId")
        if member_field is not None:
            _check_member_field(model, field, operand, str(member_field))
    except BadUserInput as refused:
        raise RoleValidationFailed(
            "rowLevelPermissionPredicate", "update", {"fieldMetadataId": field.id, "roleId": role_id},
            [{**problem("INVALID_SETTING", refused.message)}],
        ) from None
    return {
        "id": str(given.get("id") or uuid.uuid4()), "roleId": role_id, "objectMetadataId": obj.id,
        **{k: given.get(k) for k in PREDICATE_KEYS}, "fieldMetadataId": field.id, "operand": operand,
    }


def _check_member_field(model: WorkspaceModel, field: Any, operand: str, member_field_id: str) -> None:
    """A predicate comparing with the current workspace member's field: that field must be one
    of workspaceMember's, and two relations must point at the same object."""
    member = model.by_singular("workspaceMember")
    meta = next((f for f in member.fields if f.id == member_field_id), None) if member is not None else None
    if meta is None:
        raise BadUserInput("workspaceMemberFieldMetadataId must name a field of workspaceMember")
    if field.type == "RELATION" or meta.type == "RELATION":
        if field.target_object_id != meta.target_object_id or field.type != meta.type:
            raise BadUserInput("the record's relation and the member's relation must point at the same object")
        if operand not in ("IS", "IS_NOT"):
            raise BadUserInput(f"comparing two relations takes IS or IS_NOT, not {operand}")
