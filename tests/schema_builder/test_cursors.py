"""Keyset cursors: encoding, strict decoding, and the after/before conditions."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from bson.tz_util import utc
from test_filters import MODEL, PERSON

from schema_builder.compile import cursors
from schema_builder.compile.cursors import after_condition, decode_cursor, encode_cursor
from schema_builder.compile.ordering import SortPlan, build_sort_plan
from schema_builder.errors import BadUserInput


def plan(order_by: Any) -> SortPlan:
    assert PERSON is not None
    return build_sort_plan(MODEL, PERSON, order_by)


def raw(data: Any) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


PLAN = plan([{"createdAt": "DescNullsLast"}, {"name": {"lastName": "AscNullsFirst"}}])
RECORD = {
    "_id": "r1",
    "createdAt": dt.datetime(2024, 5, 6, 7, 8, 9, 123000),  # naive UTC, as PyMongo returns it
    "name": {"firstName": "Ada"},
}


def test_encode_holds_every_sort_leaf_and_id() -> None:
    cursor = encode_cursor(RECORD, PLAN)
    assert json.loads(base64.b64decode(cursor)) == {
        "createdAt": "2024-05-06T07:08:09.123Z",
        "name.lastName": None,
        "id": "r1",
    }


def test_decode_round_trips_to_stored_types() -> None:
    assert decode_cursor(encode_cursor(RECORD, PLAN), PLAN) == {
        "createdAt": dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.UTC),
        "name.lastName": None,
        "id": "r1",
    }
    p = plan([{"age": "AscNullsFirst"}, {"isVip": "AscNullsFirst"}])
    assert decode_cursor(encode_cursor({"_id": "x", "age": 4.5, "isVip": False}, p), p) == {
        "age": 4.5,
        "isVip": False,
        "id": "x",
    }


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64!",
        base64.b64encode(b"not json").decode(),
        raw([1, 2]),
        raw({"createdAt": None, "id": "r1"}),  # missing a key
        raw({"createdAt": "yesterday", "name.lastName": None, "id": "r1"}),
        raw({"createdAt": None, "name.lastName": {"$gt": ""}, "id": "r1"}),
        raw({"createdAt": None, "name.lastName": None, "id": ["r1"]}),
        raw({"createdAt": 5, "name.lastName": None, "id": "r1"}),
    ],
)
def test_bad_cursors_are_refused(cursor: str) -> None:
    with pytest.raises(BadUserInput, match="^Invalid cursor"):
        decode_cursor(cursor, PLAN)


def test_number_cursor_refuses_strings_and_booleans() -> None:
    p = plan([{"age": "AscNullsFirst"}])
    for bad in ("3", True):
        with pytest.raises(BadUserInput, match="wrong type"):
            decode_cursor(raw({"age": bad, "id": "x"}), p)


def test_after_ascending_nulls_first() -> None:
    p = plan([{"age": "AscNullsFirst"}])
    assert after_condition(p, {"age": 3, "id": "x"}) == {
        "$or": [{"age": {"$gt": 3}}, {"age": 3, "_id": {"$gt": "x"}}]
    }
    assert after_condition(p, {"age": None, "id": "x"}) == {
        "$or": [{"age": {"$ne": None}}, {"age": None, "_id": {"$gt": "x"}}]
    }


def test_after_ascending_nulls_last() -> None:
    p = plan([{"age": "AscNullsLast"}])
    assert after_condition(p, {"age": 3, "id": "x"}) == {
        "$or": [{"$or": [{"age": {"$gt": 3}}, {"age": None}]}, {"age": 3, "_id": {"$gt": "x"}}]
    }
    assert after_condition(p, {"age": None, "id": "x"}) == {"age": None, "_id": {"$gt": "x"}}


def test_after_descending() -> None:
    p = plan([{"age": "DescNullsFirst"}])
    assert after_condition(p, {"age": 3, "id": "x"}) == {
        "$or": [{"age": {"$lt": 3}}, {"age": 3, "_id": {"$gt": "x"}}]
    }
    p = plan([{"age": "DescNullsLast"}])
    assert after_condition(p, {"age": 3, "id": "x"}) == {
        "$or": [{"$or": [{"age": {"$lt": 3}}, {"age": None}]}, {"age": 3, "_id": {"$gt": "x"}}]
    }


def test_before_is_after_in_the_reversed_order() -> None:
    p = plan([{"age": "AscNullsFirst"}])
    # reversed: DescNullsLast on age, id descending
    assert after_condition(p, {"age": 3, "id": "x"}, reverse=True) == {
        "$or": [{"$or": [{"age": {"$lt": 3}}, {"age": None}]}, {"age": 3, "_id": {"$lt": "x"}}]
    }
    assert after_condition(p, {"age": None, "id": "x"}, reverse=True) == {
        "age": None,
        "_id": {"$lt": "x"},
    }


@pytest.mark.parametrize("parts", [
    (1, 1, 1, 0, 0, 0, 0), (9999, 12, 31, 23, 59, 59, 999999), (2024, 2, 29, 12, 0, 7, 5000),
    (2026, 12, 6, 6, 55, 47, 788000),
])
def test_dates_read_from_the_store_print_as_twenty_prints_them(parts: tuple[int, ...]) -> None:
    """As JavaScript's toISOString: milliseconds and Z, whether the day was seen before or not."""
    stored = dt.datetime(*parts, tzinfo=utc)
    expected = stored.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
    assert cursors.format_datetime(stored) == expected
    assert cursors.format_datetime(stored) == expected  # the day now cached
    if stored.year > 1:  # the same instant in another zone (year 1 would fall before the calendar)
        assert cursors.format_datetime(stored.astimezone(dt.timezone(dt.timedelta(hours=-5)))) == expected


def test_the_cache_of_days_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cursors, "_days", {})
    start = dt.datetime(2000, 1, 1, tzinfo=utc)
    for n in range(cursors._DAYS_KEPT + 100):
        day = start + dt.timedelta(days=n)
        assert cursors.format_datetime(day) == day.strftime("%Y-%m-%dT00:00:00.000Z")
    assert len(cursors._days) == cursors._DAYS_KEPT
