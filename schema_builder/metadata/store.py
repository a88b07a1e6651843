"""Persistence of a workspace's metadata documents, keeping record storage consistent.

Objects and fields live in the control database (`objectMetadata`, `fieldMetadata`); each
object's records in a collection of the workspace database. Every change here also
changes storage (collections, indexes, renamed or removed values) and bumps the
workspace's `metadataVersion`, which is what invalidates cached schemas.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure

from schema_builder.errors import BadUserInput, DocgateError, MetadataValidationFailed, NotFound, ServiceUnavailable
from schema_builder.ids import new_id
from schema_builder.json_values import check_storable
from schema_builder.metadata.checks import (
    checked_field_deletion,
    checked_field_update,
    checked_new_field,
    checked_new_object,
    checked_object_deletion,
    checked_object_update,
    field_not_found,
)
from schema_builder.metadata.field_types import COMPOSITE_TYPES, RELATION
from schema_builder.metadata.model import (
    MANY_TO_ONE,
    ONE_TO_MANY,
    SYSTEM_FIELD_NAMES,
    WorkspaceModel,
    model_from_documents,
)
from schema_builder.metadata.names import (
    name_from_label,
    object_universal_identifier,
    problem,
    universal_identifier,
)
from schema_builder.metadata.search_indexes import create_search_indexes

OBJECTS = "objectMetadata"
FIELDS = "fieldMetadata"
WORKSPACES = "workspaces"

OBJECT_UPDATABLE = {
    "labelSingular",
    "labelPlural",
    "nameSingular",
    "namePlural",
    "description",
    "icon",
    "shortcut",
    "color",
    "isActive",
    "labelIdentifierFieldMetadataId",
    "imageIdentifierFieldMetadataId",
    "isLabelSyncedWithName",
    "isSearchable",
    "duplicateCriteria",  # docgate's: checked by the Metadata API against the object's columns
    "openRecordIn",
    "translations",
}
FIELD_UPDATABLE = {
    "name",
    "label",
    "description",
    "icon",
    "isActive",
    "isNullable",
    "isUnique",
    "defaultValue",
    "options",
    "settings",
    "isLabelSyncedWithName",
    "isUIEditable",
    "translations",
}

_SYSTEM_FIELDS: tuple[dict[str, Any], ...] = (
    {"name": "id", "label": "Id", "type": "UUID", "isNullable": False, "isUnique": True},
    {"name": "createdAt", "label": "Creation date", "type": "DATE_TIME", "isNullable": False, "defaultValue": "now"},
    {"name": "updatedAt", "label": "Last update", "type": "DATE_TIME", "isNullable": False, "defaultValue": "now"},
    {"name": "deletedAt", "label": "Deleted at", "type": "DATE_TIME"},
    {"name": "position", "label": "Position", "type": "POSITION"},
    {"name": "createdBy", "label": "Created by", "type": "ACTOR"},
    {"name": "updatedBy", "label": "Updated by", "type": "ACTOR"},
    {"name": "searchVector", "label": "Search vector", "type": "TS_VECTOR"},
)
assert tuple(f["name"] for f in _SYSTEM_FIELDS) == SYSTEM_FIELD_NAMES
# Field properties typed JSON in the metadata schema, stored as given (after validation).
JSON_PROPERTIES = ("defaultValue", "options", "settings")


def now() -> datetime:
    return datetime.now(UTC)


def check_json_properties(values: Mapping[str, Any], field_name: str) -> None:
    """The JSON properties of a field (new or changed) must be storable: no NUL or '$' keys, …"""
    for key in JSON_PROPERTIES:
        if key in values:
            check_storable(values[key], key, f"'{key}' of field '{field_name}'")


@contextlib.asynccontextmanager
async def _names_taken_concurrently(collection: Any = None, inserted: list[str] | None = None) -> AsyncIterator[None]:
    """A name checked as free, then taken by a concurrent request before this one wrote it:
    the unique indexes on names refuse the write (and a half-made pair is removed)."""
    try:
        yield
    except (DuplicateKeyError, BulkWriteError) as exc:
        if collection is not None and inserted:
            await collection.delete_many({"_id": {"$in": inserted}})
        details: Mapping[str, Any] = exc.details or {}
        first_error: dict[str, Any] = next(iter(details.get("writeErrors") or []), {})
        clash: dict[str, Any] = details.get("keyValue") or first_error.get("keyValue") or {}
        named = ", ".join(f"{k} '{v}'" for k, v in clash.items() if k not in ("workspaceId", "objectMetadataId"))
        raise BadUserInput(
            f"the name is already taken{f' ({named})' if named else ''}: another request made it at the same time"
        ) from None


@contextlib.asynccontextmanager
async def _undone_on_failure(undo: Callable[[], Awaitable[Any]], what: str) -> AsyncIterator[None]:
    """A metadata change is all or nothing: when a step after its first write fails (an index
    the database could not build, a lost connection), `undo` removes what was written and
    the client is told nothing was changed, so the same request can simply be sent again."""
    try:
        yield
    except BaseException as exc:
        try:
            await undo()
        except Exception as undo_failed:
            raise ServiceUnavailable(
                f"creating {what} failed and could not be fully undone ({type(undo_failed).__name__}); "
                "try again shortly"
            ) from exc
        if isinstance(exc, DocgateError) or not isinstance(exc, Exception):
            raise
        raise ServiceUnavailable(
            f"the database could not create the storage of {what} ({_short(exc)}); nothing was changed: "
            "send the request again"
        ) from exc


def _short(exc: BaseException) -> str:
    text = str(exc).split(", full error:")[0]
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__


def _bson_type(field: Mapping[str, Any]) -> str:
    """The BSON type a unique field's set values have (what its partial index covers)."""
    return {"NUMBER": "number", "NUMERIC": "number", "DATE_TIME": "date", "BOOLEAN": "bool"}.get(
        field["type"], "string"
    )


