"""`order_by`: comma list of `path[Direction]`, dotted paths nest, bare paths sort ascending."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rest_shim.order_parser import DIRECTIONS, parse_order_by
from schema_builder.errors import BadUserInput


def test_example_from_twenty() -> None:
    assert parse_order_by("createdAt[DescNullsLast],name.lastName") == [
        {"createdAt": "DescNullsLast"},
        {"name": {"lastName": "AscNullsFirst"}},
    ]


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_every_direction(direction: str) -> None:
    assert parse_order_by(f"position[{direction}]") == [{"position": direction}]


def test_relation_path_and_whitespace() -> None:
    assert parse_order_by(" company.address.addressCity [ DescNullsFirst ] , id ") == [
        {"company": {"address": {"addressCity": "DescNullsFirst"}}},
        {"id": "AscNullsFirst"},
    ]


def test_duplicates_are_kept_in_order() -> None:
    assert parse_order_by("a[AscNullsLast],a") == [{"a": "AscNullsLast"}, {"a": "AscNullsFirst"}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x[Up]", "'order_by' invalid for 'x[Up]': unknown direction 'Up', expected one of "
                  "AscNullsFirst, AscNullsLast, DescNullsFirst, DescNullsLast"),
        ("x[asc]", "'order_by' invalid for 'x[asc]': unknown direction 'asc', expected one of "
                   "AscNullsFirst, AscNullsLast, DescNullsFirst, DescNullsLast"),
        ("x[]", "'order_by' invalid for 'x[]': unknown direction '', expected one of "
                "AscNullsFirst, AscNullsLast, DescNullsFirst, DescNullsLast"),
        ("", "'order_by' invalid: the order is empty"),
        ("  ", "'order_by' invalid: the order is empty"),
        ("a,,b", "'order_by' invalid: empty item in 'a,,b'"),
        ("a,", "'order_by' invalid: empty item in 'a,'"),
        (",a", "'order_by' invalid: empty item in ',a'"),
        ("1abc", "'order_by' invalid for '1abc': invalid field name '1abc'"),
        ("na-me[AscNullsFirst]", "'order_by' invalid for 'na-me[AscNullsFirst]': "
                                 "invalid field name 'na-me'"),
        ("a..b", "'order_by' invalid for 'a..b': empty field name in path 'a..b'"),
        (".a", "'order_by' invalid for '.a': empty field name in path '.a'"),
        ("[DescNullsLast]", "'order_by' invalid for '[DescNullsLast]': "
                            "empty field name in path ''"),
        ("x[AscNullsFirst", "'order_by' invalid for 'x[AscNullsFirst'. "
                            "eg: createdAt[DescNullsLast] or name"),
        ("x[AscNullsFirst]y", "'order_by' invalid for 'x[AscNullsFirst]y'. "
                              "eg: createdAt[DescNullsLast] or name"),
        ("x]", "'order_by' invalid for 'x]'. eg: createdAt[DescNullsLast] or name"),
    ],
)
def test_errors(text: str, message: str) -> None:
    with pytest.raises(BadUserInput) as info:
        parse_order_by(text)
    assert info.value.message == message


names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
spaces = st.sampled_from(["", " ", "  "])


@st.composite
def order_items(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    path = draw(st.lists(names, min_size=1, max_size=3))
    direction = draw(st.none() | st.sampled_from(DIRECTIONS))
    text = ".".join(path) + ("" if direction is None else f"{draw(spaces)}[{direction}]")
    expected: Any = direction or "AscNullsFirst"
    for name in reversed(path):
        expected = {name: expected}
    return draw(spaces) + text + draw(spaces), expected


@given(st.lists(order_items(), min_size=1, max_size=5))
def test_round_trip(items: list[tuple[str, dict[str, Any]]]) -> None:
    assert parse_order_by(",".join(text for text, _ in items)) == [exp for _, exp in items]


@given(st.text() | st.text(alphabet="ab.,[] AscNullsFirstDe1_"))
def test_any_text_parses_or_is_bad_user_input(text: str) -> None:
    try:
        result = parse_order_by(text)
    except BadUserInput as exc:
        assert exc.message.startswith("'order_by' invalid")
    else:
        assert isinstance(result, list) and result
