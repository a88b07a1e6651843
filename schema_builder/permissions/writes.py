"""What a role may write: fields, rows, and what a delete changes beyond what it names.

- A field the role may not update is refused where record inputs are prepared; on create, a
  field the row-level predicates name may be set even so (the new record must be able to
  satisfy them), as in Twenty.
- A create or update that would leave a record outside the role's rows is refused whole,
  before anything is written (Twenty's RLS_VALIDATION_FAILED): the final records are matched
  against the role's row filter in process, with mongomock's implementation of MongoDB's
  query language — the same filter the scoped collections send to the database.
- Deletes follow relations (onDelete, soft-delete cascades) on the collections themselves,
  for the consistency of the data, as Twenty's foreign keys do; for a restricted role every
  record a cascade would change must be one it could change itself, or nothing is done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mongomock.filtering import filter_applies

from schema_builder.metadata.model import ObjectMeta
from schema_builder.permissions.errors import (
    PERMISSION_DENIED,
    FieldPermissionDenied,
    PermissionDenied,
    RowLevelRefusal,
)
from schema_builder.permissions.model import CompiledPermissions, ObjectAccess


def access_of(ctx: Any, obj: ObjectMeta) -> ObjectAccess | None:
    """The caller's access to `obj`; None for an unrestricted key."""
    permissions: CompiledPermissions | None = ctx.permissions
    return None if permissions is None else permissions.access(obj)


def check_writable(obj: ObjectMeta, access: ObjectAccess, data: Mapping[str, Any], creating: bool) -> None:
    for key in data:
        if key not in access.unwritable:
            continue
        if creating and obj.canonical_name(key) in access.row_fields and key not in access.unreadable:
            continue
        raise FieldPermissionDenied("write", key, obj.name_singular)


def matches_rows(access: ObjectAccess, doc: Mapping[str, Any]) -> bool:
    rows = access.row_filter
    return rows is None or bool(filter_applies(rows, doc))  # type: ignore[no-untyped-call]


def check_rows(access: ObjectAccess | None, docs: Iterable[Mapping[str, Any]]) -> None:
    """Refuse the write unless every record, as it will be stored, is within the role's rows."""
    if access is None or access.row_filter is None:
        return
    if any(not matches_rows(access, doc) for doc in docs):
        raise RowLevelRefusal()


def check_cascade(ctx: Any, obj: ObjectMeta, action: str, docs: Iterable[Mapping[str, Any]]) -> None:
    """Refuse a delete whose cascade would change records of `obj` the role could not
    `action` (destroy, update, softDelete) itself — including ones it cannot see."""
    access = access_of(ctx, obj)
    if access is None:
        return
    if not access.allows(action) or not all(matches_rows(access, doc) for doc in docs):
        raise PermissionDenied(
            f"{PERMISSION_DENIED}: this would also change {obj.name_plural} records (through a relation's "
            "onDelete or a soft-delete cascade) that the role cannot change"
        )
