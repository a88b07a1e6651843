"""Record changes → outbox entries: one delivery per (record, matching webhook).

`Outbox` is the `RequestContext.on_record_change` hook. It runs inside the mutation's
transaction and writes with its session, so the deliveries commit with the change or not
at all. Once that transaction has committed it wakes this replica's dispatcher, so an event
is sent at once rather than at the next poll.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from bson.decimal128 import Decimal128

from schema_builder.compile.cursors import format_datetime
from schema_builder.context import RequestContext
from schema_builder.metadata.model import ObjectMeta

from .deliveries import DELIVERIES, PENDING
from .store import list_webhooks

_CACHE_KEY = "webhooks.outbox"
_COMMIT_WAIT_SECONDS = 5.0  # give up watching a transaction after this (the poll still finds it)
_WITH_FIELDS = ("updated", "upserted")

Doc = dict[str, Any]


def event_matches(operations: Sequence[str], name_singular: str, action: str) -> bool:
    """Twenty's rule: `person.created` matches person.created, *.created, person.* and *.*."""
    wanted = {f"{name_singular}.{action}", f"*.{action}", f"{name_singular}.*", "*.*"}
    return any(op in wanted for op in operations)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, Decimal128):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(value: Any) -> bytes:
    """Compact JSON like JavaScript's JSON.stringify, dates as ISO `...Z` with milliseconds."""
    return orjson.dumps(value, default=_json_default, option=orjson.OPT_PASSTHROUGH_DATETIME)


def event_body(
    *,
    webhook: Mapping[str, Any],
    event_name: str,
    obj: ObjectMeta,
    workspace_id: str,
    event_date: str,
    record: Mapping[str, Any],
    updated_fields: Sequence[str] | None,
    api_key_id: str | None = None,
) -> bytes:
    """The JSON body Twenty sends for one record event (reference §8), secret left out."""
    body: Doc = {
        "targetUrl": webhook["targetUrl"],
        "eventName": event_name,
        "objectMetadata": {"id": obj.id, "nameSingular": obj.name_singular},
        "workspaceId": workspace_id,
        "webhookId": webhook["id"],
        "eventDate": event_date,
    }
    if api_key_id is not None:
        body["apiKeyId"] = api_key_id
    record_id = record.get("id", record.get("_id"))
    body["record"] = {"id": record_id, **{k: v for k, v in record.items() if k not in ("_id", "id")}}
    if updated_fields is not None:
        body["updatedFields"] = list(updated_fields)
    return dumps(body)


class Outbox:
    """The record-change hook: writes deliveries in the change's transaction."""

    def __init__(
        self, *, allow_private: bool, retention_seconds: float, nudge: Callable[[], None] | None = None
    ) -> None:
        # The management API reads these: the URL policy, how long finished deliveries stay.
        self.allow_private = allow_private
        self.retention_seconds = retention_seconds
        self.nudge = nudge
        self._watchers: set[asyncio.Task[None]] = set()

    async def __call__(
        self,
        ctx: RequestContext,
        obj: ObjectMeta,
        action: str,
        records: Sequence[Mapping[str, Any]],
        updated_fields: Sequence[Sequence[str]] | None,
    ) -> None:
        webhooks = await self._webhooks(ctx)
        matching = [w for w in webhooks if event_matches(w.get("operations") or ["*.*"], obj.name_singular, action)]
        if not matching or not records:
            return
        event_name = f"{obj.name_singular}.{action}"
        now = datetime.now(UTC)
        event_date = format_datetime(now)
        docs: list[Doc] = []
        for i, record in enumerate(records):
            fields = updated_fields[i] if updated_fields is not None and action in _WITH_FIELDS else None
            for webhook in matching:
                body = event_body(
                    webhook=webhook, event_name=event_name, obj=obj, workspace_id=ctx.workspace_id,
                    event_date=event_date, record=record, updated_fields=fields, api_key_id=ctx.api_key_id,
                )
                docs.append({
                    "_id": str(uuid.uuid4()),
                    "workspaceId": ctx.workspace_id,
                    "webhookId": webhook["id"],
                    "eventName": event_name,
                    "objectMetadataId": obj.id,
                    "recordId": record.get("id", record.get("_id")),
                    "targetUrl": webhook["targetUrl"],
                    "body": body.decode(),
                    "status": PENDING,
                    "attempts": 0,
                    "dueAt": now,
                    "leaseToken": None,
                    "createdAt": now,
                    "attemptLog": [],
                })
        await ctx.db.control[DELIVERIES].insert_many(docs, session=ctx.session)
        self._nudge_after_commit(ctx.session)

    async def _webhooks(self, ctx: RequestContext) -> list[Doc]:
        """The workspace's webhooks, read once per request (in its transaction)."""
        cached: list[Doc] | None = ctx.loaders.get(_CACHE_KEY)
        if cached is None:
            cached = await list_webhooks(ctx.db.control, ctx.workspace_id, session=ctx.session)
            ctx.loaders[_CACHE_KEY] = cached
        return cached

    def _nudge_after_commit(self, session: Any) -> None:
        if self.nudge is None:
            return
        if session is None:  # no transaction: the deliveries are already visible
            self.nudge()
            return
        task = asyncio.create_task(self._wait_and_nudge(session))
        self._watchers.add(task)
        task.add_done_callback(self._watchers.discard)

    async def _wait_and_nudge(self, session: Any) -> None:
        # The hook runs before the commit, and the driver offers no commit callback; the
        # session leaves its transaction state once the commit (or abort) has answered.
        deadline = asyncio.get_running_loop().time() + _COMMIT_WAIT_SECONDS
        delay = 0.0005
        while session.in_transaction and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.02)
        assert self.nudge is not None
        self.nudge()
