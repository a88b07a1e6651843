"""Reading records: find-many connections, find-one, and batched relation loading.

Each relation level costs one query whatever the page size: many-to-one relations are
loaded by id in one `$in` query, one-to-many lists by parent id in one aggregation that
sorts, groups by parent and keeps the first N of each.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from schema_builder.compile.cursors import after_condition, decode_cursor, encode_cursor
from schema_builder.compile.filters import SEARCH_TEXT, all_of, resolve_relation_filters, visible_filter
from schema_builder.compile.ordering import SortPlan, build_sort_plan
from schema_builder.compile.selection import projection
from schema_builder.context import RequestContext
from schema_builder.errors import BadUserInput, NotFound
from schema_builder.execute.aggregates import connection_aggregates, nested_aggregates, no_records
from schema_builder.execute.loaders import BatchLoader, loader_for
from schema_builder.execute.records import to_output
from schema_builder.execute.search_index import matching_ids
from schema_builder.metadata.model import FieldMeta, ObjectMeta, WorkspaceModel
from schema_builder.permissions.scoped import scoped_collection
from schema_builder.synthesis.aggregate_types import Aggregate

# The cursors a connection's selection reads: (its edges', pageInfo's start and end).
Cursors = tuple[bool, bool]
ALL_CURSORS: Cursors = (True, True)


def collection(ctx: RequestContext, obj: ObjectMeta) -> Any:
    """The collection every read and write of `obj`'s records goes through: for a role with
    row-level rules on `obj`, scoped to the rows it may see (see `permissions.scoped`)."""
    raw = ctx.db.records(ctx.workspace_id, obj.collection)
    if ctx.permissions is None:
        return raw
    return scoped_collection(ctx.permissions, obj, raw)


def unscoped_collection(ctx: RequestContext, obj: ObjectMeta) -> Any:
    """The whole collection, whoever asks: for the consistency work of writes only (delete
    cascades), which checks what it changes against the caller's role itself."""
    return ctx.db.records(ctx.workspace_id, obj.collection)


async def to_list(cursor: Any) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = await cursor.to_list(None)
    return docs


async def aggregate(coll: Any, pipeline: list[dict[str, Any]], expected: int = 0) -> list[dict[str, Any]]:
    """The pipeline's results; `expected` (how many, at most) lets them come in one batch
    (one more than expected, so that the server sees the end and closes the cursor)."""
    cursor = coll.aggregate(pipeline, batchSize=expected + 1) if expected else coll.aggregate(pipeline)
    if inspect.isawaitable(cursor):  # PyMongo's async API; the in-memory backend returns it directly
        cursor = await cursor
    return await to_list(cursor)


