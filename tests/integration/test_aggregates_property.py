"""Every aggregate and every group, against the same figure computed in Python from the records.

Hypothesis makes random records of an object with a field of every type — nulls, empty
strings, empty lists and objects, composites half filled, soft-deleted records, currency
amounts past 2**53 micros — and a random filter and grouping. Each aggregate of the object's
connection, of a nested connection (per parent), and each group of a groupBy (its dimension
values, aggregates and records sample) must equal what the oracle below computes from the
stored documents. The oracle is written from Twenty's definitions, not from docgate's
pipelines: empty is null, "", [] or {} (a composite: every part that makes its value),
unique values are distinct non-empty ones, sums are exact, nothing over no record is null.

Hypothesis drives a synchronous test; the gateway runs on an event loop of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schema_builder.compile.cursors import format_datetime
from schema_builder.synthesis.aggregate_types import Aggregate, aggregates_of
from tests.integration.sync_app import SyncApp

UTC = dt.UTC
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
OPTIONS = {"stage": ("A", "B", "C"), "tags": ("X", "Y", "Z")}
FIELDS = [("score", "NUMBER"), ("active", "BOOLEAN"), ("happenedAt", "DATE_TIME"), ("day", "DATE"),
          ("stage", "SELECT"), ("tags", "MULTI_SELECT"), ("rating", "RATING"), ("price", "CURRENCY"),
          ("owner", "FULL_NAME"), ("emails", "EMAILS"), ("site", "LINKS"), ("place", "ADDRESS"),
          ("phones", "PHONES"), ("labels", "ARRAY"), ("extra", "RAW_JSON"), ("ref", "UUID")]
COMPANIES = {str(uuid.uuid4()): ("Acme", "2025-01-02T12:00:00.000Z"),  # a Thursday
             str(uuid.uuid4()): ("Globex", "2025-01-08T08:00:00.000Z")}  # a Wednesday
OMIT = object()
OBJECTS_QUERY = "{ objects(paging: {first: 100}) { edges { node { id nameSingular } } } }"


class Harness(SyncApp):
    """The app on an event loop of its own, with a workspace holding a `gadget` object."""

    async def set_up(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.token}"}
        objects = await self.post("/metadata", OBJECTS_QUERY)
        company_id = next(e["node"]["id"] for e in objects["objects"]["edges"]
                          if e["node"]["nameSingular"] == "company")
        created = await self.post(
            "/metadata", "mutation($i: CreateOneObjectInput!) { createOneObject(input: $i) { id } }",
            {"i": {"object": {"nameSingular": "gadget", "namePlural": "gadgets", "labelSingular": "Gadget",
                              "labelPlural": "Gadgets"}}})
        object_id = created["createOneObject"]["id"]
        for name, kind in FIELDS:
            field: dict[str, Any] = {"objectMetadataId": object_id, "type": kind, "name": name, "label": name}
            if name in OPTIONS:
                field["options"] = [{"value": v, "label": v, "position": i, "color": "red"}
                                    for i, v in enumerate(OPTIONS[name])]
            await self.create_field(field)
        await self.create_field({
            "objectMetadataId": object_id, "type": "RELATION", "name": "company", "label": "Company",
            "relationCreationPayload": {"type": "MANY_TO_ONE", "targetObjectMetadataId": company_id,
                                        "targetFieldLabel": "Gadgets", "targetFieldName": "gadgets"}})
        for company, (name, created_at) in COMPANIES.items():
            await self.post("/graphql", "mutation($d: CompanyCreateInput!) { createCompany(data: $d) { id } }",
                            {"d": {"id": company, "name": name, "createdAt": created_at}})
        core = await self.app.state.gateway.registry.get(self.workspace_id)
        self.object = core.model.by_singular("gadget")
        self.aggregates = aggregates_of(self.object)
        self.collection = self.db.records(self.workspace_id, self.object.collection)

    async def create_field(self, field: dict[str, Any]) -> None:
        await self.post("/metadata", "mutation($i: CreateOneFieldMetadataInput!) { createOneField(input: $i) { id } }",
                        {"i": {"field": field}})

    async def post(self, path: str, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = await self.client.post(path, json={"query": query, "variables": variables}, headers=self.headers)
        body = response.json()
        assert "errors" not in body, body
        return body["data"]


# ---- the records ----------------------------------------------------------------------------

def maybe(strategy: st.SearchStrategy[Any], *empties: Any) -> st.SearchStrategy[Any]:
    """A value, or null, or left out, or one of `empties`."""
    return st.one_of(st.just(OMIT), st.none(), *(st.just(e) for e in empties), strategy)


TEXT = st.sampled_from(["a", "b", "ab", " "])
MOMENTS = st.datetimes(dt.datetime(2023, 12, 25), dt.datetime(2026, 1, 5), timezones=st.just(UTC)).map(
    lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
RECORD = st.fixed_dictionaries({
    "name": maybe(TEXT, ""),
    "score": maybe(st.one_of(st.integers(-1000, 1000), st.integers(-10**6, 10**6).map(lambda i: i / 100))),
    "active": maybe(st.booleans()),
    "happenedAt": maybe(MOMENTS.map(lambda d: d.isoformat())),
    "day": maybe(st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)).map(dt.date.isoformat)),
    "stage": maybe(st.sampled_from(OPTIONS["stage"])),
    "tags": maybe(st.lists(st.sampled_from(OPTIONS["tags"]), max_size=2, unique=True)),
    "rating": maybe(st.sampled_from(["RATING_1", "RATING_3", "RATING_5"])),
    "price": maybe(st.fixed_dictionaries({}, optional={
        # past 2**53 too: sums must stay exact, and each figure fit a Float
        "amountMicros": st.one_of(st.none(), st.integers(-10**6, 10**6), st.integers(2**53 - 2, 10**17),
                                  st.integers(-10**17, 10**17)),
        "currencyCode": st.sampled_from([None, "", "USD", "EUR"])})),
    "owner": maybe(st.fixed_dictionaries({}, optional={"firstName": maybe(TEXT, ""), "lastName": maybe(TEXT, "")})),
    "emails": maybe(st.fixed_dictionaries({}, optional={"primaryEmail": st.sampled_from([None, "", "a@x.io"])})),
    "labels": maybe(st.lists(TEXT, max_size=2)),
    "extra": maybe(st.one_of(st.just({}), st.just([]), st.fixed_dictionaries({"n": st.integers(0, 2)}))),
    "ref": maybe(st.sampled_from(["6f1a4cb8-5bd6-4d3a-93d5-84b6e58f5bc3", "0b5d1f2e-6f6e-4a3b-9a1c-2b3c4d5e6f70"])),
    "companyId": maybe(st.sampled_from(sorted(COMPANIES))),
    "deleted": st.booleans(),
})


def clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not OMIT}
    return value


# ---- filters and groupings ------------------------------------------------------------------

def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


FILTERS: list[tuple[Any, Callable[[dict[str, Any]], bool], bool]] = [  # (filter, predicate, mentions deletedAt)
    (None, lambda d: True, False),
    ({"stage": {"eq": "A"}}, lambda d: d.get("stage") == "A", False),
    ({"score": {"gte": 0}}, lambda d: _number(d.get("score")) and d["score"] >= 0, False),
    ({"deletedAt": {"is": "NOT_NULL"}}, lambda d: d.get("deletedAt") is not None, True),
    ({"name": {"is": "NULL"}}, lambda d: d.get("name") is None, False),
    ({"and": [{"active": {"eq": True}}, {"deletedAt": {"is": "NULL"}}]},
     lambda d: d.get("active") is True and d.get("deletedAt") is None, True),
]
ZONES = ("Europe/Paris", "Asia/Tokyo", "America/Los_Angeles")
GROUPINGS: list[list[dict[str, Any]]] = [
    [{"name": True}], [{"stage": True}, {"active": True}], [{"tags": True}], [{"rating": True}],
    [{"price": {"currencyCode": True}}], [{"owner": {"lastName": True}}, {"emails": {"primaryEmail": True}}],
    *([{"happenedAt": {"granularity": g, "timeZone": z}}] for g in ("DAY", "MONTH", "QUARTER", "YEAR") for z in ZONES),
    *([{"happenedAt": {"granularity": "WEEK", "timeZone": z, "weekStartDay": s}}]
      for z in ZONES for s in ("MONDAY", "SUNDAY", "SATURDAY")),
    *([{"happenedAt": {"granularity": g}}] for g in ("DAY_OF_THE_WEEK", "MONTH_OF_THE_YEAR", "QUARTER_OF_THE_YEAR",
                                                     "NONE")),
    [{"day": {"granularity": "MONTH"}}], [{"day": {"granularity": "WEEK", "weekStartDay": "SUNDAY"}}],
    [{"day": {"granularity": "DAY_OF_THE_WEEK"}}, {"stage": True}],
    [{"company": {"name": True}}], [{"company": {"createdAt": {"granularity": "DAY_OF_THE_WEEK"}}}, {"tags": True}],
]
GROUP_AGGREGATES = ("totalCount", "sumScore", "avgPriceAmountMicros", "countEmptyName", "percentageNotEmptyPrice",
                    "maxHappenedAt", "countUniqueValuesTags", "countTrueActive")


# ---- the oracle ------------------------------------------------------------------------------

def at(doc: dict[str, Any], path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def same(value: Any) -> Any:
    """A value as MongoDB compares it: 1 and 1.0 alike, lists and documents by content."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return ("list", *(same(v) for v in value))
    if isinstance(value, dict):
        return ("doc", *((k, same(v)) for k, v in value.items()))
    return value


