"""The static `/metadata` GraphQL schema: objects, fields, API keys, with Twenty's names.

Every resolver works through `MetadataStore` (validation, storage consistency, version
bumps) scoped to the caller's workspace, so a key only ever sees its own workspace. Reads
share one load of the workspace's objects and fields per request (cached on
`context.loaders`), whatever the number of objects, fields and relations selected.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ariadne import MutationType, ObjectType, QueryType, make_executable_schema
from graphql import GraphQLResolveInfo, GraphQLSchema

from schema_builder.context import RequestContext
from schema_builder.errors import BadUserInput, NotFound
from schema_builder.metadata.field_types import RELATION, canonical_type
from schema_builder.metadata.store import WORKSPACES, MetadataStore
from schema_builder.synthesis.scalars import scalars

from .apikeys import create_api_key, get_api_key, list_api_keys, public_view, revoke_api_key
from .duplicate_criteria import KEY as CRITERIA
from .duplicate_criteria import check_criteria, shown_criteria
from .metadata_paging import connection
from .metadata_sdl import metadata_sdl
from .webhooks.api import bindables as webhook_bindables

Doc = dict[str, Any]

_SNAPSHOT = "metadata_api.snapshot"
# A deleted object's fields, kept on the returned document: they are gone from the store.
_DELETED_FIELDS = "_deletedFieldsList"
_SCALARS = {"UUID", "DateTime", "JSON", "ConnectionCursor"}
_FIELD_NORMALIZERS = {"type": lambda v: canonical_type(str(v))}
# Field properties that cannot be cleared: an explicit null means "leave as is".
_NOT_CLEARABLE = {"name", "label", "isActive", "isNullable", "isUnique", "isUIEditable", "isLabelSyncedWithName"}


@dataclass
class Snapshot:
    """The workspace's objects and fields, as of one load."""

    objects: dict[str, Doc]
    fields: list[Doc]
    fields_by_id: dict[str, Doc] = field(default_factory=dict)
    fields_by_object: dict[str, list[Doc]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for doc in self.fields:
            self.fields_by_id[doc["_id"]] = doc
            self.fields_by_object.setdefault(doc["objectMetadataId"], []).append(doc)


def _context(info: GraphQLResolveInfo) -> RequestContext:
    context: RequestContext = info.context
    return context


def store_of(info: GraphQLResolveInfo) -> MetadataStore:
    ctx = _context(info)
    return MetadataStore(ctx.db.control, ctx.db.workspace(ctx.workspace_id), ctx.workspace_id, ctx.on_metadata_change)


async def _load(store: MetadataStore) -> Snapshot:
    objects = await store.list_objects()
    fields = await store.list_fields()
    by_id = {o["_id"]: o for o in sorted(objects, key=lambda o: str(o["_id"]))}
    return Snapshot(by_id, sorted(fields, key=lambda f: str(f["_id"])))


async def snapshot(info: GraphQLResolveInfo) -> Snapshot:
    """The request's one load of the metadata; concurrent resolvers share it."""
    loaders = _context(info).loaders
    task = loaders.get(_SNAPSHOT)
    if task is None:
        task = asyncio.ensure_future(_load(store_of(info)))
        loaders[_SNAPSHOT] = task
    result: Snapshot = await task
    return result


def _forget_snapshot(info: GraphQLResolveInfo) -> None:
    _context(info).loaders.pop(_SNAPSHOT, None)


def _present(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


query = QueryType()
mutation = MutationType()
object_type = ObjectType("Object")
field_type = ObjectType("Field")


# ---- reads ------------------------------------------------------------------------------


@query.field("objects")
async def resolve_objects(
    _: Any, info: GraphQLResolveInfo, paging: Mapping[str, Any] | None = None, filter: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    snap = await snapshot(info)
    return connection(list(snap.objects.values()), paging, filter)


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
    return connection(snap.fields, paging, filter, _FIELD_NORMALIZERS)


@query.field("field")
async def resolve_field(_: Any, info: GraphQLResolveInfo, id: str) -> Doc:
    doc = (await snapshot(info)).fields_by_id.get(id)
    if doc is None:
        raise NotFound(f"field '{id}' not found")
    return doc


@query.field("currentWorkspace")
async def resolve_current_workspace(_: Any, info: GraphQLResolveInfo) -> dict[str, Any]:
    ctx = _context(info)
    doc = await ctx.db.control[WORKSPACES].find_one({"_id": ctx.workspace_id})
    if doc is None:
        raise NotFound(f"workspace '{ctx.workspace_id}' not found")
    return {"id": doc["_id"], "displayName": doc.get("displayName"), "metadataVersion": doc.get("metadataVersion", 0)}


@query.field("apiKeys")
async def resolve_api_keys(_: Any, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    ctx = _context(info)
    return [public_view(d) for d in await list_api_keys(ctx.db.control, ctx.workspace_id)]


@query.field("apiKey")
async def resolve_api_key(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> dict[str, Any] | None:
    ctx = _context(info)
    try:
        return public_view(await get_api_key(ctx.db.control, input["id"], ctx.workspace_id))
    except NotFound:
        return None  # as Twenty: an unknown key is null, not an error


@object_type.field("id")
@field_type.field("id")
def resolve_id(doc: Doc, _: GraphQLResolveInfo) -> Any:
    return doc["_id"]


@object_type.field("fieldsList")
async def resolve_fields_list(obj: Doc, info: GraphQLResolveInfo) -> list[Doc]:
    if _DELETED_FIELDS in obj:
        deleted: list[Doc] = obj[_DELETED_FIELDS]
        return deleted
    return (await snapshot(info)).fields_by_object.get(obj["_id"], [])


@object_type.field("fields")
async def resolve_object_fields(
    obj: Doc, info: GraphQLResolveInfo, paging: Mapping[str, Any] | None = None,
    filter: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return connection(await resolve_fields_list(obj, info), paging, filter, _FIELD_NORMALIZERS)


@object_type.field(CRITERIA)
def resolve_duplicate_criteria(obj: Doc, _: GraphQLResolveInfo) -> list[list[str]] | None:
    return shown_criteria(obj)


@object_type.field("isRemote")
def resolve_is_remote(obj: Doc, _: GraphQLResolveInfo) -> bool:
    return bool(obj.get("isRemote"))


@field_type.field("relation")
async def resolve_relation(doc: Doc, info: GraphQLResolveInfo) -> dict[str, Any] | None:
    if doc.get("type") != RELATION:
        return None
    snap = await snapshot(info)
    source = snap.objects.get(doc["objectMetadataId"])
    target = snap.objects.get(doc.get("relationTargetObjectMetadataId") or "")
    target_field = snap.fields_by_id.get(doc.get("relationTargetFieldMetadataId") or "")
    kind = (doc.get("settings") or {}).get("relationType")
    if source is None or target is None or target_field is None or kind is None:
        return None  # a half-deleted relation (e.g. the field a deleteOneField returns)
    return {
        "type": kind,
        "sourceObjectMetadata": source,
        "targetObjectMetadata": target,
        "sourceFieldMetadata": doc,
        "targetFieldMetadata": target_field,
    }


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
    _forget_snapshot(info)
    doc = await store_of(info).create_object(data)
    _forget_snapshot(info)
    return doc


@mutation.field("updateOneObject")
async def resolve_update_object(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    update = input["update"]
    for key in ("labelIdentifierFieldMetadataId", "imageIdentifierFieldMetadataId"):
        if update.get(key) is not None:
            target = (await snapshot(info)).fields_by_id.get(update[key])
            if target is not None and target["objectMetadataId"] == input["id"]:
                continue
            raise BadUserInput(f"{key} '{update[key]}' is not a field of object '{input['id']}'")
    update = dict(update)
    if update.get(CRITERIA) is not None:
        update[CRITERIA] = await check_criteria(store_of(info), input["id"], update[CRITERIA])
    _forget_snapshot(info)
    doc = await store_of(info).update_object(input["id"], update)
    _forget_snapshot(info)
    return doc


@mutation.field("deleteOneObject")
async def resolve_delete_object(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    store = store_of(info)
    fields = await store.list_fields(input["id"])
    _forget_snapshot(info)
    doc = await store.delete_object(input["id"])
    _forget_snapshot(info)
    return {**doc, _DELETED_FIELDS: fields}


@mutation.field("createOneField")
async def resolve_create_field(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    data = _present(input["field"])
    data.pop("isRemoteCreation", None)
    _forget_snapshot(info)
    doc = await store_of(info).create_field(data)
    _forget_snapshot(info)
    return doc


@mutation.field("updateOneField")
async def resolve_update_field(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    update = {k: v for k, v in input["update"].items() if v is not None or k not in _NOT_CLEARABLE}
    _forget_snapshot(info)
    doc = await store_of(info).update_field(input["id"], update)
    _forget_snapshot(info)
    return doc


@mutation.field("deleteOneField")
async def resolve_delete_field(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> Doc:
    _forget_snapshot(info)
    doc = await store_of(info).delete_field(input["id"])
    _forget_snapshot(info)
    return doc


# ---- API keys ----------------------------------------------------------------------------


@mutation.field("createApiKey")
async def resolve_create_api_key(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> dict[str, Any]:
    ctx = _context(info)
    doc, token = await create_api_key(ctx.db.control, ctx.workspace_id, input["name"], input.get("expiresAt"))
    return {**public_view(doc), "token": token}  # the only time the token is ever shown


@mutation.field("revokeApiKey")
async def resolve_revoke_api_key(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> dict[str, Any]:
    ctx = _context(info)
    doc = await revoke_api_key(ctx.db.control, input["id"], ctx.workspace_id)
    if ctx.on_metadata_change is not None:
        # Not a metadata change, but the hook also drops this replica's cache of verified
        # keys, so the revoked token stops working at once.
        workspace = await ctx.db.control[WORKSPACES].find_one({"_id": ctx.workspace_id}, {"metadataVersion": 1})
        ctx.on_metadata_change(ctx.workspace_id, int((workspace or {}).get("metadataVersion", 0)))
    return public_view(doc)


def build_metadata_schema() -> GraphQLSchema:
    """The `/metadata` schema: the same for every workspace, built once per process."""
    bindables = [s for s in scalars() if s.name in _SCALARS]
    schema: GraphQLSchema = make_executable_schema(
        metadata_sdl(), query, mutation, object_type, field_type, *webhook_bindables(), *bindables
    )
    return schema
