"""A workspace's model as a role sees it (pure): the objects it may read, each with the fields
it may read, and no relation to an object it may not read.

The documentation a key is given — its OpenAPI documents, the docs page, MCP's tools and
object descriptions — is generated from this view, so it shows only what the key may use.
"""

from __future__ import annotations

from dataclasses import replace

from schema_builder.metadata.model import FieldMeta, ObjectMeta, WorkspaceModel
from schema_builder.permissions.model import READ, CompiledPermissions


def readable_model(model: WorkspaceModel, permissions: CompiledPermissions) -> WorkspaceModel:
    found: WorkspaceModel | None = permissions.derived.get("views.readable_model")
    if found is None or found.version != model.version:
        readable = {o.id for o in model.objects if permissions.can(o, READ)}
        objects = tuple(_object_view(o, permissions, readable) for o in model.objects if o.id in readable)
        found = permissions.derived["views.readable_model"] = WorkspaceModel(model.workspace_id, model.version, objects)
    return found


def _object_view(obj: ObjectMeta, permissions: CompiledPermissions, readable: set[str]) -> ObjectMeta:
    unreadable = permissions.access(obj).unreadable
    kept = tuple(f for f in obj.fields if _kept(f, unreadable, readable))
    if len(kept) == len(obj.fields):
        return obj
    return replace(obj, fields=kept, _by_name={}, aliases=(), _canonical={})


def _kept(field: FieldMeta, unreadable: frozenset[str], readable: set[str]) -> bool:
    if field.name in unreadable:
        return False
    return field.target_object_id is None or field.target_object_id in readable
