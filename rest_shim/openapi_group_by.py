"""The groupBy operation of each object in the Core OpenAPI document (Twenty's
`computeGroupByResultPath`, operationId `groupBy<Plural>`), and its parameters.

The answer is described as docgate gives it, which is what Twenty's REST API answers (a bare
array of groups), not the `{"data": {"<plural>GroupBy": …}}` envelope Twenty's own document
announces for it.
"""

from __future__ import annotations

from schema_builder.compile.group_by import DEFAULT_GROUPS, RECORDS_PER_GROUP
from schema_builder.context import Limits
from schema_builder.metadata.model import ObjectMeta, pascal

from .openapi_common import errors, operation, query_param
from .openapi_schemas import Schema, ref

GROUP_BY_PARAMETERS = ("groupBy", "filter", "orderByWithGroupBy", "groupLimit", "viewId", "aggregate",
                       "includeRecordsSample", "orderByForRecords")


def group_by_parameters(limits: Limits) -> dict[str, Schema]:
    """The parameters of the groupBy operations (component names as in Twenty's document)."""
    group_by = query_param(
        "group_by",
        {"type": "string"},
        "A JSON array of the fields to group by, one per item: `true` for a field, `{\"subField\": true}` for a "
        "composite's sub-field or a related record's field, `{\"granularity\": …}` for a date (DAY, WEEK, MONTH, "
        "QUARTER, YEAR need a `timeZone`; also DAY_OF_THE_WEEK, MONTH_OF_THE_YEAR, QUARTER_OF_THE_YEAR, NONE; "
        "`weekStartDay` MONDAY, SUNDAY or SATURDAY).",
    )
    group_by["required"] = True
    group_by["examples"] = {
        "simple": {"value": '[{"stage": true}]', "summary": "Group by a single field"},
        "subfield": {"value": '[{"company": {"name": true}}]', "summary": "Group by a related record's field"},
        "dateGranularity": {"value": '[{"createdAt": {"granularity": "MONTH", "timeZone": "Europe/Paris"}}]',
                            "summary": "Group by date with a granularity"},
    }
    aggregate = query_param(
        "aggregate",
        {"type": "string"},
        "A JSON array of the aggregates to compute for each group, named as the GraphQL connection's fields "
        "(`totalCount`, `countNotEmptyName`, `sumAmountAmountMicros`, …). Their values are strings, as in Twenty.",
    )
    aggregate["examples"] = {
        "count": {"value": '["totalCount"]', "summary": "Count the records of each group"},
        "multiple": {"value": '["countNotEmptyId", "sumAmountAmountMicros"]', "summary": "Several aggregates"},
    }
    return {
        "groupBy": group_by,
        "aggregate": aggregate,
        "orderByWithGroupBy": query_param(
            "order_by",
            {"type": "string"},
            'A JSON array ordering the groups: `{"field": "AscNullsFirst"}` for a field grouped by, '
            '`{"dateField": {"orderBy": "DescNullsLast", "granularity": "MONTH"}}`, or '
            '`{"aggregate": {"totalCount": "DescNullsLast"}}`.',
        ),
        "groupLimit": query_param(
            "limit",
            {"type": "integer", "minimum": 0, "maximum": limits.max_groups, "default": DEFAULT_GROUPS},
            f"Groups returned (default {DEFAULT_GROUPS}, at most {limits.max_groups}).",
        ),
        "viewId": query_param("view_id", {"type": "string", "format": "uuid"},
                              "Not supported: views are not part of docgate (send the view's filter as `filter`)."),
        "includeRecordsSample": query_param(
            "include_records_sample",
            {"type": "boolean", "default": False},
            f"If true, each group has `records`: its first {RECORDS_PER_GROUP} records (depth 0).",
        ),
        "orderByForRecords": query_param(
            "order_by_for_records",
            {"type": "string"},
            "The order of each group's records sample, in the `order_by` grammar of lists, e.g. `name[AscNullsFirst]`.",
        ),
    }


def group_by_paths(obj: ObjectMeta) -> dict[str, Schema]:
    """`GET /{plural}/groupBy`."""
    s, pl = obj.name_singular, obj.name_plural
    many = obj.label_plural or pl
    group: Schema = {
        "type": "object",
        "properties": {
            "groupByDimensionValues": {"type": "array", "description": "the group's value of each field grouped by",
                                       "items": {}},
            "records": {"type": "array", "items": ref(f"{pascal(s)}ForResponse"),
                        "description": "the group's first records (with include_records_sample=true)"},
        },
        "additionalProperties": {"type": ["string", "null"],
                                 "description": "the aggregates asked (`aggregate`), by name"},
        "required": ["groupByDimensionValues"],
    }
    response = {"200": {"description": f"The groups of {many}",
                        "content": {"application/json": {"schema": {"type": "array", "items": group}}}}}
    return {
        f"/{pl}/groupBy": {
            "get": operation(pl, f"groupBy{pascal(pl)}", f"Group {many}", {**response, **errors()},
                             GROUP_BY_PARAMETERS),
        },
    }
