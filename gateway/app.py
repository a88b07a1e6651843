"""The ASGI application: routes, per-request context, and the life cycle of shared state."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

import orjson
from graphql import DocumentNode, ExecutionResult, GraphQLSchema
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from rest_shim.core_rest import handle_core_rest
from rest_shim.metadata_rest import handle_legacy_metadata_rest, handle_metadata_rest, is_legacy_metadata_path
from rest_shim.openapi import core_document, metadata_document
from rest_shim.openapi_roles import role_core_document, role_metadata_document
from schema_builder.compile.documents import DocumentCache, ParsedDocuments
from schema_builder.compile.permissions import refusal
from schema_builder.compile.query_plans import QueryPlans
from schema_builder.context import Limits, RequestContext
from schema_builder.errors import BadUserInput, DocgateError, ServiceUnavailable
from schema_builder.execute.operations import format_error, result_to_json, run_operation
from schema_builder.metadata.store import WORKSPACES, MetadataStore
from schema_builder.synthesis.core_schema import CoreSchema, build_core_schema
from schema_builder.synthesis.registry import SchemaRegistry

from .apikey_tokens import configure_secret
from .apikeys import VerifiedKey
from .auth import Authenticator
from .db import Database, open_database
from .deadlines import deadline
from .docs import docs_routes
from .http_errors import error_handlers
from .logs import RequestIdMiddleware, configure_logging
from .mcp import McpCall, McpEndpoint, rpc_error
from .metadata_api import build_metadata_schema
from .metadata_versions import follow_versions
from .migrations import migrate_all_workspaces
from .migrations.standard_roles import ensure_all_standard_roles
from .pages import graphiql_page, wants_page
from .permissions.access import AccessControl
from .permissions.versions import ACCESS_VERSION
from .settings import Settings
from .webhooks import Outbox, start_webhooks
from .workspaces import ensure_control_indexes

log = logging.getLogger("docgate.app")


class OrjsonResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def rest_error(error: DocgateError) -> Response:
    """The REST error body of DESIGN.md, the same for every API."""
    body = {"statusCode": error.http_status, "error": error.code, "messages": [error.message]}
    headers = {"WWW-Authenticate": "Bearer"} if error.http_status == 401 else None
    return OrjsonResponse(body, status_code=error.http_status, headers=headers)


def graphql_error(error: DocgateError) -> Response:
    body = {"errors": [{"message": error.message, "extensions": {"code": error.code}}]}
    status = error.http_status if error.http_status in (401, 503, 504) else 400
    return OrjsonResponse(body, status_code=status)


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
    webhooks: Outbox | None = None  # the record-change hook that records webhook events
    access: AccessControl = None  # type: ignore[assignment]  # set with the registry (it needs it)

    @property
    def limits(self) -> Limits:
        return limits_of(self.settings)

    def on_metadata_change(self, workspace_id: str, version: int) -> None:
        self.registry.note_version(workspace_id, version)
        self.auth.forget_all()  # a revoked key must stop working here at once

    def on_access_change(self, workspace_id: str, version: int) -> None:
        """Roles or keys changed: compiled roles and verified keys are looked up again."""
        self.access.note(workspace_id, version)
        self.auth.forget_all()

    def context(self, key: VerifiedKey) -> RequestContext:
        return RequestContext(
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

    async def authenticate(self, request: Request) -> VerifiedKey:
        """The caller's key, with what its role allows (compiled, cached)."""
        try:
            key = await self.auth.authenticate(request.headers.get("authorization"))
            if key.role_id is None:
                return key
            return replace(key, permissions=await self.access.permissions(key.workspace_id, key.role_id))
        except DocgateError:
            raise
        except Exception as exc:  # the database is down: not the client's fault
            raise ServiceUnavailable("the database is unreachable; try again shortly") from exc

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
    raw = await request.body()
    if not raw:
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadUserInput(f"the request body is not valid JSON: {exc}") from None


async def run_graphql(
    request: Request, schema: GraphQLSchema, documents: DocumentCache, plans: QueryPlans | None,
    context: RequestContext,
) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        raise BadUserInput("the body must be a JSON object with a 'query' string")
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise BadUserInput("'variables' must be a JSON object")
    document, errors = documents.get(schema, body["query"])
    if document is not None and errors and context.permissions is not None:
        # As Twenty's guards: what the role may not do is refused before the arguments are validated.
        denied = refusal(context.permissions, schema, document, variables, body.get("operationName"))
        if denied is not None:
            return OrjsonResponse(result_to_json(denied))
    if document is None or errors:
        return OrjsonResponse({"errors": [format_error(e) for e in errors]}, status_code=400)
    result = await run_operation(schema, document, variables, context, body.get("operationName"), plans)
    return OrjsonResponse(result_to_json(result))


