"""orderBy → sort plan: keys, directions, the id tie-breaker, find sort vs pipeline."""

from __future__ import annotations

from typing import Any

import pytest
from test_filters import MODEL, PERSON

from schema_builder.compile.ordering import ID_KEY, SortKey, SortPlan, build_sort_plan
from schema_builder.errors import BadUserInput


def plan(order_by: Any) -> SortPlan:
    assert PERSON is not None
    return build_sort_plan(MODEL, PERSON, order_by)


def test_default_order_is_id() -> None:
    assert plan(None).keys == (ID_KEY,)
    assert plan([]).find_sort() == [("_id", 1)]


def test_keys_in_order_with_id_appended() -> None:
    p = plan(
        [
            {"createdAt": "DescNullsLast"},
            {"name": {"lastName": "AscNullsFirst"}},
            {"companyId": "AscNullsFirst"},
        ]
    )
    assert p.keys == (
        SortKey("createdAt", "createdAt", False, False, "DATE_TIME"),
        SortKey("name.lastName", "name.lastName", True, True, "TEXT"),
        SortKey("companyId", "companyId", True, True, "UUID"),
        ID_KEY,
    )
    assert p.find_sort() == [("createdAt", -1), ("name.lastName", 1), ("companyId", 1), ("_id", 1)]
    assert p.find_sort(reverse=True) == [
        ("createdAt", 1),
        ("name.lastName", -1),
        ("companyId", -1),
        ("_id", -1),
    ]


def test_explicit_id_and_duplicates() -> None:
    p = plan([{"id": "DescNullsLast"}, {"id": "AscNullsFirst"}])
    assert p.keys == (SortKey("_id", "id", False, False, "UUID"),)
    p = plan({"city": "AscNullsFirst", "age": "DescNullsLast"})  # one object, several keys
    assert [k.path for k in p.keys] == ["city", "age", "_id"]
    p = plan([{"city": "AscNullsFirst"}, {"city": "DescNullsLast"}])
    assert [(k.path, k.ascending) for k in p.keys] == [("city", True), ("_id", True)]


def test_natural_null_placement_uses_find() -> None:
    assert plan([{"age": "AscNullsFirst"}]).find_sort() == [("age", 1), ("_id", 1)]
    assert plan([{"age": "DescNullsLast"}]).find_sort() == [("age", -1), ("_id", 1)]
    assert plan([{"age": "AscNullsLast"}]).find_sort() is None
    assert plan([{"age": "DescNullsFirst"}]).find_sort() is None


def test_pipeline_natural() -> None:
    assert plan([{"age": "AscNullsFirst"}]).pipeline({"city": "A"}, 10) == [
        {"$match": {"city": "A"}},
        {"$sort": {"age": 1, "_id": 1}},
        {"$limit": 10},
    ]
    assert plan(None).pipeline({}, None, skip=5) == [{"$sort": {"_id": 1}}, {"$skip": 5}]


def test_pipeline_with_null_rank_keys() -> None:
    rank = {"$cond": [{"$eq": [{"$ifNull": ["$name.lastName", None]}, None]}, 1, 0]}
    p = plan([{"name": {"lastName": "AscNullsLast"}}, {"age": "DescNullsFirst"}])
    age_rank = {"$cond": [{"$eq": [{"$ifNull": ["$age", None]}, None]}, 1, 0]}
    assert p.pipeline({}, 5, skip=2) == [
        {"$addFields": {"_dgNullRank0": rank, "_dgNullRank1": age_rank}},
        {"$sort": {"_dgNullRank0": 1, "name.lastName": 1, "_dgNullRank1": -1, "age": -1, "_id": 1}},
        {"$skip": 2},
        {"$limit": 5},
        {"$project": {"_dgNullRank0": 0, "_dgNullRank1": 0}},
    ]
    assert p.pipeline({}, 5, reverse=True) == [
        {"$addFields": {"_dgNullRank0": rank, "_dgNullRank1": age_rank}},
        {
            "$sort": {
                "_dgNullRank0": -1,
                "name.lastName": -1,
                "_dgNullRank1": 1,
                "age": 1,
                "_id": -1,
            }
        },
        {"$limit": 5},
        {"$project": {"_dgNullRank0": 0, "_dgNullRank1": 0}},
    ]


