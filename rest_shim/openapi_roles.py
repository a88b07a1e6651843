"""The OpenAPI documents a restricted key is given: only what its role may do.

Built from the model as the role sees it (`permissions.views`: readable objects and fields,
no relation to an unreadable object), then pruned: an operation the role may not perform is
left out (creating and updating need update permission, deleting soft-delete or destroy,
restoring soft-delete), and so is a field it may not write from the bodies of creates and
updates. The Metadata document keeps the operations the role's permission flags allow.
"""

from __future__ import annotations

from typing import Any

from schema_builder.context import Limits
from schema_builder.metadata.model import WorkspaceModel, pascal
from schema_builder.permissions.model import CREATE, DESTROY, SOFT_DELETE, UPDATE, CompiledPermissions, ObjectAccess
from schema_builder.permissions.views import readable_model

from .openapi import core_document, metadata_document

# /rest/metadata paths → the permission flag their writes (and for keys and webhooks, reads) need.
_METADATA_FLAGS = {"objects": "DATA_MODEL", "fields": "DATA_MODEL", "apiKeys": "API_KEYS_AND_WEBHOOKS",
                   "webhooks": "API_KEYS_AND_WEBHOOKS"}


def role_core_document(
    model: WorkspaceModel, permissions: CompiledPermissions, server_url: str, limits: Limits | None = None
) -> dict[str, Any]:
    view = readable_model(model, permissions)
    doc = core_document(view, server_url, limits)
    paths, schemas = doc["paths"], doc["components"]["schemas"]
    for obj in view.objects:
        access = permissions.access(obj)
        pl, p = obj.name_plural, pascal(obj.name_singular)
        _drop(paths, f"/{pl}", "post", not access.allows(CREATE))
        _drop(paths, f"/{pl}", "patch", not access.allows(UPDATE))
        _drop(paths, f"/{pl}", "delete", not (access.allows(SOFT_DELETE) or access.allows(DESTROY)))
        _drop(paths, f"/batch/{pl}", "post", not access.allows(CREATE))
        _drop(paths, f"/{pl}/{{id}}", "patch", not access.allows(UPDATE))
        _drop(paths, f"/{pl}/{{id}}", "delete", not (access.allows(SOFT_DELETE) or access.allows(DESTROY)))
        _drop(paths, f"/restore/{pl}/{{id}}", "patch", not access.allows(SOFT_DELETE))
        _drop(paths, f"/restore/{pl}", "patch", not access.allows(SOFT_DELETE))
        _unwritable(schemas.get(p), access, creating=True)
        _unwritable(schemas.get(f"{p}ForUpdate"), access, creating=False)
    return doc


def role_metadata_document(model: WorkspaceModel, permissions: CompiledPermissions, server_url: str) -> dict[str, Any]:
    doc = metadata_document(readable_model(model, permissions), server_url)
    for path in list(doc["paths"]):
        flag = _METADATA_FLAGS.get(path.strip("/").split("/")[0])
        if flag is None or permissions.has_flag(flag):
            continue
        if flag == "DATA_MODEL":  # objects and fields: anyone may read them
            for method in ("post", "patch", "delete"):
                _drop(doc["paths"], path, method, True)
        else:
            del doc["paths"][path]
    return doc


def _drop(paths: dict[str, Any], path: str, method: str, denied: bool) -> None:
    item = paths.get(path)
    if not denied or item is None:
        return
    item.pop(method, None)
    if not any(k in item for k in ("get", "post", "patch", "put", "delete")):
        del paths[path]


def _unwritable(schema: dict[str, Any] | None, access: ObjectAccess, *, creating: bool) -> None:
    if schema is None or not access.unwritable:
        return
    hidden = {n for n in access.unwritable if not (creating and n in access.row_fields and n not in access.unreadable)}
    properties = schema.get("properties") or {}
    for name in hidden & set(properties):
        del properties[name]
    if "required" in schema:
        schema["required"] = [n for n in schema["required"] if n not in hidden]
