"""Field defaults in Twenty's SQL-literal syntax: checked per type, read as what they quote."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from schema_builder.metadata.defaults import default_problems, record_default, unquote

OPTIONS = [{"value": "TODO"}, {"value": "DONE"}]


def test_unquote_reads_sql_literals() -> None:
    assert unquote("'FR'") == "FR"
    assert unquote("''") == ""
    assert unquote("'it''s'") == "it's"
    assert unquote("FR") == "FR" and unquote(3) == 3 and unquote(None) is None


@pytest.mark.parametrize(
    ("type_name", "default"),
    [
        ("TEXT", "'hello'"),
        ("TEXT", "''"),
        ("NUMBER", 3),
        ("NUMBER", 2.5),
        ("BOOLEAN", False),
        ("DATE_TIME", "now"),
        ("DATE_TIME", "'2025-01-02T03:04:05Z'"),
        ("DATE", "now"),
        ("DATE", "'2025-01-02'"),
        ("UUID", "uuid"),
        ("UUID", f"'{uuid.uuid4()}'"),
        ("SELECT", "'TODO'"),
        ("RATING", "'DONE'"),
        ("MULTI_SELECT", ["'TODO'", "'DONE'"]),
        ("ARRAY", ["'a'", "'b'"]),
        ("RAW_JSON", {"any": ["json"]}),
        ("CURRENCY", {"amountMicros": None, "currencyCode": "'EUR'"}),
        ("CURRENCY", {"amountMicros": "'1000000'", "currencyCode": "'USD'"}),
        ("NUMBER", "'2.5'"),
        ("FULL_NAME", {"firstName": "''", "lastName": "''"}),
        ("ADDRESS", {"addressCountry": "'FR'", "addressLat": None}),
        ("ACTOR", {"source": "'MANUAL'", "name": "''"}),
        ("LINKS", {"primaryLinkUrl": "''", "secondaryLinks": None}),
    ],
)
def test_twenty_defaults_are_accepted(type_name: str, default: Any) -> None:
    assert default_problems(type_name, default, OPTIONS) == []


@pytest.mark.parametrize(
    ("type_name", "default", "message"),
    [
        ("TEXT", "hello", "must be a quoted string"),
        ("TEXT", 7, "must be a quoted string"),
        ("NUMBER", "ten", "must be a number"),
        ("NUMBER", True, "must be a number"),
        ("NUMBER", "'ten'", "must be a number"),
        ("CURRENCY", {"amountMicros": "'NaN'"}, "sub-field 'amountMicros' must be a number"),
        ("BOOLEAN", "true", "must be a boolean"),
        ("DATE_TIME", "yesterday", "must be \"now\" or a quoted ISO date"),
        ("DATE", "'2025-13-40'", "must be \"now\" or a quoted ISO date"),
        ("UUID", "'not-a-uuid'", "must be \"uuid\" or a quoted UUID"),
        ("SELECT", "TODO", "Default value should be as quoted string"),
        ("SELECT", "'LATER'", "must be one of the option values"),
        ("SELECT", ["'TODO'"], "Default value for select must be a string"),
        ("MULTI_SELECT", "'TODO'", "Default value for multi-select must be an array"),
        ("MULTI_SELECT", [], "must contain at least one value"),
        ("MULTI_SELECT", ["'TODO'", "'TODO'"], "Default values must be unique"),
        ("CURRENCY", "'EUR'", "must be an object of sub-field defaults"),
        ("CURRENCY", {"currencyCode": "EUR"}, "sub-field 'currencyCode' must be a quoted string"),
        ("CURRENCY", {"amount": 1}, "has no sub-field 'amount'"),
        ("ARRAY", ["a"], "must be a list of quoted strings"),
        ("RELATION", "'x'", "cannot have a default value"),
    ],
)
def test_wrong_defaults_are_refused_naming_the_rule(type_name: str, default: Any, message: str) -> None:
    found = default_problems(type_name, default, OPTIONS)
    assert found and any(message in str(p["message"]) for p in found), found
    assert all(p["code"] == "INVALID_FIELD_INPUT" for p in found)


def test_record_defaults_are_the_values_quoted() -> None:
    assert record_default("TEXT", "'FR'") == "FR"
    assert record_default("TEXT", "''") == ""
    assert record_default("SELECT", "'TODO'") == "TODO"
    assert record_default("MULTI_SELECT", ["'TODO'", "'DONE'"]) == ["TODO", "DONE"]
    assert record_default("NUMBER", 3) == 3
    assert record_default("NUMBER", "'2.5'") == 2.5
    assert record_default("CURRENCY", {"amountMicros": "'1000000'"})["amountMicros"] == 1000000
    assert record_default("BOOLEAN", False) is False
    assert record_default("RAW_JSON", {"a": "'b'"}) == {"a": "'b'"}  # JSON is stored as given
    assert record_default("TEXT", None) is None
    assert record_default("CURRENCY", {"amountMicros": None, "currencyCode": "'EUR'"}) == {
        "amountMicros": None, "currencyCode": "EUR"}
    assert record_default("ADDRESS", {"addressCountry": "'FR'"})["addressCountry"] == "FR"
    assert record_default("ADDRESS", {"addressCountry": "'FR'"})["addressCity"] is None


def test_record_default_functions_give_a_fresh_value_each_time() -> None:
    first, second = record_default("UUID", "uuid"), record_default("UUID", "uuid")
    assert uuid.UUID(first) and first != second
    now = record_default("DATE_TIME", "now")
    assert isinstance(now, dt.datetime) and now.tzinfo is not None
    assert record_default("DATE", "now") == dt.datetime.now(dt.UTC).date().isoformat()
    assert record_default("DATE_TIME", "'2025-01-02T03:04:05Z'") == dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert record_default("UUID", "'4e0b6f5a-1c2d-4e8f-9a0b-1c2d3e4f5a6b'") == "4e0b6f5a-1c2d-4e8f-9a0b-1c2d3e4f5a6b"
