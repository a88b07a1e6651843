"""Twenty's `orderBy` → a sort plan that `find` or an aggregation pipeline can run.

MongoDB puts null/missing lowest (first ascending, last descending). `AscNullsLast` and
`DescNullsFirst` go against that, so those keys get a computed null-rank key sorted ahead
of them in an aggregation pipeline. SELECT and RATING values sort in the order of their
options (Twenty's enums), through a computed rank in the pipeline as well. `id` always
ends the plan, so the order is total and keyset cursors are exact.

A field of a to-one relation (`{company: {name: AscNullsLast}}`, REST `company.name`) is
one hop, as in Twenty: the page pipeline joins the target (`$lookup` on its `_id` index,
once per relation, after the filter has narrowed the records) and sorts on the joined value,
kept as a computed key so that cursors hold it and continue from it. Text from a relation
sorts case-insensitively, as Twenty sorts it (`acme` and `ACME` together, before `Zebra`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from schema_builder.errors import BadUserInput
from schema_builder.metadata.field_types import RELATION
from schema_builder.metadata.model import MANY_TO_ONE, FieldMeta, ObjectMeta, WorkspaceModel

DIRECTIONS: dict[str, tuple[bool, bool]] = {  # name → (ascending, nulls_first)
    "AscNullsFirst": (True, True),
    "AscNullsLast": (True, False),
    "DescNullsFirst": (False, True),
    "DescNullsLast": (False, False),
}
# Values whose MongoDB order (arrays, sub-documents) is not the SQL one, or is meaningless.
UNORDERABLE_TYPES = frozenset({"ARRAY", "MULTI_SELECT", "RAW_JSON", "FILES"})
NULL_RANK_PREFIX = "_dgNullRank"
ORDER_RANK_PREFIX = "_dgOrderRank"


RELATION_PREFIX = "_dgRel"  # a joined record list, then a joined sort value


@dataclass(frozen=True, slots=True)
class Lookup:
    """The join of a to-one relation's target, for sorting on its fields."""

    alias: str  # where the joined records land (dropped once the sort values are read)
    local: str  # the join column (`companyId`)
    collection: str  # the target's collection, in the same database


@dataclass(frozen=True, slots=True)
class SortKey:
    path: str  # MongoDB path (`_id` for id; a computed key for a relation's field)
    field: str  # dotted field path, the key of this value in cursors
    ascending: bool
    nulls_first: bool
    type: str  # the leaf's field type (cursors convert values with it)
    order: tuple[str, ...] | None = None  # an enum's values in their own order (FieldMeta.value_order)
    lookup: str | None = None  # the `Lookup.alias` this value is read from, for a relation's field
    source: str = ""  # the value's path in the joined record
    fold_case: bool = False  # compared lower-cased (text of a relation)

    @property
    def natural(self) -> bool:
        """Whether MongoDB's own null placement is the one asked for."""
        return self.nulls_first == self.ascending

    def reversed(self) -> SortKey:
        return replace(self, ascending=not self.ascending, nulls_first=not self.nulls_first)


ID_KEY = SortKey("_id", "id", True, True, "UUID")


