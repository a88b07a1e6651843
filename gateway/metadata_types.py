"""The `Object`, `Field` and `Index` types of `/metadata`: every field Twenty's schema gives
them, computed from docgate's metadata documents.

Values docgate does not store as such are derived truthfully: `applicationId` names the
application that defined the metadata (Twenty's standard application, or the workspace's
own for custom metadata), `universalIdentifier` is stable for standard metadata across
workspaces, `indexMetadataList` lists the indexes docgate keeps, `duplicateCriteria` are
as set (`updateOneObject`), else those of Twenty's standard person and company.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from ariadne import ObjectType
from graphql import GraphQLResolveInfo

from schema_builder.metadata.field_types import RELATION
from schema_builder.metadata.indexes import object_indexes
from schema_builder.metadata.names import object_universal_identifier, universal_identifier
from schema_builder.search.duplicate_keys import STANDARD_DUPLICATE_CRITERIA

from .applications import application_id
from .metadata_paging import connection
from .metadata_snapshot import Doc, context_of, snapshot

# A deleted object's fields, kept on the returned document: they are gone from the store.
DELETED_FIELDS = "_deletedFieldsList"
FIELD_NORMALIZERS = {"type": lambda v: "RICH_TEXT" if v == "RICH_TEXT_V2" else v}

_SEARCH_NAMESPACE = uuid.UUID("3a0f6c52-9a1e-5d0b-8f3c-2b7e4d1a6c90")
# Properties filters compare that documents store with a default, or not at all.
OBJECT_VALUES = {
    "isUIEditable": lambda d: d.get("isUIEditable", True) is not False,
    "isUICreatable": lambda d: d.get("isUICreatable", True) is not False,
    "isUIReadOnly": lambda d: d.get("isUIEditable", True) is False,
    "isSearchable": lambda d: d.get("isSearchable", True) is not False,
    "isRemote": lambda d: bool(d.get("isRemote")),
}
FIELD_VALUES = {
    "isUIEditable": lambda d: d.get("isUIEditable", True) is not False,
    "isUIReadOnly": lambda d: d.get("isUIEditable", True) is False,
}

object_type = ObjectType("Object")
field_type = ObjectType("Field")


def _standard(doc: Mapping[str, Any]) -> bool:
    return doc.get("isCustom") is False


@object_type.field("id")
@field_type.field("id")
def resolve_id(doc: Doc, _: GraphQLResolveInfo) -> Any:
    return doc["_id"]


@object_type.field("applicationId")
@field_type.field("applicationId")
def resolve_application_id(doc: Doc, info: GraphQLResolveInfo) -> str:
    return application_id(context_of(info).workspace_id, standard=_standard(doc))


# ---- objects ------------------------------------------------------------------------------


@object_type.field("universalIdentifier")
def resolve_object_universal_identifier(obj: Doc, _: GraphQLResolveInfo) -> str:
    return object_universal_identifier(obj)


@object_type.field("isRemote")
def resolve_is_remote(obj: Doc, _: GraphQLResolveInfo) -> bool:
    return bool(obj.get("isRemote"))


@object_type.field("isUIEditable")
def resolve_object_ui_editable(obj: Doc, _: GraphQLResolveInfo) -> bool:
    return obj.get("isUIEditable", True) is not False


@object_type.field("isUICreatable")
def resolve_object_ui_creatable(obj: Doc, _: GraphQLResolveInfo) -> bool:
    return obj.get("isUICreatable", True) is not False


@object_type.field("isUIReadOnly")
def resolve_object_ui_read_only(obj: Doc, _: GraphQLResolveInfo) -> bool:
    return obj.get("isUIEditable", True) is False


@object_type.field("isSearchable")
def resolve_is_searchable(obj: Doc, _: GraphQLResolveInfo) -> bool:
    return obj.get("isSearchable", True) is not False


@object_type.field("isLabelSyncedWithName")
def resolve_object_label_synced(obj: Doc, _: GraphQLResolveInfo) -> bool:
    return bool(obj.get("isLabelSyncedWithName"))


@object_type.field("openRecordIn")
def resolve_open_record_in(obj: Doc, _: GraphQLResolveInfo) -> str:
    return str(obj.get("openRecordIn") or "SIDE_PANEL")


@object_type.field("duplicateCriteria")
def resolve_duplicate_criteria(obj: Doc, _: GraphQLResolveInfo) -> list[list[str]] | None:
    stored = obj.get("duplicateCriteria")
    if stored is not None:
        return list(stored)
    standard = STANDARD_DUPLICATE_CRITERIA.get(obj["nameSingular"]) if _standard(obj) else None
    return [list(group) for group in standard] if standard else None


@object_type.field("fieldsList")
async def resolve_fields_list(obj: Doc, info: GraphQLResolveInfo) -> list[Doc]:
    if DELETED_FIELDS in obj:
        deleted: list[Doc] = obj[DELETED_FIELDS]
        return deleted
    return (await snapshot(info)).fields_by_object.get(obj["_id"], [])


@object_type.field("fields")
async def resolve_object_fields(
    obj: Doc, info: GraphQLResolveInfo, paging: Mapping[str, Any] | None = None,
    filter: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return connection(await resolve_fields_list(obj, info), paging, filter, FIELD_NORMALIZERS, FIELD_VALUES)


@object_type.field("indexMetadataList")
async def resolve_index_list(obj: Doc, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return object_indexes(obj, await resolve_fields_list(obj, info))


@object_type.field("indexMetadatas")
async def resolve_indexes(
    obj: Doc, info: GraphQLResolveInfo, paging: Mapping[str, Any] | None = None,
    filter: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    indexes = [{**i, "_id": i["id"]} for i in await resolve_index_list(obj, info)]
    return connection(indexes, paging, filter)


@object_type.field("searchFieldMetadataList")
async def resolve_search_fields(obj: Doc, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    """The fields an object's searchVector is made of, as search reads them (its `searchFields`
    setting, else its label identifier, else `name`: see `schema_builder.search.vectors`)."""
    fields = await resolve_fields_list(obj, info)
    vector = next((f for f in fields if f["type"] == "TS_VECTOR"), None)
    by_name = {f["name"]: f for f in fields}
    if vector is None:
        return []
    names = (vector.get("settings") or {}).get("searchFields")
    if not isinstance(names, list):
        label = next((f for f in fields if f["_id"] == obj.get("labelIdentifierFieldMetadataId")), by_name.get("name"))
        names = [label["name"]] if label is not None else []
    found = []
    for position, name in enumerate(names):
        field = by_name.get(name)
        if field is None:
            continue
        found.append({
            "id": str(uuid.uuid5(_SEARCH_NAMESPACE, f"{vector['_id']}:{field['_id']}")),
            "fieldMetadataId": field["_id"],
            "tsVectorFieldMetadataId": vector["_id"],
            "position": float(position),
            "createdAt": vector.get("createdAt"),
            "updatedAt": vector.get("updatedAt"),
        })
    return found


# ---- fields -------------------------------------------------------------------------------


@field_type.field("universalIdentifier")
async def resolve_field_universal_identifier(doc: Doc, info: GraphQLResolveInfo) -> str:
    stored = doc.get("universalIdentifier")
    if stored:
        return str(stored)
    custom = bool(doc.get("isCustom", not doc.get("isSystem")))
    owner = (await snapshot(info)).objects.get(doc["objectMetadataId"])
    owner_key = object_universal_identifier(owner) if owner else doc["objectMetadataId"]
    return universal_identifier(custom, doc["_id"], f"{owner_key}:{doc['name']}")


@field_type.field("isUIReadOnly")
def resolve_field_ui_read_only(doc: Doc, _: GraphQLResolveInfo) -> bool:
    return doc.get("isUIEditable", True) is False


@field_type.field("settings")
def resolve_field_settings(doc: Doc, _: GraphQLResolveInfo) -> Any:
    """As stored; relations stored before the one-to-many side lost its onDelete action show
    none there, as Twenty's."""
    settings = doc.get("settings")
    if doc.get("type") == RELATION and isinstance(settings, Mapping) and "onDelete" in settings \
            and settings.get("relationType") != "MANY_TO_ONE":
        return {k: v for k, v in settings.items() if k != "onDelete"}
    return settings


