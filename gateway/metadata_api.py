"""The static `/metadata` GraphQL schema: objects, fields, API keys, with Twenty's names.

Every resolver works through `MetadataStore` (validation, storage consistency, version
bumps) scoped to the caller's workspace, so a key only ever sees its own workspace. Reads
share one load of the workspace's objects and fields per request (`metadata_snapshot`);
the `Object`, `Field` and `Index` types are resolved in `metadata_types`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ariadne import MutationType, QueryType, make_executable_schema
from graphql import GraphQLResolveInfo, GraphQLSchema

from schema_builder.compile.permissions import METADATA_API
from schema_builder.errors import BadUserInput, NotFound
from schema_builder.metadata.store import WORKSPACES
from schema_builder.permissions.model import READ
from schema_builder.permissions.scoped import scoped_collection
from schema_builder.synthesis.scalars import scalars

from .apikeys import (
    create_api_key,
    get_api_key,
    list_api_keys,
    new_api_key_token,
    public_view,
    revoke_api_key,
    update_api_key,
)
from .duplicate_criteria import KEY as CRITERIA
from .duplicate_criteria import check_criteria
from .metadata_paging import connection
from .metadata_sdl import metadata_sdl
from .metadata_snapshot import Doc, context_of, forget_snapshot, snapshot, store_of
from .metadata_types import DELETED_FIELDS, FIELD_NORMALIZERS, FIELD_VALUES, OBJECT_VALUES
from .metadata_types import bindables as type_bindables
from .permissions.api import bindables as permission_bindables
from .permissions.api import checked_role_for_key
from .permissions.versions import bump_access
from .realtime.event_streams import bindables as event_stream_bindables
from .webhooks.api import bindables as webhook_bindables

_SCALARS = {"UUID", "DateTime", "JSON", "ConnectionCursor"}
# Field properties that cannot be cleared: an explicit null means "leave as is".
_NOT_CLEARABLE = {"name", "label", "isActive", "isNullable", "isUnique", "isUIEditable", "isLabelSyncedWithName"}
# Properties of Twenty's UpdateFieldInput that identify a field rather than change it: sent
# back unchanged by clients that echo a field, refused if they differ.
_IDENTITY = ("universalIdentifier", "objectMetadataId", "isSystem")
_COUNT_TIME_LIMIT_MS = 5_000


def _present(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


query = QueryType()
mutation = MutationType()


# ---- reads ------------------------------------------------------------------------------


@query.field("objects")
async def resolve_objects(
    _: Any, info: GraphQLResolveInfo, paging: Mapping[str, Any] | None = None, filter: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    snap = await snapshot(info)
    return connection(list(snap.objects.values()), paging, filter, values=OBJECT_VALUES)


@query.field("object")
async def resolve_object(_: Any, info: GraphQLResolveInfo, id: str) -> Doc:
    doc = (await snapshot(info)).objects.get(id)
    if doc is None:
        raise NotFound(f"object '{id}' not found")
    return doc


@query.field("fields")
async def resolve_fields(
    _: Any, info: GraphQLResolveInfo, paging: Mapping[str, Any] | None = None, filter: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    snap = await snapshot(info)
    return connection(snap.fields, paging, filter, FIELD_NORMALIZERS, FIELD_VALUES)


@query.field("field")
async def resolve_field(_: Any, info: GraphQLResolveInfo, id: str) -> Doc:
    doc = (await snapshot(info)).fields_by_id.get(id)
    if doc is None:
        raise NotFound(f"field '{id}' not found")
    return doc


@query.field("objectRecordCounts")
async def resolve_record_counts(_: Any, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    """Records per active object, trash left out (one indexed count per object); for a
    restricted key, the objects and rows its role may read."""
    ctx = context_of(info)
    permissions = ctx.permissions
    counts = []
    for obj in (await snapshot(info)).objects.values():
        if obj.get("isActive") is False:
            continue
        records = ctx.db.records(ctx.workspace_id, obj["collectionName"])
        if permissions is not None:
            meta = permissions.model.by_id(obj["_id"])
            if meta is None or not permissions.can(meta, READ):
                continue
            records = scoped_collection(permissions, meta, records)
        total = await records.count_documents({"deletedAt": None}, maxTimeMS=_COUNT_TIME_LIMIT_MS)
        counts.append({"objectNamePlural": obj["namePlural"], "totalCount": total})
    return counts


@query.field("currentWorkspace")
async def resolve_current_workspace(_: Any, info: GraphQLResolveInfo) -> dict[str, Any]:
    ctx = context_of(info)
    doc = await ctx.db.control[WORKSPACES].find_one({"_id": ctx.workspace_id})
    if doc is None:
        raise NotFound(f"workspace '{ctx.workspace_id}' not found")
    return {"id": doc["_id"], "displayName": doc.get("displayName"), "metadataVersion": doc.get("metadataVersion", 0)}


@query.field("apiKeys")
async def resolve_api_keys(_: Any, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    ctx = context_of(info)
    return [public_view(d) for d in await list_api_keys(ctx.db.control, ctx.workspace_id)]


@query.field("apiKey")
async def resolve_api_key(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> dict[str, Any] | None:
    ctx = context_of(info)
    try:
        return public_view(await get_api_key(ctx.db.control, input["id"], ctx.workspace_id))
    except NotFound:
        return None  # as Twenty: an unknown key is null, not an error


# ---- object and field mutations ------------------------------------------------------------


@mutation.field("createOneObject")
async def resolve_create_object(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    data = _present(input["object"])
    if data.pop("isRemote", False):
        raise BadUserInput("remote objects are not supported: docgate stores every object itself")
    key_type = data.pop("primaryKeyColumnType", "UUID")
    if str(key_type).upper() != "UUID":
        raise BadUserInput(f"primaryKeyColumnType {key_type!r} is not supported: record ids are always UUIDs")
    data.pop("primaryKeyFieldMetadataSettings", None)
    forget_snapshot(info)
    doc = await store_of(info).create_object(data)
    forget_snapshot(info)
    return doc


@mutation.field("updateOneObject")
async def resolve_update_object(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    update = dict(input["update"])
    if update.get(CRITERIA) is not None:
        update[CRITERIA] = await check_criteria(store_of(info), input["id"], update[CRITERIA])
    forget_snapshot(info)
    doc = await store_of(info).update_object(input["id"], update)
    forget_snapshot(info)
    return doc


@mutation.field("deleteOneObject")
async def resolve_delete_object(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    store = store_of(info)
    fields = await store.list_fields(input["id"])
    forget_snapshot(info)
    doc = await store.delete_object(input["id"])
    forget_snapshot(info)
    return {**doc, DELETED_FIELDS: fields}


@mutation.field("createOneField")
async def resolve_create_field(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    data = _present(input["field"])
    data.pop("isRemoteCreation", None)
    if data.pop("morphRelationsCreationPayload", None) is not None and data.get("type") != "MORPH_RELATION":
        raise BadUserInput("morphRelationsCreationPayload is only allowed on MORPH_RELATION fields")
    if "isUIReadOnly" in data:
        data.setdefault("isUIEditable", not data.pop("isUIReadOnly"))
    for key in ("isSystem", "isCustom", "universalIdentifier"):
        if data.pop(key, None):
            raise BadUserInput(f"{key} cannot be set by a client: docgate marks its own fields")
    forget_snapshot(info)
    doc = await store_of(info).create_field(data)
    forget_snapshot(info)
    return doc


@mutation.field("updateOneField")
async def resolve_update_field(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    update = {k: v for k, v in input["update"].items() if v is not None or k not in _NOT_CLEARABLE}
    if "isUIReadOnly" in update:
        read_only = update.pop("isUIReadOnly")
        if read_only is not None:
            update.setdefault("isUIEditable", not read_only)
    if update.pop("morphRelationsUpdatePayload", None) is not None:
        raise BadUserInput("morphRelationsUpdatePayload is not supported: docgate has no morph relations to update")
    store = store_of(info)
    current = (await snapshot(info)).fields_by_id.get(input["id"])
    for key in _IDENTITY:
        if key in update:
            value = update.pop(key)
            if current is not None and value is not None and value != current.get(key, value):
                raise BadUserInput(f"{key} of a field cannot be changed")
    forget_snapshot(info)
    doc = await store.update_field(input["id"], update)
    forget_snapshot(info)
    return doc


@mutation.field("deleteOneField")
async def resolve_delete_field(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    forget_snapshot(info)
    doc = await store_of(info).delete_field(input["id"])
    forget_snapshot(info)
    return doc


# ---- API keys ----------------------------------------------------------------------------


def _date(value: Any, what: str) -> dt.datetime | None:
    """An ISO date sent as a string (Twenty's `expiresAt: String`)."""
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        shown = str(value)[:60]
        raise BadUserInput(f"{what} must be an ISO date such as 2030-01-31T00:00:00Z, got {shown!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


async def _keys_changed(info: GraphQLResolveInfo) -> None:
    """A key changed (revoked, expiry moved, token replaced): every replica drops the keys it
    verified in this workspace, this one at once (the workspace's access version)."""
    ctx = context_of(info)
    await bump_access(ctx.db.control, ctx.workspace_id, ctx.on_access_change)


@mutation.field("createApiKey")
async def resolve_create_api_key(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> dict[str, Any]:
    ctx = context_of(info)
    role_id = await checked_role_for_key(info, input.get("roleId"))
    doc, token = await create_api_key(
        ctx.db.control, ctx.workspace_id, input["name"], _date(input.get("expiresAt"), "expiresAt"), role_id
    )
    if input.get("revokedAt") is not None:
        doc = await update_api_key(ctx.db.control, doc["_id"], ctx.workspace_id,
                                   {"revokedAt": _date(input["revokedAt"], "revokedAt")})
    return {**public_view(doc), "token": token}  # the only time the token is ever shown


@mutation.field("updateApiKey")
async def resolve_update_api_key(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> dict[str, Any] | None:
    ctx = context_of(info)
    changes: dict[str, Any] = {}
    if input.get("name") is not None:
        changes["name"] = input["name"]
    for key in ("expiresAt", "revokedAt"):
        if key in input and input[key] is not None:
            changes[key] = _date(input[key], key)
    try:
        doc = await update_api_key(ctx.db.control, input["id"], ctx.workspace_id, changes)
    except NotFound:
        return None
    await _keys_changed(info)
    return public_view(doc)


@mutation.field("revokeApiKey")
async def resolve_revoke_api_key(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> dict[str, Any]:
    ctx = context_of(info)
    doc = await revoke_api_key(ctx.db.control, input["id"], ctx.workspace_id)
    await _keys_changed(info)
    return public_view(doc)


@mutation.field("generateApiKeyToken")
async def resolve_generate_token(_: Any, info: GraphQLResolveInfo, apiKeyId: str, expiresAt: str) -> dict[str, Any]:
    ctx = context_of(info)
    token = await new_api_key_token(ctx.db.control, apiKeyId, ctx.workspace_id, _date(expiresAt, "expiresAt"))
    await _keys_changed(info)
    return {"token": token}


def build_metadata_schema() -> GraphQLSchema:
    """The `/metadata` schema: the same for every workspace, built once per process."""
    bindables = [s for s in scalars() if s.name in _SCALARS]
    schema: GraphQLSchema = make_executable_schema(
        metadata_sdl(), query, mutation, *type_bindables(), *webhook_bindables(), *event_stream_bindables(),
        *permission_bindables(), *bindables
    )
    schema.extensions["docgate.api"] = METADATA_API  # the compile step checks its fields by permission flag
    return schema
