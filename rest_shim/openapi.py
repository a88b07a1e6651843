"""OpenAPI 3.1 documents of the REST APIs, generated from a workspace's metadata.

Pure functions of (model, server URL): the gateway caches what they return per schema
version. Without a model (no key, or an invalid one) only the base document is returned,
as Twenty does. Paths, operationIds, tags and component names follow Twenty's documents.
"""

from __future__ import annotations

from typing import Any

from schema_builder.context import Limits
from schema_builder.metadata.model import ObjectMeta, WorkspaceModel, pascal

from .openapi_common import base_document, errors, json_body, ok, operation, query_param
from .openapi_dedupe import dedupe_paths
from .openapi_group_by import group_by_parameters, group_by_paths
from .openapi_metadata import metadata_parameters, metadata_paths, metadata_schemas
from .openapi_schemas import Schema, model_schemas, ref
from .openapi_text import core_description, metadata_description
from .openapi_webhooks import WEBHOOK_HEADERS, webhook_schemas, webhooks

__all__ = ["core_document", "metadata_document", "object_paths"]


def core_parameters(limits: Limits) -> dict[str, Schema]:
    """The query parameters of the Core REST API (names as in Twenty's document)."""
    return {
        "orderBy": query_param(
            "order_by",
            {"type": "string"},
            "Sort order: `field[Direction]` items, comma-separated. Directions: AscNullsFirst (default), "
            "AscNullsLast, DescNullsFirst, DescNullsLast; dotted paths for composite sub-fields. "
            "Example: `createdAt[DescNullsLast],name.lastName`.",
        ),
        "filter": query_param(
            "filter",
            {"type": "string"},
            "Filter: `field[comparator]:value`, combined with `and(…)`, `or(…)`, `not(…)`; a comma list at the "
            "top means and. Comparators: eq, neq, in, containsAny, is, gt, gte, lt, lte, startsWith, endsWith, "
            "like, ilike, search (on searchVector: each word starts a word of the record). "
            'Example: `createdAt[gte]:"2024-01-01"`.',
        ),
        "limit": query_param(
            "limit",
            {"type": "integer", "minimum": 0, "maximum": limits.max_page_size, "default": limits.default_page_size},
            f"Page size (default {limits.default_page_size}, at most {limits.max_page_size}).",
        ),
        "depth": query_param(
            "depth",
            {"type": "integer", "enum": [0, 1], "default": 0},
            "0: the record's own fields and relation ids; 1: also the directly related records.",
        ),
        "startingAfter": query_param(
            "starting_after",
            {"type": "string"},
            "Cursor: the page after the one that ended here (its `pageInfo.endCursor`).",
        ),
        "endingBefore": query_param(
            "ending_before",
            {"type": "string"},
            "Cursor: the page before the one that started here (its `pageInfo.startCursor`).",
        ),
        "upsert": query_param(
            "upsert",
            {"type": "boolean", "default": False},
            "Update the record with the same id or unique field values instead of failing.",
        ),
        "softDelete": query_param(
            "soft_delete",
            {"type": "boolean", "default": False},
            "Soft delete (set `deletedAt`, restorable) instead of deleting for good.",
        ),
        **WEBHOOK_HEADERS,
    }


