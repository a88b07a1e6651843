"""Documentation routes: the OpenAPI documents, the REST reference page and the static assets.

All public: without a valid key the OpenAPI endpoints answer the base document (as Twenty
does); with one, the workspace's document, built once per schema version — for a restricted
key, once per role, showing only what its role may do (`openapi_roles`).

The documents' `servers` come from DOCGATE_PUBLIC_URL, never from the request's Host header
(a cache in front would hand a forged one to everyone); unset, the server URL is relative
(`/rest`), which clients resolve against the address they fetched the document from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from rest_shim.openapi import core_document, metadata_document
from rest_shim.openapi_roles import role_core_document, role_metadata_document
from schema_builder.errors import AuthForbidden, DocgateError, Unauthenticated

from .pages import swagger_page

if TYPE_CHECKING:
    from .app import Gateway

def _build(kind: str, model: Any, server: str, gateway: Gateway | None, permissions: Any = None) -> bytes:
    limits = gateway.limits if gateway else None
    if permissions is not None:
        if kind == "core":
            return orjson.dumps(role_core_document(model, permissions, server, limits))
        return orjson.dumps(role_metadata_document(model, permissions, server))
    if kind == "core":
        return orjson.dumps(core_document(model, server, limits))
    return orjson.dumps(metadata_document(model, server))


_base_cache: dict[tuple[str, str], bytes] = {}


def _base(kind: str, server: str) -> bytes:
    body = _base_cache.get((kind, server))
    if body is None:
        body = _base_cache[(kind, server)] = _build(kind, None, server, None)
    return body


def open_api_endpoint(
    kind: str, gateway_of: Callable[[Request], Gateway], rest_error: Callable[[DocgateError], Response]
) -> Callable[[Request], Any]:
    """GET the `core` or `metadata` document of the caller's workspace (or the base one)."""

    async def endpoint(request: Request) -> Response:
        gateway = gateway_of(request)
        server = gateway.settings.public_url or ""
        try:
            key = await gateway.authenticate(request)
            core = await gateway.registry.get(key.workspace_id)
        except (Unauthenticated, AuthForbidden):  # no usable key: the base document
            return Response(_base(kind, server), media_type="application/json")
        except DocgateError as error:
            return rest_error(error)
        derived = core.derived if key.permissions is None else key.permissions.derived
        cache: dict[str, bytes] = derived.setdefault(("openapi", kind), {})
        body = cache.get(server)
        if body is None:
            body = cache[server] = _build(kind, core.model, server, gateway, key.permissions)
        return Response(body, media_type="application/json")

    return endpoint


async def docs(request: Request) -> Response:
    return HTMLResponse(swagger_page())


def docs_routes(
    gateway_of: Callable[[Request], Gateway], rest_error: Callable[[DocgateError], Response]
) -> list[BaseRoute]:
    """The documentation's routes (those under `/rest/` go before Core REST's catch-all route)."""
    routes: list[BaseRoute] = []
    for prefix in ("/rest/open-api", "/open-api"):
        for kind in ("core", "metadata"):
            routes.append(Route(f"{prefix}/{kind}", open_api_endpoint(kind, gateway_of, rest_error), methods=["GET"]))
    routes.append(Route("/docs", docs, methods=["GET"]))
    routes.append(Mount("/static", app=StaticFiles(packages=[("gateway", "static")]), name="static"))
    return routes
