"""`<plural>GroupBy`: groups, their aggregates and a sample of their records, in one pipeline.

    $match (the filter, trash hidden) → $lookup (a related record, per relation grouped by)
    → $group (dimension values; the aggregates asked; the ids of each group's first records
    in `orderByForRecords` order, by `$topN`) → $project (aggregates finished) → $sort
    (the groups' order) → $limit → $lookup (the sampled records, by id, of the groups kept)

Only ids are held per group while grouping, and records are read for the groups returned
alone, so a request that makes many groups keeps little in memory. Dates are cut by
Twenty's granularities: calendar periods (`DAY`…`YEAR`, `WEEK` from the chosen first day)
as `YYYY-MM-DD` of the period's start in the time zone, cyclic ones as names (`Thursday`,
`January`, `Q1`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from schema_builder.compile.cursors import encode_cursor, format_datetime
from schema_builder.compile.group_by import RECORDS_PER_GROUP, ZONED, Dimension, GroupByPlan, GroupOrder
from schema_builder.compile.ordering import null_rank, order_rank
from schema_builder.compile.selection import projection
from schema_builder.context import RequestContext
from schema_builder.execute.aggregates import Accumulators, outputs, refuse_in_memory, run_pipeline
from schema_builder.execute.reads import collection, read_query
from schema_builder.execute.records import to_output
from schema_builder.metadata.model import ObjectMeta, WorkspaceModel
from schema_builder.synthesis.aggregate_types import TOTAL_COUNT, aggregates_of

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_ISO_WEEK_START = {"MONDAY": 1, "SUNDAY": 7, "SATURDAY": 6}
SAMPLE, RECORDS = "_dgSample", "_dgRecords"


def _relation_alias(index: int) -> str:
    return f"_dgRelation{index}"


def _stored(name: str) -> str:
    return "_id" if name == "id" else name  # a record's id is stored as `_id`


def _raw_value(dim: Dimension, aliases: Mapping[str, str]) -> Any:
    """The stored value a dimension is made from (null when missing)."""
    if dim.nested is None:
        path = dim.field.name if dim.sub is None else f"{dim.field.name}.{dim.sub}"
        return {"$ifNull": [f"${path}", None]}
    # The related record is the first (only) one the lookup found. `$let` rather than
    # `"$alias.field"`, whose traversal of an array some servers (SecantusDB) lack.
    path = _stored(dim.nested.name) + ("" if dim.sub is None else f".{dim.sub}")
    related = {"$arrayElemAt": [f"${aliases[dim.field.name]}", 0]}
    return {"$ifNull": [{"$let": {"vars": {"related": related}, "in": f"$$related.{path}"}}, None]}


def dimension_expression(dim: Dimension, aliases: Mapping[str, str]) -> Any:
    """The expression of a dimension's value: the stored value, or its date cut to a period."""
    value = _raw_value(dim, aliases)
    granularity = dim.granularity
    if granularity is None or granularity == "NONE":
        return value
    date = value if dim.leaf.type == "DATE_TIME" else {
        "$dateFromString": {"dateString": value, "format": "%Y-%m-%d", "onError": None, "onNull": None}}
    zone = dim.time_zone
    if granularity in ZONED:
        cut: dict[str, Any] = {"date": date, "unit": granularity.lower(), "timezone": zone}
        if granularity == "WEEK":
            cut["startOfWeek"] = dim.week_start.lower()
        return {"$dateToString": {"date": {"$dateTrunc": cut}, "format": "%Y-%m-%d", "timezone": zone}}
    if granularity == "DAY_OF_THE_WEEK":
        return {"$isoDayOfWeek": {"date": date, "timezone": zone}}
    month = {"$month": {"date": date, "timezone": zone}}
    if granularity == "MONTH_OF_THE_YEAR":
        return month
    return {"$trunc": {"$divide": [{"$add": [month, 2]}, 3]}}  # QUARTER_OF_THE_YEAR: 1..4


