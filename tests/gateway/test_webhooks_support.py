"""Helpers of the webhook tests (no tests here): a real HTTP receiver on loopback, a
workspace-scoped client, and gateways built with fast retry settings."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from gateway.app import create_app
from gateway.db import Database, open_database
from tests.conftest import gateway_settings

WAIT_SECONDS = 8.0  # the longest any test waits for a delivery

# Fast and small: retries 50 ms apart (doubling), three attempts, quick polling.
FAST = {
    "webhook_retry_base_seconds": 0.05,
    "webhook_retry_max_seconds": 0.2,
    "webhook_max_attempts": 3,
    "webhook_dispatch_interval_seconds": 0.05,
    "webhook_timeout_seconds": 1.0,
    "webhook_lease_seconds": 3.0,
}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def json(self) -> Any:
        return orjson.loads(self.body)


class Receiver:
    """A real HTTP server (pytest-httpserver, in its own thread) that records every POST."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.received: list[Received] = []

    def route(
        self,
        path: str,
        answer: Callable[[int], int] | list[int] | None = None,
        delay: float | Callable[[int], float] = 0.0,
    ) -> str:
        """Serve `path`; `answer(n)` (or the list, then 200) gives the status of the n-th call,
        after `delay(n)` (or `delay`) seconds."""
        calls: list[int] = []

        def status(n: int) -> int:
            if callable(answer):
                return answer(n)
            return answer[n] if answer and n < len(answer) else 200

        def handler(request: Request) -> Response:
            self.received.append(Received(path, dict(request.headers), request.get_data()))
            n = len(calls)
            calls.append(n)
            pause = delay(n) if callable(delay) else delay
            if pause:
                time.sleep(pause)
            return Response("ok", status=status(n))

        self.server.expect_request(path, method="POST").respond_with_handler(handler)
        return self.server.url_for(path)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def wait(self, path: str, count: int, timeout: float = WAIT_SECONDS) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.at(path)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{path}: {len(self.at(path))} of {count} deliveries within {timeout} s")
            await asyncio.sleep(0.01)
        return self.at(path)

    async def quiet(self, path: str, count: int, seconds: float = 0.3) -> list[Received]:
        """Wait, then check that exactly `count` deliveries came (nothing more on the way)."""
        await asyncio.sleep(seconds)
        got = self.at(path)
        assert len(got) == count, [r.json.get("eventName") for r in got]
        return got


def verify_as_receiver(secret: str, received: Received) -> bool:
    """What a receiver written for Twenty does, without any docgate code."""
    timestamp = received.headers["X-Twenty-Webhook-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}:".encode() + received.body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() * 1000 - int(timestamp)) < 5 * 60 * 1000
    return fresh and hmac.compare_digest(expected, received.headers["X-Twenty-Webhook-Signature"])


class Client:
    """One workspace's view of a running app: GraphQL, /metadata and REST with its key."""

    def __init__(self, http: httpx.AsyncClient, token: str, workspace_id: str) -> None:
        self.http = http
        self.headers = {"Authorization": f"Bearer {token}"}
        self.workspace_id = workspace_id

    async def graphql(self, query: str, variables: dict[str, Any] | None = None, path: str = "/graphql") -> Any:
        response = await self.http.post(path, json={"query": query, "variables": variables}, headers=self.headers)
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None, path: str = "/graphql") -> Any:
        body = await self.graphql(query, variables, path)
        assert "errors" not in body, body
        return body["data"]

    async def meta(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        return await self.data(query, variables, "/metadata")

    async def rest(self, method: str, path: str, body: Any = None, **params: Any) -> httpx.Response:
        return await self.http.request(method, path, json=body, params=params or None, headers=self.headers)

    async def webhook(self, url: str, operations: list[str] | None = None, secret: str | None = None) -> Any:
        data = await self.meta(
            "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { id secret operations targetUrl } }",
            {"i": {"targetUrl": url, "operations": operations, "secret": secret}},
        )
        return data["createWebhook"]

    async def deliveries(self, **args: Any) -> list[dict[str, Any]]:
        data = await self.meta(
            "query($w: UUID, $s: WebhookDeliveryStatus) { webhookDeliveries(webhookId: $w, status: $s) {"
            " id webhookId eventName recordId status attempts replays lastStatusCode lastError deliveredAt"
            " nextAttemptAt payload attemptLog { attempt statusCode error durationMs } } }",
            {"w": args.get("webhook_id"), "s": args.get("status")},
        )
        found: list[dict[str, Any]] = data["webhookDeliveries"]
        return found


@contextlib.asynccontextmanager
async def running_app(mongo_uri: str, prefix: str, **overrides: Any) -> AsyncIterator[tuple[Any, Database]]:
    """A gateway app (lifespan started, so its dispatcher runs) on its own connection."""
    settings = gateway_settings(mongo_uri, prefix).with_overrides(**{**FAST, **overrides})
    db = open_database(settings)
    app = create_app(settings, db=db)
    try:
        async with app.router.lifespan_context(app):
            yield app, db
    finally:
        await db.close()


@contextlib.asynccontextmanager
async def http_client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://docgate") as client:
        yield client


async def eventually(check: Callable[[], Any], timeout: float = WAIT_SECONDS) -> Any:
    """Await `check()` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {check}")
        await asyncio.sleep(0.02)
