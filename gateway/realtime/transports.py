"""Subscriptions over the two transports GraphQL clients speak.

- GraphQL over Server-Sent Events (the `graphql-sse` "distinct connections" mode): a POST of
  the operation with `Accept: text/event-stream`; each result is an `event: next` whose `id`
  is the event's position, so a client that reconnects with `Last-Event-ID` gets what it
  missed; `event: complete` ends the stream.
- `graphql-transport-ws` over WebSocket: `connection_init` (its payload may carry
  `Authorization` and `lastEventId`), then `subscribe` / `next` / `complete`; each `next`
  carries its position in `extensions.position`.

Both check the document in the compile step like any request (cost limits, validation)
before anything runs, and both end a subscription whose reader falls too far behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    get_operation_ast,
    subscribe,
)
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.websockets import WebSocket, WebSocketDisconnect

from schema_builder.compile.documents import DocumentCache
from schema_builder.compile.permissions import refusal
from schema_builder.context import RequestContext
from schema_builder.errors import DocgateError
from schema_builder.execute.operations import format_error, result_to_json

from .hub import SubscriberClosed

log = logging.getLogger("docgate.realtime")
PROTOCOL = "graphql-transport-ws"
PING_SECONDS = 15
# graphql-transport-ws close codes
_UNAUTHORIZED, _FORBIDDEN, _INIT_TIMEOUT, _TOO_MANY_INIT, _BAD_REQUEST = 4401, 4403, 4408, 4429, 4400
# A subscriber too far behind: 1013 "try again later", which graphql-ws clients retry (and so
# resume from their last position); 4409 is the protocol's "subscriber already exists", fatal.
_TOO_SLOW, _GOING_AWAY, _ALREADY_SUBSCRIBED = 1013, 1001, 4409


@dataclass
class Session:
    """What a subscription needs from the gateway: the schema, its documents, a fresh context."""

    schema: GraphQLSchema
    documents: DocumentCache
    context: Callable[[str | None], RequestContext]  # since (a position or None) → a context


def is_subscription(document: DocumentNode, operation_name: str | None) -> bool:
    operation = get_operation_ast(document, operation_name)
    return operation is not None and operation.operation == OperationType.SUBSCRIPTION


async def results(
    session: Session, document: DocumentNode, variables: dict[str, Any] | None, operation_name: str | None,
    since: str | None,
) -> AsyncIterator[tuple[dict[str, Any], str | None]]:
    """The subscription's results as JSON, each with the position of its event."""
    context = session.context(since)
    if context.permissions is not None:  # the compile step's check, as for every other operation
        denied = refusal(context.permissions, session.schema, document, variables, operation_name)
        if denied is not None:
            yield result_to_json(denied), None
            return
    outcome = subscribe(session.schema, document, variable_values=variables, context_value=context,
                        operation_name=operation_name)
    if isinstance(outcome, Awaitable):
        outcome = await outcome
    if isinstance(outcome, ExecutionResult):  # refused before it started
        yield result_to_json(outcome), None
        return
    try:
        async for result in outcome:
            yield result_to_json(result), context.last_position
    finally:
        await outcome.aclose()  # type: ignore[attr-defined]


def _formatted(error: Exception) -> dict[str, Any]:
    """An error a subscription's source raised, as a query's would be (internal ones hidden)."""
    return format_error(GraphQLError(str(error), original_error=error))


def sse_response(
    session: Session, document: DocumentNode, variables: dict[str, Any] | None, operation_name: str | None,
    since: str | None,
) -> EventSourceResponse:
    async def frames() -> AsyncIterator[ServerSentEvent]:
        try:
            async for body, position in results(session, document, variables, operation_name, since):
                yield ServerSentEvent(orjson.dumps(body).decode(), event="next", id=position)
        except SubscriberClosed as closed:
            error = {"errors": [{"message": str(closed), "extensions": {"code": "SUBSCRIPTION_CLOSED"}}]}
            yield ServerSentEvent(orjson.dumps(error).decode(), event="next")
        except Exception as error:  # noqa: BLE001 - the client is told, in Twenty's shape
            yield ServerSentEvent(orjson.dumps({"errors": [_formatted(error)]}).decode(), event="next")
        yield ServerSentEvent("", event="complete")

    return EventSourceResponse(frames(), ping=PING_SECONDS, headers={"Cache-Control": "no-cache"})


