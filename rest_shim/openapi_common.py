"""Pieces shared by the Core and Metadata OpenAPI documents: the base, envelopes, errors."""

from __future__ import annotations

from typing import Any

from .openapi_schemas import Schema, ref

OPENAPI_VERSION = "3.1.1"
API_VERSION = "v0.1"
ERROR_STATUSES = {
    "400": "Bad request: invalid parameters or body",
    "401": "Unauthorized: an invalid or expired API key",
    "403": "Forbidden: no API key (a missing token), or a revoked one",
    "404": "Not found",
    "409": "Conflict: an upsert matched more than one record",
    "429": "Too many requests: wait as long as `Retry-After` says",
}
ERROR: Schema = {
    "type": "object",
    "properties": {
        "statusCode": {"type": "integer"},
        "error": {
            "type": "string",
            "description": "Twenty's name of the error, e.g. BadRequestException, NotFoundException, UNAUTHENTICATED",
        },
        "messages": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["statusCode", "error", "messages"],
}
PAGE_INFO: Schema = {
    "type": "object",
    "properties": {
        "hasNextPage": {"type": "boolean"},
        "hasPreviousPage": {"type": "boolean"},
        "startCursor": {"type": ["string", "null"]},
        "endCursor": {"type": ["string", "null"]},
    },
}
ID_PATH: Schema = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}


def base_document(title: str, description: str, server_url: str, suffix: str) -> dict[str, Any]:
    """What every document has, with or without a workspace: info, server, auth, errors."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": API_VERSION, "description": description},
        "servers": [{"url": server_url.rstrip("/") + suffix}],
        "security": [{"bearerAuth": []}],
        "paths": {},
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "API key",
                    "description": "an API key of the workspace, sent as `Authorization: Bearer <key>`",
                },
            },
            "schemas": {"Common.Error": ERROR, "Common.PageInfo": PAGE_INFO},
            "responses": {code: error_response(text) for code, text in ERROR_STATUSES.items()},
        },
    }


def error_response(description: str) -> Schema:
    response: Schema = {"description": description, "content": {"application/json": {"schema": ref("Common.Error")}}}
    if description.startswith("Too many"):
        response["headers"] = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}
    return response


def param_refs(*names: str) -> list[Schema]:
    return [{"$ref": f"#/components/parameters/{n}"} for n in names]


def errors(*codes: str) -> dict[str, Schema]:
    """The error responses of an operation: 400, 401, 403 and 429 always, plus `codes`."""
    always = ("400", "401", "403", "429")
    return {code: {"$ref": f"#/components/responses/{code}"} for code in sorted((*always, *codes))}


def envelope(key: str, value: Schema, *, page: bool = False) -> Schema:
    """`{"data": {key: value}}`, with `totalCount` and `pageInfo` for a page."""
    data = {"type": "object", "properties": {key: value}, "required": [key]}
    properties: dict[str, Schema] = {"data": data}
    if page:
        properties["totalCount"] = {"type": "integer"}
        properties["pageInfo"] = ref("Common.PageInfo")
    return {"type": "object", "properties": properties, "required": ["data"]}


def ok(
    description: str,
    key: str,
    value: Schema,
    *,
    status: str = "200",
    page: bool = False,
    links_to: tuple[str, ...] = (),
) -> dict[str, Schema]:
    """A success response whose body is the envelope of `value` under `key`.

    `links_to` names operations that take the returned record's id as their `{id}`.
    """
    response: Schema = {
        "description": description,
        "content": {"application/json": {"schema": envelope(key, value, page=page)}},
    }
    if links_to:
        by_id = {"id": f"$response.body#/data/{key}/id"}
        response["links"] = {op: {"operationId": op, "parameters": by_id} for op in links_to}
    return {status: response}


def json_body(schema: Schema, description: str) -> Schema:
    return {"required": True, "description": description, "content": {"application/json": {"schema": schema}}}


def query_param(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def operation(
    tag: str,
    op_id: str,
    summary: str,
    responses: dict[str, Schema],
    params: tuple[str, ...] = (),
    body: Schema | None = None,
    path_id: str | None = None,
) -> Schema:
    """One operation object; `path_id` describes an `{id}` path parameter."""
    parameters = ([{**ID_PATH, "description": path_id}] if path_id else []) + param_refs(*params)
    out: Schema = {
        "tags": [tag],
        "summary": summary,
        "operationId": op_id,
        "parameters": parameters,
        "responses": responses,
    }
    if body is not None:
        out["requestBody"] = body
    return out
