"""Records between GraphQL and MongoDB (pure): input → stored values, stored → output.

GraphQL has already checked types and enum values; what is left here is what the schema
cannot say: required fields, defaults, system fields, relation inputs, unique keys and
whether a JSON value (any value, to GraphQL) can be stored.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from schema_builder.errors import BadUserInput
from schema_builder.execute.links import normalize_links
from schema_builder.ids import new_id
from schema_builder.json_values import check_list, check_storable, check_text_length
from schema_builder.metadata.defaults import record_default
from schema_builder.metadata.field_types import RELATION
from schema_builder.metadata.model import MANY_TO_ONE, FieldMeta, ObjectMeta, WorkspaceModel
from schema_builder.permissions.model import ObjectAccess
from schema_builder.permissions.writes import check_writable

# Maintained by docgate; `createdBy` and `createdAt` may be given on create only (as in Twenty:
# imports keep their authors and dates; its groupBy specs date the records they create).
SYSTEM_MAINTAINED = frozenset({"createdAt", "updatedAt", "deletedAt", "createdBy", "updatedBy", "searchVector"})
WRITABLE_ON_CREATE = frozenset({"createdAt", "createdBy"})
JSON_TYPES = frozenset({"RAW_JSON", "FILES"})  # any value (FILES: of its input's shape), checked here
Actor = Mapping[str, Any]
API_ACTOR: Actor = {"source": "API", "workspaceMemberId": None, "name": "API", "context": {}}


@dataclass
class PreparedRecord:
    """One input record made ready to store, plus what must be checked against the database."""

    values: dict[str, Any]
    connects: list[tuple[FieldMeta, Mapping[str, Any]]] = field(default_factory=list)
    given: tuple[str, ...] = ()  # the field names the client sent (for updatedFields)


def now() -> dt.datetime:
    stamp = dt.datetime.now(dt.UTC)
    return stamp.replace(microsecond=stamp.microsecond // 1000 * 1000)


def default_value(meta: FieldMeta) -> Any:
    """The value a new record gets for a field it was not given."""
    return record_default(meta.type, meta.default_value)


def _composite_value(meta: FieldMeta, value: Any, current: Any = None) -> dict[str, Any] | None:
    """A composite value with every sub-field present; an update merges into `current`."""
    assert meta.composite is not None
    if value is None:
        return None
    base = dict(current) if isinstance(current, Mapping) else {}
    merged = {sub.name: base.get(sub.name) for sub in meta.composite.sub_fields}
    merged.update({k: v for k, v in value.items() if meta.composite.sub_field(k) is not None})
    return merged


def _check_json_sub_fields(obj: ObjectMeta, meta: FieldMeta, value: Any) -> None:
    """The sub-fields typed `JSON` in GraphQL: a list of their shape, or any storable value."""
    assert meta.composite is not None
    for sub in meta.composite.sub_fields:
        if sub.type not in JSON_TYPES or not isinstance(value, Mapping) or sub.name not in value:
            continue
        label = f"{meta.name}.{sub.name}"
        if sub.items is not None:
            check_list(value[sub.name], sub.items, label, obj.name_singular)
        else:
            check_storable(value[sub.name], label, f"field '{label}' of '{obj.name_singular}'")


def _empty_composite(meta: FieldMeta) -> dict[str, Any]:
    assert meta.composite is not None
    return {sub.name: None for sub in meta.composite.sub_fields}


def canonical_input(obj: ObjectMeta, data: Mapping[str, Any]) -> dict[str, Any]:
    """An input with older Twenty names turned into the current ones and link URLs normalised.

    A value given twice — by two names of one field, or as a relation and its join column —
    is refused, with Twenty's message."""
    out: dict[str, Any] = {}
    seen: dict[str, str] = {}  # stored key → the name the client used
    for key, value in data.items():
        name = obj.canonical_name(key)
        meta = obj.field(name)
        stored = meta.stored_join_column if meta is not None and meta.stored_join_column else name
        if stored in seen:  # named as Twenty does: the relation first, then its join column
            first, second = sorted((seen[stored], key), key=lambda k: obj.field(obj.canonical_name(k)) is None)
            raise BadUserInput(f"{first} and {second} cannot be both provided.")
        seen[stored] = key
        out[name] = normalize_links(value) if meta is not None and meta.type == "LINKS" else value
    return out


def actor_value(given: Any, actor: Actor) -> dict[str, Any]:
    """`createdBy` of a new record: as given when it names someone (REST clients import
    records made elsewhere), else the caller, with the source the client chose, as Twenty
    does."""
    if isinstance(given, Mapping) and given.get("context") is not None:
        check_storable(given["context"], "createdBy.context", "field 'createdBy.context'")
    if isinstance(given, Mapping) and given.get("name"):
        return {
            "source": given.get("source") or "MANUAL",
            "workspaceMemberId": given.get("workspaceMemberId"),
            "name": given["name"],
            "context": given.get("context") or {},
        }
    source = given.get("source") if isinstance(given, Mapping) else None
    return {**actor, "source": source or actor["source"]}


