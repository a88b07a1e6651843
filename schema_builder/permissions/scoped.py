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
    """`query` AND the rows (kept apart under `$and`, so no key of one overrides the other)."""
    if not query:
        return dict(rows)
    return {"$and": [dict(query), dict(rows)]}


class ScopedCollection:
    def __init__(self, collection: Any, rows: Mapping[str, Any]) -> None:
        self._collection = collection
        self._rows = rows

    @property
    def unscoped(self) -> Any:
        """The collection itself, for the consistency work of writes (delete cascades)."""
        return self._collection

    def __getattr__(self, name: str) -> Any:
        if name in _PLAIN:
            return getattr(self._collection, name)
        raise AttributeError(f"'{name}' is not available on a collection scoped to a role's rows")

    def _q(self, query: Mapping[str, Any] | None) -> dict[str, Any]:
        return scoped_query(query, self._rows)

    def find(self, filter: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any) -> Any:
        return self._collection.find(self._q(filter), *args, **kwargs)

    async def find_one(self, filter: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any) -> Any:
        return await self._collection.find_one(self._q(filter), *args, **kwargs)

    async def count_documents(self, filter: Mapping[str, Any], *args: Any, **kwargs: Any) -> int:
        count: int = await self._collection.count_documents(self._q(filter), *args, **kwargs)
        return count

    async def estimated_document_count(self, **kwargs: Any) -> int:
        count: int = await self._collection.count_documents(dict(self._rows), **kwargs)
        return count

    async def distinct(self, key: str, filter: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any) -> Any:
        return await self._collection.distinct(key, self._q(filter), *args, **kwargs)

    def aggregate(self, pipeline: Sequence[Mapping[str, Any]], *args: Any, **kwargs: Any) -> Any:
        return self._collection.aggregate([{"$match": dict(self._rows)}, *pipeline], *args, **kwargs)

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
