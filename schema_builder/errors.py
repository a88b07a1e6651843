"""One error hierarchy for every API.

Each error carries Twenty's GraphQL `extensions.code` and the HTTP status REST answers
with, so GraphQL and REST render the same object the same way. REST names the error as
Twenty's exception filter does: after the status (`BadRequestException`,
`NotFoundException`…), or, for a failed authentication, after the code of Twenty's
`AuthException` (`UNAUTHENTICATED`, `FORBIDDEN_EXCEPTION`).
"""

from __future__ import annotations

from typing import Any

from pymongo.errors import ConnectionFailure, PyMongoError, ServerSelectionTimeoutError

# Twenty's `getErrorNameFromStatusCode` (http-exception-handler.service.ts), and the NestJS
# names of the statuses docgate adds (429 for rate limits, 503 for an unreachable database).
REST_ERROR_NAMES = {
    400: "BadRequestException",
    401: "UnauthorizedException",
    403: "ForbiddenException",
    404: "NotFoundException",
    405: "MethodNotAllowedException",
    409: "ConflictException",
    413: "PayloadTooLargeException",
    422: "UnprocessableEntityException",
    429: "ThrottlerException",
    500: "InternalServerErrorException",
    503: "ServiceUnavailableException",
}


def rest_error_name(status: int) -> str:
    """The `error` of a REST error body of this status, as Twenty names it."""
    if status in REST_ERROR_NAMES:
        return REST_ERROR_NAMES[status]
    return "InternalServerErrorException" if status >= 500 else "BadRequestException"


class DocgateError(Exception):
    """An error a client can act on: its message is shown as is."""

    code = "INTERNAL_SERVER_ERROR"
    http_status = 500
    rest_error: str | None = None  # the REST `error` when not the status's exception name

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
    rest_error = "UNAUTHENTICATED"


class AuthForbidden(DocgateError):
    """Authentication refused before any key is used (no token, a revoked key): Twenty's
    `AuthException(FORBIDDEN_EXCEPTION)`, 403 on REST."""

    code = "FORBIDDEN"
    http_status = 403
    rest_error = "FORBIDDEN_EXCEPTION"


class MissingToken(AuthForbidden):
    """No bearer token at all: REST refuses it; `/graphql` serves the anonymous schema."""


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
