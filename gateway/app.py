"""The ASGI application: routes, per-request context, and the life cycle of shared state."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, partial
from typing import Any

import orjson
from graphql import DocumentNode, ExecutionResult, GraphQLSchema, get_operation_ast
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from rest_shim.core_rest import handle_core_rest
from rest_shim.metadata_rest import handle_legacy_metadata_rest, handle_metadata_rest, is_legacy_metadata_path
from rest_shim.openapi import core_document, metadata_document
from rest_shim.openapi_roles import role_core_document, role_metadata_document
from schema_builder.compile.documents import DocumentCache, ParsedDocuments
from schema_builder.compile.permissions import refusal
from schema_builder.compile.query_plans import QueryPlans
from schema_builder.context import Limits, RequestContext
from schema_builder.errors import (
    AuthForbidden,
    BadUserInput,
    DocgateError,
    MissingToken,
    ServiceUnavailable,
    Unauthenticated,
    from_database,
    rest_error_name,
)
from schema_builder.execute.operations import error_code, format_error, result_to_json, run_operation
from schema_builder.metadata.model import WorkspaceModel
from schema_builder.metadata.store import WORKSPACES, MetadataStore
from schema_builder.synthesis.core_schema import CoreSchema, build_core_schema
from schema_builder.synthesis.registry import SchemaRegistry

from . import heap
from .apikey_tokens import configure_secret
from .apikeys import VerifiedKey
from .auth import Authenticator
from .db import Database, open_database
from .deadlines import deadline
from .docs import docs_routes
from .graphql_http import media_type, response_status, wants_graphql_response
from .http_errors import error_handlers
from .lifecycle import Lifecycle, LifecycleMiddleware, StoreSupervisor
from .limits import BodyLimitMiddleware, Limiters, admit
from .logs import RequestIdMiddleware, configure_logging, request_id
from .mcp import McpCall, McpEndpoint, rpc_error
from .metadata_api import build_metadata_schema
from .metadata_versions import follow_versions
from .migrations import ensure_all_indexes, migrate_all_workspaces
from .migrations.standard_roles import ensure_all_standard_roles
from .observability import MetricsMiddleware, count_error, metrics_endpoint, operation_kind
from .pages import graphiql_page, wants_page
from .permissions.access import AccessControl
from .permissions.versions import ACCESS_VERSION
from .realtime import EventStreams, Feed, Hub, Session, is_subscription, serve_websocket, sse_response
from .search_indexer import SearchIndexer
from .settings import Settings
from .timeline_retention import keep_timelines_pruned
from .webhooks import Outbox, start_webhooks
from .workspaces import ensure_control_indexes

log = logging.getLogger("docgate.app")


class OrjsonResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        # Answers have string keys: orjson's plain path is twice as fast as OPT_NON_STR_KEYS
        # (0.1 against 0.2 ms for a REST page of 50 with its relations), which stays the fallback.
        try:
            return orjson.dumps(content)
        except TypeError:
            return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def rest_error(error: DocgateError) -> Response:
    """Twenty's REST error body, the same for every API: `{statusCode, error, messages}`, the
    `error` named as Twenty's exception filter names it (see `schema_builder.errors`)."""
    name = error.rest_error or rest_error_name(error.http_status)
    body: dict[str, Any] = {"statusCode": error.http_status, "error": name, "messages": [error.message]}
    body.update(getattr(error, "rest_fields", {}))  # e.g. a 429's limit and retryAfterSeconds
    count_error(error.code)
    if (rid := request_id.get()) is not None:
        body["requestId"] = rid  # the X-Request-Id of the answer, to find the request's log line
    headers = {"WWW-Authenticate": "Bearer"} if error.http_status == 401 else {}
    headers.update(getattr(error, "headers", {}))  # e.g. Retry-After
    return OrjsonResponse(body, status_code=error.http_status, headers=headers)


# Request-level GraphQL errors keep these statuses (a client must see them); others answer 400.
_GRAPHQL_KEPT_STATUSES = frozenset({413, 429, 503, 504})