def dimension_label(dim: Dimension, value: Any) -> Any:
    """A dimension's value as `groupByDimensionValues` shows it."""
    if value is None:
        return None
    granularity = dim.granularity
    if granularity == "DAY_OF_THE_WEEK":
        return DAYS[int(value) - 1]
    if granularity == "MONTH_OF_THE_YEAR":
        return MONTHS[int(value) - 1]
    if granularity == "QUARTER_OF_THE_YEAR":
        return f"Q{int(value)}"
    if hasattr(value, "isoformat") and hasattr(value, "utcoffset"):
        return format_datetime(value)
    return value


def _lookups(obj: ObjectMeta, model: WorkspaceModel, dims: Sequence[Dimension]) -> tuple[list[dict[str, Any]],
                                                                                      dict[str, str]]:
    """One `$lookup` per relation grouped by: the related record (not in the trash), with
    only the fields grouped by."""
    stages: list[dict[str, Any]] = []
    aliases: dict[str, str] = {}
    for dim in dims:
        if dim.nested is None or dim.field.name in aliases:
            continue
        assert dim.target is not None
        alias = aliases[dim.field.name] = _relation_alias(len(aliases))
        wanted = {_stored(d.nested.name) for d in dims if d.field is dim.field and d.nested is not None}
        stages.append({"$lookup": {
            "from": dim.target.collection, "localField": dim.field.join_column, "foreignField": "_id",
            "pipeline": [{"$match": {"deletedAt": None}}, {"$limit": 1}, {"$project": dict.fromkeys(wanted, 1)}],
            "as": alias,
        }})
    return stages, aliases


def _group_sort(plan: GroupByPlan) -> tuple[dict[str, Any], dict[str, int]]:
    """Helper keys and the `$sort` of the groups: the order asked, then every dimension."""
    dims = plan.dimensions
    orders = list(plan.order) or [GroupOrder(True, True, dimension=i) for i in range(len(dims))]
    helpers: dict[str, Any] = {}
    sort: dict[str, int] = {}
    for k, order in enumerate(orders):
        direction = 1 if order.ascending else -1
        rank: Any = None
        if order.aggregate is not None:
            path = order.aggregate
        else:
            assert order.dimension is not None
            dim, path = dims[order.dimension], f"_id.d{order.dimension}"
            if dim.granularity == "DAY_OF_THE_WEEK":  # from the first day of the week
                start = _ISO_WEEK_START.get(dim.week_start, 1)
                rank = {"$mod": [{"$add": [{"$subtract": [f"${path}", start]}, 7]}, 7]}
            elif dim.granularity is None and dim.sub is None and dim.leaf.value_order is not None:
                rank = order_rank(path, dim.leaf.value_order)  # a SELECT in its options' order
        if order.nulls_first != order.ascending:  # against MongoDB's own placement of nulls
            helpers[f"_dgGroupNull{k}"] = null_rank(path)
            sort[f"_dgGroupNull{k}"] = direction
        if rank is not None:
            helpers[f"_dgGroupRank{k}"] = rank
            sort[f"_dgGroupRank{k}"] = direction
        sort.setdefault(path, direction)
    for i in range(len(dims)):
        sort.setdefault(f"_id.d{i}", 1)  # a total order: the limit keeps the same groups each time
    return helpers, sort