def graphql_route(
    pick: Callable[[Gateway, RequestContext], Awaitable[Picked]],
) -> Callable[[Request], Awaitable[Response]]:
    """A GraphQL endpoint: POST runs an operation, `GET ?sdl` prints the schema."""

    async def endpoint(request: Request) -> Response:
        if wants_page(request):  # a browser: the playground, before auth (it has no key yet)
            return HTMLResponse(graphiql_page(request.url.path))
        gateway = gateway_of(request)
        try:
            async with deadline(gateway.settings.request_timeout_seconds):
                key = await gateway.authenticate(request)
                context = gateway.context(key)
                schema, documents, plans, sdl = await pick(gateway, context)
                if request.method == "GET":
                    if "sdl" in request.query_params:
                        return PlainTextResponse(sdl())
                    raise BadUserInput("send a POST with a JSON body {query, variables}, or GET ?sdl for the schema")
                return await run_graphql(request, schema, documents, plans, context)
        except DocgateError as error:
            return graphql_error(error)

    return endpoint


# The schema, its parsed documents, its compiled query plans (the core schema's only) and its SDL.
Picked = tuple[GraphQLSchema, DocumentCache, QueryPlans | None, Callable[[], str]]


async def pick_core(gateway: Gateway, context: RequestContext) -> Picked:
    core = await gateway.registry.get(context.workspace_id)
    return core.schema, core.documents, core.plans, lambda: core.sdl


async def pick_metadata(gateway: Gateway, context: RequestContext) -> Picked:
    from graphql import print_schema

    schema = gateway.metadata_schema
    return schema, gateway.metadata_documents, None, lambda: print_schema(schema)


def executor(
    schema: GraphQLSchema, context: RequestContext, plans: QueryPlans | None = None
) -> Callable[[DocumentNode, dict[str, Any]], Awaitable[ExecutionResult]]:
    async def execute(document: DocumentNode, variables: dict[str, Any]) -> ExecutionResult:
        return await run_operation(schema, document, variables, context, plans=plans)

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
                executor(core.schema, context, core.plans),
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
        headers = {"WWW-Authenticate": "Bearer"} if error.http_status == 401 else None
        return rpc_error(error.http_status, -32001, error.message, headers)
    server = str(request.base_url)

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
    try:
        await asyncio.wait_for(gateway_of(request).db.ping(), timeout=2)
    except Exception:
        return OrjsonResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return OrjsonResponse({"status": "ok", "database": "reachable"})


def create_app(settings: Settings, *, db: Database | None = None) -> Starlette:
    """The gateway app. With `db` given, the caller owns the connection (tests, CLI)."""

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
            lambda model: build_core_schema(model, gateway.limits, gateway.parsed),
            gateway.read_versions,
            settings.schema_cache_size,
        )
        gateway.access = AccessControl(database.control, gateway.model_of)
        configure_secret(database.control, settings.api_key_signing_secret)
        await ensure_control_indexes(database)
        await migrate_all_workspaces(database)  # before serving: workspaces of older releases
        await ensure_all_standard_roles(database)  # Admin and Member everywhere; older keys become Admin's
        webhooks = await start_webhooks(settings, database.control)
        gateway.webhooks = webhooks.outbox
        app.state.gateway = gateway
        poller = asyncio.create_task(
            follow_versions(
                database.control, gateway.registry, settings.metadata_poll_seconds, gateway.on_metadata_change,
                streams=not database.in_memory, on_access=gateway.on_access_change,
            )
        )
        try:
            async with mcp.running():
                yield
        finally:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
            await webhooks.stop()
            if db is None:
                await database.close()

    configure_logging(settings.log_level)
    mcp = mcp_endpoint(settings)
    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/graphql", graphql_route(pick_core), methods=["GET", "POST"]),
        Route("/metadata", graphql_route(pick_metadata), methods=["GET", "POST"]),
        Route("/mcp", mcp, methods=["GET", "POST", "DELETE", "PUT", "PATCH"]),
        *docs_routes(gateway_of, rest_error),  # before any catch-all /rest/... route
        Route(
            "/rest/metadata/{path:path}", metadata_rest, methods=["GET", "POST", "PATCH", "PUT", "DELETE"]
        ),
        Route("/rest/{path:path}", core_rest, methods=["GET", "POST", "PATCH", "PUT", "DELETE"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=error_handlers(rest_error))
    app.add_middleware(RequestIdMiddleware)
    return app