def prepare_values(
    obj: ObjectMeta,
    data: Mapping[str, Any],
    *,
    creating: bool,
    access: ObjectAccess | None,
    current: Mapping[str, Any] | None = None,
    max_text_length: int | None = None,
    actor: Actor = API_ACTOR,
) -> PreparedRecord:
    """The stored values an input sets (all fields on create, the changed ones on update).

    `access` is what the caller's role allows on `obj` (None: everything): a field it may not
    write is refused here, the one place every record input passes through."""
    if access is not None and access.unwritable:
        check_writable(obj, access, data, creating)
    data = canonical_input(obj, data)
    prepared = PreparedRecord(values={}, given=tuple(data))
    values = prepared.values
    for key, value in data.items():
        meta = obj.field(key)
        if meta is None:
            relation = obj.field_by_join_column(key)
            if relation is None:
                raise BadUserInput(f"unknown field '{key}' on '{obj.name_singular}'")
            values[key] = value
            continue
        if key in SYSTEM_MAINTAINED and not (creating and key in WRITABLE_ON_CREATE):
            raise BadUserInput(f"field '{key}' of '{obj.name_singular}' is maintained by docgate and cannot be written")
        if meta.type == RELATION:
            _relation_input(obj, meta, value, prepared)
            continue
        if key == "createdBy":
            values[key] = actor_value(value, actor)
            continue
        if value is None and not meta.is_nullable:
            raise BadUserInput(f"field '{key}' of '{obj.name_singular}' cannot be null")
        if meta.type not in JSON_TYPES:  # JSON values are bounded by the body size alone
            check_text_length(value, key, f"field '{key}' of '{obj.name_singular}'", max_text_length)
        if meta.composite is not None:
            _check_json_sub_fields(obj, meta, value)
            values[key] = _composite_value(meta, value, (current or {}).get(key))
        else:
            if meta.type in JSON_TYPES:
                check_storable(value, key, f"field '{key}' of '{obj.name_singular}'")
            values[key] = value
    if creating:
        _complete_new_record(obj, values, actor)
    else:
        values["updatedAt"] = now()
        if obj.field("updatedBy") is not None:
            values["updatedBy"] = dict(actor)
    return prepared


def _relation_input(obj: ObjectMeta, meta: FieldMeta, value: Any, prepared: PreparedRecord) -> None:
    if meta.relation_type != MANY_TO_ONE:
        raise BadUserInput(
            f"'{meta.name}' of '{obj.name_singular}' is a one-to-many relation: set it from the other side"
        )
    if value is None:
        return
    connect, disconnect = value.get("connect"), value.get("disconnect")
    if connect is not None and disconnect:
        raise BadUserInput(f"'{meta.name}': use either connect or disconnect, not both")
    if disconnect:
        prepared.values[f"{meta.name}Id"] = None
    elif connect is not None:
        where = connect.get("where") or {}
        if not where:
            raise BadUserInput(f"'{meta.name}.connect.where' needs id or a unique field")
        prepared.connects.append((meta, where))


def _complete_new_record(obj: ObjectMeta, values: dict[str, Any], actor: Actor) -> None:
    stamp = now()
    values["_id"] = values.pop("id", None) or new_id()
    for meta in obj.fields:
        name = meta.name
        if name == "id" or meta.type == RELATION and meta.relation_type != MANY_TO_ONE:
            continue
        if meta.type == RELATION:
            values.setdefault(f"{name}Id", None)
            continue
        if name in values or name in SYSTEM_MAINTAINED:
            continue
        default = default_value(meta)
        if default is None and not meta.is_nullable and name != "position":
            raise BadUserInput(f"field '{name}' of '{obj.name_singular}' is required (it is not nullable)")
        values[name] = _empty_composite(meta) if default is None and meta.composite else default
    values["updatedAt"] = stamp
    if values.get("createdAt") is None:
        values["createdAt"] = stamp
    values["deletedAt"] = None
    if values.get("position") is None:
        values["position"] = time.time_ns() / 1e9  # creation order; clients may choose their own
    if values.get("createdBy") is None and obj.field("createdBy") is not None:
        values["createdBy"] = dict(actor)
    if obj.field("updatedBy") is not None:
        values["updatedBy"] = dict(actor)


def unique_paths(obj: ObjectMeta) -> list[tuple[str, list[str]]]:
    """(field name, stored paths) of every unique key, id first: what upsert matches on."""
    keys: list[tuple[str, list[str]]] = [("id", ["_id"])]
    for meta in obj.unique_fields:
        if meta.composite is not None:
            keys.append((meta.name, [f"{meta.name}.{s}" for s in meta.composite.unique_key]))
        elif meta.join_column:
            keys.append((meta.name, [meta.join_column]))
        elif meta.type != RELATION:
            keys.append((meta.name, [meta.name]))
    return keys


def value_at(doc: Mapping[str, Any], path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def key_values(doc: Mapping[str, Any], paths: list[str]) -> tuple[Any, ...] | None:
    """A unique key's value in a document, or None when any part is empty (empty never matches)."""
    values = tuple(value_at(doc, p) for p in paths)
    return None if any(v is None or v == "" for v in values) else values


def where_unique_query(model: WorkspaceModel, target: ObjectMeta, where: Mapping[str, Any]) -> dict[str, Any]:
    """The MongoDB query of a `<X>WhereUniqueInput` (id or one unique field)."""
    clauses: list[dict[str, Any]] = []
    for key, value in where.items():
        if value is None:
            continue
        if key == "id":
            clauses.append({"_id": value})
            continue
        meta = target.field(key)
        if meta is not None and meta.type == "LINKS":
            value = normalize_links(value)  # as stored: https://Test.com/ is https://test.com
        if meta is not None and meta.composite is not None and isinstance(value, Mapping):
            clauses.append({f"{key}.{sub}": v for sub, v in value.items() if v is not None})
        elif meta is not None:
            clauses.append({key: value})
        else:
            clauses.append({key: value})  # a unique join column
    if not clauses:
        raise BadUserInput(f"a where clause on '{target.name_singular}' needs id or a unique field")
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def to_output(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document as GraphQL reads it (`_id` is exposed as `id`)."""
    doc["id"] = doc["_id"]
    return doc
