"""The scalar REST parameters: limit, depth, boolean flags and UUIDs."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rest_shim.params import parse_bool_flag, parse_depth, parse_limit, parse_uuid
from schema_builder.errors import BadUserInput


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 60), ("0", 0), ("1", 1), ("60", 60), (" 7 ", 7), ("200", 200), ("201", 200),
     ("99999999999999999999999999", 200), ("9" * 5000, 200), ("007", 7)],
)
def test_limit(raw: str | None, expected: int) -> None:
    assert parse_limit(raw, 60, 200) == expected


def test_limit_default_is_clamped_too() -> None:
    assert parse_limit(None, 500, 200) == 200


@pytest.mark.parametrize("raw", ["x", "", " ", "1.5", "1e3", "+3", "1_000", "٣", "0x10", "3 4"])
def test_limit_invalid(raw: str) -> None:
    with pytest.raises(BadUserInput) as info:
        parse_limit(raw, 60, 200)
    assert info.value.message == f"limit '{raw}' is invalid. Should be an integer"


def test_limit_negative() -> None:
    with pytest.raises(BadUserInput, match=r"^limit '-1' is invalid\. Should be a non-negative"):
        parse_limit("-1", 60, 200)


@given(st.text())
def test_limit_never_crashes(raw: str) -> None:
    try:
        assert 0 <= parse_limit(raw, 60, 200) <= 200
    except BadUserInput as exc:
        assert exc.message.startswith("limit '")


@pytest.mark.parametrize(("raw", "expected"), [(None, 0), ("0", 0), ("1", 1), (" 1", 1)])
def test_depth(raw: str | None, expected: int) -> None:
    assert parse_depth(raw) == expected


@pytest.mark.parametrize("raw", ["2", "-1", "", "x", "01", "true"])
def test_depth_invalid(raw: str) -> None:
    with pytest.raises(BadUserInput) as info:
        parse_depth(raw)
    assert info.value.message == f"depth '{raw}' is invalid. Should be 0 or 1"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, False), ("false", False), ("true", True), ("TRUE", True), ("False", False)],
)
def test_bool_flag(raw: str | None, expected: bool) -> None:
    assert parse_bool_flag("soft_delete", raw) is expected


@pytest.mark.parametrize("raw", ["", "1", "yes", "x", "truee"])
def test_bool_flag_invalid(raw: str) -> None:
    with pytest.raises(BadUserInput) as info:
        parse_bool_flag("upsert", raw)
    assert info.value.message == f"'upsert' must be true or false, got '{raw}'"


def test_uuid_is_canonicalised() -> None:
    raw = "20202020-0DE1-4A4C-AAAA-0123456789AB"
    assert parse_uuid(raw) == "20202020-0de1-4a4c-aaaa-0123456789ab"


@given(st.uuids())
def test_uuid_round_trip(value: uuid.UUID) -> None:
    assert parse_uuid(str(value).upper()) == str(value)


@pytest.mark.parametrize(
    "raw",
    ["x", "", "20202020-0de1-4a4c-aaaa-0123456789a", "20202020-0de1-4a4c-aaaa-0123456789abc",
     "{20202020-0de1-4a4c-aaaa-0123456789ab}", "202020200de14a4caaaa0123456789ab",
     "20202020-0de1-4a4c-aaaa-0123456789ag", " 20202020-0de1-4a4c-aaaa-0123456789ab",
     "20202020-0de1-4a4c-aaaa-0123456789ab\n"],
)
def test_uuid_invalid(raw: str) -> None:
    with pytest.raises(BadUserInput) as info:
        parse_uuid(raw)
    assert info.value.message == f"'{raw}' is not a valid UUID"


def test_long_input_is_shortened_in_messages() -> None:
    with pytest.raises(BadUserInput) as info:
        parse_uuid("z" * 10_000)
    assert len(info.value.message) < 120