def expected(aggregate: Aggregate, docs: list[dict[str, Any]]) -> Any:
    n, op = len(docs), aggregate.operation
    if op == "COUNT":
        return n
    if n == 0:
        return None
    parts = [[at(d, f"{aggregate.field}.{s}") for s in aggregate.sub_fields] for d in docs]
    if aggregate.sub_fields:
        empties = [all(is_empty(p) for p in ps) for ps in parts]
    else:
        empties = [is_empty(d.get(aggregate.field)) for d in docs]
    if op in ("COUNT_EMPTY", "COUNT_NOT_EMPTY", "PERCENTAGE_EMPTY", "PERCENTAGE_NOT_EMPTY"):
        count = sum(empties) if op.endswith("_EMPTY") and "NOT" not in op else n - sum(empties)
        return count if op.startswith("COUNT") else count / n
    if op == "COUNT_UNIQUE_VALUES":
        if aggregate.sub_fields:
            values = {tuple(same(None if p == "" else p) for p in ps) for ps, e in zip(parts, empties, strict=True)
                      if not e}
        else:
            values = {same(d.get(aggregate.field)) for d, e in zip(docs, empties, strict=True) if not e}
        return len(values)
    values = [at(d, aggregate.numeric_path) for d in docs]
    if op in ("COUNT_TRUE", "COUNT_FALSE"):
        return sum(v is (op == "COUNT_TRUE") for v in values)
    present = [v for v in values if v is not None]
    if op in ("MIN", "MAX"):
        if not present:
            return None
        found = min(present) if op == "MIN" else max(present)
        if isinstance(found, dt.datetime):
            return format_datetime(found)
        return float(found) if _number(found) else found
    numbers = [Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for v in values if _number(v)]
    if not numbers:
        return None
    total = sum(numbers, Decimal(0))
    return float(total) if op == "SUM" else float(total / len(numbers))


