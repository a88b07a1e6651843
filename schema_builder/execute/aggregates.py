"""Aggregate fields computed in MongoDB: one `$group` whatever how many are asked.

Only the aggregates a query selects are computed; those sharing a figure share its
accumulator (`countEmptyX`, `countNotEmptyX` and both percentages of X need one count).
Each is finished inside the pipeline (so groups can be sorted by it) as Twenty's SQL
computes it (`process-aggregate.helper.ts`):

- a value is *empty* when it is null, missing, `""`, `[]` or `{}`; a composite's when every
  part that makes its value is (a currency's amount and code, a name's first and last…);
- `countUniqueValues` counts distinct non-empty values (a composite's by its parts);
- `sum`/`avg` add exact decimals (Decimal128): integer micros of money never drift through
  floating point; both are null when no value is a number, as `min`/`max` are;
- over no record at all, `totalCount` is 0 and every other aggregate null.

The answer is one database command: the connection's count command grown into a pipeline,
or, for nested connections, one pipeline grouped by parent for all parents of a level.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bson import Decimal128

from schema_builder.compile.cursors import format_datetime
from schema_builder.context import RequestContext
from schema_builder.errors import BadUserInput
from schema_builder.synthesis import aggregate_types as at
from schema_builder.synthesis.aggregate_types import Aggregate

TOTAL = "_n"  # the accumulator of every group's record count
EMPTY_VALUES: list[Any] = [None, "", [], {}]


def is_empty(path: str) -> dict[str, Any]:
    """Whether the stored value at `path` is empty (null, missing, "", [] or {})."""
    return {"$in": [{"$ifNull": [f"${path}", None]}, EMPTY_VALUES]}


def _part(path: str) -> dict[str, Any]:
    """A part of a composite's value, "" and missing read as null (Twenty concatenates them)."""
    value = {"$ifNull": [f"${path}", None]}
    return {"$cond": [{"$eq": [value, ""]}, None, value]}


class Accumulators:
    """The `$group` accumulators and the finishing expressions of some aggregates."""

    def __init__(self, aggregates: Iterable[Aggregate]) -> None:
        self.group: dict[str, Any] = {TOTAL: {"$sum": 1}}
        self.finish: dict[str, Any] = {}
        self.kinds: dict[str, Aggregate] = {}
        self._keys: dict[tuple[str, str], str] = {}
        for aggregate in aggregates:
            self.kinds[aggregate.name] = aggregate
            self.finish[aggregate.name] = self._finished(aggregate)

    def _key(self, kind: str, path: str, accumulator: dict[str, Any]) -> str:
        key = self._keys.get((kind, path))
        if key is None:
            key = self._keys[(kind, path)] = f"_a{len(self._keys)}"
            self.group[key] = accumulator
        return f"${key}"

    def _empties(self, a: Aggregate) -> str:
        paths = [f"{a.field}.{sub}" for sub in a.sub_fields] or [a.field]
        empty = is_empty(paths[0]) if len(paths) == 1 else {"$and": [is_empty(p) for p in paths]}
        return self._key("empty", a.field, {"$sum": {"$cond": [empty, 1, 0]}})

    def _finished(self, a: Aggregate) -> Any:
        op, total = a.operation, f"${TOTAL}"
        if op == at.COUNT:
            return total
        if op in (at.COUNT_EMPTY, at.COUNT_NOT_EMPTY, at.PERCENT_EMPTY, at.PERCENT_NOT_EMPTY):
            empties = self._empties(a)
            count = empties if op in (at.COUNT_EMPTY, at.PERCENT_EMPTY) else {"$subtract": [total, empties]}
            return count if op in (at.COUNT_EMPTY, at.COUNT_NOT_EMPTY) else {"$divide": [count, total]}
        if op == at.COUNT_UNIQUE:
            if a.sub_fields:
                value: Any = {sub: _part(f"{a.field}.{sub}") for sub in a.sub_fields}
                empty = {"$and": [is_empty(f"{a.field}.{sub}") for sub in a.sub_fields]}
            else:
                value, empty = f"${a.field}", is_empty(a.field)
            values = self._key("unique", a.field, {"$addToSet": {"$cond": [empty, "$$REMOVE", value]}})
            return {"$size": values}
        if op in (at.COUNT_TRUE, at.COUNT_FALSE):
            flag = op == at.COUNT_TRUE
            return self._key(op, a.numeric_path, {"$sum": {"$cond": [{"$eq": [f"${a.numeric_path}", flag]}, 1, 0]}})
        if op in (at.MIN, at.MAX):
            return self._key(op, a.numeric_path, {f"${op.lower()}": f"${a.numeric_path}"})
        numbers = self._key("numbers", a.numeric_path, {"$sum": {"$cond": [{"$isNumber": f"${a.numeric_path}"}, 1, 0]}})
        exact = {"$convert": {"input": f"${a.numeric_path}", "to": "decimal", "onError": None, "onNull": None}}
        total_value = self._key("sum", a.numeric_path, {"$sum": exact})
        result = total_value if op == at.SUM else {"$divide": [total_value, numbers]}
        return {"$cond": [{"$gt": [numbers, 0]}, result, None]}

    def project(self, *keep: str) -> dict[str, Any]:
        """The `$project` that finishes the aggregates (and keeps `keep` as they are)."""
        return {**dict.fromkeys(keep, 1), **self.finish}