async def fetch_sorted(
    coll: Any,
    plan: SortPlan,
    query: Mapping[str, Any],
    limit: int,
    skip: int = 0,
    reverse: bool = False,
    fields: dict[str, int] | None = None,
    after: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """A sorted page of `query`; `after` is a cursor's condition (applied after any join)."""
    sort = plan.find_sort(reverse)
    if sort is None:
        pipeline = plan.pipeline(query, limit, skip, reverse, after)
        return await aggregate(coll, pipeline + [{"$project": fields}] if fields else pipeline, limit)
    if after:
        query = all_of(dict(query), dict(after))
    # The whole page in the first batch: no getMore round trip past the server's default of 101.
    cursor = coll.find(query, fields, batch_size=limit).sort(sort)
    if (hint := plan.id_index_hint(query)) is not None:
        cursor = cursor.hint(hint)
    if skip:
        cursor = cursor.skip(skip)
    return await to_list(cursor.limit(limit))


def by_id_alone(query: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(the query to send, whether the trash is left to the caller) for a look-up by id.

    `{_id: …, deletedAt: null}` is sent as `{_id: …}`, the caller dropping a trashed record:
    the same answer, and on the embedded store half the cost (SecantusDB does not use the `_id`
    index alone when the query has another key: 0.58 ms of its CPU a find instead of 0.29)."""
    if len(query) == 2 and "_id" in query and "deletedAt" in query and query["deletedAt"] is None:
        return {"_id": query["_id"]}, True
    return query, False


async def read_query(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, filter: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The MongoDB query of a filter, with relation filters resolved and trash hidden."""
    return await resolve_query(ctx, visible_filter(model, obj, filter, ctx.limits))


async def resolve_query(ctx: RequestContext, query: Mapping[str, Any]) -> dict[str, Any]:
    """A translated filter made ready for MongoDB: its relation filters replaced by the ids
    they stand for. Every query built by `filters` goes through here before it is sent."""

    async def find_ids(target: ObjectMeta, target_query: dict[str, Any]) -> list[str]:
        if SEARCH_TEXT in target_query:  # a searchVector filter: ids from the search index
            return await matching_ids(ctx, target, target_query[SEARCH_TEXT])
        docs = await to_list(collection(ctx, target).find(target_query, {"_id": 1}, session=ctx.session))
        return [d["_id"] for d in docs]

    resolved: dict[str, Any] = await resolve_relation_filters(query, find_ids)
    return resolved


def check_page_args(
    obj: ObjectMeta, first: int | None, last: int | None, before: str | None, after: str | None
) -> None:
    conflicts = (
        (first is not None and last is not None, "first", "last"),
        (before is not None and after is not None, "before", "after"),
        (before is not None and first is not None, "before", "first"),
        (after is not None and last is not None, "after", "last"),
    )
    for clash, a, b in conflicts:
        if clash:
            raise BadUserInput(f"arguments '{a}' and '{b}' cannot be used together")
    for name, value in (("first", first), ("last", last)):
        if value is not None and value < 0:
            raise BadUserInput(f"'{name}' must not be negative, got {value}")


def connection(
    docs: list[dict[str, Any]], plan: SortPlan, has_next: bool, has_previous: bool, cursors: Cursors = ALL_CURSORS
) -> dict[str, Any]:
    """A connection of `docs`, with the cursors asked for (a cursor is a JSON and a base64
    encoding per record): those of the edges, pageInfo's first and last; the others are None."""
    edge_cursors, page_cursors = cursors
    if edge_cursors:
        edges = [{"cursor": encode_cursor(d, plan), "node": to_output(d)} for d in docs]
        start, end = (edges[0]["cursor"], edges[-1]["cursor"]) if edges else (None, None)
    else:
        edges = [{"node": to_output(d)} for d in docs]
        start = end = None
        if docs and page_cursors:
            start, end = encode_cursor(docs[0], plan), encode_cursor(docs[-1], plan)
    return {
        "edges": edges,
        "pageInfo": {"startCursor": start, "endCursor": end, "hasNextPage": has_next, "hasPreviousPage": has_previous},
    }


async def find_many(
    ctx: RequestContext,
    model: WorkspaceModel,
    obj: ObjectMeta,
    args: Mapping[str, Any],
    aggregates: Sequence[Aggregate],
    names: Iterable[str] | None = None,
    with_records: bool = True,
    cursors: Cursors = ALL_CURSORS,
) -> dict[str, Any]:
    """A page of `obj` as a connection, with the `aggregates` asked (totalCount among them);
    `names` are the node fields selected (a projection). Without `with_records` (no edges nor
    pageInfo asked) no record is read: only the aggregates' one command is sent.
    `cursors`: those the selection reads (see `connection`)."""
    first, last = args.get("first"), args.get("last")
    before, after = args.get("before"), args.get("after")
    offset = args.get("offset") or 0
    check_page_args(obj, first, last, before, after)
    if offset < 0:
        raise BadUserInput(f"'offset' must not be negative, got {offset}")
    limit = first if first is not None else last if last is not None else ctx.limits.default_page_size
    if limit > ctx.limits.max_page_size:
        raise BadUserInput(
            f"a page holds at most {ctx.limits.max_page_size} records (the maximum page size); asked for {limit}"
        )
    plan = build_sort_plan(model, obj, args.get("orderBy"))
    base = await read_query(ctx, model, obj, args.get("filter"))
    backward = last is not None or before is not None
    cursor = before if backward else after
    beyond = None if cursor is None else after_condition(plan, decode_cursor(cursor, plan), backward)
    coll = collection(ctx, obj)
    result = await connection_aggregates(ctx, coll, base, aggregates) if aggregates else {}
    if not with_records:
        return result
    fields = None if names is None else projection(obj, names, (k.path for k in plan.keys))
    docs = await fetch_sorted(coll, plan, base, limit + 1, offset, backward, fields, beyond)
    ctx.charge(len(docs))
    more = len(docs) > limit
    docs = docs[:limit]
    if backward:
        docs.reverse()
        result.update(connection(docs, plan, has_next=before is not None, has_previous=more, cursors=cursors))
    else:
        result.update(connection(docs, plan, has_next=more, has_previous=after is not None or offset > 0,
                                 cursors=cursors))
    return result


@dataclass(frozen=True, slots=True)
class ToOneJoin:
    """A many-to-one relation selected under a record read by id: `column` holds the related
    id, `names` are the related record's selected fields (its loader's key)."""

    column: str
    target: ObjectMeta
    names: frozenset[str]


async def find_one(
    ctx: RequestContext,
    model: WorkspaceModel,
    obj: ObjectMeta,
    filter: Mapping[str, Any] | None,
    names: Iterable[str] | None = None,
    joins: Sequence[ToOneJoin] = (),
) -> dict[str, Any]:
    """One record; read by id, its `joins` come in the same command where they can (`_joined`)."""
    if not filter:
        raise BadUserInput(f"Missing filter argument: '{obj.name_singular}' needs a filter, e.g. {{id: {{eq: \"…\"}}}}")
    query, trash_here = by_id_alone(await read_query(ctx, model, obj, filter))
    # A record read by id is read whole: one document, and on the embedded store a projection
    # costs more than the fields it leaves out (0.36 instead of 0.25 ms of its CPU a find).
    fields = None if names is None or trash_here else projection(obj, names)
    coll = collection(ctx, obj)
    if trash_here and isinstance(query["_id"], str) and coll is unscoped_collection(ctx, obj):
        doc = await _by_id(ctx, coll, query["_id"], joins)
    else:
        doc = await coll.find_one(query, fields)
    if doc is not None and trash_here and doc.get("deletedAt") is not None:
        doc = None
    if doc is None:
        raise NotFound(f"Record not found: no {obj.name_singular} matches the filter")
    ctx.charge(1)
    return to_output(doc)


async def _by_id(ctx: RequestContext, coll: Any, record_id: str, joins: Sequence[ToOneJoin]) -> dict[str, Any] | None:
    """The record of `record_id`, whole, with its to-one relations in the same command
    (`$lookup` by `_id`), the related records handed to their loaders so that the relation
    fields send nothing: one round trip instead of two (half the gateway's CPU). Row rules are
    not expressed in a `$lookup`: only relations to objects without them for this role are
    joined. Reads by id arriving together share one command (`read_by_id`)."""
    if ctx.db.in_memory:
        joins = ()
    joins = [j for j in joins if collection(ctx, j.target) is unscoped_collection(ctx, j.target)]
    lookups = tuple((join.target.collection, join.column, f"__join{i}") for i, join in enumerate(joins))
    doc = await ctx.db.read_by_id(coll, record_id, lookups)
    if doc is None:
        return None
    for i, join in enumerate(joins):
        related = [d for d in doc.pop(f"__join{i}", ()) if d.get("deletedAt") is None]  # the trash, here
        key = doc.get(join.column)
        if key is not None:
            ctx.charge(len(related))
            many_to_one_loader(ctx, join.target, join.names).prime(key, to_output(related[0]) if related else None)
    return doc


def many_to_one_loader(ctx: RequestContext, target: ObjectMeta, names: frozenset[str]) -> BatchLoader[str, Any]:
    """The loader of related records by id (trash excluded): one query for all siblings."""

    def make() -> BatchLoader[str, Any]:
        fields = projection(target, names)
        with_deleted_at = fields if "deletedAt" in fields else {**fields, "deletedAt": 1}

        async def batch(ids: Sequence[str]) -> dict[str, Any]:
            # By id alone (see by_id_alone). At most one record per id: with that limit the
            # server answers in one batch.
            query = {"_id": {"$in": list(ids)}}
            cursor = collection(ctx, target).find(query, with_deleted_at, batch_size=len(ids), limit=len(ids))
            docs = [d for d in await to_list(cursor) if d.get("deletedAt") is None]  # the trash, here
            ctx.charge(len(docs))
            return {d["_id"]: to_output(d) for d in docs}

        return BatchLoader(batch, None)

    return loader_for(ctx.loaders, ("one", target.id, names), make)


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def one_to_many_loader(
    ctx: RequestContext,
    model: WorkspaceModel,
    relation: FieldMeta,
    args: Mapping[str, Any],
    aggregates: Sequence[Aggregate],
    names: frozenset[str],
    with_records: bool = True,
    cursors: Cursors = ALL_CURSORS,
) -> BatchLoader[str, Any]:
    """The loader of parents' nested connections, capped per parent, batched over all
    parents of the level; without `with_records` (only aggregates asked) no record is read;
    `cursors`: those the selection reads (see `connection`)."""
    aggregates = tuple(aggregates)

    def make() -> BatchLoader[str, Any]:
        return BatchLoader(
            _one_to_many_batch(ctx, model, relation, args, aggregates, names, with_records, cursors), None
        )

    owner = ("many", relation.id, _freeze(args), aggregates, names, with_records, cursors)
    return loader_for(ctx.loaders, owner, make)


def _one_to_many_batch(
    ctx: RequestContext,
    model: WorkspaceModel,
    relation: FieldMeta,
    args: Mapping[str, Any],
    aggregates: Sequence[Aggregate],
    names: frozenset[str],
    with_records: bool,
    cursors: Cursors,
) -> Callable[[Sequence[str]], Awaitable[dict[str, Any]]]:
    """The batch function of one nested list (arguments checked once, not once per parent)."""
    target = model.target_of(relation)
    inverse = next((f for f in target.fields if f.id == relation.target_field_id), None)
    if inverse is None or inverse.join_column is None:
        raise BadUserInput(f"relation '{relation.name}' has no many-to-one side to read from")
    join = inverse.join_column
    first, last, before, after = args.get("first"), args.get("last"), args.get("before"), args.get("after")
    check_page_args(target, first, last, before, after)
    cap = ctx.limits.max_nested_records
    limit = min(first if first is not None else last if last is not None else cap, cap)
    backward = last is not None or before is not None
    cursor = before if backward else after

    plan = build_sort_plan(model, target, args.get("orderBy"))
    fields = projection(target, [*names, join], (k.path for k in plan.keys))

    async def batch(parent_ids: Sequence[str]) -> dict[str, Any]:
        base = all_of(await read_query(ctx, model, target, args.get("filter")), {join: {"$in": list(parent_ids)}})
        beyond = None if cursor is None else after_condition(plan, decode_cursor(cursor, plan), backward)
        coll = collection(ctx, target)
        groups: dict[str, list[dict[str, Any]]] = {}
        if with_records:
            # `$firstN` keeps limit + 1 per parent while grouping; `$push` (for the in-memory
            # backend, which lacks it) would hold every child of a parent before the slice.
            first = {"$push": "$$ROOT"} if ctx.db.in_memory else {"$firstN": {"input": "$$ROOT", "n": limit + 1}}
            pipeline = plan.pipeline(base, None, reverse=backward, after=beyond) + [
                {"$project": fields},
                {"$group": {"_id": f"${join}", "docs": first}},
                {"$project": {"docs": {"$slice": ["$docs", limit + 1]}}},
            ]
            groups = {g["_id"]: g["docs"] for g in await aggregate(coll, pipeline, len(parent_ids))}
            ctx.charge(sum(map(len, groups.values())))
        # Every parent's aggregates in one pipeline grouped by parent.
        totals = await nested_aggregates(ctx, coll, base, join, aggregates, len(parent_ids)) if aggregates else {}
        found = {}
        for pid in parent_ids:
            docs = groups.get(pid, [])
            more = len(docs) > limit
            docs = docs[:limit]
            if backward:
                docs.reverse()
            conn = connection(docs, plan, has_next=more and not backward, has_previous=more and backward,
                              cursors=cursors)
            if aggregates:
                conn.update(totals.get(pid) or no_records(aggregates))
            found[pid] = conn
        return found

    return batch
