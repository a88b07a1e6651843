"""From the errors of an internal GraphQL operation to the DocgateError REST answers with.

The REST shims build and run GraphQL operations in-process; when one fails, the REST
caller must get the same status and message a GraphQL caller would read in
`errors[].extensions.code`.
"""

from __future__ import annotations

import logging

from graphql import ExecutionResult, GraphQLError

from schema_builder.errors import (
    BadUserInput,
    Conflict,
    DocgateError,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    Unauthenticated,
    from_database,
)

log = logging.getLogger("docgate.rest")

_BY_CODE: dict[str, type[DocgateError]] = {
    cls.code: cls
    for cls in (BadUserInput, NotFound, Conflict, Unauthenticated, Forbidden, ServiceUnavailable)
}
# Codes of graphql-core's own errors: all mean the operation (i.e. the REST input) was bad.
_INPUT_CODES = {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_REQUEST"}


def error_for(error: GraphQLError) -> DocgateError:
    """The DocgateError standing for one GraphQL error (its message is the outer one)."""
    original, inner = error.original_error, error
    # Variable coercion wraps the error of the input value (itself a GraphQLError, whose
    # own original error may be ours): look through the chain.
    while isinstance(original, GraphQLError) and original is not inner:
        inner, original = original, original.original_error
    if isinstance(original, DocgateError):
        return original
    if original is not None and (database := from_database(original)) is not None:
        return database
    code = (error.extensions or inner.extensions or {}).get("code")
    if isinstance(code, str) and code in _BY_CODE:
        return _BY_CODE[code](error.message)
    if original is None or code in _INPUT_CODES:
        # Validation or input coercion (unknown field, wrong type, bad enum value, …).
        return BadUserInput(error.message)
    log.error("internal operation failed", exc_info=original)
    return DocgateError("Internal server error")


def raise_for_errors(result: ExecutionResult) -> None:
    """Raise the DocgateError matching the first error of `result`, if it has any."""
    if result.errors:
        error = error_for(result.errors[0])
        if error is result.errors[0].original_error:
            raise error
        raise error from result.errors[0]