def output_value(aggregate: Aggregate, value: Any) -> Any:
    """An aggregate's value as its GraphQL type serialises it: an exact decimal, or an integer
    past 2**53 (micros of money), becomes the nearest float, as a Float must be."""
    if isinstance(value, Decimal128):
        return float(value.to_decimal())
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if aggregate.graphql_type == "Float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def no_records(aggregates: Iterable[Aggregate]) -> dict[str, Any]:
    """The aggregates over no record at all: totalCount 0, the others null (as in Twenty)."""
    return {a.name: 0 if a.operation == at.COUNT else None for a in aggregates}


def outputs(accumulators: Accumulators, found: Mapping[str, Any] | None) -> dict[str, Any]:
    """The aggregate fields of one connection or group."""
    if found is None:
        return no_records(accumulators.kinds.values())
    return {name: output_value(kind, found.get(name)) for name, kind in accumulators.kinds.items()}


def refuse_in_memory(ctx: RequestContext, what: str) -> None:
    if ctx.db.in_memory:
        raise BadUserInput(
            f"{what} needs a MongoDB server: the in-memory backend (MONGODB_URI=memory://) lacks the aggregation "
            "operators it runs on; use the embedded store or a MongoDB server"
        )


def _check_backend(ctx: RequestContext, aggregates: Sequence[Aggregate]) -> None:
    """totalCount alone runs on the in-memory backend too; the others need a real server."""
    others = [a.name for a in aggregates if a.operation != at.COUNT]
    if others:
        refuse_in_memory(ctx, f"The aggregate field {others[0]}")


async def run_pipeline(coll: Any, pipeline: list[dict[str, Any]], expected: int) -> list[dict[str, Any]]:
    """The pipeline's results, `expected` of them at most, in one batch."""
    cursor = coll.aggregate(pipeline, batchSize=expected + 1)
    if inspect.isawaitable(cursor):  # PyMongo's async API; the in-memory backend returns it directly
        cursor = await cursor
    found: list[dict[str, Any]] = await cursor.to_list(None)
    return found


async def connection_aggregates(
    ctx: RequestContext, coll: Any, query: Mapping[str, Any], aggregates: Sequence[Aggregate]
) -> dict[str, Any]:
    """The aggregates of one connection: one command."""
    _check_backend(ctx, aggregates)
    accumulators = Accumulators(aggregates)
    pipeline = [{"$match": dict(query)}, {"$group": {"_id": None, **accumulators.group}},
                {"$project": accumulators.project()}]
    found = await run_pipeline(coll, pipeline, 1)
    return outputs(accumulators, found[0] if found else None)


async def nested_aggregates(
    ctx: RequestContext, coll: Any, query: Mapping[str, Any], join: str, aggregates: Sequence[Aggregate],
    parents: int,
) -> dict[Any, dict[str, Any]]:
    """The aggregates of every parent's nested connection, by parent id: one command."""
    _check_backend(ctx, aggregates)
    accumulators = Accumulators(aggregates)
    pipeline = [{"$match": dict(query)}, {"$group": {"_id": f"${join}", **accumulators.group}},
                {"$project": accumulators.project()}]
    return {group["_id"]: outputs(accumulators, group) for group in await run_pipeline(coll, pipeline, parents)}
