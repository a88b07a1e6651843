"""Aggregates and groupBy in the schema: names and types per field type, as Twenty has them.

Every connection carries `totalCount` and, for each field that is not a relation,
`countUniqueValues<F>`, `countEmpty<F>`, `countNotEmpty<F>`, `percentageEmpty<F>`,
`percentageNotEmpty<F>`; dates add `min<F>`/`max<F>`, numbers `min`/`max`/`avg`/`sum<F>`,
currencies the same over `<F>AmountMicros`, booleans `countTrue<F>`/`countFalse<F>`
(Twenty's `get-available-aggregations-from-object-fields.util.ts`). Every object gets
`<plural>GroupBy` and its inputs (`<X>GroupByInput`, `<X>OrderByWithGroupByInput`) and output
(`<X>GroupByConnection`: the connection's fields plus `groupByDimensionValues`).

Pure functions of the metadata, like the rest of the SDL synthesis (`sdl.py` calls them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import NamedTuple

from schema_builder.metadata.field_types import COMPOSITE_TYPES, CompositeType
from schema_builder.metadata.model import MANY_TO_ONE, FieldMeta, ObjectMeta, WorkspaceModel, pascal
from schema_builder.synthesis.sdl import FieldDef, TypeDef, order_type

# Twenty's aggregate operations.
COUNT, COUNT_UNIQUE, COUNT_EMPTY, COUNT_NOT_EMPTY = "COUNT", "COUNT_UNIQUE_VALUES", "COUNT_EMPTY", "COUNT_NOT_EMPTY"
PERCENT_EMPTY, PERCENT_NOT_EMPTY = "PERCENTAGE_EMPTY", "PERCENTAGE_NOT_EMPTY"
MIN, MAX, AVG, SUM, COUNT_TRUE, COUNT_FALSE = "MIN", "MAX", "AVG", "SUM", "COUNT_TRUE", "COUNT_FALSE"

DATE_TYPES = frozenset({"DATE", "DATE_TIME"})
GRANULARITIES = ("DAY", "MONTH", "QUARTER", "YEAR", "WEEK", "DAY_OF_THE_WEEK", "MONTH_OF_THE_YEAR",
                 "QUARTER_OF_THE_YEAR", "NONE")
WEEK_START_DAYS = ("MONDAY", "SUNDAY", "SATURDAY")
# The sub-fields whose values make a composite's value for counting (Twenty's
# `get-subfields-for-aggregate-operation.util.ts`).
AGGREGATED_SUB_FIELDS: dict[str, tuple[str, ...]] = {
    "CURRENCY": ("amountMicros", "currencyCode"),
    "FULL_NAME": ("firstName", "lastName"),
    "ADDRESS": ("addressStreet1", "addressStreet2", "addressCity", "addressPostcode", "addressState",
                "addressCountry", "addressLat", "addressLng"),
    "LINKS": ("primaryLinkUrl",),
    "ACTOR": ("workspaceMemberId", "source"),
    "EMAILS": ("primaryEmail",),
    "PHONES": ("primaryPhoneNumber", "primaryPhoneCountryCode", "primaryPhoneCallingCode"),
    "RICH_TEXT": ("blocknote", "markdown"),
}
# Fields Twenty never groups by (`isFieldMetadataSupportedInGroupBy`): these names, system
# fields other than createdAt/updatedAt, and these types.
_NOT_GROUPED_NAMES = frozenset({"id", "deletedAt", "searchVector", "createdBy"})
_NOT_GROUPED_TYPES = frozenset({"TS_VECTOR", "RAW_JSON", "FILES", "POSITION"})
# Fields of a connection that are not aggregates.
CONNECTION_FIELDS = frozenset({"edges", "pageInfo", "groupByDimensionValues", "__typename"})


class Aggregate(NamedTuple):
    """One aggregate field: what it computes, over which stored values."""

    name: str  # e.g. "sumAmountAmountMicros"
    graphql_type: str  # "Int", "Float" or "DateTime"
    operation: str
    field: str = ""  # the field's name ("" for totalCount)
    field_type: str = ""
    sub_fields: tuple[str, ...] = ()  # a composite's parts that make its value (counts)
    numeric_path: str = ""  # the stored path min/max/avg/sum read (e.g. "amount.amountMicros")


TOTAL_COUNT = Aggregate("totalCount", "Int", COUNT)


def _sub_fields(meta: FieldMeta) -> tuple[str, ...]:
    composite = meta.composite
    if composite is None:
        return ()
    known = {s.name for s in composite.sub_fields}
    wanted = AGGREGATED_SUB_FIELDS.get(meta.type) or tuple(
        s.name for s in composite.sub_fields if s.type != "RAW_JSON"
    )
    return tuple(name for name in wanted if name in known)


def field_aggregates(meta: FieldMeta) -> Iterator[Aggregate]:
    """The aggregates of one field, in Twenty's order (none for a relation)."""
    if meta.relation_type is not None or meta.type == "RELATION":
        return
    f, t, subs = pascal(meta.name), meta.type, _sub_fields(meta)
    for op, prefix, gql in ((COUNT_UNIQUE, "countUniqueValues", "Int"), (COUNT_EMPTY, "countEmpty", "Int"),
                            (COUNT_NOT_EMPTY, "countNotEmpty", "Int"), (PERCENT_EMPTY, "percentageEmpty", "Float"),
                            (PERCENT_NOT_EMPTY, "percentageNotEmpty", "Float")):
        yield Aggregate(f"{prefix}{f}", gql, op, meta.name, t, subs)
    if t in DATE_TYPES:
        for op, prefix in ((MIN, "min"), (MAX, "max")):
            yield Aggregate(f"{prefix}{f}", "DateTime", op, meta.name, t, numeric_path=meta.name)
    if t == "BOOLEAN":
        yield Aggregate(f"countTrue{f}", "Int", COUNT_TRUE, meta.name, t, numeric_path=meta.name)
        yield Aggregate(f"countFalse{f}", "Int", COUNT_FALSE, meta.name, t, numeric_path=meta.name)
    elif t == "NUMBER":
        for op, prefix in ((MIN, "min"), (MAX, "max"), (AVG, "avg"), (SUM, "sum")):
            yield Aggregate(f"{prefix}{f}", "Float", op, meta.name, t, numeric_path=meta.name)
    elif t == "CURRENCY":
        for op, prefix in ((MIN, "min"), (MAX, "max"), (SUM, "sum"), (AVG, "avg")):
            yield Aggregate(f"{prefix}{f}AmountMicros", "Float", op, meta.name, t, subs,
                            numeric_path=f"{meta.name}.amountMicros")


