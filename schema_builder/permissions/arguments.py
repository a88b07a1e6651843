"""The field names an argument reads (filter, orderBy, groupBy), checked against a role.

A role that may not read a field may not filter, sort or group by it either (that would read
it one bit at a time), nor go through a relation to an object it may not read — Twenty's
PERMISSION_DENIED in each case. These checks run on the argument's value: once per document
for a literal, per request for one that holds variables (`compile.permissions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schema_builder.metadata.model import MANY_TO_ONE, ObjectMeta, WorkspaceModel
from schema_builder.permissions.errors import FieldPermissionDenied, PermissionDenied
from schema_builder.permissions.model import READ, CompiledPermissions

LOGICAL = ("and", "or", "not")
_MAX_NODES = 10_000  # far above any filter the limits let through; a bound on this walk itself


def check_argument(
    permissions: CompiledPermissions, model: WorkspaceModel, obj: ObjectMeta, kind: str, value: Any
) -> None:
    """Raise PermissionDenied if `value` (a filter, orderBy or groupBy of `obj`) names what
    the role may not read."""
    _Walker(permissions, model, kind).check(obj, value, 0)


class _Walker:
    def __init__(self, permissions: CompiledPermissions, model: WorkspaceModel, kind: str) -> None:
        self.permissions = permissions
        self.model = model
        self.kind = kind
        self.nodes = 0

    def check(self, obj: ObjectMeta, value: Any, depth: int) -> None:
        self.nodes += 1
        if self.nodes > _MAX_NODES or depth > 64:
            return  # the filter's own limits refuse it before it runs
        if isinstance(value, list | tuple):
            for item in value:
                self.check(obj, item, depth + 1)
            return
        if not isinstance(value, Mapping):
            return
        access = self.permissions.access(obj)
        for key, inner in value.items():
            if not isinstance(key, str):
                continue
            if key in LOGICAL and self.kind == "filter":
                self.check(obj, inner, depth + 1)
                continue
            if key in access.unreadable:
                raise FieldPermissionDenied("read", key, obj.name_singular)
            meta = obj.field(obj.canonical_name(key))
            if meta is None or meta.relation_type != MANY_TO_ONE:
                continue
            target = self.model.by_id(meta.target_object_id or "")
            if target is None:
                continue
            if not self.permissions.can(target, READ):
                raise PermissionDenied()
            if isinstance(inner, Mapping | list):
                self.check(target, inner, depth + 1)
