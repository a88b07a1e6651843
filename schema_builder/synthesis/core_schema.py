"""The executable Core GraphQL schema of a workspace: synthesised types plus resolvers bound by name.

Built once per (workspace, metadataVersion) by the registry and shared by every request.
"""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ariadne import MutationType, ObjectType, QueryType, SubscriptionType
from graphql import (
    GraphQLResolveInfo,
    GraphQLSchema,
)

from schema_builder.compile.documents import DocumentCache, ParsedDocuments
from schema_builder.compile.event_filters import compile_event_filter
from schema_builder.compile.group_by import compile_group_by
from schema_builder.compile.identity_cache import IdentityCache
from schema_builder.compile.query_plans import QueryPlans
from schema_builder.compile.selection import selected_names
from schema_builder.context import Limits, RequestContext
from schema_builder.errors import BadUserInput
from schema_builder.execute import group_by, reads, writes
from schema_builder.execute.loaders import BatchLoader, Deferred
from schema_builder.metadata.model import MANY_TO_ONE, ONE_TO_MANY, FieldMeta, ObjectMeta, WorkspaceModel, pascal
from schema_builder.permissions.events import visible_event
from schema_builder.synthesis.aggregate_types import Aggregate, aggregates_of
from schema_builder.synthesis.assembly import assemble_schema
from schema_builder.synthesis.event_types import ACTIONS
from schema_builder.synthesis.scalars import scalars
from schema_builder.synthesis.sdl import render_sdl, workspace_types


@dataclass
class CoreSchema:
    model: WorkspaceModel
    schema: GraphQLSchema
    documents: DocumentCache = field(default_factory=DocumentCache)
    plans: QueryPlans = field(default_factory=QueryPlans)
    # Caches of things derived from this schema version (e.g. the REST shim's documents).
    derived: dict[Any, Any] = field(default_factory=dict)

    @property
    def sdl(self) -> str:
        """The schema as SDL text, rendered when asked (`GET /graphql?sdl`): neither it nor the
        definitions it comes from are kept (a quarter of a large schema's memory)."""
        return render_sdl(workspace_types(self.model))


NODE = ("edges", "node")


_selections: IdentityCache[frozenset[str]] = IdentityCache()


def selected(info: GraphQLResolveInfo, path: tuple[str, ...] = ()) -> frozenset[str]:
    """The names selected under this field (see `selected_names`), worked out once per
    field of a parsed document (documents are cached): a relation's resolver runs for every
    record of a page, and a query shape for every request. The field nodes fix the fragments."""
    return _selections.get(info.field_nodes, path, lambda: frozenset(selected_names(info, path)))


_joins: IdentityCache[tuple[reads.ToOneJoin, ...]] = IdentityCache()


def joins(info: GraphQLResolveInfo, model: WorkspaceModel, to_one: dict[str, FieldMeta]) -> tuple[reads.ToOneJoin, ...]:
    """The many-to-one relations selected right under this field (`to_one`: the object's, by
    name), as `reads.find_one` joins them; worked out once per field of a parsed document."""

    def make() -> tuple[reads.ToOneJoin, ...]:
        return tuple(
            reads.ToOneJoin(join_column(meta), model.target_of(meta), selected(info, (name,)))
            for name in sorted(selected(info) & to_one.keys())
            for meta in (to_one[name],)
        )

    return _joins.get((*info.field_nodes, model), "joins", make)


def join_column(meta: FieldMeta) -> str:
    """The record's key holding a many-to-one relation's id."""
    return meta.stored_join_column or f"{meta.name}Id"


def field_loader(info: GraphQLResolveInfo, make: Callable[[], BatchLoader[str, Any]]) -> BatchLoader[str, Any]:
    """The loader of this relation field, looked up once per request and field (not per
    record); `make` finds or makes it when the field first asks."""
    key = ("loader", *map(id, info.field_nodes))
    memo: dict[Any, Any] = info.context.loaders
    loader: BatchLoader[str, Any] | None = memo.get(key)
    if loader is None:
        loader = memo[key] = make()
    return loader


