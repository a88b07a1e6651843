"""`GET /rest/{plural}/groupBy`: Twenty's parameters, one `<plural>GroupBy` operation, its answer.

Parameters (`rest/input-request-parsers/**` of Twenty): `group_by` (a JSON array, required),
`aggregate` (a JSON array of aggregate names), `filter` (the filter grammar), `order_by` (a
JSON array of `OrderByWithGroupBy` items), `order_by_for_records` (the order grammar),
`include_records_sample` (`true`: each group's first records, depth 0), `limit` (groups,
default 50), `view_id`. The answer is Twenty's: a bare array of groups, each with the asked
aggregates, `groupByDimensionValues` and, with a sample, `records`. Numbers come as strings,
as Twenty's REST answers carry PostgreSQL's numeric and count values.

The document is an AST built per shape (aggregates asked, records or not), checked by the
same compile step as any GraphQL request (so the aggregate-field limit holds), and kept in a
small cache: the shapes a client may ask for are many.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLObjectType,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
)
from graphql.language import ArgumentNode

from schema_builder.context import Limits
from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import ObjectMeta, pascal
from schema_builder.permissions.model import CompiledPermissions
from schema_builder.synthesis.aggregate_types import aggregates_of
from schema_builder.synthesis.core_schema import CoreSchema

from . import operations as ops
from .coerce import coerce_filter, coerce_order_by
from .filter_parser import parse_filter
from .graphql_errors import raise_for_rest_errors
from .order_parser import parse_order_by
from .params import parse_bool_flag, parse_limit

Execute = Callable[[DocumentNode, dict[str, Any]], Awaitable[ExecutionResult]]
DEFAULT_GROUPS = 50  # Twenty's DEFAULT_NUMBER_OF_GROUPS_LIMIT
_ARGUMENTS = ("groupBy", "filter", "orderBy", "orderByForRecords", "viewId", "limit")
_CACHE_KEY = "rest_shim.group_by"
_CACHE_SIZE = 64
GROUP_BY_EXAMPLE = '[{"firstField": true}, {"secondField": {"subField": true}}, {"dateField": {"granularity": "DAY"}}]'
ORDER_BY_EXAMPLE = ('[{"firstField": "AscNullsFirst"}, {"secondField": {"subField": "DescNullsLast"}}, '
                    '{"aggregate": {"aggregateField": "DescNullsLast"}}, '
                    '{"dateField": {"orderBy": "AscNullsFirst", "granularity": "DAY"}}]')


def _json(raw: str | None, message: str) -> Any:
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise BadUserInput(message) from None


def parse_group_by(raw: str | None) -> list[Any]:
    message = f"Invalid group_by query parameter - should be a valid array of objects - ex: {GROUP_BY_EXAMPLE}"
    value = _json(raw, message)
    if isinstance(value, dict):
        value = [value]  # Twenty's groupBy processor takes one object as a list of one
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BadUserInput(message)
    return value


def parse_aggregate(raw: str | None, obj: ObjectMeta) -> tuple[str, ...]:
    """The aggregates asked, each known to the object (Twenty's messages)."""
    message = ('Invalid aggregate query parameter - should be a valid array of string - '
               'ex: ["countNotEmptyId", "countEmptyField"]')
    value = _json(raw, message)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadUserInput(message)
    available = aggregates_of(obj)
    unknown = [name for name in value if name not in available]
    if unknown:
        raise BadUserInput(f"Unknown aggregate field(s): {', '.join(unknown)}")
    return tuple(dict.fromkeys(value))


def parse_order_by_with_group_by(raw: str | None) -> list[Any] | None:
    message = f"Invalid order_by query parameter - should be a valid array of objects - ex: {ORDER_BY_EXAMPLE}"
    value = _json(raw, message)
    if value is None:
        return None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BadUserInput(message)
    return value


def group_by_document(
    core: CoreSchema, obj: ObjectMeta, aggregates: tuple[str, ...], records: bool,
    permissions: CompiledPermissions | None,
) -> DocumentNode:
    """The operation of one shape, from the cache or built and checked (for a restricted key,
    per role: the records sample selects what the role may read)."""
    derived = core.derived if permissions is None else permissions.derived
    cache: OrderedDict[Any, DocumentNode] = derived.setdefault(_CACHE_KEY, OrderedDict())
    key = (obj.name_singular, aggregates, records)
    document = cache.get(key)
    if document is not None:
        cache.move_to_end(key)
        return document
    name = f"{obj.name_plural}GroupBy"
    root_type = core.schema.query_type
    assert isinstance(root_type, GraphQLObjectType)
    args = root_type.fields[name].args
    selections = [*(ops._field(a) for a in aggregates), ops._field("groupByDimensionValues")]
    if records:
        records_fields = ops.record_fields(core.model, obj, 0, permissions=permissions)
        selections.append(ops._field("edges", [ops._field("node", records_fields)]))
    root = ops._field(name, selections,
                      [ArgumentNode(name=ops._name(a), value=VariableNode(name=ops._name(a))) for a in _ARGUMENTS])
    definition = OperationDefinitionNode(
        operation=OperationType.QUERY,
        name=ops._name(f"RestGroupBy{pascal(obj.name_singular)}"),
        variable_definitions=tuple(
            VariableDefinitionNode(variable=VariableNode(name=ops._name(a)), type=ops._type_node(args[a].type),
                                   directives=())
            for a in _ARGUMENTS
        ),
        directives=(),
        selection_set=SelectionSetNode(selections=(root,)),
    )
    document = DocumentNode(definitions=(definition,))
    errors = core.documents.check(core.schema, document)  # the compile step: cost limits included
    if errors and (errors[0].extensions or {}).get("subCode"):
        raise BadUserInput(f"{errors[0].message} (ask for fewer aggregates)")
    if errors:  # a bug of ours, not the caller's
        raise RuntimeError(f"REST groupBy on {obj.name_singular} is invalid: {errors[0].message}")
    cache[key] = document
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return document


def rest_number(value: Any) -> Any:
    """A number as Twenty's REST answers give it: PostgreSQL's text of a count or numeric."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return str(int(value))
    return str(value)


def _reshape(group: Mapping[str, Any], aggregates: tuple[str, ...], records: bool) -> dict[str, Any]:
    out: dict[str, Any] = {name: rest_number(group.get(name)) for name in aggregates}
    out["groupByDimensionValues"] = group.get("groupByDimensionValues")
    if records:
        out["records"] = [edge["node"] for edge in group.get("edges") or ()]
    return out


async def rest_group_by(
    core: CoreSchema, obj: ObjectMeta, params: Mapping[str, str], execute: Execute, limits: Limits,
    permissions: CompiledPermissions | None = None,
) -> list[dict[str, Any]]:
    """The answer of `GET /rest/{plural}/groupBy` (a list of groups)."""
    group_by = parse_group_by(params.get("group_by"))
    aggregates = parse_aggregate(params.get("aggregate"), obj)
    records = parse_bool_flag("include_records_sample", params.get("include_records_sample"))
    raw_filter = params.get("filter")
    raw_records_order = params.get("order_by_for_records")
    variables = ops.variables(
        groupBy=group_by,
        filter=coerce_filter(core.schema, obj, parse_filter(raw_filter)) if raw_filter and raw_filter.strip() else None,
        orderBy=parse_order_by_with_group_by(params.get("order_by")),
        orderByForRecords=None if raw_records_order is None else coerce_order_by(
            core.schema, obj, parse_order_by(raw_records_order)),
        viewId=params.get("view_id"),
        limit=parse_limit(params.get("limit"), DEFAULT_GROUPS, limits.max_groups),  # clamped, as Twenty does
    )
    result = await execute(group_by_document(core, obj, aggregates, records, permissions), variables)
    raise_for_rest_errors(result)
    assert result.data is not None
    groups = result.data[f"{obj.name_plural}GroupBy"] or []
    return [_reshape(group, aggregates, records) for group in groups]