def agrees(got: Any, want: Any, name: str) -> bool:
    if isinstance(want, float) and isinstance(got, int | float):
        exact = name.startswith("sum") or name.startswith("min") or name.startswith("max")
        return got == want if exact else math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12)
    return bool(got == want)


def period(moment: dt.datetime | dt.date, granularity: str, zone: str, week_start: str) -> Any:
    if isinstance(moment, dt.datetime):
        cyclic = granularity in ("DAY_OF_THE_WEEK", "MONTH_OF_THE_YEAR", "QUARTER_OF_THE_YEAR")
        day = moment.astimezone(UTC if cyclic else ZoneInfo(zone)).date()
    else:
        day = moment
    if granularity == "DAY_OF_THE_WEEK":
        return DAYS[day.weekday()]
    if granularity == "MONTH_OF_THE_YEAR":
        return MONTHS[day.month - 1]
    if granularity == "QUARTER_OF_THE_YEAR":
        return f"Q{(day.month - 1) // 3 + 1}"
    if granularity == "WEEK":
        first = {"MONDAY": 0, "SUNDAY": 6, "SATURDAY": 5}[week_start]
        day -= dt.timedelta(days=(day.weekday() - first) % 7)
    elif granularity == "MONTH":
        day = day.replace(day=1)
    elif granularity == "QUARTER":
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    elif granularity == "YEAR":
        day = day.replace(month=1, day=1)
    return day.isoformat()


def dimension(doc: dict[str, Any], item: dict[str, Any]) -> Any:
    [(name, definition)] = item.items()
    if name == "company":
        company = COMPANIES.get(doc.get("companyId") or "")
        [(nested, nested_definition)] = definition.items()
        if company is None:
            return None
        if nested == "name":
            return company[0]
        return period(dt.datetime.fromisoformat(company[1].replace("Z", "+00:00")),
                      nested_definition["granularity"], "UTC", "MONDAY")
    if definition is True:
        return doc.get(name)
    if "granularity" not in definition:
        [sub] = definition
        return at(doc, f"{name}.{sub}")
    value = doc.get(name)
    if value is None:
        return None
    if definition["granularity"] == "NONE":
        return format_datetime(value) if isinstance(value, dt.datetime) else value
    moment = value if isinstance(value, dt.datetime) else dt.date.fromisoformat(value)
    return period(moment, definition["granularity"], definition.get("timeZone") or "UTC",
                  definition.get("weekStartDay") or "MONDAY")


