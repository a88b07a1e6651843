"""Twenty's event streams on `/metadata`: one subscription per client, queries registered on it.

`onEventSubscription(eventStreamId)` opens a stream, whose first frame echoes the id; then
`addQueryToEventStream` / `removeQueryFromEventStream` register the record queries the client
shows (`operationSignature: {objectNameSingular, variables: {filter}}`). Each record event that
matches one of them is sent with the ids of the queries it matches, as Twenty sends it.

The registered queries live in the store (`eventStreams` in the control database), so the
mutations may reach any replica: the replica serving the stream hears of a change through the
change stream, in order with the record events (`Hub.touch`). A stream belongs to the API key
that opened it. While it is open here its record is kept alive; once closed it lives on for
`TTL`, so that a client that reconnects with `Last-Event-ID` keeps its queries and gets every
event it missed (Twenty forgets a stream when its connection ends; resuming is docgate's).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from ariadne import MutationType, SubscriptionType
from graphql import GraphQLResolveInfo

from schema_builder.compile.event_filters import compile_event_filter
from schema_builder.context import Limits, RequestContext
from schema_builder.errors import BadUserInput, Forbidden
from schema_builder.execute.reads import collection
from schema_builder.metadata.model import WorkspaceModel
from schema_builder.permissions.events import visible_event

from ..db import Database
from .hub import EVENT_STREAMS, Hub

TTL = dt.timedelta(minutes=30)  # Twenty's EVENT_STREAM_TTL_MS
MAX_QUERIES = 100  # per stream: a client registers the queries on its screen
MAX_SIGNATURE_BYTES = 16_384
MAX_ID_LENGTH = 200

SDL = '''
enum DatabaseEventAction {
  CREATED
  UPDATED
  DELETED
  DESTROYED
  RESTORED
  UPSERTED
}

type ObjectRecordEventProperties {
  updatedFields: [String!]
  before: JSON
  after: JSON
  diff: JSON
}

type ObjectRecordEvent {
  action: DatabaseEventAction!
  objectNameSingular: String!
  recordId: String!
  userId: String
  workspaceMemberId: String
  properties: ObjectRecordEventProperties!
}

type ObjectRecordEventWithQueryIds {
  queryIds: [String!]!
  objectRecordEvent: ObjectRecordEvent!
}

"Metadata Event Action"
enum MetadataEventAction {
  CREATED
  UPDATED
  DELETED
}

type MetadataEvent {
  type: MetadataEventAction!
  metadataName: String!
  recordId: String!
  properties: ObjectRecordEventProperties!
}

type MetadataEventWithQueryIds {
  queryIds: [String!]!
  metadataEvent: MetadataEvent!
}

type EventSubscription {
  eventStreamId: String!
  objectRecordEventsWithQueryIds: [ObjectRecordEventWithQueryIds!]!
  "Always empty: docgate sends no metadata events yet."
  metadataEventsWithQueryIds: [MetadataEventWithQueryIds!]!
}

input AddQuerySubscriptionInput {
  eventStreamId: String!
  queryId: String!
  "{objectNameSingular, variables: {filter}}: the record query whose records' events to send"
  operationSignature: JSON!
}

input RemoveQueryFromEventStreamInput {
  eventStreamId: String!
  queryId: String!
}

type Subscription {
  "Served over Server-Sent Events (a POST with Accept: text/event-stream) or WebSocket."
  onEventSubscription(eventStreamId: String!): EventSubscription
}

extend type Mutation {
  addQueryToEventStream(input: AddQuerySubscriptionInput!): Boolean!
  removeQueryFromEventStream(input: RemoveQueryFromEventStreamInput!): Boolean!
}
'''


def _forbidden(message: str, sub_code: str) -> Forbidden:
    return Forbidden(message, subCode=sub_code, userFriendlyMessage=(
        "You are not authorized to perform this action." if sub_code == "NOT_AUTHORIZED"
        else "Failed to receive real time updates."
    ))


def _checked_id(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        raise BadUserInput(f"{name} must be a non-empty string of at most {MAX_ID_LENGTH} characters")
    return value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class _Query:
    query_id: str
    object_name: str
    matches: Callable[[Mapping[str, Any]], bool]


@dataclass
class EventStreams:
    """The event streams of this replica's clients, their queries kept in the store."""

    db: Database
    hub: Hub
    load_model: Callable[[str], Awaitable[WorkspaceModel]]  # workspace id → its current model
    open_here: set[str] = field(default_factory=set)
    _heartbeat: asyncio.Task[None] | None = None

    @property
    def collection(self) -> Any:
        return self.db.control[EVENT_STREAMS]

    async def prepare(self) -> None:
        """At start-up: streams whose clients are gone for good expire on their own."""
        await self.collection.create_index("expiresAt", expireAfterSeconds=0)

    async def open(self, ctx: RequestContext, stream_id: str, resuming: bool) -> str:
        """Create (or, resuming, take up again) the stream; its record's id."""
        key = f"{ctx.workspace_id}:{_checked_id(stream_id, 'eventStreamId')}"
        now = _now()
        await self.collection.delete_many({"workspaceId": ctx.workspace_id, "expiresAt": {"$lt": now}})
        existing = await self.collection.find_one({"_id": key})
        if existing is not None and existing.get("apiKeyId") != ctx.api_key_id:
            raise _forbidden("Event stream already exists", "EVENT_STREAM_ALREADY_EXISTS")
        if existing is not None and resuming:
            await self.collection.update_one({"_id": key}, {"$set": {"expiresAt": now + TTL}})
        else:  # as Twenty: opening a stream again starts it afresh
            await self.collection.replace_one({"_id": key}, {
                "workspaceId": ctx.workspace_id, "apiKeyId": ctx.api_key_id, "queries": [],
                "createdAt": now, "expiresAt": now + TTL,
            }, upsert=True)
        self.open_here.add(key)
        self.hub.watch_stream(key)
        if self._heartbeat is None:  # a context of its own: no request's deadline bounds it
            self._heartbeat = asyncio.create_task(self._keep_alive(), context=contextvars.Context())
        return key

    async def close(self, key: str) -> None:
        """The client went away: its stream stays for TTL, for it to come back to."""
        self.open_here.discard(key)
        self.hub.unwatch_stream(key)
        with contextlib.suppress(Exception):  # the store is down: the record expires anyway
            await self.collection.update_one({"_id": key}, {"$set": {"expiresAt": _now() + TTL}})

    async def _owned(self, ctx: RequestContext, stream_id: str, action: str) -> str | None:
        key = f"{ctx.workspace_id}:{_checked_id(stream_id, 'eventStreamId')}"
        found = await self.collection.find_one({"_id": key, "expiresAt": {"$gt": _now()}}, {"apiKeyId": 1})
        if found is None:
            return None  # as Twenty: false, the client opens a new stream
        if found.get("apiKeyId") != ctx.api_key_id:
            raise _forbidden(f"You are not authorized to {action} this event stream", "NOT_AUTHORIZED")
        return key

    async def add_query(self, ctx: RequestContext, stream_id: str, query_id: str, signature: Any) -> bool:
        query_id = _checked_id(query_id, "queryId")
        if not isinstance(signature, dict) or len(orjson.dumps(signature)) > MAX_SIGNATURE_BYTES:
            raise BadUserInput(f"operationSignature must be an object of at most {MAX_SIGNATURE_BYTES} bytes")
        if "objectNameSingular" in signature:  # a record query: checked now, not at its first event
            _compile(await self.load_model(ctx.workspace_id), query_id, signature, ctx.limits)
        key = await self._owned(ctx, stream_id, "add a query to")
        if key is None:
            return False
        entry = {"queryId": query_id, "signature": signature}
        replaced = await self.collection.update_one(
            {"_id": key, "queries.queryId": query_id}, {"$set": {"queries.$": entry}})
        if not replaced.matched_count:
            added = await self.collection.update_one(
                {"_id": key, f"queries.{MAX_QUERIES - 1}": {"$exists": False}}, {"$push": {"queries": entry}})
            if not added.matched_count:
                raise BadUserInput(f"an event stream holds at most {MAX_QUERIES} queries: remove one first")
        self.hub.touch(key)
        return True

    async def remove_query(self, ctx: RequestContext, stream_id: str, query_id: str) -> bool:
        key = await self._owned(ctx, stream_id, "remove a query from")
        if key is None:
            return False
        await self.collection.update_one({"_id": key}, {"$pull": {"queries": {"queryId": query_id}}})
        self.hub.touch(key)
        return True

    async def queries(self, ctx: RequestContext, key: str) -> list[_Query]:
        """The stream's record queries, compiled against the workspace's current model."""
        doc = await self.collection.find_one({"_id": key}, {"queries": 1}) or {}
        model = await self.load_model(ctx.workspace_id)
        compiled = []
        for entry in doc.get("queries", []):
            signature = entry.get("signature")
            if isinstance(signature, dict) and "objectNameSingular" in signature:
                with contextlib.suppress(BadUserInput):  # a field the model no longer has: nothing matches
                    compiled.append(_compile(model, entry["queryId"], signature, ctx.limits))
        return compiled

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(TTL.total_seconds() / 5)
            with contextlib.suppress(Exception):
                await self.collection.update_many(
                    {"_id": {"$in": sorted(self.open_here)}}, {"$set": {"expiresAt": _now() + TTL}})

    async def stop(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat


def _compile(model: WorkspaceModel, query_id: str, signature: Mapping[str, Any], limits: Limits) -> _Query:
    name = signature.get("objectNameSingular")
    obj = model.by_singular(name) if isinstance(name, str) else None
    if obj is None:
        raise BadUserInput(f"operationSignature.objectNameSingular: object '{name}' not found")
    variables = signature.get("variables") or {}
    filter = variables.get("filter") if isinstance(variables, dict) else None
    if filter is not None and not isinstance(filter, dict):
        raise BadUserInput("operationSignature.variables.filter must be an object")
    return _Query(query_id, obj.name_singular, compile_event_filter(model, obj, filter, limits))


def _record_event(doc: Mapping[str, Any], queries: list[_Query]) -> dict[str, Any] | None:
    """A timeline activity as Twenty's ObjectRecordEvent with the queries it matches, or None."""
    object_name, _, action = str(doc.get("name") or "").partition(".")
    properties = doc.get("properties") or {}
    before, after = properties.get("before"), properties.get("after")
    # An update is news to a query whose records it enters or leaves: either side may match.
    candidates = [r for r in ((after, before) if action == "updated" else (after or before,)) if r]
    query_ids = [q.query_id for q in queries
                 if q.object_name == object_name and any(q.matches(r) for r in candidates)]
    if not query_ids:
        return None
    return {"queryIds": query_ids, "objectRecordEvent": {
        "action": action.upper(), "objectNameSingular": object_name, "recordId": doc.get("linkedRecordId"),
        "userId": None, "workspaceMemberId": None,
        "properties": {k: properties.get(k) for k in ("updatedFields", "before", "after", "diff")},
    }}


async def _as_role_sees(ctx: RequestContext, streams: EventStreams, event: dict[str, Any]) -> dict[str, Any] | None:
    """The event as the key's role may see it (object, rows, fields), or None."""
    record_event = event["objectRecordEvent"]
    obj = (await streams.load_model(ctx.workspace_id)).by_singular(record_event["objectNameSingular"])
    if obj is None:
        return None
    shown = await visible_event(ctx.permissions, obj, {"recordId": record_event["recordId"],
                                                       **record_event["properties"]}, collection(ctx, obj))
    if shown is None:
        return None
    properties = {k: shown.get(k) for k in ("updatedFields", "before", "after", "diff")}
    return {**event, "objectRecordEvent": {**record_event, "properties": properties}}


def _streams(ctx: RequestContext) -> EventStreams:
    if ctx.event_streams is None:
        raise BadUserInput("event streams are served over Server-Sent Events or WebSocket")
    streams: EventStreams = ctx.event_streams
    return streams


async def _event_stream(_: Any, info: GraphQLResolveInfo, eventStreamId: str) -> AsyncGenerator[dict[str, Any]]:
    ctx: RequestContext = info.context
    streams = _streams(ctx)
    feed = await ctx.record_events()  # registered before the first frame: nothing after it is missed
    key = None
    try:
        key = await streams.open(ctx, eventStreamId, resuming=ctx.last_position is not None)
        yield {"eventStreamId": eventStreamId, "objectRecordEventsWithQueryIds": [], "metadataEventsWithQueryIds": []}
        seen, queries = -1, []
        async for position, doc in feed:
            if (version := streams.hub.stream_versions.get(key, 0)) != seen:
                seen, queries = version, await streams.queries(ctx, key)
            event = _record_event(doc, queries)
            if event is not None and ctx.permissions is not None:
                event = await _as_role_sees(ctx, streams, event)
            if event is not None:
                ctx.last_position = position
                yield {"eventStreamId": eventStreamId, "objectRecordEventsWithQueryIds": [event],
                       "metadataEventsWithQueryIds": []}
    finally:
        feed.close()
        if key is not None:
            await streams.close(key)


def bindables() -> list[Any]:
    subscription, mutation = SubscriptionType(), MutationType()
    subscription.set_source("onEventSubscription", _event_stream)
    subscription.set_field("onEventSubscription", lambda frame, *_, **__: frame)

    @mutation.field("addQueryToEventStream")
    async def add_query(_: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> bool:
        ctx: RequestContext = info.context
        return await _streams(ctx).add_query(ctx, input["eventStreamId"], input["queryId"], input["operationSignature"])

    @mutation.field("removeQueryFromEventStream")
    async def remove_query(_: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> bool:
        ctx: RequestContext = info.context
        return await _streams(ctx).remove_query(ctx, input["eventStreamId"], input["queryId"])

    return [subscription, mutation]