def unique_index_keys(field: Mapping[str, Any]) -> list[str]:
    """The stored paths a unique field compares: composite fields use their key sub-fields."""
    composite = COMPOSITE_TYPES.get(field["type"])
    if composite is not None:
        return [f"{field['name']}.{sub}" for sub in composite.unique_key]
    if field["type"] == RELATION:
        return [f"{field['name']}Id"]
    return [str(field["name"])]


async def _index_join_column(collection: Any, column: str) -> None:
    """The indexes relation reads go through. Live records' (`{deletedAt: null, column: {$in}}`)
    lead with deletedAt: the embedded store uses an index only when its leading keys are the
    filter's equalities, with at most one `$in` after them. Cascades and reads that include
    deleted records use the other."""
    await collection.create_index([("deletedAt", 1), (column, 1), ("_id", 1)])
    await collection.create_index([(column, 1), ("_id", 1)])


class MetadataStore:
    """The metadata of one workspace. `on_change(workspace_id, version)` hears every bump."""

    def __init__(
        self,
        control: Any,
        records: Any,
        workspace_id: str,
        on_change: Callable[[str, int], None] | None = None,
    ) -> None:
        self.objects = control[OBJECTS]
        self.fields = control[FIELDS]
        self.workspaces = control[WORKSPACES]
        self.records = records
        self.workspace_id = workspace_id
        self.on_change = on_change

    # ---- reads -------------------------------------------------------------------------

    async def list_objects(self) -> list[dict[str, Any]]:
        cursor = self.objects.find({"workspaceId": self.workspace_id}).sort("nameSingular", 1)
        return list(await cursor.to_list(None))

    async def get_object(self, object_id: str) -> dict[str, Any]:
        doc = await self.objects.find_one({"_id": object_id, "workspaceId": self.workspace_id})
        if doc is None:
            raise NotFound(f"object '{object_id}' not found")
        return dict(doc)

    async def find_object_by_name(self, name: str) -> dict[str, Any]:
        doc = await self.objects.find_one(
            {"workspaceId": self.workspace_id, "$or": [{"nameSingular": name}, {"namePlural": name}]}
        )
        if doc is None:
            raise NotFound(f"object '{name}' not found")
        return dict(doc)

    async def list_fields(self, object_id: str | None = None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"workspaceId": self.workspace_id}
        if object_id is not None:
            query["objectMetadataId"] = object_id
        cursor = self.fields.find(query).sort([("objectMetadataId", 1), ("_id", 1)])
        return list(await cursor.to_list(None))

    async def get_field(self, field_id: str) -> dict[str, Any]:
        doc = await self.fields.find_one({"_id": field_id, "workspaceId": self.workspace_id})
        if doc is None:
            raise NotFound(f"field '{field_id}' not found")
        return dict(doc)

    async def version(self) -> int:
        doc = await self.workspaces.find_one({"_id": self.workspace_id}, {"metadataVersion": 1})
        return int(doc.get("metadataVersion", 0)) if doc else 0

    async def load_model(self) -> WorkspaceModel:
        version = await self.version()
        objects = await self.list_objects()
        fields = await self.list_fields()
        return model_from_documents(self.workspace_id, version, objects, fields)

    # ---- objects -----------------------------------------------------------------------

    async def create_object(self, data: Mapping[str, Any]) -> dict[str, Any]:
        data = checked_new_object({**data, "id": data.get("id") or new_id()}, await self.list_objects())
        object_id = str(data["id"])
        stamp = now()
        custom = bool(data.get("isCustom", True))
        doc: dict[str, Any] = {
            "_id": object_id,
            "workspaceId": self.workspace_id,
            "universalIdentifier": data.get("universalIdentifier") or universal_identifier(
                custom, object_id, data["nameSingular"]),
            "nameSingular": data["nameSingular"],
            "namePlural": data["namePlural"],
            "labelSingular": data["labelSingular"],
            "labelPlural": data["labelPlural"],
            "description": data.get("description"),
            "icon": data.get("icon"),
            "shortcut": data.get("shortcut"),
            "color": data.get("color"),
            "isCustom": custom,
            "isSystem": bool(data.get("isSystem", False)),
            "isActive": True,
            "isRemote": False,
            "isSearchable": bool(data.get("isSearchable", True)),
            # docgate writes its records itself (the timeline): see ObjectMeta.audit_log.
            "isAuditLog": bool(data.get("isAuditLog", False)),
            "isUIEditable": data.get("isUIEditable", True) is not False,
            "isUICreatable": data.get("isUICreatable", True) is not False,
            "openRecordIn": data.get("openRecordIn") or "SIDE_PANEL",
            "isLabelSyncedWithName": bool(data.get("isLabelSyncedWithName", False)),
            "collectionName": await self._free_collection_name(data["nameSingular"]),
            "labelIdentifierFieldMetadataId": None,
            "imageIdentifierFieldMetadataId": None,
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        async with _names_taken_concurrently():
            await self.objects.insert_one(doc)
        async with _undone_on_failure(lambda: self._undo_object(doc), f"object '{doc['nameSingular']}'"):
            field_docs = [self._field_doc(object_id, {**f, "isSystem": True}, doc) for f in _SYSTEM_FIELDS]
            if not data.get("skipNameField"):
                name_field = self._field_doc(object_id, {"name": "name", "label": "Name", "type": "TEXT"}, doc)
                field_docs.append(name_field)
                doc["labelIdentifierFieldMetadataId"] = name_field["_id"]
                await self.objects.update_one(
                    {"_id": object_id}, {"$set": {"labelIdentifierFieldMetadataId": name_field["_id"]}}
                )
            await self.fields.insert_many(field_docs)
            collection = self.records[doc["collectionName"]]
            for key in ("createdAt", "deletedAt", "position"):
                await collection.create_index([(key, 1), ("_id", 1)])
            await create_search_indexes(collection)  # before any record, see search_indexes
        await self._bump()
        return doc

    async def _undo_object(self, doc: Mapping[str, Any]) -> None:
        """Remove what a failed create_object made: its fields, its collection, the object."""
        await self.fields.delete_many({"objectMetadataId": doc["_id"]})
        await self.records[doc["collectionName"]].drop()
        await self.objects.delete_one({"_id": doc["_id"]})

    async def _free_collection_name(self, name: str) -> str:
        taken = {o.get("collectionName") for o in await self.list_objects()}
        return name if name not in taken else f"{name}_{uuid.uuid4().hex[:8]}"

    async def update_object(
        self, object_id: str, update: Mapping[str, Any], *, internal: bool = False
    ) -> dict[str, Any]:
        current = await self.get_object(object_id)
        unknown = set(update) - OBJECT_UPDATABLE
        if unknown:
            raise BadUserInput(f"these object properties cannot be updated: {', '.join(sorted(unknown))}")
        clearable = {"description", "icon", "shortcut", "color", "labelIdentifierFieldMetadataId",
                     "imageIdentifierFieldMetadataId"}
        wanted = {k: v for k, v in update.items() if v is not None or k in clearable}
        changes = checked_object_update(
            current, wanted, await self.list_objects(), await self.list_fields(object_id), internal=internal
        )
        changes["updatedAt"] = now()
        async with _names_taken_concurrently():
            await self.objects.update_one({"_id": object_id}, {"$set": changes})
        await self._bump()
        return {**current, **changes}

    async def delete_object(self, object_id: str) -> dict[str, Any]:
        current = await self.get_object(object_id)
        checked_object_deletion(current)
        inbound = await self.fields.find(
            {
                "workspaceId": self.workspace_id,
                "relationTargetObjectMetadataId": object_id,
                "objectMetadataId": {"$ne": object_id},
            }
        ).to_list(None)
        for relation in inbound:
            await self._remove_field_storage(relation)
            await self.fields.delete_one({"_id": relation["_id"]})
        await self.fields.delete_many({"objectMetadataId": object_id})
        await self.objects.delete_one({"_id": object_id})
        await self.records[current["collectionName"]].drop()
        await self._bump()
        return current

    # ---- fields ------------------------------------------------------------------------

    def _field_doc(
        self, object_id: str, data: Mapping[str, Any], owner: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        stamp = now()
        field_id = str(data.get("id") or new_id())
        custom = bool(data.get("isCustom", not data.get("isSystem")))
        owner_key = object_universal_identifier(owner) if owner is not None else object_id
        doc = {
            "_id": field_id,
            "workspaceId": self.workspace_id,
            "objectMetadataId": object_id,
            "universalIdentifier": data.get("universalIdentifier")
            or universal_identifier(custom, field_id, f"{owner_key}:{data['name']}"),
            "name": data["name"],
            "label": data.get("label") or data["name"],
            "type": data["type"],
            "description": data.get("description"),
            "icon": data.get("icon"),
            "isCustom": custom,
            "isSystem": bool(data.get("isSystem", False)),
            "isActive": data.get("isActive", True) is not False,
            "isNullable": data.get("isNullable", True) is not False,
            "isUnique": bool(data.get("isUnique", False)),
            "isUIEditable": data.get("isUIEditable", not data.get("isSystem", False)) is not False,
            "isLabelSyncedWithName": bool(data.get("isLabelSyncedWithName", False)),
            "defaultValue": data.get("defaultValue"),
            "options": data.get("options"),
            "settings": data.get("settings"),
            "relationTargetObjectMetadataId": data.get("relationTargetObjectMetadataId"),
            "relationTargetFieldMetadataId": data.get("relationTargetFieldMetadataId"),
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        check_json_properties(doc, doc["name"])
        return doc

    async def set_field_properties(self, field_id: str, values: Mapping[str, Any]) -> None:
        """Set properties the standard data model maintains, not clients (older names of a
        field, a relation's onDelete): `values` may use dotted paths (`settings.onDelete`)."""
        await self.fields.update_one({"_id": field_id, "workspaceId": self.workspace_id}, {"$set": dict(values)})
        await self._bump()

    async def ensure_system_fields(self, object_id: str) -> list[str]:
        """Add the system fields an object made by an earlier release lacks; their names."""
        present = {f["name"] for f in await self.list_fields(object_id)}
        missing = [self._field_doc(object_id, {**f, "isSystem": True}) for f in _SYSTEM_FIELDS
                   if f["name"] not in present]
        if missing:
            async with _names_taken_concurrently():
                await self.fields.insert_many(missing)
            await self._bump()
        return [doc["name"] for doc in missing]

    async def create_field(self, data: Mapping[str, Any], *, internal: bool = False) -> dict[str, Any]:
        """A new field; `internal` for docgate's own (standard fields, seeded), which may use the
        types and names Twenty keeps for itself."""
        object_id = data.get("objectMetadataId")
        if not isinstance(object_id, str):
            raise BadUserInput("objectMetadataId should not be empty")
        try:
            owner = await self.get_object(object_id)
        except NotFound:
            raise MetadataValidationFailed("fieldMetadata", "create_field", {"objectMetadataId": object_id}, [
                problem("OBJECT_METADATA_NOT_FOUND", "Object metadata not found", object_id,
                        friendly="Field to create related object not found")
            ]) from None
        internal = internal or data.get("isCustom") is False
        data = checked_new_field(data, await self.list_fields(object_id), internal=internal)
        if data["type"] == RELATION:
            return await self._create_relation(owner, data["name"], data)
        if data.get("relationCreationPayload"):
            raise BadUserInput("relationCreationPayload is only allowed on RELATION fields")
        doc = self._field_doc(object_id, data, owner)
        if doc["isUnique"]:
            await self._create_unique_index(owner, doc)
        async with _names_taken_concurrently():
            await self.fields.insert_one(doc)
        await self._bump()
        return doc

    async def _create_relation(self, owner: Mapping[str, Any], name: str, data: Mapping[str, Any]) -> dict[str, Any]:
        payload = data.get("relationCreationPayload")
        if not isinstance(payload, Mapping):
            raise BadUserInput(
                "a RELATION field needs relationCreationPayload: {type, targetObjectMetadataId, targetFieldLabel}"
            )
        kind = payload.get("type")
        if kind not in (MANY_TO_ONE, ONE_TO_MANY):
            raise BadUserInput(f"relationCreationPayload.type must be MANY_TO_ONE or ONE_TO_MANY, got {kind!r}")
        target_id = payload.get("targetObjectMetadataId")
        if not isinstance(target_id, str):
            raise BadUserInput("relationCreationPayload.targetObjectMetadataId is required")
        target = await self.get_object(target_id)
        label = payload.get("targetFieldLabel")
        if not isinstance(label, str) or not label.strip():
            raise BadUserInput("relationCreationPayload.targetFieldLabel is required")
        inverse_name = payload.get("targetFieldName") or name_from_label(label)
        target_fields = await self.list_fields(target_id)
        if target_id == owner["_id"]:
            target_fields = [*target_fields, {"_id": "", "name": name, "type": RELATION, "settings": {
                "relationType": kind}}]
        inverse_spec = {"name": inverse_name, "label": label, "type": RELATION, "isCustom": data.get("isCustom"),
                        "relationCreationPayload": {"type": ONE_TO_MANY if kind == MANY_TO_ONE else MANY_TO_ONE}}
        try:
            checked_new_field(inverse_spec, target_fields, internal=data.get("isCustom") is False)
        except MetadataValidationFailed as exc:
            for found in exc.problems:
                found["message"] = f"inverse field on '{target['nameSingular']}': {found['message']}"
            raise
        inverse_kind = ONE_TO_MANY if kind == MANY_TO_ONE else MANY_TO_ONE
        field_id, inverse_id = str(data.get("id") or new_id()), new_id()
        on_delete = payload.get("onDelete", "SET_NULL")
        doc = self._field_doc(
            owner["_id"],
            {
                **data,
                "id": field_id,
                "name": name,
                "type": RELATION,
                "settings": {
                    "relationType": kind,
                    # As Twenty: the many-to-one side alone has an onDelete action and a join column.
                    **({"onDelete": on_delete, "joinColumnName": f"{name}Id"} if kind == MANY_TO_ONE else {}),
                },
                "relationTargetObjectMetadataId": target_id,
                "relationTargetFieldMetadataId": inverse_id,
            },
            owner,
        )
        inverse = self._field_doc(
            target_id,
            {
                "id": inverse_id,
                "name": inverse_name,
                "label": label,
                "type": RELATION,
                "icon": payload.get("targetFieldIcon"),
                "isCustom": data.get("isCustom") is not False,
                "settings": {
                    "relationType": inverse_kind,
                    **({"onDelete": on_delete, "joinColumnName": f"{inverse_name}Id"}
                       if inverse_kind == MANY_TO_ONE else {}),
                },
                "relationTargetObjectMetadataId": owner["_id"],
                "relationTargetFieldMetadataId": field_id,
            },
            target,
        )
        async with _names_taken_concurrently(self.fields, [doc["_id"], inverse["_id"]]):
            await self.fields.insert_many([doc, inverse])
        holder, column = (owner, f"{name}Id") if kind == MANY_TO_ONE else (target, f"{inverse_name}Id")
        made = [doc["_id"], inverse["_id"]]
        async with _undone_on_failure(lambda: self.fields.delete_many({"_id": {"$in": made}}), f"relation '{name}'"):
            await _index_join_column(self.records[holder["collectionName"]], column)
        await self._bump()
        return doc

    async def _create_unique_index(self, owner: Mapping[str, Any], field: Mapping[str, Any]) -> None:
        keys = unique_index_keys(field)
        if not keys:
            raise BadUserInput(f"a {field['type']} field cannot be unique")
        collection = self.records[owner["collectionName"]]
        try:
            await collection.create_index(
                [(k, 1) for k in keys],
                unique=True,
                name=f"unique_{field['name']}",
                # Empty values never collide: only set values must be unique.
                partialFilterExpression={keys[0]: {"$type": _bson_type(field)}},
            )
        except OperationFailure as exc:
            if exc.code in (11000, 11001) or "duplicate" in str(exc).lower():
                raise BadUserInput(
                    f"field '{field['name']}' cannot be made unique: existing records of "
                    f"'{owner['nameSingular']}' already hold duplicate values"
                ) from None
            raise
        # Writes look the key's values up (which records already hold them) with a plain
        # `$in`: a query planner uses a partial index only when the query repeats its filter,
        # and some never do; this one serves the lookup everywhere.
        await collection.create_index([(k, 1) for k in keys], name=f"lookup_{field['name']}")

    async def _drop_unique_index(self, owner: Mapping[str, Any], field: Mapping[str, Any]) -> None:
        for prefix in ("unique_", "lookup_"):
            try:
                await self.records[owner["collectionName"]].drop_index(f"{prefix}{field['name']}")
            except OperationFailure:
                pass  # already gone

    async def update_field(self, field_id: str, update: Mapping[str, Any], *, internal: bool = False) -> dict[str, Any]:
        try:
            current = await self.get_field(field_id)
        except NotFound:
            raise field_not_found(field_id) from None
        owner = await self.get_object(current["objectMetadataId"])
        unknown = set(update) - FIELD_UPDATABLE
        if unknown:
            raise BadUserInput(f"these field properties cannot be updated: {', '.join(sorted(unknown))}")
        changes = checked_field_update(current, update, await self.list_fields(owner["_id"]), internal=internal)
        check_json_properties(changes, current["name"])
        renamed = "name" in changes and changes["name"] != current["name"]
        if "isUnique" in changes and bool(changes["isUnique"]) != bool(current.get("isUnique")):
            if changes["isUnique"]:
                await self._create_unique_index(owner, {**current, **changes})
            else:
                await self._drop_unique_index(owner, current)
        if "options" in changes and current["type"] in ("SELECT", "MULTI_SELECT"):
            await self._rewrite_option_values(owner, current, changes["options"] or [])
        if renamed:
            await self._rename_values(owner, current, changes["name"])
        changes["updatedAt"] = now()
        async with _names_taken_concurrently():
            await self.fields.update_one({"_id": field_id}, {"$set": changes})
        await self._bump()
        return {**current, **changes}

    async def _rewrite_option_values(
        self, owner: Mapping[str, Any], field: Mapping[str, Any], options: Sequence[Mapping[str, Any]]
    ) -> None:
        """As Twenty: records follow their options — an option whose value changed (same id)
        gives records its new value; a removed option's value is taken out of them (a SELECT
        becomes null, a MULTI_SELECT keeps its other values)."""
        kept_values = {str(o.get("value")) for o in options}
        new_by_id = {str(o["id"]): str(o.get("value")) for o in options if o.get("id")}
        moves: dict[str, str | None] = {}
        for old in field.get("options") or []:
            value = str(old.get("value"))
            target = new_by_id.get(str(old.get("id")))
            if target is not None and target != value:
                moves[value] = target
            elif target is None and value not in kept_values:
                moves[value] = None
        if not moves:
            return
        collection = self.records[owner["collectionName"]]
        name = field["name"]
        multi = field["type"] == "MULTI_SELECT"
        # Two passes through values no option can have (option values are SCREAMING_SNAKE), so
        # that swaps and chains (A→B, B→C) move each record once.
        parked = {value: f"__docgate_option_{uuid.uuid4().hex}" for value in moves}
        for value, token in parked.items():
            if multi:
                await collection.update_many({name: value}, {"$set": {f"{name}.$": token}})
            else:
                await collection.update_many({name: value}, {"$set": {name: token}})
        for value, token in parked.items():
            target = moves[value]
            if multi and target is None:
                await collection.update_many({name: token}, {"$pull": {name: token}})
            elif multi:
                await collection.update_many({name: token}, {"$set": {f"{name}.$": target}})
            else:
                await collection.update_many({name: token}, {"$set": {name: target}})

    async def _rename_values(self, owner: Mapping[str, Any], field: Mapping[str, Any], new: str) -> None:
        old = field["name"]
        column = (field.get("settings") or {}).get("relationType") == MANY_TO_ONE
        source, target = (f"{old}Id", f"{new}Id") if column else (old, new)
        if field["type"] != RELATION or column:
            collection = self.records[owner["collectionName"]]
            await collection.update_many({source: {"$exists": True}}, {"$rename": {source: target}})
            if field.get("isUnique"):
                await self._drop_unique_index(owner, field)
                await self._create_unique_index(owner, {**field, "name": new})
        if column:
            await self.fields.update_one({"_id": field["_id"]}, {"$set": {"settings.joinColumnName": target}})
            # The join column's index follows it (relation reads and filters look ids up by it).
            await _index_join_column(self.records[owner["collectionName"]], target)

    async def delete_field(self, field_id: str) -> dict[str, Any]:
        current = await self.get_field(field_id)
        owner = await self.objects.find_one({"_id": current["objectMetadataId"]})
        checked_field_deletion(current, owner)
        await self._remove_field_storage(current)
        await self.fields.delete_one({"_id": field_id})
        inverse_id = current.get("relationTargetFieldMetadataId")
        if current["type"] == RELATION and inverse_id:
            inverse = await self.fields.find_one({"_id": inverse_id})
            if inverse is not None:
                await self._remove_field_storage(inverse)
                await self.fields.delete_one({"_id": inverse_id})
        await self._bump()
        return current

    async def _remove_field_storage(self, field: Mapping[str, Any]) -> None:
        """Unset a field's stored values (a relation's join column) and drop its index."""
        owner = await self.objects.find_one({"_id": field["objectMetadataId"]})
        if owner is None:
            return
        if field.get("isUnique"):
            await self._drop_unique_index(owner, field)
        if field["type"] == RELATION:
            if (field.get("settings") or {}).get("relationType") != MANY_TO_ONE:
                return
            key = f"{field['name']}Id"
        else:
            key = field["name"]
        await self.records[owner["collectionName"]].update_many({key: {"$exists": True}}, {"$unset": {key: ""}})

    # ---- indexes -----------------------------------------------------------------------

    async def ensure_indexes(self) -> list[str]:
        """Create, idempotently, every index the hot paths read through (those the metadata
        changes above make): order and soft-delete columns, join columns, unique fields. For
        workspaces made by an older release, or whose indexes were dropped. Returns the
        problems (a unique field whose records hold duplicates), which do not stop the rest."""
        problems = []
        fields = await self.list_fields()
        for owner in await self.list_objects():
            collection = self.records[owner["collectionName"]]
            for key in ("createdAt", "deletedAt", "position"):
                await collection.create_index([(key, 1), ("_id", 1)])
            for field in (f for f in fields if f["objectMetadataId"] == owner["_id"]):
                if (field.get("settings") or {}).get("relationType") == MANY_TO_ONE:
                    await _index_join_column(collection, f"{field['name']}Id")
                elif field.get("isUnique") and field["type"] != RELATION and field["name"] != "id":
                    try:
                        await self._create_unique_index(owner, field)
                    except BadUserInput as problem:
                        problems.append(problem.message)
        return problems

    # ---- versioning --------------------------------------------------------------------

    async def _bump(self) -> int:
        doc = await self.workspaces.find_one_and_update(
            {"_id": self.workspace_id}, {"$inc": {"metadataVersion": 1}}, return_document=True
        )
        version = int(doc["metadataVersion"]) if doc else 0
        if self.on_change is not None:
            self.on_change(self.workspace_id, version)
        return version