@field_type.field("object")
async def resolve_field_object(doc: Doc, info: GraphQLResolveInfo) -> Doc | None:
    return (await snapshot(info)).objects.get(doc["objectMetadataId"])


def _relation(doc: Doc, snap: Any, target_id: str | None, target_field_id: str | None) -> dict[str, Any] | None:
    source = snap.objects.get(doc["objectMetadataId"])
    target = snap.objects.get(target_id or "")
    target_field = snap.fields_by_id.get(target_field_id or "")
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


@field_type.field("relation")
async def resolve_relation(doc: Doc, info: GraphQLResolveInfo) -> dict[str, Any] | None:
    if doc.get("type") != RELATION:
        return None
    snap = await snapshot(info)
    return _relation(doc, snap, doc.get("relationTargetObjectMetadataId"), doc.get("relationTargetFieldMetadataId"))


@field_type.field("morphRelations")
async def resolve_morph_relations(doc: Doc, info: GraphQLResolveInfo) -> list[dict[str, Any]] | None:
    """A MORPH_RELATION field's relations, one per target (its `morphRelations` targets)."""
    if doc.get("type") != "MORPH_RELATION":
        return None
    snap = await snapshot(info)
    targets = doc.get("morphRelations") or []
    found = [
        _relation(doc, snap, t.get("targetObjectMetadataId"), t.get("targetFieldMetadataId"))
        for t in targets if isinstance(t, Mapping)
    ]
    return [r for r in found if r is not None]


def bindables() -> list[ObjectType]:
    return [object_type, field_type]
