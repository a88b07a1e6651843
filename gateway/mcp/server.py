"""`POST /mcp`: the Model Context Protocol over streamable HTTP, on the official `mcp` SDK.

As Twenty serves it: stateless JSON-RPC (no session to open; `initialize` is answered but not
required), a Bearer API key on every request, JSON answers unless the client accepts
`text/event-stream`, and two modes — `/mcp` lists the meta-tools (`get_tool_catalog`,
`learn_tools`, `execute_tool`, `list_object_metadata_names`), `/mcp?mode=direct` lists every
tool itself. Tools run as GraphQL operations of the caller's workspace (`calls`), so they go
through the one compile step like any request. Resources: the workspace's OpenAPI documents.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import mcp_types as types
import orjson
from mcp.server.lowlevel.server import Server
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.shared.exceptions import MCPError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from schema_builder.context import Limits
from schema_builder.errors import DocgateError
from schema_builder.permissions.model import CompiledPermissions
from schema_builder.synthesis.core_schema import CoreSchema

from .calls import Execute, call_tool
from .catalog import ToolSpec, workspace_tools

_STATE = "docgate.mcp"
INSTRUCTIONS = (
    "docgate serves a CRM's records (people, companies, opportunities, notes, tasks and custom objects) with "
    "Twenty's API. Call list_object_metadata_names to see the objects, get_tool_catalog for the tools, "
    "learn_tools for their input schemas, and execute_tool to run one."
)
_META_TOOLS = (
    ToolSpec("get_tool_catalog", "META", "List the tools available to this API key, by category: "
             "names and descriptions (use learn_tools for their input schemas).",
             {"type": "object", "properties": {}, "additionalProperties": False}, "get_tool_catalog"),
    ToolSpec("learn_tools", "META", "The input schemas of the tools named.",
             {"type": "object", "required": ["toolNames"], "additionalProperties": False,
              "properties": {"toolNames": {"type": "array", "items": {"type": "string"}, "maxItems": 50}}},
             "learn_tools"),
    ToolSpec("execute_tool", "META", "Run a tool of the catalog with its arguments.",
             {"type": "object", "required": ["toolName"], "additionalProperties": False,
              "properties": {"toolName": {"type": "string"}, "arguments": {"type": "object"}}},
             "execute_tool"),
)


@dataclass
class McpCall:
    """What a tool handler needs of the HTTP request that carried it."""

    core: CoreSchema
    execute: Execute
    limits: Limits
    direct: bool
    openapi: Callable[[str], Awaitable[dict[str, Any]]]  # "core" or "metadata" → the document
    permissions: CompiledPermissions | None = None  # the key's role: its tools are those it may use


def _call(ctx: Any) -> McpCall:
    call: McpCall = ctx.request.scope["state"][_STATE]
    return call


def _tool(spec: ToolSpec) -> types.Tool:
    return types.Tool(name=spec.name, description=spec.description, input_schema=spec.input_schema)


def _answer(value: Any, *, error: bool = False) -> types.CallToolResult:
    text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=error)


async def _list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
    call = _call(ctx)
    if call.direct:
        tools = workspace_tools(call.core, call.limits, call.permissions).values()
        return types.ListToolsResult(tools=[_tool(s) for s in tools])
    listing = workspace_tools(call.core, call.limits, call.permissions)["list_object_metadata_names"]
    return types.ListToolsResult(tools=[_tool(s) for s in (*_META_TOOLS, listing)])


async def _run(call: McpCall, spec: ToolSpec, arguments: dict[str, Any]) -> types.CallToolResult:
    try:
        return _answer(await call_tool(spec, arguments, call.core, call.execute, call.limits, call.permissions))
    except DocgateError as error:
        return _answer({"success": False, "message": error.message, "code": error.code}, error=True)


async def _call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
    call = _call(ctx)
    tools = workspace_tools(call.core, call.limits, call.permissions)
    arguments = dict(params.arguments or {})
    name = params.name
    if call.direct or name == "list_object_metadata_names":
        if name not in tools:
            raise MCPError(types.INVALID_PARAMS, f"Unknown tool: {name}")
        return await _run(call, tools[name], arguments)
    if name == "get_tool_catalog":
        catalog: dict[str, list[dict[str, str]]] = {}
        for spec in tools.values():
            catalog.setdefault(spec.category, []).append({"name": spec.name, "description": spec.description})
        return _answer({"catalog": catalog})
    if name == "learn_tools":
        wanted = [str(n) for n in arguments.get("toolNames") or []][:50]
        return _answer({"tools": [
            {"name": n, "description": tools[n].description, "inputSchema": tools[n].input_schema}
            for n in wanted if n in tools
        ], "unknown": [n for n in wanted if n not in tools]})
    if name == "execute_tool":
        target = str(arguments.get("toolName") or "")
        if target not in tools:
            return _answer({"success": False, "message": f'Tool "{target[:100]}" not found'}, error=True)
        inner = arguments.get("arguments")
        return await _run(call, tools[target], inner if isinstance(inner, dict) else {})
    raise MCPError(types.INVALID_PARAMS, f"Unknown tool: {name}")


_RESOURCES = {"docgate://openapi/core": "core", "docgate://openapi/metadata": "metadata"}


async def _list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
    return types.ListResourcesResult(resources=[
        types.Resource(uri=uri, name=f"openapi-{kind}", mime_type="application/json",
                       description=f"The OpenAPI document of this workspace's {kind} REST API")
        for uri, kind in _RESOURCES.items()
    ])


async def _read_resource(ctx: Any, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
    kind = _RESOURCES.get(str(params.uri))
    if kind is None:
        raise MCPError(types.INVALID_PARAMS, f"Unknown resource: {params.uri}")
    document = await _call(ctx).openapi(kind)
    text = orjson.dumps(document).decode()
    return types.ReadResourceResult(
        contents=[types.TextResourceContents(uri=str(params.uri), mime_type="application/json", text=text)]
    )


def _server() -> Server[Any]:
    return Server(
        "docgate", instructions=INSTRUCTIONS, on_list_tools=_list_tools, on_call_tool=_call_tool,
        on_list_resources=_list_resources, on_read_resource=_read_resource,
    )


class McpEndpoint:
    """The ASGI endpoint. `prepare(request)` authenticates and makes the request's McpCall (or
    answers the refusal); `bad_request(message)` answers a body that is not a JSON-RPC message;
    `deadline()` bounds the whole exchange. The SDK then answers in JSON, or over SSE when the
    client accepts it."""

    def __init__(
        self,
        prepare: Callable[[Request], Awaitable[McpCall | Response]],
        bad_request: Callable[[str], Response],
        deadline: Callable[[], contextlib.AbstractAsyncContextManager[None]],
        max_body: int = 4 * 2**20,
    ) -> None:
        self.prepare = prepare
        self.bad_request = bad_request
        self.deadline = deadline
        self.json = StreamableHTTPSessionManager(_server(), stateless=True, json_response=True,
                                                 max_request_body_size=max_body)
        self.sse = StreamableHTTPSessionManager(_server(), stateless=True, max_request_body_size=max_body)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The SDK's session managers, run in a task of their own: their task groups must be
        left in the task that entered them, which a caller's own context need not honour."""
        started, stop = asyncio.Event(), asyncio.Event()

        async def run() -> None:
            async with self.json.run(), self.sse.run():
                started.set()
                await stop.wait()

        task = asyncio.create_task(run())
        waiter = asyncio.create_task(started.wait())
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if task.done():
            task.result()  # it failed to start: raise why
        try:
            yield
        finally:
            stop.set()
            await task

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if request.method != "POST":
            refusal = rpc_error(405, -32600, "Method not allowed: MCP takes a POST with a JSON-RPC message",
                                headers={"Allow": "POST"})
            await refusal(scope, receive, send)
            return
        body = await request.body()
        problem = _not_a_message(body)
        if problem is not None:
            await self.bad_request(problem)(scope, receive, send)
            return
        async with self.deadline():
            prepared = await self.prepare(request)
            if isinstance(prepared, Response):
                await prepared(scope, receive, send)
                return
            scope.setdefault("state", {})[_STATE] = prepared
            manager = self.sse if "text/event-stream" in request.headers.get("accept", "") else self.json
            await manager.handle_request(scope, _replay(body, receive), send)


def _not_a_message(body: bytes) -> str | None:
    """Why a body is not a JSON-RPC message (or a batch of them), or None."""
    try:
        message = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "the body is not JSON: MCP takes a JSON-RPC message"
    messages = message if isinstance(message, list) else [message]
    if not messages or not all(isinstance(m, dict) and isinstance(m.get("method"), str) or
                               isinstance(m, dict) and ("result" in m or "error" in m) for m in messages):
        return "the body is not a JSON-RPC message: it needs a 'method'"
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """The request's body again (it was read to check it), then the rest of the connection."""
    sent = False

    async def replay() -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def rpc_error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": message}}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)
