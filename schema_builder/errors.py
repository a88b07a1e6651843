"""One error hierarchy for every API.

Each error carries Twenty's GraphQL `extensions.code` and the HTTP status REST answers
with, so GraphQL and REST render the same object the same way.
"""

from __future__ import annotations

from typing import Any

from pymongo.errors import ConnectionFailure, PyMongoError, ServerSelectionTimeoutError


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


class Timeout(DocgateError):
    code = "TIMEOUT"
    http_status = 504


def from_database(exc: BaseException) -> DocgateError | None:
    """The answer to a database failure that is not the client's fault, or None for others.

    A request past its deadline (the database stopped it: `maxTimeMS`, or the driver's
    budget ran out) is a 504; a database that cannot be reached is a 503."""
    if isinstance(exc, ServerSelectionTimeoutError):
        return ServiceUnavailable("the database is unreachable; try again shortly")
    if isinstance(exc, PyMongoError) and exc.timeout:
        return Timeout(
            "the request did not finish within its time limit (DOCGATE_REQUEST_TIMEOUT_SECONDS): ask for less "
            "(a narrower filter, smaller pages, fewer relations) or try again"
        )
    if isinstance(exc, ConnectionFailure):
        return ServiceUnavailable("the database is unreachable; try again shortly")
    return None
