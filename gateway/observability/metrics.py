"""Prometheus metrics (`prometheus-client`): what an operator needs to see docgate work.

Requests by API, operation and status, with latency; rate-limit and query-cost rejections;
database command latency; webhook deliveries, retries, dead letters and queue depth; the
schema cache. Labels are bounded sets (never ids, paths or client-chosen names).
"""

from __future__ import annotations

import contextvars
import time
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from pymongo import monitoring
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS = Counter(
    "docgate_requests_total", "HTTP requests answered", ["api", "protocol", "operation", "status"]
)
REQUEST_SECONDS = Histogram(
    "docgate_request_duration_seconds", "time to answer a request", ["api", "protocol"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
RATE_LIMITED = Counter("docgate_rate_limit_rejections_total", "requests refused by a rate limit", ["spender"])
ERRORS = Counter("docgate_errors_total", "errors answered, by code", ["code"])
QUERY_COST_REJECTIONS = Counter(
    "docgate_query_cost_rejections_total", "operations refused before execution as too costly", ["code"]
)
DB_SECONDS = Histogram(
    "docgate_db_command_duration_seconds", "database command latency", ["command", "outcome"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5),
)
WEBHOOK_ATTEMPTS = Counter(
    "docgate_webhook_attempts_total", "webhook POSTs by outcome (delivered, retry, dead)", ["outcome"]
)
WEBHOOK_QUEUE = Gauge("docgate_webhook_queue_depth", "webhook deliveries by status", ["status"])
WEBHOOK_IN_FLIGHT = Gauge("docgate_webhook_in_flight", "webhook POSTs in flight in this replica")
SCHEMA_CACHE_SIZE = Gauge("docgate_schema_cache_size", "workspace schemas cached in this replica")
SCHEMA_CACHE_HITS = Gauge("docgate_schema_cache_hits", "requests served from the schema cache (since start)")
SCHEMA_CACHE_BUILDS = Gauge("docgate_schema_cache_builds", "schemas built (misses and new versions, since start)")
READS_COALESCED = Counter(
    "docgate_db_reads_coalesced_total", "reads by id sent in one command with other reads that arrived together"
)
DATABASE_UP = Gauge("docgate_database_up", "1 when the last database check succeeded")

# Codes of the cost checks made before execution (the compile step raises them).
COST_CODES = frozenset({"TOO_COMPLEX_QUERY", "QUERY_TOO_COMPLEX", "QUERY_COST_LIMIT"})

# Series that exist from the start (at 0), so rates and alerts work before the first event.
for _spender in ("apiKey", "clientAddress"):
    RATE_LIMITED.labels(_spender)
for _outcome in ("delivered", "retry", "dead"):
    WEBHOOK_ATTEMPTS.labels(_outcome)
QUERY_COST_REJECTIONS.labels("TOO_COMPLEX_QUERY")

# What the route that answers learnt about the request (set by the GraphQL endpoints).
operation_kind: contextvars.ContextVar[str | None] = contextvars.ContextVar("operation_kind", default=None)


def classify(path: str) -> tuple[str, str]:
    """(api, protocol) of a path: core/metadata × graphql/rest, else docs/ops/other."""
    if path == "/graphql":
        return "core", "graphql"
    if path == "/metadata":
        return "metadata", "graphql"
    if path == "/mcp":
        return "mcp", "mcp"
    if path.startswith(("/rest/open-api", "/open-api", "/docs", "/static")):
        return "docs", "http"
    if path.startswith("/rest/metadata/"):
        return "metadata", "rest"
    if path.startswith("/rest/"):
        return "core", "rest"
    if path in ("/healthz", "/readyz", "/metrics"):
        return "ops", "http"
    return "other", "http"


# Labelled series by their labels: `metric.labels(...)` validates and locks on every call (~5 us,
# several times a request); the label sets are bounded (see above), so this stays small.
_children: dict[tuple[Any, ...], Any] = {}


def _child(metric: Any, *labels: str) -> Any:
    key = (metric, *labels)
    found = _children.get(key)
    if found is None:
        found = _children[key] = metric.labels(*labels)
    return found


def count_error(code: str) -> None:
    ERRORS.labels(code).inc()
    if code in COST_CODES:
        QUERY_COST_REJECTIONS.labels(code).inc()


class MetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api, protocol = classify(scope["path"])
        started = time.perf_counter()
        status = 500
        token = operation_kind.set(None)

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            operation = operation_kind.get() or (scope["method"] if protocol != "graphql" else "unknown")
            operation_kind.reset(token)
            _child(REQUESTS, api, protocol, operation, str(status)).inc()
            _child(REQUEST_SECONDS, api, protocol).observe(time.perf_counter() - started)


class CommandTimer(monitoring.CommandListener):
    """Database command latency, from PyMongo's command monitoring."""

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        pass

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        _child(DB_SECONDS, _command(event.command_name), "ok").observe(event.duration_micros / 1e6)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        _child(DB_SECONDS, _command(event.command_name), "error").observe(event.duration_micros / 1e6)


_KNOWN_COMMANDS = frozenset({
    "find", "insert", "update", "delete", "aggregate", "count", "findAndModify", "getMore", "createIndexes",
    "dropIndexes", "listIndexes", "commitTransaction", "abortTransaction", "ping", "hello", "drop", "distinct",
    "killCursors", "endSessions", "listCollections", "create",
})


def _command(name: str) -> str:
    return name if name in _KNOWN_COMMANDS else "other"


async def metrics_endpoint(request: Request) -> Response:
    gateway: Any = request.app.state.gateway
    await _refresh(gateway)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _refresh(gateway: Any) -> None:
    """Gauges read at scrape time: the schema cache, the webhook queue, the database."""
    registry = gateway.registry
    SCHEMA_CACHE_SIZE.set(len(registry))
    SCHEMA_CACHE_HITS.set(registry.hits)
    SCHEMA_CACHE_BUILDS.set(registry.builds)
    dispatcher = getattr(gateway, "dispatcher", None)
    WEBHOOK_IN_FLIGHT.set(dispatcher.in_flight if dispatcher is not None else 0)
    try:
        from ..webhooks.deliveries import DEAD, DELIVERIES, PENDING

        for status in (PENDING, DEAD):
            found = await gateway.db.control[DELIVERIES].count_documents({"status": status}, maxTimeMS=2000)
            WEBHOOK_QUEUE.labels(status).set(found)
        DATABASE_UP.set(1)
    except Exception:
        DATABASE_UP.set(0)
