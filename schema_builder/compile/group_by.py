"""A groupBy request's arguments → a checked plan: its dimensions, the groups' order, limits.

Twenty's rules and messages (`validate-and-transform-group-by-fields-or-throw.util.ts`,
`graphql-query-order-group-by.parser.ts`, `get-group-by-expression.util.ts`): one field per
`GroupByInput`, composite sub-fields and relations' fields one at a time, dates by a
granularity, a time zone for Day/Week/Month/Quarter/Year of a date-time (an IANA name), and
groups ordered only by what they are grouped by or by an aggregate. Everything here is
checked before the database is asked anything; `execute.group_by` turns the plan into one
pipeline.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from schema_builder.compile.ordering import DIRECTIONS, SortPlan, build_sort_plan
from schema_builder.context import Limits
from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import MANY_TO_ONE, FieldMeta, ObjectMeta, WorkspaceModel
from schema_builder.synthesis.aggregate_types import DATE_TYPES, GRANULARITIES, aggregates_of, is_groupable

DEFAULT_GROUPS = 50  # Twenty's DEFAULT_NUMBER_OF_GROUPS_LIMIT
RECORDS_PER_GROUP = 10  # Twenty's RECORDS_PER_GROUP_LIMIT: the sample of records of a group
MAX_DIMENSIONS = 20  # fields one groupBy may group by at once
# Granularities that cut time into periods of a calendar, hence need a time zone (Twenty's
# GROUP_BY_DATE_GRANULARITY_THAT_REQUIRE_TIME_ZONE).
ZONED = frozenset({"DAY", "WEEK", "MONTH", "QUARTER", "YEAR"})


@dataclass(frozen=True, slots=True)
class Dimension:
    """One value groups are made by."""

    field: FieldMeta  # the object's field (the relation, for a related record's field)
    sub: str | None = None  # a composite sub-field (of `field`, or of `nested`)
    nested: FieldMeta | None = None  # the related record's field
    target: ObjectMeta | None = None  # the related object
    granularity: str | None = None  # of a date
    week_start: str = "MONDAY"
    time_zone: str = "UTC"

    @property
    def leaf(self) -> FieldMeta:
        return self.nested or self.field


@dataclass(frozen=True, slots=True)
class GroupOrder:
    """One key of the groups' order: a dimension (by index) or an aggregate (by name)."""

    ascending: bool
    nulls_first: bool
    dimension: int | None = None
    aggregate: str | None = None


@dataclass(frozen=True, slots=True)
class GroupByPlan:
    # What groups are made by: the first `shown` are the client's (`groupByDimensionValues`);
    # the others are a grouped relation's fields its groups are ordered by (the same groups:
    # they depend on the related record the group already is of).
    dimensions: tuple[Dimension, ...]
    order: tuple[GroupOrder, ...]
    limit: int
    records_offset: int
    records_order: SortPlan
    shown: int = -1  # -1: all

    @property
    def shown_dimensions(self) -> tuple[Dimension, ...]:
        return self.dimensions if self.shown < 0 else self.dimensions[: self.shown]


def compile_group_by(
    model: WorkspaceModel, obj: ObjectMeta, args: Mapping[str, Any], limits: Limits
) -> GroupByPlan:
    """The plan of `<plural>GroupBy(...)`'s arguments, or a BadUserInput naming the problem."""
    if args.get("viewId") is not None:
        raise BadUserInput("viewId is not supported: views are not part of docgate; send the view's filter as `filter`")
    group_by = args.get("groupBy")
    items = [group_by] if isinstance(group_by, Mapping) else list(group_by or ())
    dimensions: list[Dimension] = []
    for item in items:
        if not isinstance(item, Mapping):
            raise BadUserInput("groupBy expects objects, e.g. [{jobTitle: true}]")
        _single(item, "You cannot provide multiple fields in one GroupByInput, split them into multiple GroupByInput")
        for name, definition in item.items():
            dimensions.append(_dimension(model, obj, name, definition))
    if len(dimensions) > MAX_DIMENSIONS:
        raise BadUserInput(f"groupBy groups by at most {MAX_DIMENSIONS} fields at once; got {len(dimensions)}")
    shown = len(dimensions)
    order = tuple(_orders(model, obj, args.get("orderBy"), dimensions))  # may add hidden dimensions
    return GroupByPlan(
        dimensions=tuple(dimensions),
        shown=shown,
        order=order,
        limit=_limit(args.get("limit"), limits),
        records_offset=_offset(args.get("offsetForRecords"), args.get("limit"), limits),
        records_order=build_sort_plan(model, obj, args.get("orderByForRecords")),
    )


