"""Webhook deliveries (`webhookDeliveries`): the outbox, its indexes, and what the APIs show.

One document per (record event, matching webhook), written in the transaction of the change.
Its life: PENDING (claimable once `dueAt` has passed; a claim pushes `dueAt` forward by the
lease) → DELIVERED, or → DEAD after the last failed attempt; `dueAt` is null once finished,
so "due" is `dueAt <= now` alone. A DEAD (or DELIVERED)
delivery can be replayed: it becomes PENDING again with a fresh attempt budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from pymongo import ASCENDING, DESCENDING, ReturnDocument

from schema_builder.errors import BadUserInput, NotFound

DELIVERIES = "webhookDeliveries"
PENDING, DELIVERED, DEAD = "PENDING", "DELIVERED", "DEAD"
STATUSES = (PENDING, DELIVERED, DEAD)
MAX_LIST = 1000
ATTEMPT_LOG_SIZE = 50  # the most recent attempts kept on a delivery

Doc = dict[str, Any]


def utcnow() -> datetime:
    return datetime.now(UTC)


async def ensure_indexes(control: Any) -> None:
    coll = control[DELIVERIES]
    await coll.create_index([("status", ASCENDING), ("dueAt", ASCENDING)])  # claims
    await coll.create_index([("workspaceId", ASCENDING), ("createdAt", DESCENDING)])  # listing
    await coll.create_index([("webhookId", ASCENDING), ("status", ASCENDING)])
    await coll.create_index("expiresAt", expireAfterSeconds=0)  # retention of finished ones


def public_view(doc: Mapping[str, Any]) -> Doc:
    status = doc["status"]
    return {
        "id": doc["_id"],
        "webhookId": doc["webhookId"],
        "eventName": doc["eventName"],
        "objectMetadataId": doc.get("objectMetadataId"),
        "recordId": doc.get("recordId"),
        "targetUrl": doc["targetUrl"],
        "status": status,
        "attempts": int(doc.get("attempts", 0)),
        "replays": int(doc.get("replays", 0)),
        "nextAttemptAt": doc.get("dueAt") if status == PENDING else None,
        "createdAt": doc["createdAt"],
        "lastAttemptAt": doc.get("lastAttemptAt"),
        "lastStatusCode": doc.get("lastStatusCode"),
        "lastError": doc.get("lastError"),
        "deliveredAt": doc.get("deliveredAt"),
        "payload": orjson.loads(doc["body"]),
        "attemptLog": list(doc.get("attemptLog") or []),
    }


async def list_deliveries(
    control: Any,
    workspace_id: str,
    *,
    webhook_id: str | None = None,
    status: str | None = None,
    event_name: str | None = None,
    limit: int = 100,
) -> list[Doc]:
    """The workspace's deliveries, newest first."""
    if not 1 <= limit <= MAX_LIST:
        raise BadUserInput(f"limit must be between 1 and {MAX_LIST}")
    query: Doc = {"workspaceId": workspace_id}
    if webhook_id is not None:
        query["webhookId"] = webhook_id
    if status is not None:
        query["status"] = status
    if event_name is not None:
        query["eventName"] = event_name
    cursor = control[DELIVERIES].find(query).sort([("createdAt", DESCENDING), ("_id", DESCENDING)]).limit(limit)
    return list(await cursor.to_list(None))


async def get_delivery(control: Any, workspace_id: str, delivery_id: str) -> Doc:
    doc = await control[DELIVERIES].find_one({"_id": delivery_id, "workspaceId": workspace_id})
    if doc is None:
        raise NotFound(f"webhook delivery '{delivery_id}' not found")
    return dict(doc)


def _requeue() -> Doc:
    return {
        "$set": {"status": PENDING, "attempts": 0, "dueAt": utcnow(), "leaseToken": None},
        "$unset": {"expiresAt": ""},
        "$inc": {"replays": 1},
    }


async def replay_delivery(control: Any, workspace_id: str, delivery_id: str) -> Doc:
    """Queue a finished delivery again, with a fresh attempt budget; its history is kept."""
    doc = await control[DELIVERIES].find_one_and_update(
        {"_id": delivery_id, "workspaceId": workspace_id, "status": {"$in": [DEAD, DELIVERED]}},
        _requeue(),
        return_document=ReturnDocument.AFTER,
    )
    if doc is None:
        await get_delivery(control, workspace_id, delivery_id)  # NotFound when it does not exist
        raise BadUserInput(f"webhook delivery '{delivery_id}' is already pending: it will be sent")
    return dict(doc)


async def replay_dead(control: Any, workspace_id: str, webhook_id: str | None = None) -> int:
    """Queue every dead delivery of the workspace (or of one webhook) again; how many."""
    query: Doc = {"workspaceId": workspace_id, "status": DEAD}
    if webhook_id is not None:
        query["webhookId"] = webhook_id
    result = await control[DELIVERIES].update_many(query, _requeue())
    return int(result.modified_count)


async def cancel_for_webhook(control: Any, workspace_id: str, webhook_id: str, retention_seconds: float) -> None:
    """A deleted webhook's pending deliveries die at once rather than at their next attempt."""
    now = utcnow()
    await control[DELIVERIES].update_many(
        {"workspaceId": workspace_id, "webhookId": webhook_id, "status": PENDING},
        {"$set": {
            "status": DEAD, "lastError": "the webhook was deleted", "leaseToken": None, "dueAt": None,
            "expiresAt": now + timedelta(seconds=retention_seconds),
        }},
    )
