"""Filters, ordering and cursors run against the real daemon: the records they select."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from test_filters import MODEL, PERSON

from schema_builder.compile.cursors import after_condition, decode_cursor, encode_cursor, value_at
from schema_builder.compile.filters import all_of, resolve_relation_filters, visible_filter
from schema_builder.compile.ordering import DIRECTIONS, SortPlan, build_sort_plan
from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import ObjectMeta

pytestmark = pytest.mark.asyncio(loop_scope="session")
Doc = dict[str, Any]
T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def at(hours: int) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def person(id: str, **fields: Any) -> Doc:
    fields.setdefault("createdAt", at(int(id[1:])))
    fields.setdefault("deletedAt", None)
    return {"_id": id, **fields}


PEOPLE = [
    person(
        "p01",
        name={"firstName": "Ada", "lastName": "Lovelace"},
        city="Paris",
        age=36,
        tags=["VIP", "math"],
        stage="CUSTOMER",
        labels=["LEAD", "CUSTOMER"],
        isVip=True,
        birthday=dt.datetime(1815, 12, 10, tzinfo=dt.UTC),
        joinedOn="2024-01-15",
        companyId="acme",
        emails={"primaryEmail": "ada@example.com", "additionalEmails": None},
    ),
    person(
        "p02",
        name={"firstName": "Alan", "lastName": "Turing"},
        city="London",
        age=41,
        tags=["math"],
        stage="LEAD",
        labels=[],
        isVip=False,
        joinedOn="2023-06-01",
        birthday=dt.datetime(1912, 6, 23, tzinfo=dt.UTC),
        companyId="globex",
    ),
    person(
        "p03",
        name={"firstName": "Grace", "lastName": "Hopper"},
        city=None,
        age=36,
        tags=[],
        stage=None,
        labels=["CHURNED"],
        companyId=None,
        createdAt=at(2),
    ),
    person("p04", name={"firstName": "Weird"}, city="a.*+?()[]$^\\b", age=None, companyId="gone"),
    person(
        "p05",
        name={"firstName": "Linus", "lastName": "Torvalds"},
        city="PARIS",
        age=50,
        createdAt=None,
        stage="ARCHIVED",  # an option since removed: after every option, and never in a range
    ),
    person(
        "p06",
        name={"firstName": "ada", "lastName": "Lovelace"},
        city="Par",
        age=36,
        companyId="globex",
        isVip=None,
    ),
    person("p07", name={"firstName": "Ghost"}, city="Paris", age=99, deletedAt=at(50)),
    person("p08", city="aXb", age=20),
    person(
        "p09",
        name={"firstName": "Zed", "lastName": "Lovelace"},
        city="Oslo",
        age=20.5,
        createdAt=at(1),
    ),
]
COMPANIES: list[Doc] = [
    {"_id": "acme", "name": "Acme Corp", "deletedAt": None},
    {"_id": "globex", "name": "Globex", "deletedAt": None},
    {"_id": "gone", "name": "Acme Old", "deletedAt": at(10)},
]
ALL_VISIBLE = {p["_id"] for p in PEOPLE} - {"p07"}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def db(mongo_uri: str, db_prefix: str) -> AsyncIterator[AsyncDatabase[Doc]]:
    client: AsyncMongoClient[Doc] = AsyncMongoClient(mongo_uri)
    database = client[f"{db_prefix}_sem"]
    await database["person"].insert_many([dict(p) for p in PEOPLE])
    await database["company"].insert_many([dict(c) for c in COMPANIES])
    yield database
    await client.drop_database(database.name)
    await client.close()


async def matching(db: AsyncDatabase[Doc], filter: dict[str, Any] | None) -> set[str]:
    """The ids a read with this Twenty filter returns."""
    assert PERSON is not None

    async def find_ids(target: ObjectMeta, query: Doc) -> list[str]:
        return [d["_id"] async for d in db[target.name_singular].find(query, {"_id": 1})]

    query = await resolve_relation_filters(visible_filter(MODEL, PERSON, filter), find_ids)
    return {d["_id"] async for d in db["person"].find(query, {"_id": 1})}


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"city": {"eq": "Paris"}}, {"p01"}),
        ({"city": {"neq": "Paris"}}, {"p02", "p04", "p05", "p06", "p08", "p09"}),
        ({"city": {"in": ["Paris", "Oslo"]}}, {"p01", "p09"}),
        ({"city": {"is": "NULL"}}, {"p03"}),
        ({"city": {"is": "NOT_NULL"}}, ALL_VISIBLE - {"p03"}),
        ({"city": {"like": "Par%"}}, {"p01", "p06"}),
        ({"city": {"ilike": "par%"}}, {"p01", "p05", "p06"}),
        ({"city": {"ilike": "%R%"}}, {"p01", "p05", "p06"}),
        ({"city": {"like": "a.*+?()[]$^\\b"}}, {"p04"}),
        ({"city": {"like": "a.%"}}, {"p04"}),
        ({"city": {"like": "a_b"}}, set()),
        ({"city": {"ilike": "%$^\\%"}}, {"p04"}),
        ({"city": {"like": ".*"}}, set()),
        ({"city": {"startsWith": "Pa"}}, {"p01", "p06"}),
        ({"city": {"endsWith": "is"}}, {"p01"}),
        ({"city": {"gt": "Paris"}}, {"p04", "p08"}),
        ({"age": {"gt": 36}}, {"p02", "p05"}),
        ({"age": {"gte": 36}}, {"p01", "p02", "p03", "p05", "p06"}),
        ({"age": {"lt": 36}}, {"p08", "p09"}),
        ({"age": {"lte": 20.5}}, {"p08", "p09"}),
        ({"age": {"eq": 36}}, {"p01", "p03", "p06"}),
        ({"age": {"neq": 36}}, {"p02", "p05", "p08", "p09"}),
        ({"age": {"in": [20, 50]}}, {"p05", "p08"}),
        ({"age": {"is": "NULL"}}, {"p04"}),
        ({"isVip": {"eq": True}}, {"p01"}),
        ({"isVip": {"eq": False}}, {"p02"}),
        ({"isVip": {"is": "NULL"}}, ALL_VISIBLE - {"p01", "p02"}),
        ({"stage": {"eq": "LEAD"}}, {"p02"}),
        ({"stage": {"neq": "LEAD"}}, {"p01", "p05"}),
        ({"stage": {"gt": "LEAD"}}, {"p01"}),  # in the options' order: LEAD, CUSTOMER, CHURNED
        ({"stage": {"lt": "CHURNED"}}, {"p01", "p02"}),
        ({"stage": {"gte": "CHURNED"}}, set()),
        ({"labels": {"containsAny": ["CHURNED", "CUSTOMER"]}}, {"p01", "p03"}),
        ({"labels": {"eq": ["CUSTOMER", "LEAD"]}}, {"p01"}),
        ({"labels": {"isEmptyArray": True}}, {"p02"}),
        ({"labels": {"isEmptyArray": False}}, {"p01", "p03"}),
        ({"tags": {"containsIlike": "%vi%"}}, {"p01"}),
        ({"tags": {"containsIlike": "MATH"}}, {"p01", "p02"}),
        ({"tags": {"isEmptyArray": True}}, {"p03"}),
        ({"tags": {"is": "NULL"}}, ALL_VISIBLE - {"p01", "p02", "p03"}),
        ({"birthday": {"gt": dt.datetime(1900, 1, 1, tzinfo=dt.UTC)}}, {"p02"}),
        ({"birthday": {"lt": dt.datetime(1900, 1, 1)}}, {"p01"}),
        ({"joinedOn": {"gte": "2024-01-01"}}, {"p01"}),
        ({"createdAt": {"is": "NULL"}}, {"p05"}),
        ({"createdAt": {"lte": at(2)}}, {"p01", "p02", "p03", "p09"}),
        ({"id": {"in": ["p01", "p07", "zz"]}}, {"p01"}),
        ({"companyId": {"eq": "globex"}}, {"p02", "p06"}),
        ({"companyId": {"is": "NULL"}}, ALL_VISIBLE - {"p01", "p02", "p04", "p06"}),
        ({"name": {"firstName": {"ilike": "a%"}}}, {"p01", "p02", "p06"}),
        ({"name": {"firstName": {"eq": "Ada"}, "lastName": {"eq": "Lovelace"}}}, {"p01"}),
        ({"name": {"lastName": {"is": "NULL"}}}, {"p04", "p08"}),
        ({"emails": {"primaryEmail": {"ilike": "%@EXAMPLE.com"}}}, {"p01"}),
        ({"or": [{"age": {"lt": 21}}, {"city": {"eq": "London"}}]}, {"p02", "p08", "p09"}),
        (
            {"and": [{"age": {"gte": 36}}, {"age": {"lte": 41}}], "city": {"like": "%a%"}},
            {"p01", "p06"},
        ),
        ({"not": {"age": {"gt": 36}}}, {"p01", "p03", "p06", "p08", "p09"}),
        ({"not": {"city": {"ilike": "par%"}}}, {"p02", "p04", "p08", "p09"}),
        ({"not": {"city": {"is": "NULL"}}}, ALL_VISIBLE - {"p03"}),
        ({"not": {"or": [{"age": {"eq": 36}}, {"city": {"eq": "Oslo"}}]}}, {"p02", "p05", "p08"}),
        ({"not": {"not": {"age": {"eq": 20}}}}, {"p08"}),
        ({"not": {}}, set()),
        # soft-deleted records appear only when deletedAt is filtered on
        ({"deletedAt": {"is": "NOT_NULL"}}, {"p07"}),
        ({"or": [{"deletedAt": {"is": "NOT_NULL"}}, {"age": {"eq": 20}}]}, {"p07", "p08"}),
        ({"not": {"deletedAt": {"is": "NULL"}}}, {"p07"}),
        ({"city": {"eq": "Paris"}, "deletedAt": {"gte": T0}}, {"p07"}),
        # relation filters: the hidden (soft-deleted) company `gone` never matches
        ({"company": {"name": {"ilike": "%acme%"}}}, {"p01"}),
        ({"company": {"name": {"ilike": "%acme%"}, "deletedAt": {"is": "NOT_NULL"}}}, {"p04"}),
        ({"not": {"company": {"name": {"eq": "Globex"}}}}, {"p01"}),
        (
            {"or": [{"company": {"name": {"eq": "Globex"}}}, {"age": {"eq": 50}}]},
            {"p02", "p05", "p06"},
        ),
    ],
)
async def test_filter_selects(db: AsyncDatabase[Doc], filter: Doc, expected: set[str]) -> None:
    assert await matching(db, filter) == expected


async def test_no_filter_hides_soft_deleted(db: AsyncDatabase[Doc]) -> None:
    assert await matching(db, None) == ALL_VISIBLE


@pytest.mark.parametrize(
    "filter",
    [
        {"city": {"eq": {"$ne": 1}}},
        {"age": {"gt": {"$ne": 1}}},
        {"city": {"in": [{"$ne": None}]}},
        {"city": {"like": {"$regex": ".*"}}},
        {"$where": "true"},
        {"city": {"$ne": "x"}},
        {"city": {"regex": ".*"}},
    ],
)
async def test_operator_injection_is_refused(db: AsyncDatabase[Doc], filter: Doc) -> None:
    with pytest.raises(BadUserInput):
        await matching(db, filter)


# ---- ordering and paging ----


def expected_order(docs: list[Doc], plan: SortPlan) -> list[str]:
    """The order `plan` describes, computed in Python (nulls and missing alike)."""

    def compare(a: Doc, b: Doc) -> int:
        for key in plan.keys:
            va, vb = value_at(a, key.path), value_at(b, key.path)
            if va is None or vb is None:
                if va is None and vb is None:
                    continue
                return (-1 if va is None else 1) * (1 if key.nulls_first else -1)
            if key.order is not None:  # an enum: its options' order, values no longer among them last
                va, vb = (key.order.index(va) if va in key.order else len(key.order), va), (
                    key.order.index(vb) if vb in key.order else len(key.order), vb)
            if va != vb:
                return (-1 if va < vb else 1) * (1 if key.ascending else -1)
        return 0

    return [d["_id"] for d in sorted(docs, key=functools.cmp_to_key(compare))]


def person_plan(order_by: list[Doc]) -> SortPlan:
    assert PERSON is not None
    return build_sort_plan(MODEL, PERSON, order_by)


ORDERS = (
    [[{"age": d}] for d in DIRECTIONS]
    + [
        [{"name": {"lastName": d}}, {"createdAt": e}]
        for d, e in zip(DIRECTIONS, reversed(list(DIRECTIONS)), strict=True)
    ]
    + [[{"isVip": "DescNullsFirst"}, {"city": "AscNullsLast"}]]
    + [[{"stage": d}] for d in DIRECTIONS]
)


async def run(col: AsyncCollection[Doc], pipeline: list[Doc]) -> list[Doc]:
    return await (await col.aggregate(pipeline)).to_list()


@pytest.mark.parametrize("direction", list(DIRECTIONS))
async def test_each_direction_places_nulls(db: AsyncDatabase[Doc], direction: str) -> None:
    plan = person_plan([{"age": direction}])
    rows = await run(db["person"], plan.pipeline({"deletedAt": None}, None))
    ages = [r.get("age") for r in rows]
    nulls_first = direction.endswith("NullsFirst")
    assert (ages[0] is None) == nulls_first and (ages[-1] is None) != nulls_first
    values = [a for a in ages if a is not None]
    assert values == sorted(values, reverse=direction.startswith("Desc"))
    assert ages.count(None) == 1 and len(rows) == len(ALL_VISIBLE)


@pytest.mark.parametrize("order_by", ORDERS)
async def test_pipeline_and_find_agree_with_the_plan(
    db: AsyncDatabase[Doc], order_by: list[Doc]
) -> None:
    plan = person_plan(order_by)
    visible = [p for p in PEOPLE if p["_id"] in ALL_VISIBLE]
    expected = expected_order(visible, plan)
    rows = await run(db["person"], plan.pipeline({"deletedAt": None}, None))
    assert [r["_id"] for r in rows] == expected
    assert not any(k.startswith("_dg") for r in rows for k in r)
    backward = await run(db["person"], plan.pipeline({"deletedAt": None}, 4, reverse=True))
    assert [r["_id"] for r in backward] == expected[::-1][:4]
    skipped = await run(db["person"], plan.pipeline({"deletedAt": None}, 3, skip=2))
    assert [r["_id"] for r in skipped] == expected[2:5]
    if (spec := plan.find_sort()) is not None:
        assert [
            d["_id"] async for d in db["person"].find({"deletedAt": None}).sort(spec)
        ] == expected


async def fetch_page(
    col: AsyncCollection[Doc], plan: SortPlan, size: int, cursor: str | None, backward: bool
) -> list[Doc]:
    """One page as a resolver builds it: filter AND cursor condition, then the plan."""
    match: Doc = {"deletedAt": None}
    if cursor is not None:
        match = all_of(match, after_condition(plan, decode_cursor(cursor, plan), reverse=backward))
    rows = await run(col, plan.pipeline(match, size, reverse=backward))
    return rows[::-1] if backward else rows


async def page_through(
    col: AsyncCollection[Doc], plan: SortPlan, size: int, backward: bool, insert_between: bool
) -> list[str]:
    seen: list[str] = []
    cursor: str | None = None
    extra = 0
    while True:
        rows = await fetch_page(col, plan, size, cursor, backward)
        if not rows:
            return seen
        page = [r["_id"] for r in rows]
        seen = page + seen if backward else seen + page
        cursor = encode_cursor(rows[0] if backward else rows[-1], plan)
        if insert_between and extra < 12:  # new records before, after and among the others
            for fields in (
                {"age": 0, "city": "A"},
                {"age": None},
                {"age": 36, "city": "Zz"},
                {"age": 1000, "name": {"lastName": "Lovelace"}},
                {"stage": "CHURNED"},
                {"stage": "ZOMBIE"},
            ):
                extra += 1
                await col.insert_one(person(f"n{extra:02d}", **fields))


@pytest.mark.parametrize("order_by", ORDERS)
@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize("backward", [False, True], ids=["forward", "backward"])
@pytest.mark.parametrize("insert_between", [False, True], ids=["static", "inserts"])
async def test_paging_visits_every_record_once_in_order(
    db: AsyncDatabase[Doc], order_by: list[Doc], size: int, backward: bool, insert_between: bool
) -> None:
    col = db[f"paging_{uuid.uuid4().hex}"]
    await col.insert_many([dict(p) for p in PEOPLE])
    plan = person_plan(order_by)
    expected = expected_order([p for p in PEOPLE if p["_id"] in ALL_VISIBLE], plan)
    seen = await page_through(col, plan, size, backward, insert_between)
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i.startswith("p")] == expected
    if not insert_between:
        assert seen == expected
    stored = {d["_id"]: d async for d in col.find()}
    assert seen == expected_order([stored[i] for i in seen], plan)  # new ones in place too
    await col.drop()
