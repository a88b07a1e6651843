"""Twenty's `orderBy` → a sort plan that `find` or an aggregation pipeline can run.

MongoDB puts null/missing lowest (first ascending, last descending). `AscNullsLast` and
`DescNullsFirst` go against that, so those keys get a computed null-rank key sorted ahead
of them in an aggregation pipeline. SELECT and RATING values sort in the order of their
options (Twenty's enums), through a computed rank in the pipeline as well. `id` always
ends the plan, so the order is total and keyset cursors are exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from schema_builder.errors import BadUserInput
from schema_builder.metadata.field_types import RELATION
from schema_builder.metadata.model import ObjectMeta, WorkspaceModel

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


@dataclass(frozen=True, slots=True)
class SortKey:
    path: str  # MongoDB path (`_id` for id)
    field: str  # dotted field path, the key of this value in cursors
    ascending: bool
    nulls_first: bool
    type: str  # the leaf's field type (cursors convert values with it)
    order: tuple[str, ...] | None = None  # an enum's values in their own order (FieldMeta.value_order)

    @property
    def natural(self) -> bool:
        """Whether MongoDB's own null placement is the one asked for."""
        return self.nulls_first == self.ascending

    def reversed(self) -> SortKey:
        return replace(self, ascending=not self.ascending, nulls_first=not self.nulls_first)


ID_KEY = SortKey("_id", "id", True, True, "UUID")


def _cursor_only(condition: Any) -> bool:
    """Whether an `_id` condition is a cursor's (a range), not a set of ids (`$in`, e.g. the
    records a search filter found), which its own lookup serves far better than a walk."""
    return condition is None or (isinstance(condition, Mapping) and set(condition) <= {"$gt", "$gte", "$lt", "$lte"})


@dataclass(frozen=True, slots=True)
class SortPlan:
    keys: tuple[SortKey, ...]

    def reversed(self) -> SortPlan:
        """The opposite order (backward pagination); callers reverse the fetched rows."""
        return SortPlan(tuple(k.reversed() for k in self.keys))

    def id_index_hint(self, query: Mapping[str, Any]) -> list[tuple[str, int]] | None:
        """The `_id` index, when this plan orders by id alone and `query` only hides the
        trash or continues from a cursor: walking that index in order is the plan MongoDB
        itself would pick, and one that some servers' planners miss (they sort the whole
        collection instead). None otherwise: a selective filter is better served by its own
        index."""
        if len(self.keys) != 1:
            return None
        parts = query.get("$and", [query]) if set(query) <= {"$and"} else [query]
        if all(isinstance(p, Mapping) and set(p) <= {"_id", "deletedAt"} and _cursor_only(p.get("_id")) for p in parts):
            return [("_id", 1)]
        return None

    def find_sort(self, reverse: bool = False) -> list[tuple[str, int]] | None:
        """A `find(...).sort(...)` spec, or None when only `pipeline` can sort this way."""
        keys = self.reversed().keys if reverse else self.keys
        if not all(k.natural and k.order is None for k in keys):
            return None
        return [(k.path, 1 if k.ascending else -1) for k in keys]

    def pipeline(
        self, match: Mapping[str, Any], limit: int | None, skip: int = 0, reverse: bool = False
    ) -> list[dict[str, Any]]:
        """An aggregation pipeline that filters, sorts, pages and drops its helper keys."""
        keys = self.reversed().keys if reverse else self.keys
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
        stages: list[dict[str, Any]] = []
        if match:
            stages.append({"$match": dict(match)})
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


def build_sort_plan(
    model: WorkspaceModel,
    obj: ObjectMeta,
    order_by: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None,
) -> SortPlan:
    """The plan for `orderBy` (a list of one-key objects applied in order), ending with id."""
    items = [order_by] if isinstance(order_by, Mapping) else list(order_by or ())
    keys: list[SortKey] = []
    for item in items:
        if not isinstance(item, Mapping):
            raise BadUserInput(f"orderBy of '{obj.name_singular}' expects objects")
        for name, value in item.items():
            for key in _keys(obj, name, value):
                if all(k.path != key.path for k in keys):
                    keys.append(key)
    if all(k.path != "_id" for k in keys):
        keys.append(ID_KEY)
    return SortPlan(tuple(keys))


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
    if meta.type == RELATION:
        hint = f"; order by '{meta.join_column}' instead" if meta.join_column else ""
        where = f"('{name}' of '{obj.name_singular}')"
        raise BadUserInput(f"ordering by a related object's field is not supported {where}{hint}")
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
