"""Starlette's own error answers (no route, method not allowed, a crash) in docgate's JSON body.

Without these handlers Starlette answers in plain text ("Not Found"), e.g. for a path its
route patterns do not match (one holding a newline); a client of the API must always get
the error body of DESIGN.md instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from schema_builder.errors import DocgateError, MethodNotAllowed, NotFound

Handler = Callable[[Request, Exception], Awaitable[Response]]
_SHOWN = 200  # characters of the path quoted in a message


def _path(request: Request) -> str:
    path: str = request.scope["path"]  # as sent: `request.url` drops control characters such as newlines
    return repr(path if len(path) <= _SHOWN else path[:_SHOWN] + "…")


def routing_error(request: Request, exc: HTTPException) -> DocgateError:
    """The DocgateError standing for an HTTP error Starlette raised (while routing, mostly)."""
    if exc.status_code == 404:
        return NotFound(f"no route for {request.method} {_path(request)}: the API is described at /docs")
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        return MethodNotAllowed(f"{request.method} is not allowed on {_path(request)}; allowed: {allowed}")
    error = DocgateError(exc.detail)
    error.http_status = exc.status_code
    try:
        error.code = HTTPStatus(exc.status_code).name
    except ValueError:
        error.code = "HTTP_ERROR"
    return error


def error_handlers(rest_error: Callable[[DocgateError], Response]) -> dict[object, Handler]:
    """Starlette's `exception_handlers`: HTTP errors and unhandled exceptions, as JSON."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        response = rest_error(routing_error(request, exc))
        response.headers.update(exc.headers or {})
        return response

    async def internal_error(request: Request, exc: Exception) -> Response:
        # Starlette re-raises the exception after this answer, so the server still logs it.
        return rest_error(DocgateError("Internal server error"))

    return {HTTPException: http_error, Exception: internal_error}
