"""Running GraphQL operations and shaping their answers, for the GraphQL endpoints and
the REST shims alike (documents come checked from `compile.documents`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    execute,
)

from schema_builder.compile.permissions import refusal
from schema_builder.compile.query_plans import QueryPlans, Unsupported
from schema_builder.errors import DocgateError, from_database
from schema_builder.execute.js_wording import graphql_js_message

log = logging.getLogger("docgate.graphql")

def error_code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, DocgateError):
        return original.code
    if isinstance(original, GraphQLError):
        return "BAD_USER_INPUT"
    if original is not None and (database := from_database(original)) is not None:
        return database.code
    if original is None:
        return "GRAPHQL_VALIDATION_FAILED" if error.nodes else "GRAPHQL_PARSE_FAILED"
    return "INTERNAL_SERVER_ERROR"


def format_error(error: GraphQLError) -> dict[str, Any]:
    """Twenty's error shape: a message a person can act on and `extensions.code`."""
    original = error.original_error
    formatted: dict[str, Any] = {"message": error.message}
    if original is not None and (database := from_database(original)) is not None:
        formatted["message"], original = database.message, database
    if not isinstance(original, DocgateError):
        formatted["message"] = graphql_js_message(error.message)  # graphql-core's words, as Twenty's
    if isinstance(original, DocgateError):
        extensions = {"code": original.code, **original.extensions}
    elif isinstance(original, GraphQLError):  # a value a scalar refused: the client's input
        extensions = {"code": "BAD_USER_INPUT"}
    elif original is not None:
        # A fault of ours: log it whole, show nothing internal.
        log.error("resolver failed", exc_info=original)
        formatted["message"] = "Internal server error"
        extensions = {"code": "INTERNAL_SERVER_ERROR"}
    elif error.extensions:  # an error of the compile step (e.g. a cost limit), with its own code
        extensions = dict(error.extensions)
    else:
        extensions = {"code": error_code(error)}
    if error.locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        formatted["path"] = list(error.path)
    formatted["extensions"] = extensions
    return formatted


async def run_operation(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    context: Any,
    operation_name: str | None = None,
    plans: QueryPlans | None = None,
    lists: bool = False,
) -> ExecutionResult:
    """Run an operation: a query through its compiled plan when `plans` has one, else graphql-core.
    With `lists`, the plan may answer one-to-many connections as lists (`QueryPlans.get`): for
    callers that flatten them anyway, as Core REST does.

    First the caller's role: a document it may not run is refused whole, before anything runs."""
    try:
        return await _run(schema, document, variables, context, operation_name, plans, lists)
    finally:
        # The request's loaders refer to the context (their batch functions do): dropped here,
        # the records they loaded are freed at once instead of by the cycle collector, whose
        # collections then walk them (measured: ~1,350 objects a REST page of 50 left to it).
        loaders = getattr(context, "loaders", None)
        if loaders is not None:
            loaders.clear()


async def _run(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    context: Any,
    operation_name: str | None,
    plans: QueryPlans | None,
    lists: bool = False,
) -> ExecutionResult:
    permissions = getattr(context, "permissions", None)
    if permissions is not None and (denied := refusal(permissions, schema, document, variables, operation_name)):
        return denied
    plan = None if plans is None else plans.get(schema, document, operation_name, lists)
    if plan is not None:
        assert plans is not None
        try:
            answer = await plan.execute(context, variables)
        except Unsupported:
            plans.counts["fallback"] += 1  # graphql-core answers this one, errors and all
        except Exception as exc:
            if (database := from_database(exc)) is not None:
                raise database from exc  # running it again through graphql-core would wait as long again
            if plans.verify:
                raise  # a compiled plan that breaks is a bug the tests must see
            plans.counts["fallback"] += 1
            log.exception("compiled query plan failed; running the query through graphql-core")
        else:
            plans.counts["compiled"] += 1
            if plans.verify:
                interpreted = await _interpreted(schema, document, variables, context, operation_name)
                _same_as_interpreted(answer, interpreted, lists)
            return answer
    elif plans is not None:
        plans.counts["interpreted"] += 1
    return await _interpreted(schema, document, variables, context, operation_name)


async def _interpreted(
    schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None, context: Any,
    operation_name: str | None,
) -> ExecutionResult:
    result = execute(
        schema,
        document,
        variable_values=dict(variables) if variables is not None else None,
        context_value=context,
        operation_name=operation_name,
    )
    if not isinstance(result, ExecutionResult):
        result = await result
    return result


class CompiledPlanDiffers(AssertionError):
    pass


def _same_as_interpreted(compiled: ExecutionResult, interpreted: ExecutionResult, lists: bool = False) -> None:
    """Tests (DOCGATE_VERIFY_COMPILED_PLANS): the compiled answer must be graphql-core's, key
    order included (with `lists`, graphql-core's connections of nodes alone taken as lists, on
    both sides); a difference is a server error, so that the test that sent it fails."""
    mine, theirs = result_to_json(compiled), result_to_json(interpreted)
    if lists:
        mine, theirs = _node_lists(mine), _node_lists(theirs)
    if orjson.dumps(mine) != orjson.dumps(theirs):
        raise CompiledPlanDiffers(f"compiled plan answered {mine!r}, graphql-core {theirs!r}")


def _node_lists(value: Any) -> Any:
    """`{"edges": [{"node": x}, …]}` (nothing else) as `[x, …]`, throughout."""
    if isinstance(value, list):
        return [_node_lists(v) for v in value]
    if not isinstance(value, dict):
        return value
    edges = value.get("edges")
    if len(value) == 1 and isinstance(edges, list) and all(isinstance(e, dict) and e.keys() == {"node"} for e in edges):
        return [_node_lists(e["node"]) for e in edges]
    return {k: _node_lists(v) for k, v in value.items()}


def result_to_json(result: ExecutionResult) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
    # `data: null` once execution was reached (a resolver's error, a refused permission: an
    # error located on a field path), as Twenty answers; absent for a document refused before,
    # by parsing, validation or a variable that does not coerce.
    if result.data is not None or not result.errors or any(e.path for e in result.errors):
        body["data"] = result.data
    return body