async def serve_websocket(
    websocket: WebSocket, connect: Callable[[dict[str, Any]], Awaitable[Session]], max_subscriptions: int = 20
) -> None:
    """One graphql-transport-ws connection: `connect(init payload)` authenticates it (raising
    a DocgateError to refuse) and gives its session."""
    if PROTOCOL not in websocket.scope.get("subprotocols", []):
        await websocket.close(code=_BAD_REQUEST, reason=f"Subprotocol not acceptable: use {PROTOCOL}")
        return
    await websocket.accept(subprotocol=PROTOCOL)
    try:
        init = orjson.loads(await asyncio.wait_for(websocket.receive_text(), timeout=10))
    except TimeoutError:
        await websocket.close(code=_INIT_TIMEOUT, reason="Connection initialisation timeout")
        return
    except (WebSocketDisconnect, orjson.JSONDecodeError):
        await websocket.close(code=_BAD_REQUEST, reason="Invalid message")
        return
    if not isinstance(init, dict) or init.get("type") != "connection_init":
        await websocket.close(code=_UNAUTHORIZED, reason="Unauthorized: send connection_init first")
        return
    payload: dict[str, Any] = init["payload"] if isinstance(init.get("payload"), dict) else {}
    try:
        session = await connect(payload)
    except DocgateError as error:
        await websocket.close(code=_FORBIDDEN, reason=f"Forbidden: {error.message}"[:120])
        return
    since = payload.get("lastEventId") if isinstance(payload.get("lastEventId"), str) else None
    await websocket.send_text(orjson.dumps({"type": "connection_ack"}).decode())
    running: dict[str, asyncio.Task[None]] = {}
    send_lock = asyncio.Lock()

    async def send(message: dict[str, Any]) -> None:
        async with send_lock:
            await websocket.send_text(orjson.dumps(message).decode())

    async def run(op_id: str, body: dict[str, Any]) -> None:
        query = body.get("query")
        document, errors = session.documents.get(session.schema, query if isinstance(query, str) else "")
        if document is None or errors:
            await send({"id": op_id, "type": "error", "payload": [format_error(e) for e in errors]})
            return
        variables = body.get("variables") if isinstance(body.get("variables"), dict) else None
        name = body.get("operationName") if isinstance(body.get("operationName"), str) else None
        try:
            async for result, position in results(session, document, variables, name, since):
                if position is not None:
                    result.setdefault("extensions", {})["position"] = position
                await send({"id": op_id, "type": "next", "payload": result})
            await send({"id": op_id, "type": "complete"})
        except SubscriberClosed as closed:
            await websocket.close(code=_TOO_SLOW, reason=str(closed)[:120])
        except Exception as error:  # noqa: BLE001 - the client is told, in Twenty's shape
            await send({"id": op_id, "type": "error", "payload": [_formatted(error)]})
        finally:
            running.pop(op_id, None)

    try:
        while True:
            message = orjson.loads(await websocket.receive_text())
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "ping":
                await send({"type": "pong"})
            elif kind == "subscribe":
                op_id = str(message.get("id") or "")
                if not op_id or op_id in running:
                    await websocket.close(
                        code=_ALREADY_SUBSCRIBED, reason=f"Subscriber for {op_id[:40]} already exists")
                    return
                if len(running) >= max_subscriptions:
                    await websocket.close(code=_TOO_MANY_INIT, reason="Too many subscriptions on one connection")
                    return
                body = message.get("payload") if isinstance(message.get("payload"), dict) else {}
                running[op_id] = asyncio.create_task(run(op_id, body))
            elif kind == "complete":
                task = running.pop(str(message.get("id") or ""), None)
                if task is not None:
                    task.cancel()
            elif kind == "connection_init":
                await websocket.close(code=_TOO_MANY_INIT, reason="Too many initialisation requests")
                return
            elif kind != "pong":
                await websocket.close(code=_BAD_REQUEST, reason="Invalid message")
                return
    except (WebSocketDisconnect, orjson.JSONDecodeError):
        pass
    finally:
        for task in running.values():
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*running.values(), return_exceptions=True)
