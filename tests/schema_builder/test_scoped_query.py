"""A role's row filter merged into a query: flat where it can be, and always the same records."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from mongomock.filtering import filter_applies

from schema_builder.permissions.scoped import scoped_query

NOT_EMPTY_CITY = {"$nor": [{"$or": [{"city": None}, {"city": ""}]}]}


def test_a_lookup_by_id_stays_a_flat_lookup() -> None:
    assert scoped_query({"_id": "x", "deletedAt": None}, NOT_EMPTY_CITY) == {
        "_id": "x", "deletedAt": None, "city": {"$nin": [None, ""]}}


def test_operators_on_one_field_merge_and_clashes_go_under_and() -> None:
    assert scoped_query({"n": {"$gte": 1}}, {"n": {"$lt": 5}}) == {"n": {"$gte": 1, "$lt": 5}}
    assert scoped_query({"n": {"$gte": 1}}, {"n": {"$gte": 3}}) == {"n": {"$gte": 1}, "$and": [{"n": {"$gte": 3}}]}
    assert scoped_query({"$or": [{"a": 1}, {"b": 1}]}, {"$or": [{"a": 2}, {"c": 1}]}) == {
        "$or": [{"a": 1}, {"b": 1}], "$and": [{"$or": [{"a": 2}, {"c": 1}]}]}
    assert scoped_query({"$and": [{"a": 1}, {"$and": [{"b": 2}]}]}, {"a": 1}) == {"a": 1, "b": 2}
    assert scoped_query(None, {"a": {"$regex": "x", "$options": "i"}}) == {"a": {"$regex": "x", "$options": "i"}}
    assert scoped_query({"a": {"$ne": 1}}, {"a": {"$regex": "x"}}) == {
        "a": {"$ne": 1}, "$and": [{"a": {"$regex": "x"}}]}


FIELDS = st.sampled_from(["a", "b", "c"])
VALUES = st.one_of(st.none(), st.integers(0, 3), st.sampled_from(["", "x", "xy"]))
CONDITIONS = st.one_of(
    VALUES,
    st.builds(lambda v: {"$eq": v}, VALUES),
    st.builds(lambda v: {"$ne": v}, VALUES),
    st.builds(lambda vs: {"$in": vs}, st.lists(VALUES, min_size=1, max_size=3)),
    st.builds(lambda vs: {"$nin": vs}, st.lists(VALUES, min_size=1, max_size=3)),
    st.builds(lambda v: {"$gte": v}, st.integers(0, 3)),
    st.builds(lambda v, w: {"$gt": v, "$lt": w}, st.integers(0, 3), st.integers(0, 3)),
    st.just({"$regex": "^x", "$options": "i"}),
    st.builds(lambda b: {"$exists": b}, st.booleans()),
)


def _queries() -> Any:
    leaf = st.dictionaries(FIELDS, CONDITIONS, min_size=1, max_size=2)
    return st.recursive(leaf, lambda inner: st.one_of(
        st.builds(lambda ps: {"$and": ps}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda ps: {"$or": ps}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda ps: {"$nor": ps}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda a, b: {**a, **b}, inner, inner),
    ), max_leaves=6)


DOCS = st.lists(st.dictionaries(FIELDS, st.one_of(VALUES, st.lists(VALUES, max_size=2)), max_size=3),
                min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(_queries(), _queries(), DOCS)
def test_the_merged_query_matches_what_the_and_of_both_matches(query: Any, rows: Any, docs: Any) -> None:
    merged = scoped_query(query, rows)
    for doc in docs:
        expected = filter_applies({"$and": [query, rows]}, doc)
        assert filter_applies(merged, doc) == expected, (query, rows, merged, doc)


def test_exclusions_on_one_field_become_one_nin() -> None:
    rows = {"city": {"$ne": None}, "$nor": [{"city": None}, {"city": ""}]}  # IS_NOT_EMPTY, as translated
    assert scoped_query({"_id": "x", "deletedAt": None}, rows) == {
        "_id": "x", "deletedAt": None, "city": {"$nin": [None, ""]}}