def group_by_pipeline(
    model: WorkspaceModel,
    obj: ObjectMeta,
    plan: GroupByPlan,
    query: Mapping[str, Any],
    accumulators: Accumulators,
    fields: dict[str, int] | None,
    with_records: bool,
) -> list[dict[str, Any]]:
    """The one pipeline of a groupBy (pure: tested without a database)."""
    lookups, aliases = _lookups(obj, model, plan.dimensions)
    pipeline: list[dict[str, Any]] = [{"$match": dict(query)}, *lookups]
    key = {f"d{i}": dimension_expression(d, aliases) for i, d in enumerate(plan.dimensions)} or None
    group: dict[str, Any] = {"_id": key, **accumulators.group}
    records_helpers, records_sort = plan.records_order.sort_spec()
    keep = [SAMPLE] if with_records else []
    if with_records:
        pipeline += plan.records_order.join_stages()  # records ordered by a relation's field
        if records_helpers:
            pipeline.append({"$addFields": records_helpers})
        sample = plan.records_offset + RECORDS_PER_GROUP
        group[SAMPLE] = {"$topN": {"n": sample, "sortBy": records_sort, "output": "$_id"}}
    pipeline += [{"$group": group}, {"$project": accumulators.project(*keep)}]
    helpers, sort = _group_sort(plan)
    if helpers:
        pipeline.append({"$addFields": helpers})
    if sort:
        pipeline.append({"$sort": sort})
    pipeline.append({"$limit": plan.limit})
    if with_records:
        inner: list[dict[str, Any]] = plan.records_order.join_stages()
        if records_helpers:
            inner.append({"$addFields": records_helpers})
        inner.append({"$sort": records_sort})
        if fields is not None:
            inner.append({"$project": fields})
        pipeline.append({"$lookup": {"from": obj.collection, "localField": SAMPLE, "foreignField": "_id",
                                     "pipeline": inner, "as": RECORDS}})
        pipeline.append({"$project": {SAMPLE: 0}})
    return pipeline


def _group_output(
    plan: GroupByPlan, accumulators: Accumulators, found: Mapping[str, Any] | None, with_records: bool
) -> dict[str, Any]:
    out = outputs(accumulators, found)
    key = (found or {}).get("_id") or {}
    out["groupByDimensionValues"] = [dimension_label(d, key.get(f"d{i}"))
                                     for i, d in enumerate(plan.shown_dimensions)]
    if with_records:
        start = plan.records_offset
        docs = list((found or {}).get(RECORDS) or ())[start:start + RECORDS_PER_GROUP]
        edges = [{"cursor": encode_cursor(doc, plan.records_order), "node": to_output(doc)} for doc in docs]
        total = (found or {}).get(TOTAL_COUNT.name) or 0
        out["edges"] = edges
        out["pageInfo"] = {
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
            "hasNextPage": total > start + len(edges),
            "hasPreviousPage": start > 0,
        }
    return out


async def group_by(
    ctx: RequestContext,
    model: WorkspaceModel,
    obj: ObjectMeta,
    plan: GroupByPlan,
    filter: Mapping[str, Any] | None,
    names: frozenset[str],
    node_names: frozenset[str] | None,
) -> list[dict[str, Any]]:
    """The groups of `plan` with the aggregates among `names` (and what ordering needs), and
    a sample of records when `edges` or `pageInfo` is among them."""
    refuse_in_memory(ctx, "groupBy")
    available = aggregates_of(obj)
    wanted = {TOTAL_COUNT.name, *(n for n in names if n in available)}
    wanted.update(o.aggregate for o in plan.order if o.aggregate is not None)
    accumulators = Accumulators(available[n] for n in sorted(wanted, key=list(available).index))
    with_records = bool(names & {"edges", "pageInfo"})
    fields = None if node_names is None else projection(obj, node_names, (k.path for k in plan.records_order.keys))
    query = await read_query(ctx, model, obj, filter)
    pipeline = group_by_pipeline(model, obj, plan, query, accumulators, fields, with_records)
    found = await run_pipeline(collection(ctx, obj), pipeline, plan.limit)
    if with_records:
        ctx.charge(sum(len(g.get(RECORDS) or ()) for g in found))
    if not found and not plan.dimensions:  # no group to make: SQL's aggregate over no row, one row
        return [_group_output(plan, accumulators, None, with_records)]
    return [_group_output(plan, accumulators, g, with_records) for g in found]