def selects(info: GraphQLResolveInfo, name: str) -> bool:
    """Whether the client asked for `name` directly under this field (e.g. totalCount)."""
    return name in selected(info)


RECORD_FIELDS = frozenset({"edges", "pageInfo"})
EDGES = ("edges",)


PAGE_INFO, PAGE_CURSORS = ("pageInfo",), frozenset({"startCursor", "endCursor"})


def selects_cursors(info: GraphQLResolveInfo) -> reads.Cursors:
    """Which cursors a connection is asked for: its edges', pageInfo's first and last."""
    return "cursor" in selected(info, EDGES), bool(selected(info, PAGE_INFO) & PAGE_CURSORS)


def selected_aggregates(info: GraphQLResolveInfo, available: Mapping[str, Aggregate]) -> list[Aggregate]:
    """The aggregate fields (totalCount among them) asked directly under a connection."""
    return [available[name] for name in selected(info) if name in available]


async def transaction(ctx: RequestContext, operation: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """Run a mutation in one transaction, so its outbox events commit with it or not at all."""

    async def work(session: Any) -> Any:
        ctx.session = session  # mutations run one after another: the context is theirs
        try:
            return await operation(ctx, *args)
        finally:
            ctx.session = None

    return await ctx.db.run_in_transaction(work)


def _root_resolvers(
    model: WorkspaceModel, obj: ObjectMeta
) -> tuple[dict[str, Callable[..., Any]], dict[str, Callable[..., Any]]]:
    p, pp = pascal(obj.name_singular), pascal(obj.name_plural)
    aggregates = aggregates_of(obj)

    async def find_many(_: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        return await reads.find_many(
            info.context, model, obj, args, selected_aggregates(info, aggregates), selected(info, NODE),
            bool(selected(info) & RECORD_FIELDS), selects_cursors(info),
        )

    async def group_by_(_: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        plan = compile_group_by(model, obj, args, info.context.limits)
        return await group_by.group_by(info.context, model, obj, plan, args.get("filter"), selected(info),
                                       selected(info, NODE))

    to_one = {meta.name: meta for meta in (*obj.fields, *obj.aliases) if meta.relation_type == MANY_TO_ONE}

    async def find_one(_: Any, info: GraphQLResolveInfo, filter: Any) -> Any:
        return await reads.find_one(info.context, model, obj, filter, selected(info), joins(info, model, to_one))

    async def create_one(_: Any, info: GraphQLResolveInfo, data: Any, upsert: bool | None = False) -> Any:
        return (await transaction(info.context, writes.create_many, model, obj, [data], bool(upsert)))[0]

    async def create_many(_: Any, info: GraphQLResolveInfo, data: Any, upsert: bool | None = False) -> Any:
        return await transaction(info.context, writes.create_many, model, obj, data, bool(upsert))

    def by_id(operation: Callable[..., Any]) -> Callable[..., Any]:
        async def resolve(_: Any, info: GraphQLResolveInfo, id: str, **args: Any) -> Any:
            return await transaction(info.context, operation, model, obj, id, *args.values())

        return resolve

    def by_filter(operation: Callable[..., Any]) -> Callable[..., Any]:
        async def resolve(_: Any, info: GraphQLResolveInfo, filter: Any, **args: Any) -> Any:
            return await transaction(info.context, operation, model, obj, filter, *args.values())

        return resolve

    queries: dict[str, Callable[..., Any]] = {
        obj.name_plural: find_many, obj.name_singular: find_one, f"{obj.name_plural}GroupBy": group_by_,
    }
    mutations: dict[str, Callable[..., Any]] = {
        f"create{p}": create_one,
        f"create{pp}": create_many,
        f"update{p}": by_id(writes.update_one),
        f"update{pp}": by_filter(writes.update_many),
        f"delete{p}": by_id(writes.delete_one),
        f"delete{pp}": by_filter(writes.delete_many),
        f"destroy{p}": by_id(writes.destroy_one),
        f"destroy{pp}": by_filter(writes.destroy_many),
        f"restore{p}": by_id(writes.restore_one),
        f"restore{pp}": by_filter(writes.restore_many),
    }
    return queries, mutations


def _stored(key: str) -> Callable[..., Any]:
    """A field read from another key of the record (an older Twenty name of a field);
    `stored_key` names it for compiled plans, which copy it as a stored field."""

    def resolve(parent: Any, info: GraphQLResolveInfo) -> Any:
        return parent.get(key)

    resolve.stored_key = key  # type: ignore[attr-defined]
    return resolve


def _files(name: str) -> Callable[..., Any]:
    """A FILES value as `[FileObject]`: the items that have a file id and a label (values
    written as free JSON by earlier releases may not)."""

    def files(parent: Any) -> Any:
        value = parent.get(name)
        if not isinstance(value, list):
            return None
        return [v for v in value if isinstance(v, dict) and v.get("fileId") and isinstance(v.get("label"), str)]

    return _bindable(lambda info, args: files)


def _field_resolvers(model: WorkspaceModel, obj: ObjectMeta) -> dict[str, Callable[..., Any]]:
    """Resolvers of the fields not read straight from the record, by name."""
    resolvers: dict[str, Callable[..., Any]] = {}
    for meta in (*obj.fields, *obj.aliases):
        if meta.relation_type in (MANY_TO_ONE, ONE_TO_MANY):
            resolvers[meta.name] = _relation_resolver(model, meta)
            if meta.alias_of and meta.join_column and meta.stored_join_column:
                resolvers[meta.join_column] = _stored(meta.stored_join_column)
        elif meta.type == "FILES":
            resolvers[meta.name] = _files(meta.alias_of or meta.name)
        elif meta.alias_of:
            resolvers[meta.name] = _stored(meta.alias_of)
    return resolvers


def _relation_resolver(model: WorkspaceModel, meta: FieldMeta) -> Callable[..., Any]:
    """A relation's resolver; its `bind(info, args)` gives the same resolver for one request
    and field, called per record with the record alone (what compiled plans call)."""
    target = model.target_of(meta)
    if meta.relation_type == MANY_TO_ONE:
        column = join_column(meta)

        def many_to_one_bound(info: GraphQLResolveInfo, args: dict[str, Any]) -> Callable[[Any], Any]:
            loader: BatchLoader[str, Any] | None = None

            def many_to_one(parent: Any) -> Any:
                nonlocal loader
                key = parent.get(column)
                if key is None:
                    return None
                if loader is None:
                    loader = field_loader(info, lambda: reads.many_to_one_loader(info.context, target, selected(info)))
                return loader.defer(key)

            return many_to_one

        return _bindable(many_to_one_bound)

    aggregates = aggregates_of(target)

    def one_to_many_bound(info: GraphQLResolveInfo, args: dict[str, Any]) -> Callable[[Any], Any]:
        loader: BatchLoader[str, Any] | None = None

        def make() -> BatchLoader[str, Any]:
            return reads.one_to_many_loader(
                info.context, model, meta, args, selected_aggregates(info, aggregates), selected(info, NODE),
                bool(selected(info) & RECORD_FIELDS), selects_cursors(info),
            )

        def one_to_many(parent: Any) -> Any:
            nonlocal loader
            if loader is None:
                loader = field_loader(info, make)
            return loader.defer(parent["_id"])

        return one_to_many

    resolve = _bindable(one_to_many_bound)
    resolve.one_to_many = True  # type: ignore[attr-defined]  # a plan may answer it as a list (see QueryPlan)
    return resolve


def _bindable(bind: Callable[[GraphQLResolveInfo, dict[str, Any]], Callable[[Any], Any]]) -> Callable[..., Any]:
    """A resolver graphql-core calls per record, made of its per-request form `bind` (which
    compiled plans call; a loader's `Deferred` is handed to graphql-core as a future)."""

    def resolve(parent: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        value = bind(info, args)(parent)
        return value.future() if value.__class__ is Deferred else value

    resolve.bind = bind  # type: ignore[attr-defined]
    return resolve


def _subscription(model: WorkspaceModel, obj: ObjectMeta) -> Callable[..., Any]:
    """The source of `<singular>Events`: the workspace's record events of this object that
    match the filter (compiled once, in the compile step) and the operations asked for."""
    prefix = f"{obj.name_singular}."

    async def source(_: Any, info: GraphQLResolveInfo, filter: Any = None, operations: Any = None) -> Any:
        ctx: RequestContext = info.context
        if ctx.record_events is None:
            raise BadUserInput(
                "subscriptions are served over WebSocket (graphql-transport-ws) or Server-Sent Events "
                "(a POST with 'Accept: text/event-stream')"
            )
        matches = compile_event_filter(model, obj, filter, ctx.limits)
        wanted = set(operations or ACTIONS)
        feed = await ctx.record_events()
        try:
            async for position, doc in feed:
                name = str(doc.get("name") or "")
                action = name[len(prefix):].upper() if name.startswith(prefix) else None
                if action not in wanted:
                    continue
                properties = doc.get("properties") or {}
                record = properties.get("before" if action in ("DELETED", "DESTROYED") else "after")
                if record is None or not matches(record):
                    continue
                ctx.last_position = position
                event = await visible_event(ctx.permissions, obj, {
                    "action": action, "position": position, "recordId": doc.get("linkedRecordId"),
                    "record": record, "updatedFields": properties.get("updatedFields"),
                    "before": properties.get("before"), "after": properties.get("after"),
                    "diff": properties.get("diff"), "happensAt": doc.get("happensAt"), "apiKeyId": doc.get("apiKeyId"),
                }, reads.collection(ctx, obj))
                if event is not None:
                    yield event
        finally:
            feed.close()

    return source


def build_core_schema(
    model: WorkspaceModel, limits: Limits | None = None, parsed: ParsedDocuments | None = None,
    plans: QueryPlans | None = None,
) -> CoreSchema:
    """Types from the model, assembled into a schema, resolvers bound by name with Ariadne.

    The collector is paused meanwhile (the build awaits nothing: no request runs in between).
    A build makes hundreds of thousands of objects for 200 objects of 20 fields, nearly all of
    them living as long as the schema, so each collection they would trigger only walks them:
    half the build's time, measured (bench/schema_build.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(model, limits, parsed, plans)
    finally:
        if was_enabled:
            gc.enable()


def _build(
    model: WorkspaceModel, limits: Limits | None, parsed: ParsedDocuments | None, plans: QueryPlans | None,
) -> CoreSchema:
    types = workspace_types(model)
    query_fields = {f.name for t in types if t.name == "Query" for f in t.fields}
    query, mutation, subscription = QueryType(), MutationType(), SubscriptionType()
    bindables: list[Any] = [query, *scalars()]
    for obj in model.objects:
        name = f"{obj.name_singular}Events"
        subscription.set_source(name, _subscription(model, obj))
        subscription.set_field(name, lambda event, *_, **__: event)
        queries, mutations = _root_resolvers(model, obj)
        for name, resolver in queries.items():
            if name in query_fields:  # an object with nothing to group by has no groupBy
                query.set_field(name, resolver)
        for name, resolver in mutations.items() if not obj.audit_log else ():  # read only: no mutations
            mutation.set_field(name, resolver)
        object_type = ObjectType(pascal(obj.name_singular))
        for name, resolver in _field_resolvers(model, obj).items():
            object_type.set_field(name, resolver)
        bindables.append(object_type)
    from schema_builder.synthesis.search_resolvers import bind_search_resolvers  # it builds on this module

    bind_search_resolvers(model, query, mutation)
    if model.objects:
        bindables += [mutation, subscription]
    schema = assemble_schema(types, bound={b.name for b in bindables if isinstance(b, ObjectType)})
    for bindable in bindables:
        bindable.bind_to_schema(schema)
    documents = DocumentCache(limits, parsed=parsed)
    return CoreSchema(model=model, schema=schema, documents=documents, plans=plans or QueryPlans())