def test_reversal_keeps_null_rank_need() -> None:
    key = SortKey("age", "age", True, False, "NUMBER")
    assert key.reversed() == SortKey("age", "age", False, True, "NUMBER")
    assert not key.natural and not key.reversed().natural


@pytest.mark.parametrize(
    ("order_by", "message"),
    [
        ([{"foo": "AscNullsFirst"}], "unknown field 'foo' in orderBy of 'person'"),
        ([{"age": "Asc"}], "invalid order direction 'Asc' for 'age'"),
        ([{"age": {"x": 1}}], "invalid order direction"),
        ([{"name": "AscNullsFirst"}], "ordering by composite field 'name' needs a sub-field"),
        (
            [{"name": {"middleName": "AscNullsFirst"}}],
            "unknown sub-field 'middleName' of field 'name'",
        ),
        (  # a to-one relation's field sorts (Twenty does); a relation of that relation does not
            [{"company": {"people": {"city": "AscNullsFirst"}}}],
            "ordering by a relation of a relation is not supported",
        ),
        ([{"tags": "AscNullsFirst"}], "field 'tags' of type ARRAY cannot be ordered by"),
        (
            [{"emails": {"additionalEmails": "AscNullsFirst"}}],
            "of type RAW_JSON cannot be ordered by",
        ),
        (["age"], "orderBy of 'person' expects objects"),
    ],
)
def test_refusals(order_by: Any, message: str) -> None:
    with pytest.raises(BadUserInput) as caught:
        plan(order_by)
    assert message in caught.value.message


def test_id_order_over_visible_records_walks_the_id_index() -> None:
    by_id = plan(None)
    assert by_id.id_index_hint({"deletedAt": None}) == [("_id", 1)]
    assert by_id.id_index_hint({"deletedAt": None, "_id": {"$gt": "a"}}) == [("_id", 1)]
    assert by_id.id_index_hint({"$and": [{"deletedAt": None}, {"_id": {"$lt": "b"}}]}) == [("_id", 1)]
    assert by_id.id_index_hint({}) == [("_id", 1)]
    # a filter of its own may have a better index; another order is not the id index's
    assert by_id.id_index_hint({"deletedAt": None, "city": "Paris"}) is None
    assert by_id.id_index_hint({"$or": [{"_id": "a"}, {"city": "Paris"}]}) is None
    assert plan([{"createdAt": "AscNullsFirst"}]).id_index_hint({"deletedAt": None}) is None


def test_a_to_one_relations_field_sorts_through_a_join_in_the_page_pipeline() -> None:
    """`{company: {name: …}}` (REST `company.name[…]`): one `$lookup` of the target by `_id`
    after the filter, the joined value as a computed key (text lower-cased, as Twenty sorts
    it), a cursor's condition after the join, and every helper key dropped."""
    p = plan([{"company": {"name": "AscNullsLast"}}, {"company": {"id": "DescNullsFirst"}}])
    assert p.find_sort() is None  # only a pipeline can join
    name, company_id, last = p.keys
    assert (name.field, name.lookup, name.source, name.fold_case) == ("company.name", "_dgRel0", "name", True)
    assert (company_id.field, company_id.source, company_id.fold_case) == ("company.id", "_id", False)
    assert last == ID_KEY and len(p.lookups) == 1  # one join for both keys
    stages = p.pipeline({"city": "Paris"}, 10, after={name.path: {"$gt": "acme"}})
    kinds = [next(iter(stage)) for stage in stages]
    assert kinds[:5] == ["$match", "$lookup", "$addFields", "$project", "$match"]
    assert stages[0] == {"$match": {"city": "Paris"}} and stages[4] == {"$match": {name.path: {"$gt": "acme"}}}
    assert stages[1]["$lookup"] == {"from": "company", "localField": "companyId", "foreignField": "_id",
                                    "as": "_dgRel0"}
    assert kinds.index("$sort") > 4 and kinds[-2:] == ["$limit", "$project"]  # the null-rank helper dropped
