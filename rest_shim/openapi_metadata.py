"""Paths and schemas of the Metadata REST document (`/rest/metadata/...`).

The shapes follow the `/metadata` GraphQL types that the Metadata REST shim returns;
envelope keys are the GraphQL operation names (`createOneObject`, `revokeApiKey`, …).
"""

from __future__ import annotations

from dataclasses import dataclass

from schema_builder.metadata.field_types import ALIASES, ALL_TYPES

from .openapi_common import errors, json_body, ok, operation, query_param
from .openapi_schemas import Schema, nullable, ref

FIELD_TYPES = sorted(ALL_TYPES | set(ALIASES) | {"MORPH_RELATION", "TS_VECTOR"})  # as /metadata's enum

_S = {"type": "string"}
_B = {"type": "boolean"}
_UUID = {"type": "string", "format": "uuid"}
_TIME = {"type": "string", "format": "date-time"}
_ANY: Schema = {"description": "any JSON value"}
_OPEN_RECORD_IN = {"type": "string", "enum": ["SIDE_PANEL", "RECORD_PAGE", "USER_CHOICE"]}


def _object(properties: dict[str, Schema], required: tuple[str, ...] = (), *, closed: bool = False) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    return schema


_OBJECT_INPUT: dict[str, Schema] = {
    "labelSingular": _S,
    "labelPlural": _S,
    "nameSingular": _S,
    "namePlural": _S,
    "description": nullable(_S),
    "icon": nullable(_S),
    "shortcut": nullable(_S),
    "color": nullable(_S),
}
_FIELD_INPUT: dict[str, Schema] = {
    "name": _S,
    "label": _S,
    "description": nullable(_S),
    "icon": nullable(_S),
    "isNullable": _B,
    "isUnique": _B,
    "defaultValue": _ANY,
    "options": _ANY,
    "settings": _ANY,
    "isLabelSyncedWithName": _B,
    "isUIEditable": _B,
}
_WEBHOOK_INPUT: dict[str, Schema] = {
    "targetUrl": {"type": "string", "format": "uri"},
    "operations": {"type": "array", "items": _S, "description": "e.g. person.created, *.updated, *.*"},
    "description": nullable(_S),
    "secret": _S,
}


def metadata_schemas() -> dict[str, Schema]:
    """What the resources look like, as read and as written."""
    field_type = {"type": "string", "enum": FIELD_TYPES}
    return {
        "Object": _object(
            {
                "id": _UUID,
                "universalIdentifier": _S,
                **_OBJECT_INPUT,
                "isCustom": _B,
                "isRemote": _B,
                "isActive": _B,
                "isSystem": _B,
                "isUIEditable": _B,
                "isUICreatable": _B,
                "isSearchable": _B,
                "openRecordIn": _OPEN_RECORD_IN,
                "applicationId": _UUID,
                "isLabelSyncedWithName": _B,
                "duplicateCriteria": nullable({"type": "array", "items": {"type": "array", "items": _S}}),
                "labelIdentifierFieldMetadataId": nullable(_UUID),
                "imageIdentifierFieldMetadataId": nullable(_UUID),
                "createdAt": _TIME,
                "updatedAt": _TIME,
                "fields": {"type": "array", "items": ref("Field")},
            },
            ("id", "nameSingular", "namePlural"),
        ),
        "ObjectForCreate": _object(
            {**_OBJECT_INPUT, "skipNameField": _B, "isLabelSyncedWithName": _B},
            ("nameSingular", "namePlural", "labelSingular", "labelPlural"),
            closed=True,
        ),
        "ObjectForUpdate": _object(
            {
                **_OBJECT_INPUT,
                "isActive": _B,
                "isSearchable": _B,
                "isLabelSyncedWithName": _B,
                "labelIdentifierFieldMetadataId": nullable(_UUID),
                "imageIdentifierFieldMetadataId": nullable(_UUID),
                "openRecordIn": _OPEN_RECORD_IN,
            },
            closed=True,
        ),
        "Field": _object(
            {
                "id": _UUID,
                "universalIdentifier": _S,
                "type": field_type,
                **_FIELD_INPUT,
                "isNullable": nullable(_B),
                "isUnique": nullable(_B),
                "isLabelSyncedWithName": nullable(_B),
                "isCustom": nullable(_B),
                "isActive": nullable(_B),
                "isSystem": nullable(_B),
                "isUIEditable": nullable(_B),
                "objectMetadataId": _UUID,
                "morphId": nullable(_UUID),
                "applicationId": _UUID,
                "createdAt": _TIME,
                "updatedAt": _TIME,
                "relation": nullable(_object({"type": {"type": "string", "enum": ["MANY_TO_ONE", "ONE_TO_MANY"]}})),
            },
            ("id", "type", "name", "objectMetadataId"),
        ),
        "FieldForCreate": _object(
            {
                "objectMetadataId": _UUID,
                "type": field_type,
                **_FIELD_INPUT,
                "relationCreationPayload": {
                    "description": "for a RELATION: {type, targetObjectMetadataId, targetFieldLabel, targetFieldName?}"
                },
            },
            ("objectMetadataId", "type", "name", "label"),
            closed=True,
        ),
        "FieldForUpdate": _object({**_FIELD_INPUT, "isActive": _B}, closed=True),
        "ApiKey": _object(
            {
                "id": _UUID,
                "name": _S,
                "expiresAt": nullable(_TIME),
                "revokedAt": nullable(_TIME),
                "createdAt": _TIME,
                "updatedAt": _TIME,
                "token": {**nullable(_S), "description": "the Bearer token: returned once, on creation"},
            },
            ("id", "name"),
        ),
        "ApiKeyForCreate": _object(
            {"name": _S, "expiresAt": nullable(_TIME), "revokedAt": nullable(_TIME), "roleId": nullable(_UUID)},
            ("name",), closed=True,
        ),
        "Webhook": _object(
            {"id": _UUID, **_WEBHOOK_INPUT, "applicationId": _UUID, "createdAt": _TIME, "updatedAt": _TIME,
             "deletedAt": nullable(_TIME)},
            ("id", "targetUrl", "operations"),
        ),
        "WebhookForCreate": _object({"id": _UUID, **_WEBHOOK_INPUT}, ("targetUrl",), closed=True),
        "WebhookForUpdate": _object(_WEBHOOK_INPUT, closed=True),
        "Picklist": _object(
            {
                "objectNameSingular": _S,
                "fieldName": _S,
                "fieldId": _UUID,
                "type": _S,
                "options": {"type": "array", "items": {"type": "object"}},
            }
        ),
    }


