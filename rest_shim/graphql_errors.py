"""From the errors of an internal GraphQL operation to the DocgateError REST answers with.

The REST shims build and run GraphQL operations in-process; when one fails, the REST
caller must get the same status and message a GraphQL caller would read in
`errors[].extensions.code`.
"""

from __future__ import annotations

import logging
import re

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


# graphql-core's words for a variable it could not coerce: `$data`, `$filter`… are the REST
# shim's own variables, meaningless to a REST caller, who sent a body or query parameters.
_AT = re.compile(r"^Variable '\$(\w+)' has invalid value(?: at \.?([^:\s]*))?: (.*)$", re.S)
_WHOLE = re.compile(r"^Variable '\$(\w+)' got invalid value .*?; (.*)$", re.S)
_FOUND = re.compile(r", found: .*$", re.S)
_OBJECT = re.compile(r"Expected (?:value of )?type '\w+' to be an object")
# The core shim's variables that stand for query parameters; any other is the body.
_PARAMETERS = {"filter": "filter", "orderBy": "order_by", "groupBy": "group_by", "orderByForRecords":
               "order_by_for_records"}


def rest_words(message: str, wrappers: tuple[str, ...] = (), parameters: dict[str, str] = _PARAMETERS) -> str:
    """A coercion error as a REST caller would say it: where in the body (or which query
    parameter), not the shim's variable: `invalid request body at 'jobTitle': String cannot
    represent a non string value: 5`. `wrappers`: outer input levels the caller never wrote."""
    if (at := _AT.match(message)) is not None:
        variable, path, reason = at.groups()
    elif (whole := _WHOLE.match(message)) is not None:
        (variable, reason), path = whole.groups(), ""
    else:
        return message
    parts = (path or "").split(".")
    inner = parts[1:] if parts[0] in wrappers else parts
    where = f" at '{'.'.join(inner)}'" if any(inner) else ""
    reason = _OBJECT.sub("Expected an object", _FOUND.sub(".", reason))
    if variable in parameters:
        return f"invalid '{parameters[variable]}'{where}: {reason}"
    return f"invalid request body{where}: {reason}"


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


def raise_for_rest_errors(result: ExecutionResult) -> None:
    """`raise_for_errors` for a core REST call: a refused input is worded for REST (`rest_words`)."""
    try:
        raise_for_errors(result)
    except BadUserInput as error:
        worded = rest_words(error.message)
        if worded == error.message:
            raise
        raise BadUserInput(worded) from error
