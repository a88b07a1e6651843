"""The webhook part of the `/metadata` schema: Twenty's webhook CRUD plus delivery history
and replay (docgate's own), with their resolvers.

`metadata_sdl` appends `SDL`; `metadata_api` binds `bindables()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ariadne import MutationType, QueryType
from graphql import GraphQLResolveInfo

from schema_builder.context import RequestContext
from schema_builder.errors import NotFound

from . import deliveries, store
from .outbox import Outbox

SDL = '''
"A target that receives a signed POST for each record event its operations match."
type Webhook {
  id: UUID!
  targetUrl: String!
  "Patterns <object>.<action>, either side may be *: person.created, *.updated, person.*, *.*"
  operations: [String!]!
  description: String
  "The HMAC-SHA256 key of X-Twenty-Webhook-Signature (generated when not given)."
  secret: String!
  applicationId: UUID!
  createdAt: DateTime!
  updatedAt: DateTime!
  deletedAt: DateTime
}

input CreateWebhookInput {
  id: UUID
  targetUrl: String!
  "Default [\\"*.*\\"]."
  operations: [String!]
  description: String
  secret: String
}

input UpdateWebhookInputUpdates {
  targetUrl: String
  operations: [String!]
  description: String
  secret: String
}

input UpdateWebhookInput {
  id: UUID!
  update: UpdateWebhookInputUpdates!
}

enum WebhookDeliveryStatus {
  PENDING
  DELIVERED
  DEAD
}

type WebhookDeliveryAttempt {
  attempt: Int!
  at: DateTime!
  statusCode: Int
  error: String
  durationMs: Int!
}

"One event for one webhook: what was (or will be) POSTed, and how each attempt went."
type WebhookDelivery {
  id: UUID!
  webhookId: UUID!
  eventName: String!
  objectMetadataId: UUID
  recordId: UUID
  targetUrl: String!
  status: WebhookDeliveryStatus!
  "Attempts since it was recorded or last replayed."
  attempts: Int!
  replays: Int!
  nextAttemptAt: DateTime
  createdAt: DateTime!
  lastAttemptAt: DateTime
  lastStatusCode: Int
  lastError: String
  deliveredAt: DateTime
  "The JSON body sent."
  payload: JSON!
  "The most recent attempts, oldest first."
  attemptLog: [WebhookDeliveryAttempt!]!
}

extend type Query {
  webhooks: [Webhook!]!
  webhook(id: UUID!): Webhook
  "Newest first."
  webhookDeliveries(
    webhookId: UUID, status: WebhookDeliveryStatus, eventName: String, limit: Int = 100
  ): [WebhookDelivery!]!
  webhookDelivery(id: UUID!): WebhookDelivery
}

extend type Mutation {
  createWebhook(input: CreateWebhookInput!): Webhook!
  updateWebhook(input: UpdateWebhookInput!): Webhook!
  deleteWebhook(id: UUID!): Webhook!
  "Send a dead (or delivered) delivery again, with a fresh attempt budget."
  replayWebhookDelivery(id: UUID!): WebhookDelivery!
  "Replay every dead delivery of the workspace, or of one webhook; returns how many."
  replayDeadWebhookDeliveries(webhookId: UUID): Int!
}
'''

query = QueryType()
mutation = MutationType()


def _ctx(info: GraphQLResolveInfo) -> RequestContext:
    ctx: RequestContext = info.context
    return ctx


def _outbox(ctx: RequestContext) -> Outbox | None:
    hook = ctx.on_record_change
    return hook if isinstance(hook, Outbox) else None


def _allow_private(ctx: RequestContext) -> bool:
    outbox = _outbox(ctx)
    return outbox is not None and outbox.allow_private


def _wake(ctx: RequestContext) -> None:
    outbox = _outbox(ctx)
    if outbox is not None and outbox.nudge is not None:
        outbox.nudge()


@query.field("webhooks")
async def resolve_webhooks(_: Any, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    ctx = _ctx(info)
    return [store.public_view(d) for d in await store.list_webhooks(ctx.db.control, ctx.workspace_id)]


@query.field("webhook")
async def resolve_webhook(_: Any, info: GraphQLResolveInfo, id: str) -> dict[str, Any] | None:
    ctx = _ctx(info)
    try:
        return store.public_view(await store.get_webhook(ctx.db.control, ctx.workspace_id, id))
    except NotFound:
        return None  # as Twenty: an unknown webhook is null


@query.field("webhookDeliveries")
async def resolve_deliveries(
    _: Any,
    info: GraphQLResolveInfo,
    webhookId: str | None = None,
    status: str | None = None,
    eventName: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    ctx = _ctx(info)
    docs = await deliveries.list_deliveries(
        ctx.db.control, ctx.workspace_id, webhook_id=webhookId, status=status, event_name=eventName,
        limit=100 if limit is None else limit,
    )
    return [deliveries.public_view(d) for d in docs]


@query.field("webhookDelivery")
async def resolve_delivery(_: Any, info: GraphQLResolveInfo, id: str) -> dict[str, Any] | None:
    ctx = _ctx(info)
    try:
        return deliveries.public_view(await deliveries.get_delivery(ctx.db.control, ctx.workspace_id, id))
    except NotFound:
        return None


@mutation.field("createWebhook")
async def resolve_create(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> dict[str, Any]:
    ctx = _ctx(info)
    doc = await store.create_webhook(ctx.db.control, ctx.workspace_id, input, allow_private=_allow_private(ctx))
    return store.public_view(doc)


@mutation.field("updateWebhook")
async def resolve_update(_: Any, info: GraphQLResolveInfo, input: Mapping[str, Any]) -> dict[str, Any]:
    ctx = _ctx(info)
    doc = await store.update_webhook(
        ctx.db.control, ctx.workspace_id, input["id"], input["update"], allow_private=_allow_private(ctx)
    )
    return store.public_view(doc)


@mutation.field("deleteWebhook")
async def resolve_delete(_: Any, info: GraphQLResolveInfo, id: str) -> dict[str, Any]:
    ctx = _ctx(info)
    doc = await store.delete_webhook(ctx.db.control, ctx.workspace_id, id)
    outbox = _outbox(ctx)
    retention = outbox.retention_seconds if outbox is not None else 14 * 86400.0
    await deliveries.cancel_for_webhook(ctx.db.control, ctx.workspace_id, id, retention)
    return store.public_view(doc)


@mutation.field("replayWebhookDelivery")
async def resolve_replay(_: Any, info: GraphQLResolveInfo, id: str) -> dict[str, Any]:
    ctx = _ctx(info)
    doc = await deliveries.replay_delivery(ctx.db.control, ctx.workspace_id, id)
    _wake(ctx)
    return deliveries.public_view(doc)


@mutation.field("replayDeadWebhookDeliveries")
async def resolve_replay_dead(_: Any, info: GraphQLResolveInfo, webhookId: str | None = None) -> int:
    ctx = _ctx(info)
    count = await deliveries.replay_dead(ctx.db.control, ctx.workspace_id, webhookId)
    if count:
        _wake(ctx)
    return count


def bindables() -> list[Any]:
    return [query, mutation]