def aggregates_of(obj: ObjectMeta) -> Mapping[str, Aggregate]:
    """Every aggregate of an object's connections, by field name, totalCount first (worked out
    once per object: 150 of them for an object of 30 fields)."""
    found: Mapping[str, Aggregate] | None = obj.derived.get("synthesis.aggregates")
    if found is None:
        by_name = {TOTAL_COUNT.name: TOTAL_COUNT}
        for meta in obj.fields:
            for aggregate in field_aggregates(meta):
                by_name.setdefault(aggregate.name, aggregate)
        found = obj.derived["synthesis.aggregates"] = MappingProxyType(by_name)
    return found


def is_aggregate_field(type_name: str, field_name: str) -> bool:
    """Whether a field of a connection type is an aggregate (for the cost limits)."""
    return type_name.endswith("Connection") and field_name not in CONNECTION_FIELDS


def _input(name: str, pairs: Iterable[tuple[str, str]]) -> TypeDef:
    return TypeDef("input", name, tuple(FieldDef(n, t) for n, t in pairs))


def common_types() -> Iterator[TypeDef]:
    """Types every workspace shares: date granularities and the composites' groupBy inputs."""
    yield TypeDef("enum", "DateGranularityEnum", values=GRANULARITIES)
    yield TypeDef("enum", "FirstDayOfTheWeek", values=WEEK_START_DAYS)
    yield _input("GroupByDateGranularityInput", [("granularity", "DateGranularityEnum"),
                                                 ("weekStartDay", "FirstDayOfTheWeek"), ("timeZone", "String")])
    yield _input("OrderByDateGranularityInput",
                 [("orderBy", "OrderByDirection"), ("granularity", "DateGranularityEnum")])
    for composite in COMPOSITE_TYPES.values():
        yield _input(f"{composite.graphql_name}GroupByInput", ((s, "Boolean") for s in groupable_sub_fields(composite)))


def groupable_sub_fields(composite: CompositeType) -> tuple[str, ...]:
    """A composite's sub-fields that can be grouped by (raw JSON ones cannot)."""
    return tuple(s.name for s in composite.sub_fields if s.type != "RAW_JSON")


