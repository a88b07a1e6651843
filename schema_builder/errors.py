"""One error hierarchy for every API.

Each error carries Twenty's GraphQL `extensions.code` and the HTTP status REST answers
with, so GraphQL and REST render the same object the same way. REST names the error as
Twenty's exception filter does: after the status (`BadRequestException`,
`NotFoundException`…), or, for a failed authentication, after the code of Twenty's
`AuthException` (`UNAUTHENTICATED`, `FORBIDDEN_EXCEPTION`).
"""

from __future__ import annotations

import time
from contextvars import ContextVar
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
    rest_error = "SERVICE_UNAVAILABLE"  # docgate's own condition (store unreachable, draining)


class MethodNotAllowed(DocgateError):
    code = "METHOD_NOT_ALLOWED"
    http_status = 405


# The lists of Twenty's metadata validation report (`extensions.errors`): one per kind of
# metadata a change may touch; docgate fills the object and field ones.
_REPORT_KINDS = ("objectMetadata", "fieldMetadata", "index", "view", "viewField", "viewFilter", "viewGroup", "role")
_ACTIONS = {"create": "creating", "update": "updating", "delete": "deleting"}


class MetadataValidationFailed(DocgateError):
    """A metadata change refused by validation, reported as Twenty reports it.

    `problems` are Twenty's validation errors (`{code, message, userFriendlyMessage, value?}`);
    they go to `extensions.errors.<kind>[0].errors`, the entity they concern to
    `flatEntityMinimalInformation`, as Twenty's `METADATA_VALIDATION_FAILED` errors carry them.
    """

    code = "METADATA_VALIDATION_FAILED"
    http_status = 400

    def __init__(self, kind: str, action: str, entity: dict[str, Any], problems: list[dict[str, Any]]) -> None:
        verb, noun = action.split("_", 1)
        counts = {"object": 0, "field": 0}
        counts[noun] = 1
        summary_text = f"Validation failed for {counts['object']} object(s) and {counts['field']} field(s)"
        errors: dict[str, Any] = {name: [] for name in _REPORT_KINDS}
        errors[kind] = [
            {"errors": problems, "flatEntityMinimalInformation": entity, "status": "fail", "type": action}
        ]
        summary = {f"invalid{name[:1].upper()}{name[1:]}": len(errors[name]) for name in _REPORT_KINDS}
        summary["totalErrors"] = len(problems)
        super().__init__(f"Multiple validation errors occurred while {_ACTIONS[verb]} {noun}")
        self.extensions = {
            "errors": errors, "summary": summary, "message": summary_text, "userFriendlyMessage": summary_text
        }
        self.problems = problems

    @property
    def details(self) -> str:
        """The problems, said in one line (for REST, whose body has room for messages only)."""
        said = []
        for found in self.problems:
            message, value = str(found["message"]), found.get("value")
            if isinstance(value, str) and value and value not in message:
                message = f"{message} ({value[:80]!r})"
            said.append(message)
        return "; ".join(said)


class Timeout(DocgateError):
    code = "TIMEOUT"
    http_status = 504
    rest_error = "TIMEOUT"  # docgate's own condition (the request's deadline)


# When the current request's deadline passes (`time.monotonic()`), set by the gateway's
# `deadline`: the driver's budget is that deadline, so a wait it cut short was the request's.
REQUEST_ENDS: ContextVar[float | None] = ContextVar("request_ends", default=None)


def from_database(exc: BaseException) -> DocgateError | None:
    """The answer to a database failure that is not the client's fault, or None for others.

    A request past its deadline (the database stopped it: `maxTimeMS`, or the driver's
    budget ran out) is a 504; a database that cannot be reached is a 503 — unless finding
    it took the request's whole deadline (the driver's server selection stops there too):
    then the request ran out of time, a 504 as any other."""
    if isinstance(exc, ServerSelectionTimeoutError) and not _deadline_passed():
        return ServiceUnavailable("the database is unreachable; try again shortly")
    if isinstance(exc, PyMongoError) and exc.timeout:
        return Timeout(
            "the request did not finish within its time limit (DOCGATE_REQUEST_TIMEOUT_SECONDS): ask for less "
            "(a narrower filter, smaller pages, fewer relations) or try again"
        )
    if isinstance(exc, ConnectionFailure):
        return ServiceUnavailable("the database is unreachable; try again shortly")
    return None


def _deadline_passed() -> bool:
    ends = REQUEST_ENDS.get()
    return ends is not None and time.monotonic() >= ends
