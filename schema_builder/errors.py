"""One error hierarchy for every API.

Each error carries Twenty's GraphQL `extensions.code` and the HTTP status REST answers
with, so GraphQL and REST render the same object the same way.
"""

from __future__ import annotations

from typing import Any

from pymongo.errors import ConnectionFailure


class DocgateError(Exception):
    """An error a client can act on: its message is shown as is."""

    code = "INTERNAL_SERVER_ERROR"
    http_status = 500

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class BadUserInput(DocgateError):
    code = "BAD_USER_INPUT"
    http_status = 400


class NotFound(DocgateError):
    code = "NOT_FOUND"
    http_status = 404


class Conflict(DocgateError):
    code = "CONFLICT"
    http_status = 409


class Unauthenticated(DocgateError):
    code = "UNAUTHENTICATED"
    http_status = 401


class Forbidden(DocgateError):
    code = "FORBIDDEN"
    http_status = 403


class ServiceUnavailable(DocgateError):
    code = "SERVICE_UNAVAILABLE"
    http_status = 503


class MethodNotAllowed(DocgateError):
    code = "METHOD_NOT_ALLOWED"
    http_status = 405


DATABASE_UNREACHABLE = "the database is unreachable; try again shortly"


def unavailable(exc: BaseException | None) -> ServiceUnavailable | None:
    """The 503 standing for a lost database connection (no server, a timeout, a closed socket)."""
    if isinstance(exc, ServiceUnavailable):
        return exc
    if isinstance(exc, ConnectionFailure):
        return ServiceUnavailable(DATABASE_UNREACHABLE)
    return None