def is_groupable(meta: FieldMeta) -> bool:
    """Twenty's `isFieldMetadataSupportedInGroupBy`, for docgate's field kinds."""
    if meta.relation_type is not None:
        return meta.relation_type == MANY_TO_ONE
    if meta.name in ("createdAt", "updatedAt") and meta.type in DATE_TYPES:
        return True
    if meta.name in _NOT_GROUPED_NAMES or meta.is_system:
        return False
    return meta.type not in _NOT_GROUPED_TYPES


def has_group_by(obj: ObjectMeta) -> bool:
    """Whether an object has anything to group by (every stored object has createdAt)."""
    return any(is_groupable(m) and m.relation_type is None for m in obj.fields)


def _group_by_fields(model: WorkspaceModel, obj: ObjectMeta) -> Iterator[tuple[str, str]]:
    for meta in obj.fields:
        if not is_groupable(meta):
            continue
        if meta.relation_type == MANY_TO_ONE:
            target = model.target_of(meta)
            if has_group_by(target):
                yield meta.name, f"{pascal(target.name_singular)}GroupByInput"
            if meta.join_column:  # Twenty's `companyId: true`: the related record's id
                yield meta.join_column, "Boolean"
        elif meta.composite is not None:
            yield meta.name, f"{meta.composite.graphql_name}GroupByInput"
        else:
            yield meta.name, "GroupByDateGranularityInput" if meta.type in DATE_TYPES else "Boolean"


def _order_with_group_by(model: WorkspaceModel, meta: FieldMeta) -> list[tuple[str, str]]:
    if meta.relation_type == MANY_TO_ONE:
        pairs = [(meta.join_column or "", "OrderByDirection")]
        if has_group_by(model.target_of(meta)):
            pairs.append((meta.name, f"{pascal(model.target_of(meta).name_singular)}OrderByWithGroupByInput"))
        return pairs
    if meta.relation_type is not None:
        return []
    if meta.type in DATE_TYPES:
        return [(meta.name, "OrderByDateGranularityInput")]
    kind = order_type(meta)
    return [] if kind is None else [(meta.name, kind)]


def connection_fields(obj: ObjectMeta) -> tuple[FieldDef, ...]:
    """The aggregate fields of `<X>Connection` besides totalCount."""
    return tuple(FieldDef(a.name, a.graphql_type) for a in aggregates_of(obj).values() if a is not TOTAL_COUNT)


def object_types(model: WorkspaceModel, obj: ObjectMeta) -> Iterator[TypeDef]:
    """The groupBy types of one object (none for an object with nothing to group by)."""
    if not has_group_by(obj):
        return
    p = pascal(obj.name_singular)
    aggregates = aggregates_of(obj)
    yield TypeDef("type", f"{p}GroupByConnection", (
        FieldDef("edges", f"[{p}Edge!]!"), FieldDef("pageInfo", "PageInfo!"),
        *(FieldDef(a.name, a.graphql_type) for a in aggregates.values()),
        FieldDef("groupByDimensionValues", "JSON!"),
    ))
    yield _input(f"{p}GroupByInput", _group_by_fields(model, obj))
    yield _input(f"{p}OrderByWithGroupByAggregateInput", ((name, "OrderByDirection") for name in aggregates))
    dimensions = [pair for m in obj.fields for pair in _order_with_group_by(model, m)]
    yield _input(f"{p}OrderByWithGroupByInput", [("aggregate", f"{p}OrderByWithGroupByAggregateInput"), *dimensions])


def group_by_root_fields(obj: ObjectMeta) -> list[FieldDef]:
    """`<plural>GroupBy(...)`, with Twenty's arguments."""
    if not has_group_by(obj):
        return []
    p = pascal(obj.name_singular)
    args = (
        ("groupBy", f"[{p}GroupByInput]!"),
        ("filter", f"{p}FilterInput"),
        ("orderBy", f"[{p}OrderByWithGroupByInput]"),
        ("orderByForRecords", f"[{p}OrderByInput]"),
        ("viewId", "UUID"),
        ("limit", "Int"),
        ("offsetForRecords", "Int"),
    )
    return [FieldDef(f"{obj.name_plural}GroupBy", f"[{p}GroupByConnection!]", args)]
