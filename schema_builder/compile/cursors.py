"""Keyset cursors: a record's position in a sort plan, and the query for what follows it.

A cursor holds the record's value for every sort key (the plan always ends with `id`), so
paging stays exact when records are inserted or deleted between pages, unlike offsets.
Decoded values are type-checked against the plan: a forged cursor can never smuggle an
operator (a dict) into the query.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import orjson
from bson.tz_util import utc

from schema_builder.compile.filters import NOTHING, all_of, any_of
from schema_builder.compile.ordering import SortKey, SortPlan
from schema_builder.errors import BadUserInput

_NUMBER_TYPES = frozenset({"NUMBER", "NUMERIC", "POSITION"})
# A cursor holds one value per sort key; a long one was not made here (and JSON nested deep
# enough to exhaust the parser's recursion fits in a few kilobytes).
MAX_CURSOR_LENGTH = 4096


def value_at(record: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted MongoDB path; missing means None."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


# A REST page of 50 people with their relations formats ~350 dates. Those PyMongo decodes
# (tz_aware, `bson.tz_util.utc`) are put together from ready-made pieces: 0.4 us a date, where
# formatting the parts took 1.2 us and isoformat (which calls the Python time zone's utcoffset) 1.5.
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(60))
_MILLIS = tuple(f".{n:03d}" for n in range(1000))
_days: dict[int, str] = {}  # "2025-01-31T" by the day's ordinal
_DAYS_KEPT = 4096  # bounded: a hostile dataset of scattered dates only misses the cache


def format_datetime(value: dt.datetime) -> str:
    """ISO 8601 in UTC with milliseconds and `Z` (BSON dates hold milliseconds)."""
    if value.tzinfo is utc:
        day = _days.get(value.toordinal())
        if day is None:
            day = f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
            if len(_days) < _DAYS_KEPT:
                _days[value.toordinal()] = day
        return (day + _TWO_DIGITS[value.hour] + ":" + _TWO_DIGITS[value.minute] + ":" + _TWO_DIGITS[value.second]
                + _MILLIS[value.microsecond // 1000] + "Z")
    offset = value.utcoffset()
    if offset:  # PyMongo's dates are UTC (naive by default); others are converted
        value = value - offset
    return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if value is None or isinstance(value, str | bool | int | float):
        return value
    return str(value)  # e.g. Decimal128 or a binary UUID: kept as its text


def encode_cursor(record: Mapping[str, Any], plan: SortPlan) -> str:
    """The cursor of a raw MongoDB document (with `_id`) in `plan`'s order."""
    values = {key.field: _plain(value_at(record, key.path)) for key in plan.keys}
    if "id" not in values:
        values["id"] = _plain(record.get("_id"))
    return base64.b64encode(orjson.dumps(values)).decode("ascii")


def _invalid(why: str) -> BadUserInput:
    return BadUserInput(f"Invalid cursor: {why}")


def _typed(key: SortKey, value: Any) -> Any:
    if value is None:
        return None
    if key.type == "DATE_TIME":
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise _invalid(f"'{key.field}' is not a date-time") from None
            return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed
    elif key.type in _NUMBER_TYPES:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
    elif key.type == "BOOLEAN":
        if isinstance(value, bool):
            return value
    elif isinstance(value, str):
        return value
    raise _invalid(f"'{key.field}' has a value of the wrong type")


def decode_cursor(cursor: str, plan: SortPlan) -> dict[str, Any]:
    """The sort values (by field path, stored types) a cursor holds for `plan`."""
    if not isinstance(cursor, str):
        raise _invalid("expected a string")
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise _invalid(f"longer than {MAX_CURSOR_LENGTH} characters: cursors come from pageInfo, unchanged")
    try:
        raw = base64.b64decode(cursor.encode("ascii"), altchars=b"-_", validate=True)
        data = json.loads(raw.decode())
    except (ValueError, UnicodeError, binascii.Error, RecursionError):
        try:  # standard alphabet (the one encode_cursor writes)
            data = json.loads(base64.b64decode(cursor.encode("ascii"), validate=True).decode())
        except (ValueError, UnicodeError, binascii.Error, RecursionError):
            raise _invalid("not base64-encoded JSON") from None
    if not isinstance(data, dict):
        raise _invalid("not a JSON object")
    values: dict[str, Any] = {}
    for key in plan.keys:
        if key.field not in data:
            raise _invalid(f"it does not hold '{key.field}' (was it made with another orderBy?)")
        values[key.field] = _typed(key, data[key.field])
    return values


def _equal(key: SortKey, value: Any) -> dict[str, Any]:
    return {key.path: value}  # `{path: None}` is null or missing, the same sort position


def _beyond_in_order(path: str, order: tuple[str, ...], value: Any, ascending: bool) -> dict[str, Any]:
    """Non-null values after `value` in an enum's order (see `ordering.order_rank`): the
    options beyond it, then values no longer among the options, by themselves."""
    stale = {path: {"$nin": [*order, None]}}
    if value in order:
        i = order.index(value)
        return any_of({path: {"$in": list(order[i + 1 :])}}, stale) if ascending else {path: {"$in": list(order[:i])}}
    if ascending:
        return all_of(stale, {path: {"$gt": value}})
    return any_of({path: {"$in": list(order)}}, all_of(stale, {path: {"$lt": value}}))


def _beyond(key: SortKey, value: Any) -> dict[str, Any]:
    """Records strictly after `value` on this key alone."""
    if value is None:
        return {key.path: {"$ne": None}} if key.nulls_first else dict(NOTHING)
    if key.order is None:
        strictly = {key.path: {"$gt" if key.ascending else "$lt": value}}
    else:
        strictly = _beyond_in_order(key.path, key.order, value, key.ascending)
    if key.nulls_first or key.path == "_id":  # `_id` is never null
        return strictly
    return any_of(strictly, {key.path: None})


def after_condition(
    plan: SortPlan, values: Mapping[str, Any], reverse: bool = False
) -> dict[str, Any]:
    """Records strictly after the cursor position (strictly before it with `reverse`)."""
    keys = plan.reversed().keys if reverse else plan.keys
    branches = []
    for i, key in enumerate(keys):
        prefix = [_equal(k, values.get(k.field)) for k in keys[:i]]
        branches.append(all_of(*prefix, _beyond(key, values.get(key.field))))
    return any_of(*branches)