def _single(item: Mapping[str, Any], message: str) -> None:
    if len(item) > 1:
        raise BadUserInput(message)


def _limit(value: Any, limits: Limits) -> int:
    """Twenty's getGroupLimit (a positive integer, else the default), within the setting."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return DEFAULT_GROUPS
    if value > limits.max_groups:
        raise BadUserInput(
            f"Query too complex - a groupBy returns at most {limits.max_groups} groups (DOCGATE_MAX_GROUPS); "
            f"asked for {value}",
            subCode="TOO_COMPLEX_QUERY",
        )
    return value


def _offset(value: Any, limit: Any, limits: Limits) -> int:
    if value is None:
        return 0
    if value < 0:
        raise BadUserInput(f"'offsetForRecords' must not be negative, got {value}")
    # Each group keeps offset + RECORDS_PER_GROUP records while the pipeline runs.
    if (value + RECORDS_PER_GROUP) * _limit(limit, limits) > limits.max_records_per_request:
        raise BadUserInput(
            f"Query too complex - 'offsetForRecords' {value} over {_limit(limit, limits)} groups would read more "
            f"than {limits.max_records_per_request} records (DOCGATE_MAX_RECORDS_PER_REQUEST)",
            subCode="TOO_COMPLEX_QUERY",
        )
    return int(value)


def _field(obj: ObjectMeta, name: str) -> FieldMeta:
    meta = obj.field(name)
    if meta is None:
        raise BadUserInput(f"Unidentified field in groupBy: {name}")
    return meta


def _dimension(model: WorkspaceModel, obj: ObjectMeta, name: str, definition: Any) -> Dimension:
    relation = obj.field_by_join_column(name) if obj.field(name) is None else None
    if relation is not None and relation.relation_type == MANY_TO_ONE:
        if definition is not True:
            raise BadUserInput(f'Invalid groupBy definition for field "{name}"')
        return _relation_dimension(model, relation, relation.name, {"id": True})  # as Twenty: the related id
    meta = _field(obj, name)
    if not is_groupable(meta):
        raise BadUserInput(f'Field "{name}" is not supported in groupBy')
    if meta.relation_type == MANY_TO_ONE:
        return _relation_dimension(model, meta, name, definition)
    if meta.type in DATE_TYPES and _is_date_definition(definition):
        return _date_dimension(meta, definition, zoned=meta.type == "DATE_TIME")
    if definition is True:
        return Dimension(meta)
    if isinstance(definition, Mapping):
        composite = meta.composite
        if composite is None:
            raise BadUserInput(f'Field "{name}" does not support nested subfields in groupBy')
        _single(definition, "You cannot provide multiple subfields in one GroupByInput, "
                            "split them into multiple GroupByInput")
        for sub, flag in definition.items():
            sub_field = composite.sub_field(sub)
            if sub_field is None or sub_field.type == "RAW_JSON":
                raise BadUserInput(f'Composite subfield "{sub}" is not supported in groupBy for "{name}"')
            if flag is not True:
                raise BadUserInput(f'Composite subfield "{sub}" must be set to true in groupBy for "{name}"')
            return Dimension(meta, sub=sub)
        return Dimension(meta)  # {} groups by nothing more: Twenty adds no column
    raise BadUserInput(f'Invalid groupBy definition for field "{name}"')


def _is_date_definition(definition: Any) -> bool:
    return isinstance(definition, Mapping) and definition.get("granularity") in GRANULARITIES


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _date_dimension(
    meta: FieldMeta, definition: Mapping[str, Any], zoned: bool, relation: FieldMeta | None = None,
    target: ObjectMeta | None = None,
) -> Dimension:
    """A date cut by a granularity. Twenty applies the time zone to calendar periods of the
    object's own date-times only (a related record's dates, and the cyclic granularities,
    are taken in UTC); docgate does the same, so that both answer alike."""
    granularity = definition["granularity"]
    zone = definition.get("timeZone")
    if zoned and granularity in ZONED:
        if not zone:
            raise BadUserInput("Time zone should be specified for a group by date on Day, Week, Month, Quarter or Year")
        if zone not in _time_zones():
            raise BadUserInput(f"Invalid timezone: {zone}")
    else:
        zone = "UTC"
    week_start = definition.get("weekStartDay") or "MONDAY"
    if relation is None:
        return Dimension(meta, granularity=granularity, week_start=week_start, time_zone=zone)
    return Dimension(relation, nested=meta, target=target, granularity=granularity, week_start=week_start,
                     time_zone=zone)


def _relation_dimension(model: WorkspaceModel, meta: FieldMeta, name: str, definition: Any) -> Dimension:
    target = model.target_of(meta)
    if not isinstance(definition, Mapping) or not definition:
        raise BadUserInput(f'Invalid groupBy definition for relation field "{name}"')
    _single(definition, "You cannot provide multiple nested fields in one relation GroupByInput, "
                        "split them into multiple GroupByInput")
    nested_name, nested_definition = next(iter(definition.items()))
    nested = target.field(nested_name)
    if nested is None:
        raise BadUserInput(f'Nested field "{nested_name}" not found in target object "{target.name_singular}"')
    if nested.relation_type is not None:
        raise BadUserInput(
            f'Cannot group by a relation field of the relation field: "{nested_name}" is a relation field of '
            f'"{target.name_singular}"'
        )
    if nested_name != "id" and not is_groupable(nested):
        raise BadUserInput(f'Nested field "{nested_name}" is not supported in groupBy')
    if nested.type in DATE_TYPES and _is_date_definition(nested_definition):
        return _date_dimension(nested, nested_definition, zoned=False, relation=meta, target=target)
    composite = nested.composite
    if composite is not None:
        if not isinstance(nested_definition, Mapping):
            raise BadUserInput(f'Composite field "{nested_name}" requires a subfield to be specified')
        _single(nested_definition, "You cannot provide multiple composite subfields in one GroupByInput, "
                                   "split them into multiple GroupByInput")
        sub, flag = next(iter(nested_definition.items()), (None, None))
        sub_field = composite.sub_field(sub) if sub else None
        if sub_field is None or sub_field.type == "RAW_JSON" or flag is not True:
            raise BadUserInput(f'Composite subfield "{sub}" is not supported in groupBy for "{nested_name}"')
        return Dimension(meta, sub=sub, nested=nested, target=target)
    if nested_definition is True:
        return Dimension(meta, nested=nested, target=target)
    raise BadUserInput(f'Invalid groupBy definition for nested field "{name}.{nested_name}"')


def _as_definition(order: Any) -> Any:
    """An order on a related field as the groupBy definition of that field: `AscNullsLast` → true,
    `{firstName: AscNullsLast}` → `{firstName: true}`."""
    if isinstance(order, Mapping):
        return {k: _as_definition(v) for k, v in order.items()}
    return True


def _direction(value: Any, label: str) -> tuple[bool, bool]:
    if value not in DIRECTIONS:
        raise BadUserInput(f"Unknown orderBy value: {value} ({label})")
    return DIRECTIONS[value]


def _orders(model: WorkspaceModel, obj: ObjectMeta, order_by: Any, dimensions: list[Dimension]) -> list[GroupOrder]:
    items = [order_by] if isinstance(order_by, Mapping) else list(order_by or ())
    orders: list[GroupOrder] = []
    aggregates = aggregates_of(obj)
    for item in items:
        if not isinstance(item, Mapping):
            raise BadUserInput("orderBy of a groupBy expects objects")
        if item.get("aggregate") is not None:
            aggregate = item["aggregate"]
            _single(aggregate, "Please provide aggregate criteria one by one in orderBy array")
            for name, direction in aggregate.items():
                if name not in aggregates:
                    raise BadUserInput(f"Unknown aggregate field: {name}")
                if direction is not None:
                    orders.append(GroupOrder(*_direction(direction, name), aggregate=name))
            continue
        _single(item, "Please provide orderBy field criteria one by one in orderBy array")
        for name, value in item.items():
            if value is not None:
                orders.extend(_dimension_order(model, obj, name, value, dimensions))
    return orders


def _dimension_order(
    model: WorkspaceModel, obj: ObjectMeta, name: str, value: Any, dimensions: list[Dimension]
) -> list[GroupOrder]:
    meta = obj.field(name) or obj.field_by_join_column(name)
    if meta is None:
        raise BadUserInput(f"Cannot orderBy unknown field: {name}.")
    nested: FieldMeta | None = None
    if meta.relation_type == MANY_TO_ONE and isinstance(value, Mapping):
        _single(value, "Please provide orderBy field criteria one by one in orderBy array")
        target_name, value = next(iter(value.items()), (None, None))
        if not any(d.field is meta for d in dimensions) or value is None:
            raise BadUserInput(
                f"Cannot order by a relation field that is not in groupBy criteria: {name}.{target_name}")
        nested = next((d.nested for d in dimensions if d.field is meta and d.nested and d.nested.name == target_name),
                      None)
        if nested is None:  # another field of a related record grouped by: a hidden dimension orders by it
            dimensions.append(_relation_dimension(model, meta, name, {target_name: _as_definition(value)}))
            nested = dimensions[-1].nested
    elif meta.relation_type == MANY_TO_ONE:
        raise BadUserInput(f"Cannot order by a field that is not an aggregate nor in groupBy criteria: {name}.")
    leaf = nested or meta
    candidates = [i for i, d in enumerate(dimensions) if d.field is meta and d.nested is nested]
    if isinstance(value, Mapping) and leaf.type in DATE_TYPES and "granularity" in value:
        granularity = value.get("granularity")
        found = [i for i in candidates if dimensions[i].granularity == granularity]
        if not found:
            raise BadUserInput(f"Cannot order by a date granularity that is not in groupBy criteria: {granularity}")
        if value.get("orderBy") is None:
            return []
        return [GroupOrder(*_direction(value["orderBy"], name), dimension=found[0])]
    if isinstance(value, Mapping):
        _single(value, "Please provide composite subfield criteria one by one in orderBy array")
        sub, direction = next(iter(value.items()), (None, None))
        found = [i for i in candidates if dimensions[i].sub == sub]
        if not found and nested is not None and isinstance(sub, str):  # another sub-field of a related record
            dimensions.append(_relation_dimension(model, meta, name, {nested.name: {sub: True}}))
            found = [len(dimensions) - 1]
        if not found:
            raise BadUserInput(
                f"Cannot order by a field that is not in groupBy or that is not an aggregate field: {sub}"
            )
        return [] if direction is None else [GroupOrder(*_direction(direction, f"{name}.{sub}"), dimension=found[0])]
    found = [i for i in candidates if dimensions[i].sub is None]
    if not found:
        raise BadUserInput(f"Cannot order by a field that is not an aggregate nor in groupBy criteria: {name}.")
    return [GroupOrder(*_direction(value, name), dimension=found[0])]
