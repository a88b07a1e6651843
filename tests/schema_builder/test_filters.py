"""Filter translation: each Twenty operator → the exact MongoDB query, and the refusals."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from schema_builder.compile.filters import (
    NOTHING,
    RelationFilter,
    constrains,
    like_regex,
    mentions_deleted_at,
    resolve_relation_filters,
    translate_filter,
    visible_filter,
)
from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import FieldMeta, ObjectMeta, Option, WorkspaceModel

PERSON_ID = "00000000-0000-4000-8000-000000000001"
COMPANY_ID = "00000000-0000-4000-8000-000000000002"


def _system(object_name: str) -> tuple[FieldMeta, ...]:
    return tuple(
        FieldMeta(id=f"{object_name}-{name}", name=name, type=type_, is_system=True)
        for name, type_ in (
            ("id", "UUID"),
            ("createdAt", "DATE_TIME"),
            ("updatedAt", "DATE_TIME"),
            ("deletedAt", "DATE_TIME"),
            ("position", "POSITION"),
            ("createdBy", "ACTOR"),
        )
    )


def build_model() -> WorkspaceModel:
    """person → company (many-to-one) and company → people (one-to-many), by hand."""
    stage_options = tuple(
        Option(v, v.title(), i) for i, v in enumerate(("LEAD", "CUSTOMER", "CHURNED"))
    )
    person = ObjectMeta(
        id=PERSON_ID,
        name_singular="person",
        name_plural="people",
        fields=_system("person")
        + (
            FieldMeta(id="p-name", name="name", type="FULL_NAME"),
            FieldMeta(id="p-emails", name="emails", type="EMAILS"),
            FieldMeta(id="p-city", name="city", type="TEXT"),
            FieldMeta(id="p-age", name="age", type="NUMBER"),
            FieldMeta(id="p-tags", name="tags", type="ARRAY"),
            FieldMeta(id="p-stage", name="stage", type="SELECT", options=stage_options),
            FieldMeta(id="p-labels", name="labels", type="MULTI_SELECT", options=stage_options),
            FieldMeta(id="p-vip", name="isVip", type="BOOLEAN"),
            FieldMeta(id="p-birthday", name="birthday", type="DATE_TIME"),
            FieldMeta(id="p-joined", name="joinedOn", type="DATE"),
            FieldMeta(id="p-data", name="data", type="RAW_JSON"),
            FieldMeta(id="p-bio", name="bio", type="RICH_TEXT"),
            FieldMeta(id="p-amount", name="salary", type="CURRENCY"),
            FieldMeta(
                id="p-company",
                name="company",
                type="RELATION",
                settings={"relationType": "MANY_TO_ONE"},
                target_object_id=COMPANY_ID,
                target_field_id="c-people",
            ),
        ),
    )
    company = ObjectMeta(
        id=COMPANY_ID,
        name_singular="company",
        name_plural="companies",
        fields=_system("company")
        + (
            FieldMeta(id="c-name", name="name", type="TEXT"),
            FieldMeta(
                id="c-people",
                name="people",
                type="RELATION",
                settings={"relationType": "ONE_TO_MANY"},
                target_object_id=PERSON_ID,
                target_field_id="p-company",
            ),
        ),
    )
    return WorkspaceModel(workspace_id="ws", version=1, objects=(company, person))


MODEL = build_model()
PERSON = MODEL.by_singular("person")
COMPANY = MODEL.by_singular("company")
assert PERSON is not None and COMPANY is not None


def q(filter: dict[str, Any] | None) -> dict[str, Any]:
    assert PERSON is not None
    return translate_filter(MODEL, PERSON, filter)


def refused(filter: dict[str, Any]) -> str:
    with pytest.raises(BadUserInput) as caught:
        q(filter)
    return caught.value.message


def test_no_filter_matches_everything() -> None:
    assert q(None) == {}
    assert q({}) == {}


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"city": {"eq": "Paris"}}, {"city": "Paris"}),
        ({"city": {"neq": "Paris"}}, {"city": {"$nin": ["Paris", None]}}),
        ({"city": {"in": ["Paris", "Oslo"]}}, {"city": {"$in": ["Paris", "Oslo"]}}),
        ({"city": {"is": "NULL"}}, {"city": None}),
        ({"city": {"is": "NOT_NULL"}}, {"city": {"$ne": None}}),
        ({"city": {"gte": "M"}}, {"city": {"$gte": "M"}}),
        ({"age": {"gt": 30}}, {"age": {"$gt": 30}}),
        ({"age": {"lte": 2.5}}, {"age": {"$lte": 2.5}}),
        ({"age": {"lt": "40"}}, {"age": {"$lt": 40}}),
        ({"position": {"gt": 1}}, {"position": {"$gt": 1}}),
        ({"isVip": {"eq": True}}, {"isVip": True}),
        ({"stage": {"in": ["LEAD"]}}, {"stage": {"$in": ["LEAD"]}}),
        # SELECT values compare in the order of their options (LEAD, CUSTOMER, CHURNED), as Twenty's enums
        ({"stage": {"gt": "LEAD"}}, {"stage": {"$in": ["CUSTOMER", "CHURNED"]}}),
        ({"stage": {"lte": "CUSTOMER"}}, {"stage": {"$in": ["LEAD", "CUSTOMER"]}}),
        ({"stage": {"gt": "CHURNED"}}, {"stage": {"$in": []}}),
        ({"stage": {"containsAny": ["LEAD"]}}, {"stage": {"$in": ["LEAD"]}}),
        ({"id": {"eq": "abc"}}, {"_id": "abc"}),
        ({"companyId": {"in": ["c1"]}}, {"companyId": {"$in": ["c1"]}}),
        ({"companyId": {"is": "NULL"}}, {"companyId": None}),
        ({"name": {"firstName": {"eq": "Ada"}}}, {"name.firstName": "Ada"}),
        ({"salary": {"amountMicros": {"gt": 5}}}, {"salary.amountMicros": {"$gt": 5}}),
        ({"createdBy": {"source": {"eq": "API"}}}, {"createdBy.source": "API"}),
        ({"joinedOn": {"gte": "2024-01-31"}}, {"joinedOn": {"$gte": "2024-01-31"}}),
        ({"joinedOn": {"lt": dt.date(2024, 2, 1)}}, {"joinedOn": {"$lt": "2024-02-01"}}),
        ({"tags": {"isEmptyArray": True}}, {"tags": {"$size": 0}}),
        ({"tags": {"isEmptyArray": False}}, {"tags.0": {"$exists": True}}),
        (
            {"labels": {"containsAny": ["LEAD", "CHURNED"]}},
            {"labels": {"$in": ["LEAD", "CHURNED"]}},
        ),
        (
            {"labels": {"eq": ["LEAD", "CHURNED"]}},
            {"labels": {"$all": ["LEAD", "CHURNED"], "$size": 2}},
        ),
        ({"labels": {"eq": []}}, {"labels": {"$size": 0}}),
        ({"data": {"is": "NULL"}}, {"data": None}),
    ],
)
def test_operators(filter: dict[str, Any], expected: dict[str, Any]) -> None:
    assert q(filter) == expected


def test_date_times_become_aware_utc() -> None:
    paris = dt.timezone(dt.timedelta(hours=1))
    expected = dt.datetime(2024, 1, 1, 11, 0, tzinfo=dt.UTC)
    assert q({"birthday": {"gt": dt.datetime(2024, 1, 1, 12, 0, tzinfo=paris)}}) == {
        "birthday": {"$gt": expected}
    }
    assert q({"birthday": {"gt": dt.datetime(2024, 1, 1, 11, 0)}}) == {
        "birthday": {"$gt": expected}
    }
    assert q({"birthday": {"gt": "2024-01-01T11:00:00Z"}}) == {"birthday": {"$gt": expected}}


def test_pattern_operators() -> None:
    anything, first = "[\\s\\S]*", "(?>[\\s\\S]*?{})"  # a middle piece: its first fit, never tried again
    assert q({"city": {"like": "Par%"}}) == {"city": {"$regex": f"^Par{anything}$"}}
    assert q({"city": {"ilike": "%ar%"}}) == {
        "city": {"$regex": f"^{first.format('ar')}{anything}$", "$options": "i"}
    }
    assert q({"city": {"startsWith": "Pa"}}) == {"city": {"$regex": f"^Pa{anything}$"}}
    assert q({"city": {"endsWith": "is"}}) == {"city": {"$regex": f"^{anything}is$"}}
    assert q({"tags": {"containsIlike": "%vip%"}}) == {
        "tags": {"$elemMatch": {"$regex": f"^{first.format('vip')}{anything}$", "$options": "i"}}
    }
    assert q({"bio": {"markdown": {"ilike": "%x%"}}}) == {
        "bio.markdown": {"$regex": f"^{first.format('x')}{anything}$", "$options": "i"}
    }


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        ("%a%a%a%b", ["aaab", "xaxaxab", "a a a b"], ["aab", "aaa", "aaaba"]),
        ("%ab%b", ["abb", "xabyb"], ["ab", "bab"]),
        ("a%%c", ["ac", "abc"], ["ab"]),
        ("%", ["", "x"], []),
        ("%x%", ["x", "axb"], ["", "ab"]),
        ("a%b%a", ["aba", "abba", "abababa"], ["ab", "ba"]),
    ],
)
def test_patterns_match_as_sql_like(pattern: str, matching: list[str], not_matching: list[str]) -> None:
    rx = re.compile(like_regex(pattern))
    assert all(rx.search(v) for v in matching)
    assert not any(rx.search(v) for v in not_matching)


def test_the_worst_patterns_match_in_linear_time() -> None:
    """`%a%a%a%b` against 100,000 'a's: backtracking would take years; a first-fit match, a moment."""
    import time

    value = "a" * 100_000
    for pattern in ("%a%a%a%b", "%" + "a%" * 20 + "b", "%aa%aa%aa%aab"):
        started = time.perf_counter()
        assert re.compile(like_regex(pattern)).search(value) is None
        assert time.perf_counter() - started < 0.5


def test_filter_limits_name_the_setting() -> None:
    with pytest.raises(BadUserInput, match="DOCGATE_MAX_PATTERN_LENGTH"):
        q({"city": {"like": "x" * 501}})
    with pytest.raises(BadUserInput, match="DOCGATE_MAX_PATTERN_WILDCARDS"):
        q({"city": {"ilike": "%" * 21}})
    with pytest.raises(BadUserInput, match="DOCGATE_MAX_FILTER_VALUES"):
        q({"city": {"in": ["x"] * 1001}})
    nested: dict[str, Any] = {"city": {"eq": "x"}}
    for _ in range(13):
        nested = {"and": [nested]}
    with pytest.raises(BadUserInput, match="DOCGATE_MAX_FILTER_DEPTH"):
        q(nested)
    q({"and": [{"or": [{"not": {"city": {"in": ["x"] * 1000}}}]}]})  # within every limit


@pytest.mark.parametrize(
    "text", [".*", "a+b?", "(x)[y]{2}", "$^", "back\\slash", "a|b", "multi\nline"]
)
def test_pattern_text_is_literal(text: str) -> None:
    rx = re.compile(like_regex(text))
    assert rx.fullmatch(text)
    assert not rx.fullmatch(text + "z")
    assert re.compile(like_regex(f"%{text}%")).fullmatch(f"pre{text}post")


def test_logical_operators() -> None:
    assert q({"city": {"eq": "A"}, "age": {"gt": 1}}) == {"city": "A", "age": {"$gt": 1}}
    assert q({"and": [{"age": {"gt": 1}}, {"age": {"lt": 9}}]}) == {
        "$and": [{"age": {"$gt": 1}}, {"age": {"$lt": 9}}]
    }
    assert q({"or": [{"city": {"eq": "A"}}, {"age": {"gt": 1}}]}) == {
        "$or": [{"city": "A"}, {"age": {"$gt": 1}}]
    }
    assert q({"and": []}) == {}
    assert q({"or": []}) == {}
    assert q({"or": [{}, {"city": {"eq": "A"}}]}) == {}


def test_not_is_three_valued_like_sql() -> None:
    """NOT of a comparison excludes nulls, as SQL (and so Twenty) does."""
    assert q({"not": {"age": {"gt": 30}}}) == {"$nor": [{"age": None}, {"age": {"$gt": 30}}]}
    assert q({"not": {"city": {"is": "NULL"}}}) == {"city": {"$ne": None}}
    assert q({"not": {"not": {"city": {"eq": "A"}}}}) == {"city": "A"}
    assert q({"not": {"or": [{"city": {"eq": "A"}}, {"city": {"is": "NOT_NULL"}}]}}) == {
        "$nor": [{"city": None}, {"city": "A"}],
        "city": None,
    }
    assert q({"not": {"city": {"eq": "A"}, "age": {"eq": 1}}}) == {
        "$or": [{"$nor": [{"city": None}, {"city": "A"}]}, {"$nor": [{"age": None}, {"age": 1}]}]
    }
    assert q({"not": {}}) == NOTHING
    assert q({"not": {"and": []}}) == NOTHING


def test_relation_filter_emits_a_marker_with_the_visible_target_query() -> None:
    assert COMPANY is not None
    marker = RelationFilter(
        target=COMPANY, query={"name": {"$regex": "^acme$", "$options": "i"}, "deletedAt": None}
    )
    assert q({"company": {"name": {"ilike": "acme"}}}) == {"companyId": {"$in": marker}}
    negated = RelationFilter(
        target=COMPANY, query={"$nor": [{"name": None}, {"name": "X"}], "deletedAt": None}
    )
    assert q({"not": {"company": {"name": {"eq": "X"}}}}) == {"companyId": {"$in": negated}}
    with_deleted = RelationFilter(target=COMPANY, query={"deletedAt": {"$ne": None}})
    assert q({"company": {"deletedAt": {"is": "NOT_NULL"}}}) == {"companyId": {"$in": with_deleted}}


async def test_resolve_relation_filters_replaces_markers() -> None:
    assert COMPANY is not None
    calls: list[tuple[str, dict[str, Any]]] = []

    async def find_ids(target: ObjectMeta, query: dict[str, Any]) -> list[str]:
        calls.append((target.name_singular, query))
        return ["c1", "c2"]

    query = {"$or": [{"companyId": {"$in": RelationFilter(COMPANY, {"name": "A"})}}, {"age": 3}]}
    assert await resolve_relation_filters(query, find_ids) == {
        "$or": [{"companyId": {"$in": ["c1", "c2"]}}, {"age": 3}]
    }
    assert calls == [("company", {"name": "A"})]
    nested = RelationFilter(COMPANY, {"ownerId": {"$in": RelationFilter(COMPANY, {"x": 1})}})
    assert await resolve_relation_filters({"companyId": {"$in": nested}}, find_ids) == {
        "companyId": {"$in": ["c1", "c2"]}
    }
    assert calls[1:] == [("company", {"x": 1}), ("company", {"ownerId": {"$in": ["c1", "c2"]}})]


def test_soft_deleted_records_are_hidden_unless_asked_for() -> None:
    assert PERSON is not None
    assert visible_filter(MODEL, PERSON, None) == {"deletedAt": None}
    assert visible_filter(MODEL, PERSON, {"city": {"eq": "A"}}) == {"city": "A", "deletedAt": None}
    assert visible_filter(MODEL, PERSON, {"deletedAt": {"is": "NOT_NULL"}}) == {
        "deletedAt": {"$ne": None}
    }
    nested = {"or": [{"city": {"eq": "A"}}, {"not": {"deletedAt": {"is": "NULL"}}}]}
    assert mentions_deleted_at(nested)
    assert visible_filter(MODEL, PERSON, nested) == q(nested)
    assert not mentions_deleted_at({"company": {"deletedAt": {"is": "NULL"}}})
    assert visible_filter(MODEL, PERSON, {"and": [{"age": {"eq": 1}}]}) == {
        "age": 1,
        "deletedAt": None,
    }


@pytest.mark.parametrize(
    ("filter", "message"),
    [
        ({"foo": {"eq": 1}}, "unknown field 'foo' in filter of 'person'"),
        ({"$where": "1"}, "unknown field '$where' in filter of 'person'"),
        ({"isVip": {"gt": True}}, "operator 'gt' is not valid for BOOLEAN field 'isVip'"),
        ({"tags": {"eq": "a"}}, "operator 'eq' is not valid for ARRAY field 'tags'"),
        (
            {"stage": {"containsIlike": "%A%"}},
            "operator 'containsIlike' is not valid for SELECT field",
        ),
        ({"labels": {"gt": "A"}}, "operator 'gt' is not valid for MULTI_SELECT field 'labels'"),
        ({"city": {"regex": ".*"}}, 'Operator "regex" is not supported'),  # Twenty's words
        ({"city": {"iregex": ".*"}}, 'Operator "iregex" is not supported'),
        ({"age": {"eq": {"$ne": 1}}}, "operator 'eq' of NUMBER field 'age' expects a number value"),
        ({"city": {"eq": {"$ne": 1}}}, "operator 'eq' of TEXT field 'city' expects a str value"),
        ({"city": {"in": [{"$gt": ""}]}}, "operator 'in' of TEXT field 'city' expects a str value"),
        ({"city": {"in": "Paris"}}, "operator 'in' of TEXT field 'city' expects a list"),
        ({"city": {"like": {"$regex": "."}}}, "expects a str value"),
        ({"city": {"eq": None}}, "needs a value (use is: NULL for nulls)"),
        ({"city": {"is": "MAYBE"}}, "expects NULL or NOT_NULL"),
        ({"city": "Paris"}, "the filter of field 'city' must be an object of operators"),
        ({"name": {"middleName": {"eq": "x"}}}, "unknown sub-field 'middleName' of field 'name'"),
        ({"name": {"firstName": {"gt": 1}}}, "expects a str value"),
        ({"age": {"eq": "old"}}, "expects a number"),
        ({"age": {"eq": True}}, "expects a number value"),
        ({"isVip": {"eq": "yes"}}, "expects a bool value"),
        ({"birthday": {"gt": "yesterday"}}, "expects an ISO 8601 date-time"),
        ({"joinedOn": {"eq": "2024-13-01"}}, "expects a date YYYY-MM-DD"),
        ({"tags": {"isEmptyArray": "yes"}}, "expects a boolean"),
        ({"and": {"city": 1}}, "the filter of field 'city' must be an object of operators"),
        ({"or": "x"}, "'or' in filter of 'person' expects a list"),
        ({"not": ["x"]}, "a filter of 'person' must be an object"),
        ({"company": {"nope": {"eq": 1}}}, "unknown field 'nope' in filter of 'company'"),
        ({"companyId": {"like": "a%"}}, "operator 'like' is not valid for UUID field 'companyId'"),
    ],
)
def test_refusals(filter: dict[str, Any], message: str) -> None:
    assert message in refused(filter)


def test_one_to_many_relations_are_not_filterable() -> None:
    assert COMPANY is not None
    with pytest.raises(BadUserInput, match="relation field 'people' of 'company' is one-to-many"):
        translate_filter(MODEL, COMPANY, {"people": {"city": {"eq": "A"}}})


@pytest.mark.parametrize(
    "filter",
    [None, {}, {"and": []}, {"or": []}, {"and": [{}, {}]}, {"or": [{}]}, {"and": [{"or": []}, {}]}, {"and": {}},
     {"name": {}}, {"name": {"firstName": {}}}, {"company": {}}, {"company": {"and": [{}]}}, {"not": {}},
     {"or": [{}, {"id": {"eq": "x"}}]}, "not a filter"],
)
def test_filters_that_constrain_nothing(filter: Any) -> None:
    assert not constrains(filter)


@pytest.mark.parametrize(
    "filter",
    [{"id": {"in": ["some-id"]}}, {"name": {"eq": "John"}}, {"not": {"id": {"eq": "some-id"}}},
     {"and": [{"id": {"eq": "some-id"}}]}, {"and": [], "id": {"eq": "x"}}, {"deletedAt": {"is": "NULL"}},
     {"id": {"in": []}}, {"company": {"name": {"ilike": "%a%"}}}, {"name": {"firstName": {"eq": "A"}}},
     {"or": [{"id": {"eq": "x"}}, {"jobTitle": {"is": "NULL"}}]}, {"and": {"city": {"eq": "Paris"}}}],
)
def test_filters_that_constrain(filter: Any) -> None:
    assert constrains(filter)