def graphql_error(error: DocgateError, graphql_response: bool = False) -> Response:
    """An error raised before the operation could run, as a GraphQL answer. A refused token
    is a GraphQL error like any other (Twenty answers it 200 under application/json, 401/403
    under application/graphql-response+json); a body that is no GraphQL request is a 400, a
    limit or an unreachable database keeps its status, either way."""
    body: dict[str, Any] = {
        "errors": [{"message": error.message, "extensions": {"code": error.code, **error.extensions}}]
    }
    count_error(error.code)
    with_request_id(body)
    if isinstance(error, Unauthenticated | AuthForbidden):
        status = response_status(error.http_status, graphql_response)
    else:
        status = error.http_status if error.http_status in _GRAPHQL_KEPT_STATUSES else 400
    return OrjsonResponse(
        body, status_code=status, headers=getattr(error, "headers", None), media_type=media_type(graphql_response)
    )


def with_request_id(body: dict[str, Any]) -> dict[str, Any]:
    """A GraphQL answer with errors carries the request id in its top-level `extensions`."""
    if body.get("errors") and (rid := request_id.get()) is not None:
        body.setdefault("extensions", {})["requestId"] = rid
    return body


def error_for_path(path: str, error: DocgateError) -> Response:
    """An error answered before routing (a body too large): in the shape of the path's API."""
    return graphql_error(error) if path in ("/graphql", "/metadata") else rest_error(error)


def limits_of(settings: Settings) -> Limits:
    """The request limits: every field of `Limits` is a setting of the same name."""
    return Limits(**{f.name: getattr(settings, f.name) for f in fields(Limits)})


@dataclass
class Gateway:
    """Everything shared by requests: settings, database, auth and schema caches."""

    settings: Settings
    db: Database
    auth: Authenticator
    registry: SchemaRegistry[CoreSchema]
    metadata_schema: GraphQLSchema
    parsed: ParsedDocuments = field(default_factory=ParsedDocuments)  # shared by every schema
    metadata_documents: DocumentCache = field(default_factory=DocumentCache)
    # The schema of no workspace, for `/graphql` requests without a token.
    anonymous_schema: CoreSchema = field(default_factory=lambda: build_core_schema(WorkspaceModel("", 0, ())))
    webhooks: Outbox | None = None  # the record-change hook that records webhook events
    limiters: Limiters | None = None  # rate limits (None: none, e.g. a hand-wired test gateway)
    dispatcher: Any = None  # this replica's webhook dispatcher, if it runs one (for metrics)
    hub: Hub | None = None  # record events for subscriptions
    event_streams: EventStreams | None = None  # Twenty's event streams on /metadata
    search_indexer: SearchIndexer | None = None  # rebuilds search values when metadata changes them
    access: AccessControl = None  # type: ignore[assignment]  # set with the registry (it needs it)

    @cached_property
    def limits(self) -> Limits:
        """Worked out once (settings are frozen), not once per request."""
        return limits_of(self.settings)

    def on_metadata_change(self, workspace_id: str, version: int) -> None:
        self.registry.note_version(workspace_id, version)
        self.auth.forget_all()  # a revoked key must stop working here at once
        if self.search_indexer is not None:
            self.search_indexer.note_change(workspace_id, version)

    def on_access_change(self, workspace_id: str, version: int) -> None:
        """Roles or keys changed: compiled roles and verified keys are looked up again."""
        self.access.note(workspace_id, version)
        self.auth.forget_all()

    def context(self, key: VerifiedKey, since: str | None = None) -> RequestContext:
        """A request's context; `since`: the position a subscription resumes from."""
        context = RequestContext(
            workspace_id=key.workspace_id,
            api_key_id=key.api_key_id,
            api_key_name=key.name,
            db=self.db,
            limits=self.limits,
            on_metadata_change=self.on_metadata_change,
            on_record_change=self.webhooks,
            on_access_change=self.on_access_change,
            permissions=key.permissions,
        )
        if self.hub is not None:
            context.record_events = partial(self._record_events, self.hub, key, since)
            context.last_position = since
            context.event_streams = self.event_streams
        return context

    async def _record_events(self, hub: Hub, key: VerifiedKey, since: str | None) -> Feed:
        """The record events of the key's workspace from `since`: a feed, registered at once."""
        return await hub.open(self.db.workspace(key.workspace_id).name, since, key.api_key_id)

    def session(self, key: VerifiedKey, schema: GraphQLSchema, documents: DocumentCache) -> Session:
        """What a subscription of this key runs with (a fresh context per subscription)."""
        return Session(schema, documents, lambda since: self.context(key, since))

    async def authenticate(self, request: Request) -> VerifiedKey:
        """The caller's key, with what its role allows (compiled, cached)."""
        try:
            address = request.client.host if request.client else "unknown"
            key = await admit(self.auth, self.limiters, request.headers.get("authorization"), address)
            return await self.with_permissions(key)
        except DocgateError:
            raise
        except Exception as exc:  # the database failed (down, or past the deadline): not the client's fault
            raise (from_database(exc) or ServiceUnavailable("the database is unreachable; try again shortly")) from exc

    async def with_permissions(self, key: VerifiedKey) -> VerifiedKey:
        """The key with what its role allows (compiled, cached); a key of no role is an Admin's."""
        if key.role_id is None:
            return key
        permissions = await self.access.permissions(key.workspace_id, key.role_id)
        # An Admin key's are None, as the cached key's: nothing to copy per request.
        return key if permissions is key.permissions else replace(key, permissions=permissions)

    async def load_model(self, workspace_id: str) -> Any:
        store = MetadataStore(self.db.control, self.db.workspace(workspace_id), workspace_id)
        return await store.load_model()

    async def read_versions(self) -> dict[str, int]:
        """Every workspace's metadata version (for the registry); access versions are noted too."""
        cursor = self.db.control[WORKSPACES].find({}, {"metadataVersion": 1, ACCESS_VERSION: 1})
        docs = await cursor.to_list(None)
        for doc in docs:
            if (version := int(doc.get(ACCESS_VERSION, 0))) > self.access.versions.get(doc["_id"], 0):
                self.on_access_change(doc["_id"], version)
        return {d["_id"]: int(d.get("metadataVersion", 0)) for d in docs}

    async def model_of(self, workspace_id: str) -> Any:
        return (await self.registry.get(workspace_id)).model


