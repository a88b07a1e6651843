"""The `group_by_<plural>` tools: Twenty's groupBy and aggregates, for agents that count.

A tool runs the object's `<plural>GroupBy` query (the document the REST shim's
`GET /rest/<plural>/groupBy` runs), so it obeys the same compile step — the caller's role,
the groups and aggregate-field limits, the deadline — and answers what REST answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from graphql import DocumentNode, ExecutionResult, GraphQLInputObjectType

from rest_shim.graphql_errors import raise_for_errors
from rest_shim.group_by import DEFAULT_GROUPS, group_by_document
from schema_builder.context import Limits
from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import ObjectMeta, pascal
from schema_builder.permissions.model import CompiledPermissions
from schema_builder.synthesis.aggregate_types import aggregates_of
from schema_builder.synthesis.core_schema import CoreSchema

from .catalog import DATABASE_CRUD, ToolSpec, snake
from .json_schema import SchemaWriter

Execute = Callable[[DocumentNode, dict[str, Any]], Awaitable[ExecutionResult]]
OPERATION = "group_by"


def group_by_tool(core: CoreSchema, obj: ObjectMeta, limits: Limits) -> ToolSpec | None:
    """The object's tool, or None for an object with nothing to group by (it has no groupBy)."""
    query_type = core.schema.query_type
    p = pascal(obj.name_singular)
    group_type, filter_type = core.schema.get_type(f"{p}GroupByInput"), core.schema.get_type(f"{p}FilterInput")
    if query_type is None or f"{obj.name_plural}GroupBy" not in query_type.fields:
        return None
    assert isinstance(group_type, GraphQLInputObjectType) and isinstance(filter_type, GraphQLInputObjectType)
    writer = SchemaWriter()
    properties = {
        "groupBy": {"type": "array", "minItems": 1, "items": writer.ref(group_type),
                    "description": 'what to group by, e.g. [{"stage": true}] or '
                                   '[{"closeDate": {"granularity": "MONTH", "timeZone": "Europe/Paris"}}]'},
        "aggregates": {"type": "array", "items": {"type": "string", "enum": list(aggregates_of(obj))},
                       "description": 'figures per group, e.g. ["totalCount", "sumAmountAmountMicros"]'},
        "filter": writer.ref(filter_type),
        "orderBy": {"type": "array", "items": {"type": "object"},
                    "description": 'e.g. [{"aggregate": {"totalCount": "DescNullsLast"}}] or '
                                   '[{"stage": "AscNullsFirst"}]'},
        "limit": {"type": "integer", "minimum": 1, "maximum": limits.max_groups,
                  "description": f"groups to return (default {DEFAULT_GROUPS})"},
    }
    schema = {"type": "object", "required": ["groupBy"], "additionalProperties": False, "properties": properties}
    return ToolSpec(
        f"group_by_{snake(obj.name_plural)}", DATABASE_CRUD,
        f"Group {obj.label_plural} records and count or sum them per group (computed by the database): "
        "returns each group's dimension values and the aggregates asked (totalCount when none).",
        writer.tool_schema(schema), OPERATION, obj,
    )


async def run_group_by(
    obj: ObjectMeta, arguments: Mapping[str, Any], core: CoreSchema, execute: Execute,
    permissions: CompiledPermissions | None,
) -> Any:
    group_by = arguments.get("groupBy")
    if not isinstance(group_by, list) or not group_by:
        raise BadUserInput("the argument 'groupBy' is required (a list of what to group by)")
    aggregates = arguments.get("aggregates") or ["totalCount"]
    known = aggregates_of(obj)
    if not isinstance(aggregates, list) or not all(isinstance(a, str) and a in known for a in aggregates):
        raise BadUserInput(f"'aggregates' must name aggregates of {obj.name_singular}, e.g. totalCount")
    variables = {"groupBy": group_by, "filter": arguments.get("filter"), "orderBy": arguments.get("orderBy"),
                 "limit": arguments.get("limit", DEFAULT_GROUPS)}
    names = tuple(dict.fromkeys(aggregates))
    result = await execute(group_by_document(core, obj, names, False, permissions), variables)
    raise_for_errors(result)
    assert result.data is not None
    groups = result.data[f"{obj.name_plural}GroupBy"] or []
    return {"groups": [{"dimensions": g["groupByDimensionValues"], **{a: g.get(a) for a in names}} for g in groups]}