@dataclass(frozen=True, slots=True)
class SortPlan:
    keys: tuple[SortKey, ...]
    lookups: tuple[Lookup, ...] = ()

    def reversed(self) -> SortPlan:
        """The opposite order (backward pagination); callers reverse the fetched rows."""
        return SortPlan(tuple(k.reversed() for k in self.keys), self.lookups)

    def id_index_hint(self, query: Mapping[str, Any]) -> list[tuple[str, int]] | None:
        """The `_id` index, when this plan orders by id alone and `query` only hides the
        trash or continues from a cursor: walking that index in order is the plan MongoDB
        itself would pick, and one that some servers' planners miss (they sort the whole
        collection instead). None otherwise: a selective filter is better served by its own
        index."""
        if len(self.keys) != 1:
            return None
        parts = query.get("$and", [query]) if set(query) <= {"$and"} else [query]
        if all(isinstance(p, Mapping) and set(p) <= {"_id", "deletedAt"} for p in parts):
            return [("_id", 1)]
        return None

    def find_sort(self, reverse: bool = False) -> list[tuple[str, int]] | None:
        """A `find(...).sort(...)` spec, or None when only `pipeline` can sort this way."""
        keys = self.reversed().keys if reverse else self.keys
        if self.lookups or not all(k.natural and k.order is None for k in keys):
            return None
        return [(k.path, 1 if k.ascending else -1) for k in keys]

    def pipeline(
        self,
        match: Mapping[str, Any],
        limit: int | None,
        skip: int = 0,
        reverse: bool = False,
        after: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """An aggregation pipeline that filters, sorts, pages and drops its helper keys.
        `after` (a cursor's condition) applies once the joined sort values are there."""
        keys = self.reversed().keys if reverse else self.keys
        if not self.lookups and after:
            match, after = ({"$and": [match, after]} if match else after), None
        stages: list[dict[str, Any]] = []
        if match:
            stages.append({"$match": dict(match)})
        stages += self.join_stages()
        if after:
            stages.append({"$match": dict(after)})
        helpers: dict[str, Any] = {}
        sort: dict[str, int] = {}
        for i, key in enumerate(keys):
            direction = 1 if key.ascending else -1
            if not key.natural:
                name = f"{NULL_RANK_PREFIX}{i}"
                helpers[name] = {
                    "$cond": [{"$eq": [{"$ifNull": [f"${key.path}", None]}, None]}, 1, 0]
                }
                sort[name] = direction  # asc nulls-last: rank 1 after 0; desc: 1 before 0
            if key.order is not None:
                name = f"{ORDER_RANK_PREFIX}{i}"
                helpers[name] = order_rank(key.path, key.order)
                sort[name] = direction
            sort.setdefault(key.path, direction)
        if helpers:
            stages.append({"$addFields": helpers})
        stages.append({"$sort": sort})
        if skip:
            stages.append({"$skip": skip})
        if limit is not None:
            stages.append({"$limit": limit})
        if helpers:
            stages.append({"$project": {name: 0 for name in helpers}})
        return stages


    def join_stages(self) -> list[dict[str, Any]]:
        """The stages that join the relations sorted on and compute their sort values."""
        if not self.lookups:
            return []
        stages: list[dict[str, Any]] = [
            {"$lookup": {"from": lk.collection, "localField": lk.local, "foreignField": "_id", "as": lk.alias}}
            for lk in self.lookups
        ]
        stages.append({"$addFields": {k.path: _joined_value(k) for k in self.keys if k.lookup is not None}})
        stages.append({"$project": {lk.alias: 0 for lk in self.lookups}})
        return stages


def _joined_value(key: SortKey) -> dict[str, Any]:
    """The sort value read from the joined target: null when there is no live target."""
    target = {"$arrayElemAt": [f"${key.lookup}", 0]}
    value: Any = {"$ifNull": [f"$$target.{key.source}", None]}
    if key.fold_case:  # $toLower of null is "": keep nulls null
        value = {"$cond": [{"$eq": [value, None]}, None, {"$toLower": value}]}
    live = {"$eq": [{"$ifNull": ["$$target.deletedAt", None]}, None]}
    return {"$let": {"vars": {"target": target}, "in": {"$cond": [live, value, None]}}}


def build_sort_plan(
    model: WorkspaceModel,
    obj: ObjectMeta,
    order_by: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None,
) -> SortPlan:
    """The plan for `orderBy` (a list of one-key objects applied in order), ending with id."""
    items = [order_by] if isinstance(order_by, Mapping) else list(order_by or ())
    keys: list[SortKey] = []
    lookups: dict[str, Lookup] = {}  # by join column
    for item in items:
        if not isinstance(item, Mapping):
            raise BadUserInput(f"orderBy of '{obj.name_singular}' expects objects")
        for name, value in item.items():
            meta = obj.field(name)
            if meta is not None and meta.type == RELATION:
                found = _relation_keys(model, obj, meta, value, lookups, len(keys))
            else:
                found = _keys(obj, name, value)
            for key in found:
                if all(k.path != key.path for k in keys):
                    keys.append(key)
    if all(k.path != "_id" for k in keys):
        keys.append(ID_KEY)
    return SortPlan(tuple(keys), tuple(lookups.values()))


def _relation_keys(
    model: WorkspaceModel, obj: ObjectMeta, meta: FieldMeta, value: Any, lookups: dict[str, Lookup], taken: int
) -> list[SortKey]:
    """The keys of `{relation: {field: Direction}}`: fields of a to-one relation's target."""
    where = f"'{meta.name}' of '{obj.name_singular}'"
    if meta.relation_type != MANY_TO_ONE or meta.join_column is None:
        raise BadUserInput(f"ordering by the records of a to-many relation is not supported ({where})")
    if not isinstance(value, Mapping) or not value:
        example = f"{{{meta.name}: {{id: AscNullsLast}}}}"
        raise BadUserInput(f"ordering by relation {where} needs a field of it, e.g. {example}")
    target = model.target_of(meta)
    lookup = lookups.get(meta.join_column)
    if lookup is None:
        lookup = lookups[meta.join_column] = Lookup(f"{RELATION_PREFIX}{len(lookups)}", meta.join_column,
                                                   target.collection)
    keys: list[SortKey] = []
    for name, direction in value.items():
        inner = target.field(name)
        if inner is not None and inner.type == RELATION:
            raise BadUserInput(
                f"ordering by a relation of a relation is not supported ({where} → '{name}'): one level only"
            )
        for key in _keys(target, name, direction):
            text = key.type == "TEXT"
            keys.append(replace(
                key,
                path=f"{RELATION_PREFIX}{lookup.alias[len(RELATION_PREFIX):]}_{taken + len(keys)}",
                field=f"{meta.name}.{key.field}",
                lookup=lookup.alias,
                source=key.path,
                fold_case=text,
            ))
    return keys


def _direction(label: str, value: Any) -> tuple[bool, bool]:
    if not isinstance(value, str) or value not in DIRECTIONS:
        raise BadUserInput(
            f"invalid order direction {value!r} for '{label}': expected one of "
            + ", ".join(DIRECTIONS)
        )
    return DIRECTIONS[value]


def order_rank(path: str, order: tuple[str, ...]) -> dict[str, Any]:
    """A value's place among an enum's values: null first (-1, where MongoDB puts nulls), then
    the values in their order, then any value no longer among them (sorted by itself next)."""
    null = {"case": {"$eq": [{"$ifNull": [f"${path}", None]}, None]}, "then": -1}
    known = [{"case": {"$eq": [f"${path}", value]}, "then": i} for i, value in enumerate(order)]
    return {"$switch": {"branches": [null, *known], "default": len(order)}}


def _keys(obj: ObjectMeta, name: str, value: Any) -> list[SortKey]:
    name = obj.canonical_name(name)  # an older Twenty name orders the same values
    if name == "id":
        return [SortKey("_id", "id", *_direction(name, value), "UUID")]
    meta = obj.field(name)
    if meta is None:
        if obj.field_by_join_column(name) is None:
            raise BadUserInput(f"unknown field '{name}' in orderBy of '{obj.name_singular}'")
        return [SortKey(name, name, *_direction(name, value), "UUID")]
    composite = meta.composite
    if composite is None:
        if meta.type in UNORDERABLE_TYPES:
            raise BadUserInput(f"field '{name}' of type {meta.type} cannot be ordered by")
        return [SortKey(name, name, *_direction(name, value), meta.type, meta.value_order)]
    if not isinstance(value, Mapping) or not value:
        raise BadUserInput(
            f"ordering by composite field '{name}' needs a sub-field, e.g. "
            f"{{{name}: {{{composite.sub_fields[0].name}: AscNullsFirst}}}}"
        )
    keys = []
    for sub_name, direction in value.items():
        sub = composite.sub_field(sub_name)
        path = f"{name}.{sub_name}"
        if sub is None:
            raise BadUserInput(f"unknown sub-field '{sub_name}' of field '{name}' in orderBy")
        if sub.type in UNORDERABLE_TYPES:
            raise BadUserInput(f"field '{path}' of type {sub.type} cannot be ordered by")
        keys.append(SortKey(path, path, *_direction(path, direction), sub.type))
    return keys