def gateway_of(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


async def read_json(request: Request) -> Any:
    if request.method == "GET":  # a GET's body means nothing (nor does it to Twenty): not read
        return None
    raw = await request.body()
    if not raw:
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadUserInput(f"the request body is not valid JSON: {exc}") from None


async def run_graphql(
    request: Request, schema: GraphQLSchema, documents: DocumentCache, plans: QueryPlans | None,
    context: RequestContext | None, session: Session | None = None,
) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        raise BadUserInput("the body must be a JSON object with a 'query' string")
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise BadUserInput("'variables' must be a JSON object")
    graphql_response = wants_graphql_response(request)
    document, errors = documents.get(schema, body["query"])
    if document is not None and errors and context is not None and context.permissions is not None:
        # As Twenty's guards: what the role may not do is refused before the arguments are validated.
        denied = refusal(context.permissions, schema, document, variables, body.get("operationName"))
        if denied is not None:
            return OrjsonResponse(result_to_json(denied))
    if document is None or errors:
        for error in errors:
            count_error(error_code(error))
        return OrjsonResponse(
            with_request_id({"errors": [format_error(e) for e in errors]}),
            status_code=response_status(400, graphql_response),
            media_type=media_type(graphql_response),
        )
    if is_subscription(document, body.get("operationName")):
        if session is None or "text/event-stream" not in request.headers.get("accept", ""):
            raise BadUserInput(
                "a subscription is served over Server-Sent Events (send 'Accept: text/event-stream') or over "
                "WebSocket (graphql-transport-ws)"
            )
        since = request.headers.get("last-event-id")
        return sse_response(session, document, variables, body.get("operationName"), since)
    operation_kind.set(operation_type(document, body.get("operationName")))
    result = await run_operation(schema, document, variables, context, body.get("operationName"), plans)
    codes = [error_code(error) for error in result.errors or ()]
    for code in codes:
        count_error(code)
    answer = with_request_id(result_to_json(result))
    if "SERVICE_UNAVAILABLE" in codes:
        status = 503  # the database is down: say so, retryably
    elif "TIMEOUT" in codes:
        status = 504  # the deadline passed inside a resolver: as when it passes outside one
    else:  # no `data` at all: the request could not run (a variable of the wrong type, say)
        status = response_status(400, graphql_response) if "data" not in answer else 200
    return OrjsonResponse(answer, status_code=status, media_type=media_type(graphql_response))


def operation_type(document: DocumentNode, name: str | None) -> str:
    """query, mutation or subscription: the metrics' operation label (a bounded set)."""
    operation = get_operation_ast(document, name)
    return operation.operation.value if operation is not None else "unknown"


def graphql_route(
    pick: Callable[[Gateway, VerifiedKey], Awaitable[Picked]], anonymous: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """A GraphQL endpoint: POST runs an operation, `GET ?sdl` prints the schema. With
    `anonymous`, a POST without a token runs on the schema of no workspace (as Twenty's
    `/graphql` does: record queries then fail validation, `Cannot query field ...`)."""

    async def endpoint(request: Request) -> Response:
        if wants_page(request):  # a browser: the playground, before auth (it has no key yet)
            return HTMLResponse(graphiql_page(request.url.path))
        gateway = gateway_of(request)
        try:
            async with deadline(gateway.settings.request_timeout_seconds):
                try:
                    key = await gateway.authenticate(request)
                except MissingToken:
                    if not anonymous or request.method == "GET":
                        raise
                    empty = gateway.anonymous_schema
                    return await run_graphql(request, empty.schema, empty.documents, None, None)
                context = gateway.context(key)
                schema, documents, plans, sdl, session = await pick(gateway, key)
                if request.method == "GET":
                    if "sdl" in request.query_params:
                        return PlainTextResponse(sdl())
                    raise BadUserInput("send a POST with a JSON body {query, variables}, or GET ?sdl for the schema")
                return await run_graphql(request, schema, documents, plans, context, session)
        except DocgateError as error:
            if request.method == "GET":  # not a GraphQL request: the status says it all
                return OrjsonResponse(
                    {"errors": [{"message": error.message, "extensions": {"code": error.code}}]},
                    status_code=error.http_status if error.http_status != 500 else 400,
                )
            return graphql_error(error, wants_graphql_response(request))

    return endpoint


# The schema, its parsed documents, its compiled query plans (the core schema's only), its SDL
# and what its subscriptions run with (None: it has none).
Picked = tuple[GraphQLSchema, DocumentCache, QueryPlans | None, Callable[[], str], Session | None]


async def pick_core(gateway: Gateway, key: VerifiedKey) -> Picked:
    core = await gateway.registry.get(key.workspace_id)
    return core.schema, core.documents, core.plans, lambda: core.sdl, gateway.session(key, core.schema, core.documents)


async def pick_metadata(gateway: Gateway, key: VerifiedKey) -> Picked:
    from graphql import print_schema

    schema, documents = gateway.metadata_schema, gateway.metadata_documents
    return schema, documents, None, lambda: print_schema(schema), gateway.session(key, schema, documents)


def graphql_websocket(
    pick: Callable[[Gateway, VerifiedKey], Awaitable[Picked]],
) -> Callable[[WebSocket], Awaitable[None]]:
    """Subscriptions over graphql-transport-ws; the key comes in the `connection_init` payload
    (`Authorization: Bearer …`) or the upgrade request's header."""

    async def endpoint(websocket: WebSocket) -> None:
        gateway: Gateway = websocket.app.state.gateway

        async def connect(payload: dict[str, Any]) -> Session:
            header = payload.get("Authorization") or payload.get("authorization") or websocket.headers.get(
                "authorization")
            address = websocket.client.host if websocket.client else "unknown"
            key = await admit(gateway.auth, gateway.limiters, header if isinstance(header, str) else None, address)
            session = (await pick(gateway, await gateway.with_permissions(key)))[4]
            assert session is not None  # every GraphQL endpoint serves subscriptions
            return session

        await serve_websocket(websocket, connect, gateway.settings.max_subscriptions_per_key)

    return endpoint


def executor(
    schema: GraphQLSchema, context: RequestContext, plans: QueryPlans | None = None, lists: bool = False
) -> Callable[[DocumentNode, dict[str, Any]], Awaitable[ExecutionResult]]:
    """`lists`: one-to-many relations may come back as lists (Core REST flattens them anyway)."""

    async def execute(document: DocumentNode, variables: dict[str, Any]) -> ExecutionResult:
        return await run_operation(schema, document, variables, context, plans=plans, lists=lists)

    return execute


async def metadata_rest(request: Request) -> Response:
    gateway = gateway_of(request)
    try:
        async with deadline(gateway.settings.request_timeout_seconds):
            key = await gateway.authenticate(request)
            context = gateway.context(key)
            status, body = await handle_metadata_rest(
                request.method,
                request.path_params["path"],
                request.query_params,
                await read_json(request),
                executor(gateway.metadata_schema, context),
            )
        return OrjsonResponse(body, status_code=status)
    except DocgateError as error:
        return rest_error(error)


async def core_rest(request: Request) -> Response:
    gateway = gateway_of(request)
    try:
        async with deadline(gateway.settings.request_timeout_seconds):
            key = await gateway.authenticate(request)
            context = gateway.context(key)
            core = await gateway.registry.get(context.workspace_id)
            path = request.path_params["path"]
            if is_legacy_metadata_path(path) and core.model.by_plural(path.strip("/").split("/")[0]) is None:
                status, body, headers = await handle_legacy_metadata_rest(
                    request.method, path, request.query_params, await read_json(request),
                    executor(gateway.metadata_schema, context),
                )
                return OrjsonResponse(body, status_code=status, headers=headers)
            status, body = await handle_core_rest(
                request.method,
                path,
                request.query_params,
                await read_json(request),
                core,
                executor(core.schema, context, core.plans, lists=True),
                gateway.limits,
                context.permissions,
            )
        return OrjsonResponse(body, status_code=status)
    except DocgateError as error:
        return rest_error(error)


async def prepare_mcp(request: Request) -> McpCall | Response:
    """An MCP request's workspace, schema and executor, or the answer refusing it."""
    gateway = gateway_of(request)
    try:
        key = await gateway.authenticate(request)
        context = gateway.context(key)
        core = await gateway.registry.get(context.workspace_id)
    except DocgateError as error:
        # MCP's authorization asks a 401 with WWW-Authenticate of a client without a token too.
        status = 401 if isinstance(error, MissingToken) else error.http_status
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return rpc_error(status, -32001, error.message, headers)
    server = gateway.settings.public_url or ""  # never the Host header (see docs.py)

    async def openapi(kind: str) -> dict[str, Any]:
        permissions = context.permissions
        if kind == "core":
            if permissions is not None:
                return role_core_document(core.model, permissions, server, gateway.limits)
            return core_document(core.model, server, gateway.limits)
        if permissions is not None:
            return role_metadata_document(core.model, permissions, server)
        return metadata_document(core.model, server)

    direct = request.query_params.get("mode") == "direct"
    return McpCall(core, executor(core.schema, context, core.plans), gateway.limits, direct, openapi,
                   context.permissions)


def mcp_endpoint(settings: Settings) -> McpEndpoint:
    return McpEndpoint(
        prepare_mcp,
        lambda message: rest_error(BadUserInput(message)),
        lambda: deadline(settings.request_timeout_seconds),
    )


async def healthz(request: Request) -> Response:
    return OrjsonResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    lifecycle: Lifecycle = request.app.state.lifecycle
    if lifecycle.draining:
        return OrjsonResponse({"status": "draining"}, status_code=503)
    if lifecycle.store_down:
        return OrjsonResponse({"status": "unavailable", "database": "restarting"}, status_code=503)
    try:
        await asyncio.wait_for(gateway_of(request).db.ping(), timeout=2)
    except Exception:
        return OrjsonResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return OrjsonResponse({"status": "ok", "database": "reachable"})


def create_app(settings: Settings, *, db: Database | None = None, lifecycle: Lifecycle | None = None) -> Starlette:
    """The gateway app. With `db` given, the caller owns the connection (tests, CLI); with
    `lifecycle`, the server that runs it drains it (`docgate serve`)."""
    lifecycle = lifecycle or Lifecycle(settings.shutdown_timeout_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database = db or open_database(settings)
        gateway = Gateway(
            settings=settings,
            db=database,
            auth=Authenticator(database.control, settings.api_key_cache_seconds),
            registry=None,  # type: ignore[arg-type]  # set just below; needs the gateway
            metadata_schema=build_metadata_schema(),
            parsed=ParsedDocuments(settings.document_cache_mb * 2**20),
        )
        gateway.metadata_documents = DocumentCache(gateway.limits, relations=False, parsed=gateway.parsed)
        gateway.registry = SchemaRegistry(
            gateway.load_model,
            lambda model: heap.settled(build_core_schema(
                model, gateway.limits, gateway.parsed, QueryPlans(verify=settings.verify_compiled_plans)
            )),
            gateway.read_versions,
            settings.schema_cache_size,
        )
        gateway.access = AccessControl(database.control, gateway.model_of)
        configure_secret(database.control, settings.api_key_signing_secret)
        await ensure_control_indexes(database)
        await migrate_all_workspaces(database)  # before serving: workspaces of older releases
        gateway.limiters = await Limiters.start(database.control, settings)
        await ensure_all_standard_roles(database)  # Admin and Member everywhere; older keys become Admin's
        webhooks = await start_webhooks(settings, database.control)
        gateway.webhooks = webhooks.outbox
        gateway.hub = Hub(database, streams=not database.in_memory, queue_size=settings.subscription_queue_size,
                          max_per_key=settings.max_subscriptions_per_key)
        gateway.event_streams = EventStreams(database, gateway.hub, gateway.model_of)
        await gateway.event_streams.prepare()
        gateway.dispatcher = webhooks.dispatcher
        app.state.gateway = gateway
        supervisor = StoreSupervisor(database.embedded, lifecycle) if database.embedded is not None else None
        if supervisor is not None:
            supervisor.start()
        gateway.search_indexer = SearchIndexer(database, gateway.load_model)
        await gateway.search_indexer.prepare()  # before serving: see SearchIndexer.prepare
        poller = asyncio.create_task(
            follow_versions(
                database.control, gateway.registry, settings.metadata_poll_seconds, gateway.on_metadata_change,
                streams=not database.in_memory, on_access=gateway.on_access_change,
            )
        )
        background = [poller, asyncio.create_task(ensure_all_indexes(database)),
                      asyncio.create_task(gateway.search_indexer.run())]
        if settings.timeline_retention_days > 0:
            background.append(asyncio.create_task(keep_timelines_pruned(database, settings.timeline_retention_days)))
        try:
            async with mcp.running():
                heap.settle()
                yield
        finally:
            await gateway.event_streams.stop()
            await gateway.hub.stop()
            if supervisor is not None:
                await supervisor.stop()
            for task in background:
                task.cancel()  # its clean-up talks to the server: bounded, should that not answer
            await asyncio.wait(background, timeout=0.5)
            # Deliveries in flight get a share of what is left of the drain; a database that
            # is gone cannot hold the shutdown past it either.
            grace = lifecycle.remaining() / 4 if lifecycle.draining else None
            limit = grace + 0.25 if grace is not None else settings.webhook_timeout_seconds + 2
            try:
                await asyncio.wait_for(webhooks.stop(grace), timeout=limit)
            except TimeoutError:
                log.warning("webhook dispatcher did not stop within %g s; its leases will expire", limit)
            if db is None:
                await database.close()

    configure_logging(settings.log_level, settings.log_format)
    mcp = mcp_endpoint(settings)
    docs = docs_routes(gateway_of, rest_error)
    rest_docs = [route for route in docs if route.path.startswith("/rest/")]  # type: ignore[attr-defined]
    # Starlette tries the routes in order, a regular expression each: the busiest come first,
    # and any /rest/... route of its own before the catch-all one of Core REST.
    routes = [
        Route("/graphql", graphql_route(pick_core, anonymous=True), methods=["GET", "POST"]),
        Route(
            "/rest/metadata/{path:path}", metadata_rest, methods=["GET", "POST", "PATCH", "PUT", "DELETE"]
        ),
        *rest_docs,
        Route("/rest/{path:path}", core_rest, methods=["GET", "POST", "PATCH", "PUT", "DELETE"]),
        Route("/metadata", graphql_route(pick_metadata), methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql_websocket(pick_core)),
        WebSocketRoute("/metadata", graphql_websocket(pick_metadata)),
        Route("/mcp", mcp, methods=["GET", "POST", "DELETE", "PUT", "PATCH"]),
        *[route for route in docs if route not in rest_docs],
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *([Route("/metrics", metrics_endpoint)] if settings.metrics_enabled else []),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=error_handlers(rest_error))
    app.state.lifecycle = lifecycle
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, render=error_for_path)
    app.add_middleware(LifecycleMiddleware, lifecycle=lifecycle, render=error_for_path)
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app
