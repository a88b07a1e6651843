"""A collection that only ever sees the rows a role may see.

Every read and write of records asks `execute.reads.collection(ctx, obj)` for its collection;
for a role with row-level predicates on `obj` (or no read access to it) that is one of these:
it ANDs the role's row filter into the filter of every command — finds, counts, updates,
deletes, bulk writes — and puts a `$match` in front of every aggregation. So every present and
future path (REST, GraphQL, relation loaders both ways, aggregates, groupBy, search, MCP tools)
obeys the rows without knowing of them: a filtered-out row is invisible, not "forbidden".

Commands this class does not know are refused (AttributeError) rather than passed through
unscoped: a new path using one fails its tests instead of leaking rows.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from pymongo import DeleteMany, DeleteOne, ReplaceOne, UpdateMany, UpdateOne

from schema_builder.metadata.model import ObjectMeta
from schema_builder.permissions.model import CompiledPermissions

# Attributes that are not commands, read through as they are.
_PLAIN = frozenset({"name", "full_name", "database", "codec_options", "read_preference", "write_concern",
                    "read_concern"})


def scoped_query(query: Mapping[str, Any] | None, rows: Mapping[str, Any]) -> dict[str, Any]:
    """`query` AND the rows, as flat as the two allow.

    Both are conjunctions of conditions; they are merged key by key (a field both constrain
    with different operators keeps both), and only what cannot merge goes under `$and`. Flat
    matters: a query planner (SecantusDB's, at least) picks an index from the top-level field
    conditions only, and `{"$and": [{"_id": x}, rows]}` scans the collection where
    `{"_id": x, **rows}` is one index lookup.
    """
    return _merged(conjuncts(query or {}) + conjuncts(rows))


Conjunct = tuple[str, Any]
_SCALARS = (str, int, float, bool, type(None))


def conjuncts(query: Mapping[str, Any]) -> list[Conjunct]:
    """`query` as the (key, condition) pairs it ANDs, nested `$and`s lifted, simple negations simplified."""
    out: list[Conjunct] = []
    for key, value in query.items():
        if key == "$and" and isinstance(value, list) and all(isinstance(v, Mapping) for v in value):
            for part in value:
                out.extend(conjuncts(part))
        elif key == "$nor" and isinstance(value, list):
            for part in value:
                out.append(_negated(part))
        else:
            out.append((key, value))
    return out


def _negated(part: Any) -> Conjunct:
    """NOT `part`, as a field condition when `part` is equality or membership on one field."""
    values = _equalities(part)
    if values is not None:
        path, choices = values
        return (path, {"$nin": choices}) if len(choices) > 1 else (path, {"$ne": choices[0]})
    return ("$nor", [part])


def _equalities(part: Any) -> tuple[str, list[Any]] | None:
    """(path, values) when `part` matches the records whose `path` equals one of `values`."""
    if not isinstance(part, Mapping) or len(part) != 1:
        return None
    ((key, value),) = part.items()
    if key == "$or" and isinstance(value, list) and value:
        found = [_equalities(p) for p in value]
        paths = {f[0] for f in found if f is not None}
        if None in found or len(paths) != 1:
            return None
        return paths.pop(), [v for f in found if f is not None for v in f[1]]
    if key.startswith("$"):
        return None
    if isinstance(value, _SCALARS):
        return key, [value]
    if isinstance(value, Mapping) and list(value) == ["$eq"] and isinstance(value["$eq"], _SCALARS):
        return key, [value["$eq"]]
    if (isinstance(value, Mapping) and list(value) == ["$in"] and isinstance(value["$in"], list)
            and value["$in"] and all(isinstance(v, _SCALARS) for v in value["$in"])):
        return key, list(value["$in"])
    return None


def _operators(value: Any) -> bool:
    return isinstance(value, Mapping) and bool(value) and all(str(k).startswith("$") for k in value)


_EXCLUSIONS = frozenset({"$ne", "$nin"})


def _merge_operators(held: Any, value: Any) -> dict[str, Any] | None:
    """Both conditions on one field as one, when they are operators that can share a document:
    different operators, or exclusions (`$ne`, `$nin`: not a AND not b is not in [a, b])."""
    if not (_operators(held) and _operators(value)) or {"$regex", "$options"} & (set(held) | set(value)):
        return None
    shared = set(held) & set(value)
    if not shared:
        return {**held, **value}
    if not shared <= _EXCLUSIONS:
        return None
    excluded: list[Any] = []
    for condition in (held, value):
        if "$ne" in condition:
            excluded.append(condition["$ne"])
        excluded.extend(condition.get("$nin", ()))
    if not all(isinstance(v, _SCALARS) for v in excluded):
        return None
    merged = {k: v for k, v in {**held, **value}.items() if k not in _EXCLUSIONS}
    merged["$nin"] = list(dict.fromkeys(excluded))
    return merged


def _merged(parts: list[Conjunct]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rest: list[dict[str, Any]] = []
    for key, value in parts:
        if key not in out:
            out[key] = value
            continue
        held = out[key]
        if held == value:
            continue
        both = _merge_operators(held, value)
        if both is not None:
            out[key] = both
        else:
            rest.append({key: value})
    if rest:
        if "$and" in out:  # one conjuncts() could not lift (malformed): kept as it was
            rest.insert(0, {"$and": out.pop("$and")})
        out["$and"] = rest
    return out


class ScopedCollection:
    def __init__(self, collection: Any, rows: Mapping[str, Any]) -> None:
        self._collection = collection
        self._rows = rows
        self._row_parts = conjuncts(rows)
        self._flat_rows = _merged(list(self._row_parts))

    @property
    def unscoped(self) -> Any:
        """The collection itself, for the consistency work of writes (delete cascades)."""
        return self._collection

    def __getattr__(self, name: str) -> Any:
        if name in _PLAIN:
            return getattr(self._collection, name)
        raise AttributeError(f"'{name}' is not available on a collection scoped to a role's rows")

    def _q(self, query: Mapping[str, Any] | None) -> dict[str, Any]:
        if not query:
            return dict(self._flat_rows)
        return _merged(conjuncts(query) + self._row_parts)

    def find(self, filter: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any) -> Any:
        return self._collection.find(self._q(filter), *args, **kwargs)

    async def find_one(self, filter: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any) -> Any:
        return await self._collection.find_one(self._q(filter), *args, **kwargs)

    async def count_documents(self, filter: Mapping[str, Any], *args: Any, **kwargs: Any) -> int:
        count: int = await self._collection.count_documents(self._q(filter), *args, **kwargs)
        return count

    async def estimated_document_count(self, **kwargs: Any) -> int:
        count: int = await self._collection.count_documents(dict(self._flat_rows), **kwargs)
        return count

    async def distinct(self, key: str, filter: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any) -> Any:
        return await self._collection.distinct(key, self._q(filter), *args, **kwargs)

    def aggregate(self, pipeline: Sequence[Mapping[str, Any]], *args: Any, **kwargs: Any) -> Any:
        return self._collection.aggregate([{"$match": dict(self._flat_rows)}, *pipeline], *args, **kwargs)

    async def update_one(self, filter: Mapping[str, Any], *args: Any, **kwargs: Any) -> Any:
        return await self._collection.update_one(self._q(filter), *args, **kwargs)

    async def update_many(self, filter: Mapping[str, Any], *args: Any, **kwargs: Any) -> Any:
        return await self._collection.update_many(self._q(filter), *args, **kwargs)

    async def replace_one(self, filter: Mapping[str, Any], *args: Any, **kwargs: Any) -> Any:
        return await self._collection.replace_one(self._q(filter), *args, **kwargs)

    async def delete_one(self, filter: Mapping[str, Any], *args: Any, **kwargs: Any) -> Any:
        return await self._collection.delete_one(self._q(filter), *args, **kwargs)

    async def delete_many(self, filter: Mapping[str, Any], *args: Any, **kwargs: Any) -> Any:
        return await self._collection.delete_many(self._q(filter), *args, **kwargs)

    async def find_one_and_update(self, filter: Mapping[str, Any], *args: Any, **kwargs: Any) -> Any:
        return await self._collection.find_one_and_update(self._q(filter), *args, **kwargs)

    async def find_one_and_delete(self, filter: Mapping[str, Any], *args: Any, **kwargs: Any) -> Any:
        return await self._collection.find_one_and_delete(self._q(filter), *args, **kwargs)

    async def insert_one(self, document: Any, *args: Any, **kwargs: Any) -> Any:
        # What a new record holds is checked before it is written (records' row check).
        return await self._collection.insert_one(document, *args, **kwargs)

    async def insert_many(self, documents: Any, *args: Any, **kwargs: Any) -> Any:
        return await self._collection.insert_many(documents, *args, **kwargs)

    async def bulk_write(self, requests: Sequence[Any], *args: Any, **kwargs: Any) -> Any:
        return await self._collection.bulk_write([self._scoped_request(r) for r in requests], *args, **kwargs)

    def _scoped_request(self, request: Any) -> Any:
        if isinstance(request, UpdateOne | UpdateMany | ReplaceOne | DeleteOne | DeleteMany):
            scoped = copy.copy(request)  # every option kept; only the filter narrows
            scoped._filter = self._q(request._filter)
            return scoped
        return request  # InsertOne: what it writes was checked before


def unscoped(collection: Any) -> Any:
    """The collection under a scope, or the collection itself."""
    return collection.unscoped if isinstance(collection, ScopedCollection) else collection



def scoped_collection(permissions: CompiledPermissions, obj: ObjectMeta, raw: Any) -> Any:
    """`raw` as the role may see it: itself when the role sees every row of `obj`."""
    rows = permissions.access(obj).row_filter
    if rows is None:
        return raw
    key = ("scoped", obj.id)
    found = permissions.derived.get(key)
    if found is None or found.unscoped is not raw:
        found = permissions.derived[key] = ScopedCollection(raw, rows)
    return found