def key(values: list[Any]) -> str:
    return json.dumps([same(v) for v in values], default=str)


# ---- the checks -----------------------------------------------------------------------------

async def scenario(h: Harness, records: list[dict[str, Any]], filter_index: int, grouping: list[Any]) -> None:
    query, predicate, mentions_deleted = FILTERS[filter_index]
    await h.collection.delete_many({})
    records = [clean(r) for r in records]
    inputs = [{k: v for k, v in r.items() if k != "deleted"} for r in records]
    made = (await h.post("/graphql", "mutation($d: [GadgetCreateInput]!) { createGadgets(data: $d) { id } }",
                         {"d": inputs}))["createGadgets"] if inputs else []
    doomed = [m["id"] for m, r in zip(made, records, strict=True) if r["deleted"]]
    if doomed:
        await h.post("/graphql", "mutation($f: GadgetFilterInput!) { deleteGadgets(filter: $f) { id } }",
                     {"f": {"id": {"in": doomed}}})
    stored = await h.collection.find({}).to_list(None)
    visible = [d for d in stored if predicate(d) and (mentions_deleted or d.get("deletedAt") is None)]

    # The connection: every aggregate, in requests within the aggregate-field limit.
    names = list(h.aggregates)
    for start in range(0, len(names), 90):
        chunk = names[start:start + 90]
        fields = " ".join(chunk)
        got = (await h.post("/graphql", f"query($f: GadgetFilterInput) {{ gadgets(filter: $f) {{ {fields} }} }}",
                            {"f": query}))["gadgets"]
        for name in chunk:
            want = expected(h.aggregates[name], visible)
            assert agrees(got[name], want, name), (name, got[name], want)

    # Nested connections: each company's gadgets.
    nested = (await h.post("/graphql", "query($f: GadgetFilterInput) { companies { edges { node { id "
                           "gadgets(filter: $f) { totalCount sumPriceAmountMicros countEmptyName minDay } } } } }",
                           {"f": query}))["companies"]["edges"]
    for edge in nested:
        mine = [d for d in visible if d.get("companyId") == edge["node"]["id"]]
        for name in ("totalCount", "sumPriceAmountMicros", "countEmptyName", "minDay"):
            want = expected(h.aggregates[name], mine)
            assert agrees(edge["node"]["gadgets"][name], want, name), (name, edge, want)

    # groupBy: every group, its aggregates and its first records (by id).
    groups = (await h.post("/graphql", "query($g: [GadgetGroupByInput]!, $f: GadgetFilterInput) { "
                           f"gadgetsGroupBy(groupBy: $g, filter: $f, limit: 1000) {{ groupByDimensionValues "
                           f"{' '.join(GROUP_AGGREGATES)} edges {{ node {{ id }} }} }} }}",
                           {"g": grouping, "f": query}))["gadgetsGroupBy"]
    oracle: dict[str, list[dict[str, Any]]] = {}
    for doc in visible:
        oracle.setdefault(key([dimension(doc, item) for item in grouping]), []).append(doc)
    assert sorted(key(g["groupByDimensionValues"]) for g in groups) == sorted(oracle), (groups, list(oracle))
    for group in groups:
        members = oracle[key(group["groupByDimensionValues"])]
        for name in GROUP_AGGREGATES:
            want = expected(h.aggregates[name], members)
            assert agrees(group[name], want, name), (name, group, want)
        assert [e["node"]["id"] for e in group["edges"]] == sorted(d["_id"] for d in members)[:10]

    # Groups ordered by an aggregate, then limited: the largest groups first.
    top = (await h.post("/graphql", "query($g: [GadgetGroupByInput]!, $f: GadgetFilterInput) { gadgetsGroupBy("
                        "groupBy: $g, filter: $f, limit: 2, orderBy: [{aggregate: {totalCount: DescNullsLast}}]) "
                        "{ totalCount } }", {"g": grouping, "f": query}))["gadgetsGroupBy"]
    sizes = sorted((len(m) for m in oracle.values()), reverse=True)
    assert [g["totalCount"] for g in top] == sizes[:2]


def test_aggregates_and_groups_equal_what_python_computes_from_the_records(mongo_uri: str, db_prefix: str) -> None:
    harness = Harness(mongo_uri, db_prefix + "p")
    try:
        @settings(max_examples=100, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(records=st.lists(RECORD, max_size=18), filter_index=st.integers(0, len(FILTERS) - 1),
               grouping=st.sampled_from(GROUPINGS))
        def check(records: list[dict[str, Any]], filter_index: int, grouping: list[Any]) -> None:
            harness.run(scenario(harness, records, filter_index, grouping))

        check()
    finally:
        harness.close()