def object_paths(obj: ObjectMeta, limits: Limits) -> dict[str, Schema]:
    """The operations on one object's records, with Twenty's paths and operationIds."""
    s, pl = obj.name_singular, obj.name_plural
    p, pp = pascal(s), pascal(pl)
    one, many = obj.label_singular or s, obj.label_plural or pl
    record = ref(f"{p}ForResponse")
    records = {"type": "array", "items": record}
    an_id = {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}}, "required": ["id"]}
    batch = {"type": "array", "items": ref(p), "minItems": 1, "maxItems": limits.max_batch_size}
    create_body = json_body(ref(p), f"the {one} to create")
    update_body = json_body(ref(f"{p}ForUpdate"), "the values to change")
    page = ("orderBy", "filter", "limit", "depth", "startingAfter", "endingBefore")
    id_text = f"the {one}'s id"
    by_id = (f"findOne{p}", f"UpdateOne{p}", f"deleteOne{p}", f"restoreOne{p}")

    def op(
        op_id: str,
        summary: str,
        responses: dict[str, Schema],
        params: tuple[str, ...] = (),
        body: Schema | None = None,
        by_id: bool = False,
    ) -> Schema:
        return operation(pl, op_id, summary, responses, params, body, id_text if by_id else None)

    paths: dict[str, Schema] = {
        f"/{pl}": {
            "get": op(
                f"findMany{pp}", f"Find {many}", {**ok(f"A page of {many}", pl, records, page=True), **errors()}, page
            ),
            "post": op(
                f"createOne{p}",
                f"Create one {one}",
                {**ok(f"The created {one}", f"create{p}", record, status="201", links_to=by_id), **errors("409")},
                ("depth", "upsert"),
                create_body,
            ),
            "delete": op(
                f"deleteMany{pp}",
                f"Delete {many}",
                {**ok(f"The ids of the deleted {many}", f"delete{pp}", {"type": "array", "items": an_id}), **errors()},
                ("filter", "softDelete"),
            ),
            "patch": op(
                f"updateMany{pp}",
                f"Update {many}",
                {**ok(f"The updated {many}", f"update{pp}", records), **errors("409")},
                ("filter", "depth"),
                json_body(ref(f"{p}ForUpdate"), "the values to set on every match"),
            ),
        },
        f"/batch/{pl}": {
            "post": op(
                f"createMany{pp}",
                f"Create {many}",
                {**ok(f"The created {many}", f"create{pp}", records, status="201"), **errors("409")},
                ("depth", "upsert"),
                json_body(batch, f"the {many} to create (at most {limits.max_batch_size}): all or none"),
            ),
        },
        f"/{pl}/{{id}}": {
            "get": op(
                f"findOne{p}",
                f"Find one {one}",
                {**ok(f"The {one}", s, record), **errors("404")},
                ("depth",),
                by_id=True,
            ),
            "delete": op(
                f"deleteOne{p}",
                f"Delete one {one}",
                {**ok(f"The id of the deleted {one}", f"delete{p}", an_id), **errors("404")},
                ("softDelete",),
                by_id=True,
            ),
            "patch": op(
                f"UpdateOne{p}",
                f"Update one {one}",
                {**ok(f"The updated {one}", f"update{p}", record), **errors("404", "409")},
                ("depth",),
                update_body,
                by_id=True,
            ),
        },
        f"/restore/{pl}/{{id}}": {
            "patch": op(
                f"restoreOne{p}",
                f"Restore one soft-deleted {one}",
                {**ok(f"The restored {one}", f"restore{p}", record), **errors("404", "409")},
                ("depth",),
                by_id=True,
            ),
        },
        f"/restore/{pl}": {
            "patch": op(
                f"restoreMany{pp}",
                f"Restore soft-deleted {many}",
                {**ok(f"The restored {many}", f"restore{pp}", records), **errors("409")},
                ("filter", "depth"),
            ),
        },
    }
    if obj.audit_log:  # written by docgate from record changes: read only
        paths = {path: {"get": ops["get"]} for path, ops in paths.items() if "get" in ops}
    return paths


def core_document(model: WorkspaceModel | None, server_url: str, limits: Limits | None = None) -> dict[str, Any]:
    """The Core REST API's document: the base alone without a model, else every object's operations."""
    limits = limits or Limits()
    doc = base_document("docgate API", core_description(limits), server_url, "/rest")
    if model is None:
        return doc
    components = doc["components"]
    components["parameters"] = {**core_parameters(limits), **group_by_parameters(limits)}
    components["schemas"].update(model_schemas(model))
    components["schemas"].update(webhook_schemas())
    doc["tags"] = [
        {"name": o.name_plural, "description": o.description or o.label_plural or o.name_plural} for o in model.objects
    ]
    for obj in model.objects:
        doc["paths"].update(object_paths(obj, limits))
        doc["paths"].update(group_by_paths(obj))
        doc["paths"].update(dedupe_paths(obj, limits))
    doc["webhooks"] = webhooks(model)
    return doc


def metadata_document(model: WorkspaceModel | None, server_url: str) -> dict[str, Any]:
    """The Metadata REST API's document: objects, fields, API keys and webhooks."""
    doc = base_document("docgate metadata API", metadata_description(model), server_url, "/rest/metadata")
    if model is None:
        return doc
    doc["components"]["schemas"].update(metadata_schemas())
    doc["components"]["parameters"] = metadata_parameters()
    doc["paths"] = metadata_paths()
    doc["tags"] = [{"name": n} for n in ("objects", "fields", "apiKeys", "webhooks", "picklists")]
    return doc