def metadata_parameters() -> dict[str, Schema]:
    return {
        "limit": query_param(
            "limit",
            {"type": "integer", "minimum": 0, "maximum": 1000, "default": 1000},
            "Page size (default and maximum 1000).",
        ),
        "startingAfter": query_param(
            "starting_after", _UUID, "Cursor: the id of a record (a page's `pageInfo.endCursor`); the page after it."
        ),
        "endingBefore": query_param(
            "ending_before", _UUID, "Cursor: the id of a record (a page's `pageInfo.startCursor`); the page before it."
        ),
    }


@dataclass(frozen=True)
class _Resource:
    plural: str  # path segment, tag and list key
    singular: str  # key of one
    schema: str  # component name
    create: str  # envelope keys of the mutations
    update: str | None
    delete: str


_RESOURCES = (
    _Resource("objects", "object", "Object", "createOneObject", "updateOneObject", "deleteOneObject"),
    _Resource("fields", "field", "Field", "createOneField", "updateOneField", "deleteOneField"),
    _Resource("apiKeys", "apiKey", "ApiKey", "createApiKey", None, "revokeApiKey"),
    _Resource("webhooks", "webhook", "Webhook", "createWebhook", "updateWebhook", "deleteWebhook"),
)


def _paths(r: _Resource) -> dict[str, Schema]:
    item, tag = ref(r.schema), r.plural
    listed = ok(f"The {r.plural}", r.plural, {"type": "array", "items": item}, page=True)
    paging = ("limit", "startingAfter", "endingBefore")
    id_text = "the object's id, or its singular or plural name" if r.plural == "objects" else f"the {r.singular}'s id"
    by_id: Schema = {
        "get": operation(
            tag,
            f"findOne{r.schema}",
            f"Find one {r.singular}",
            {**ok(f"The {r.singular}", r.singular, item), **errors("404")},
            path_id=id_text,
        ),
        "delete": operation(
            tag,
            r.delete if r.delete == "revokeApiKey" else f"deleteOne{r.schema}",
            "Revoke an API key (it stops working at once)" if r.delete == "revokeApiKey" else f"Delete a {r.singular}",
            {
                **ok("Done", r.delete, item if r.delete == "revokeApiKey" else _object({"id": _UUID}, ("id",))),
                **errors("404"),
            },
            path_id=id_text,
        ),
    }
    if r.update is not None:
        by_id["patch"] = operation(
            tag,
            f"UpdateOne{r.schema}",
            f"Update a {r.singular}",
            {**ok(f"The updated {r.singular}", r.update, item), **errors("404", "409")},
            body=json_body(ref(f"{r.schema}ForUpdate"), "the properties to change"),
            path_id=id_text,
        )
    if r.plural == "objects":  # ids only, for the other verbs
        by_id["patch"]["parameters"][0]["schema"] = by_id["delete"]["parameters"][0]["schema"] = _UUID
        by_id["get"]["parameters"][0]["schema"] = _S
    create_errors = ("404", "409") if r.plural == "fields" else ("409",)  # 404: no such object
    links = tuple(o["operationId"] for o in by_id.values())
    return {
        f"/{r.plural}": {
            "get": operation(tag, f"findMany{r.schema}s", f"List {r.plural}", {**listed, **errors()}, paging),
            "post": operation(
                tag,
                r.create,
                f"Create a {r.singular}",
                {
                    **ok(f"The created {r.singular}", r.create, item, status="201", links_to=links),
                    **errors(*create_errors),
                },
                body=json_body(ref(f"{r.schema}ForCreate"), f"the {r.singular} to create"),
            ),
        },
        f"/{r.plural}/{{id}}": by_id,
    }


def metadata_paths() -> dict[str, Schema]:
    paths: dict[str, Schema] = {}
    for resource in _RESOURCES:
        paths.update(_paths(resource))
    picklists = {"type": "array", "items": ref("Picklist")}
    paths["/picklists"] = {
        "get": operation(
            "picklists",
            "findManyPicklists",
            "The options of every SELECT and MULTI_SELECT field",
            {**ok("The picklists", "picklists", picklists), **errors()},
        )
    }
    return paths
