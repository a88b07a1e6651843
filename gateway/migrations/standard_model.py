"""Twenty's standard objects in a workspace: made in a new one, brought up to date in an
older one. Every operation checks what is there first, so running it again (after a crash,
or by a replica that took over an expired lease) does nothing twice.

What the model says (`gateway/standard_objects.json`): an item with `since` N applies to
workspaces whose standard model is older than N — a field or relation is created, renamed
from `renamedFrom` (its values move with it), or given its settings again; other items are
only made in a new workspace (a user may have deleted them since). A user's own field that
holds a name the model wants is never touched: the model's item is skipped and logged.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from schema_builder.metadata.field_types import RELATION
from schema_builder.metadata.model import MANY_TO_ONE
from schema_builder.metadata.store import MetadataStore

log = logging.getLogger("docgate.migrations")

Step = Callable[[], Awaitable[None]]
_FIELD_KEYS = ("name", "label", "type", "description", "icon", "defaultValue", "options", "settings",
               "isUnique", "isNullable")


def standard_model() -> dict[str, Any]:
    text = resources.files("gateway").joinpath("standard_objects.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


LATEST_VERSION: int = standard_model()["version"]


@dataclass(frozen=True)
class AddedField:
    """A field added to an existing workspace: its records need the field's default."""

    collection: str
    field: dict[str, Any]


def _applies(item: Mapping[str, Any], since: int) -> bool:
    return since == 0 or int(item.get("since", 1)) > since


def _deprecated(item: Mapping[str, Any]) -> list[dict[str, str]]:
    return [{"name": d["name"], "reason": d["reason"]} for d in item.get("deprecatedNames") or ()]


class Reconciler:
    """Applies the standard model to one workspace's metadata."""

    def __init__(self, store: MetadataStore, since: int, step: Step) -> None:
        self.store = store
        self.since = since
        self.step = step  # called between objects: renews the migration lease
        self.model = standard_model()
        self.added: list[AddedField] = []

    async def run(self) -> list[AddedField]:
        objects = {o["nameSingular"]: o for o in await self.store.list_objects()}
        ids: dict[str, str] = {}
        for spec in self.model["objects"]:
            doc = objects.get(spec["nameSingular"])
            if doc is None and _applies(spec, self.since):
                doc = await self._create_object(spec)
            if doc is None or doc.get("isCustom"):
                continue
            ids[spec["nameSingular"]] = doc["_id"]
            await self._object_fields(doc, spec)
            await self.step()
        for doc in objects.values():  # custom objects get the new system fields too
            await self.store.ensure_system_fields(doc["_id"])
        for relation in self.model["relations"]:
            if _applies(relation, self.since):
                await self._relation(ids, relation)
        await self.step()
        return self.added

    async def _create_object(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        keep = {k: v for k, v in spec.items() if k not in ("fields", "labelIdentifier", "searchFields", "since")}
        return await self.store.create_object({**keep, "isCustom": False, "skipNameField": True})

    async def _object_fields(self, doc: Mapping[str, Any], spec: Mapping[str, Any]) -> None:
        await self.store.ensure_system_fields(doc["_id"])
        fields = {f["name"]: f for f in await self.store.list_fields(doc["_id"])}
        for item in spec["fields"]:
            if _applies(item, self.since):
                field = await self._field(doc, fields, item)
                if field is not None:
                    fields[field["name"]] = field
        label = fields.get(spec.get("labelIdentifier") or "")
        if label is not None and not doc.get("labelIdentifierFieldMetadataId"):
            await self.store.update_object(doc["_id"], {"labelIdentifierFieldMetadataId": label["_id"]}, internal=True)
        vector = fields.get("searchVector")
        wanted = list(spec.get("searchFields") or [])
        if vector is not None and (vector.get("settings") or {}).get("searchFields") != wanted:
            settings = {**(vector.get("settings") or {}), "searchFields": wanted}
            await self.store.set_field_properties(vector["_id"], {"settings": settings})

    async def _field(
        self, doc: Mapping[str, Any], fields: Mapping[str, dict[str, Any]], item: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        where = f"{doc['nameSingular']}.{item['name']}"
        field = fields.get(item["name"])
        old = fields.get(item.get("renamedFrom") or "")
        if field is None and old is not None:
            if old.get("type") != item["type"] or old.get("isSystem"):
                log.warning("standard field %s not renamed from '%s': it is another field", where, old["name"])
                return None
            field = await self.store.update_field(
                old["_id"], {"name": item["name"], "label": item["label"]}, internal=True
            )
        if field is None:
            values = {k: item[k] for k in _FIELD_KEYS if k in item}
            field = await self.store.create_field({**values, "objectMetadataId": doc["_id"], "isCustom": False})
            if self.since > 0:
                self.added.append(AddedField(doc["collectionName"], field))
        elif field.get("isCustom") and not item.get("renamedFrom"):
            log.warning("standard field %s not added: the workspace has a field of its own by that name", where)
            return None
        if (deprecated := _deprecated(item)) and field.get("deprecatedNames") != deprecated:
            await self.store.set_field_properties(field["_id"], {"deprecatedNames": deprecated})
            field = {**field, "deprecatedNames": deprecated}
        return field

    async def _relation(self, ids: Mapping[str, str], spec: Mapping[str, Any]) -> None:
        owner, target = ids.get(spec["object"]), ids.get(spec["target"])
        if owner is None or target is None:
            return
        where = f"{spec['object']}.{spec['name']}"
        fields = {f["name"]: f for f in await self.store.list_fields(owner)}
        field = fields.get(spec["name"])
        old = fields.get(spec.get("renamedFrom") or "")
        if field is None and old is not None:
            if old.get("type") != RELATION or old.get("relationTargetObjectMetadataId") != target:
                log.warning("standard relation %s not renamed from '%s': it is another field", where, old["name"])
                return
            field = await self.store.update_field(
                old["_id"], {"name": spec["name"], "label": spec["label"]}, internal=True
            )
        if field is None:
            payload = {"type": MANY_TO_ONE, "targetObjectMetadataId": target, "targetFieldName": spec["inverseName"],
                       "targetFieldLabel": spec["inverseLabel"], "onDelete": spec.get("onDelete", "SET_NULL")}
            field = await self.store.create_field({
                "objectMetadataId": owner, "name": spec["name"], "label": spec["label"], "type": RELATION,
                "isCustom": False, "relationCreationPayload": payload,
            })
        elif field.get("type") != RELATION or field.get("relationTargetObjectMetadataId") != target:
            log.warning("standard relation %s not set up: the workspace has another field by that name", where)
            return
        settings = {"settings.onDelete": spec.get("onDelete", "SET_NULL")}
        if spec.get("onSoftDelete"):
            settings["settings.onSoftDelete"] = spec["onSoftDelete"]
        current = field.get("settings") or {}
        if any(current.get(k.split(".")[1]) != v for k, v in settings.items()):
            await self.store.set_field_properties(field["_id"], settings)
            inverse = field.get("relationTargetFieldMetadataId")
            if inverse:
                await self.store.set_field_properties(inverse, {"settings.onDelete": settings["settings.onDelete"]})
        if (deprecated := _deprecated(spec)) and field.get("deprecatedNames") != deprecated:
            await self.store.set_field_properties(field["_id"], {"deprecatedNames": deprecated})
