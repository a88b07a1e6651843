"""`filter`: Twenty's REST grammar parsed into the GraphQL filter shape, values kept as strings."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rest_shim.filter_parser import COMPARATORS, MAX_DEPTH, parse_filter
from schema_builder.errors import BadUserInput

ALL_COMPARATORS = ", ".join(COMPARATORS)


def bad(text: str) -> str:
    """The message parse_filter rejects `text` with."""
    with pytest.raises(BadUserInput) as info:
        parse_filter(text)
    assert info.value.code == "BAD_USER_INPUT" and info.value.http_status == 400
    return info.value.message


# --- accepted input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comparator",
    ["eq", "neq", "gt", "gte", "lt", "lte", "startsWith", "endsWith", "like", "ilike",
     "containsIlike", "isEmptyArray"],
)
def test_scalar_comparators(comparator: str) -> None:
    assert parse_filter(f"price[{comparator}]:10") == {"and": [{"price": {comparator: "10"}}]}


@pytest.mark.parametrize("comparator", ["in", "containsAny"])
def test_list_comparators(comparator: str) -> None:
    expected = {"and": [{"tags": {comparator: ["a", "b"]}}]}
    assert parse_filter(f"tags[{comparator}]:[a,b]") == expected


@pytest.mark.parametrize("value", ["NULL", "NOT_NULL", '"NULL"'])
def test_is(value: str) -> None:
    assert parse_filter(f"companyId[is]:{value}") == {
        "and": [{"companyId": {"is": value.strip('"')}}]
    }


def test_every_comparator_is_covered() -> None:
    assert set(COMPARATORS) == {  # Twenty's REST comparators, `search` (the searchVector filter) included
        "eq", "neq", "in", "containsAny", "is", "gt", "gte", "lt", "lte", "startsWith", "endsWith", "like", "ilike",
        "containsIlike", "isEmptyArray", "search"}


def test_single_condition_is_wrapped_in_and() -> None:
    assert parse_filter("id[eq]:1") == {"and": [{"id": {"eq": "1"}}]}


def test_top_level_comma_list_is_an_implicit_and() -> None:
    assert parse_filter("a[eq]:1,b[neq]:2") == {"and": [{"a": {"eq": "1"}}, {"b": {"neq": "2"}}]}


def test_explicit_conjunctions_are_not_wrapped_again() -> None:
    assert parse_filter("and(a[eq]:1,b[eq]:2)") == {"and": [{"a": {"eq": "1"}}, {"b": {"eq": "2"}}]}
    assert parse_filter("or(a[eq]:1,b[eq]:2)") == {"or": [{"a": {"eq": "1"}}, {"b": {"eq": "2"}}]}
    assert parse_filter("not(a[eq]:1)") == {"not": {"a": {"eq": "1"}}}
    assert parse_filter("and(a[eq]:1)") == {"and": [{"a": {"eq": "1"}}]}


def test_conjunction_next_to_a_condition_is_wrapped() -> None:
    assert parse_filter("or(a[eq]:1,b[eq]:2),c[eq]:3") == {
        "and": [{"or": [{"a": {"eq": "1"}}, {"b": {"eq": "2"}}]}, {"c": {"eq": "3"}}]
    }


def test_nesting_example() -> None:
    text = 'or(stage[eq]:"NEW",and(amount.amountMicros[gt]:1000000000,not(companyId[is]:NULL)))'
    assert parse_filter(text) == {
        "or": [
            {"stage": {"eq": "NEW"}},
            {
                "and": [
                    {"amount": {"amountMicros": {"gt": "1000000000"}}},
                    {"not": {"companyId": {"is": "NULL"}}},
                ]
            },
        ]
    }


def test_not_wraps_a_conjunction() -> None:
    assert parse_filter("not(or(a[eq]:1,b[eq]:2))") == {
        "not": {"or": [{"a": {"eq": "1"}}, {"b": {"eq": "2"}}]}
    }


def test_paths_nest() -> None:
    assert parse_filter("company.address.addressCity[eq]:Paris") == {
        "and": [{"company": {"address": {"addressCity": {"eq": "Paris"}}}}]
    }


def test_field_names_that_look_like_conjunctions() -> None:
    assert parse_filter("not.x[eq]:1,or_[eq]:2") == {
        "and": [{"not": {"x": {"eq": "1"}}}, {"or_": {"eq": "2"}}]
    }


def test_whitespace_around_tokens_is_ignored() -> None:
    text = " or ( a . b [ eq ] :  x y  , not( c[is] : NULL ) ) "
    assert parse_filter(text) == {
        "or": [{"a": {"b": {"eq": "x y"}}}, {"not": {"c": {"is": "NULL"}}}]
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"a,b(c)[d]:e"', "a,b(c)[d]:e"),
        ("'a,b(c)[d]:e'", "a,b(c)[d]:e"),
        ('"it\'s"', "it's"),
        ("'say \"hi\"'", 'say "hi"'),
        (r'"say \"hi\""', 'say "hi"'),
        (r"'it\'s'", "it's"),
        (r'"C:\\dir"', "C:\\dir"),
        (r'"C:\dir"', "C:\\dir"),
        (r'"ends with \\"', "ends with \\"),
        ('""', ""),
        ("''", ""),
        ('"  padded  "', "  padded  "),
        ('"))(("', "))(("),
        ('"NEW"', "NEW"),
        ("O'Brien", "O'Brien"),
        ('12"', '12"'),
        ("  spaced out  ", "spaced out"),
        ("a:b:c", "a:b:c"),
        ("f(x)", "f(x)"),
        ("%ada%", "%ada%"),
        ("2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.000Z"),
        ("héllo wörld", "héllo wörld"),
    ],
)
def test_values(value: str, expected: str) -> None:
    assert parse_filter(f"name[eq]:{value}") == {"and": [{"name": {"eq": expected}}]}


def test_quoted_values_keep_conjunction_syntax_literal() -> None:
    text = 'or(name[eq]:"and(x,y)",name[eq]:",",name[eq]:")")'
    assert parse_filter(text) == {
        "or": [{"name": {"eq": "and(x,y)"}}, {"name": {"eq": ","}}, {"name": {"eq": ")"}}]
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[a,b]", ["a", "b"]),
        ("[ a , b ]", ["a", "b"]),
        ('["a,b",\'c]\',d]', ["a,b", "c]", "d"]),
        ('[""]', [""]),
        ("[single]", ["single"]),
        ("[]", []),
        ("[ ]", []),
        ('[x, "y", \'z\']', ["x", "y", "z"]),
        (r'["a\"b"]', ['a"b']),
    ],
)
def test_lists(value: str, expected: list[str]) -> None:
    assert parse_filter(f"id[in]:{value}") == {"and": [{"id": {"in": expected}}]}


def test_url_decoded_query_string() -> None:
    raw = "filter=" + quote('name.firstName[ilike]:"%ada%"', safe="")
    [decoded] = parse_qs(raw)["filter"]
    assert decoded == 'name.firstName[ilike]:"%ada%"'
    assert parse_filter(decoded) == {"and": [{"name": {"firstName": {"ilike": "%ada%"}}}]}


def test_nesting_up_to_the_limit() -> None:
    text = "not(" * MAX_DEPTH + "a[eq]:1" + ")" * MAX_DEPTH
    result: Any = parse_filter(text)
    for _ in range(MAX_DEPTH):
        result = result["not"]
    assert result == {"a": {"eq": "1"}}


# --- rejected input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "'filter' invalid: the filter is empty"),
        ("   ", "'filter' invalid: the filter is empty"),
        ("and(a[eq]:1", "'filter' invalid: 1 close bracket is missing in the query"),
        ("and(or(a[eq]:1", "'filter' invalid: 2 close brackets are missing in the query"),
        ("a[eq]:1)", "'filter' invalid: 1 open bracket is missing in the query"),
        ("and(a[eq]:1))", "'filter' invalid: 1 open bracket is missing in the query"),
        (")and(a[eq]:1", "'filter' invalid: 1 open bracket is missing in the query"),
        ("price10", "'filter' invalid for 'price10'. eg: price[gte]:10"),
        ("price:10", "'filter' invalid for 'price:10'. eg: price[gte]:10"),
        ("price[gte]10", "'filter' invalid for 'price[gte]10'. eg: price[gte]:10"),
        ("price[gte:10", "'filter' invalid for 'price[gte:10'. eg: price[gte]:10"),
        ("a[eq]:1,price10", "'filter' invalid for 'price10'. eg: price[gte]:10"),
        ("(a[eq]:1)", "'filter' invalid for '(a[eq]:1)': invalid field name '(a'"),
        ("price[gtee]:10",
         f"'filter' invalid for 'price[gtee]:10': comparator gtee not in {ALL_COMPARATORS}"),
        ("price[EQ]:10",
         f"'filter' invalid for 'price[EQ]:10': comparator EQ not in {ALL_COMPARATORS}"),
        ("price[]:10",
         f"'filter' invalid for 'price[]:10': comparator  not in {ALL_COMPARATORS}"),
        ("id[in]:x", "'filter' invalid for 'id[in]:x': 'in' expects a list like [a,b]"),
        ('id[in]:"[a]"', "'filter' invalid for 'id[in]:\"[a]\"': 'in' expects a list like [a,b]"),
        ("tags[containsAny]:a",
         "'filter' invalid for 'tags[containsAny]:a': 'containsAny' expects a list like [a,b]"),
        ("id[eq]:[a,b]",
         "'filter' invalid for 'id[eq]:[a,b]': 'eq' expects a single value; "
         "quote a value that starts with '['"),
        ("id[is]:null", "'filter' invalid for 'id[is]:null': 'is' expects NULL or NOT_NULL"),
        ("id[is]:x", "'filter' invalid for 'id[is]:x': 'is' expects NULL or NOT_NULL"),
        ("not(a[eq]:1,b[eq]:2)",
         "'filter' invalid: 'not' must wrap exactly one condition, got 2 in "
         "'not(a[eq]:1,b[eq]:2)'"),
        ("not()", "'filter' invalid: 'not' must wrap exactly one condition in 'not()'"),
        ("and()", "'filter' invalid: 'and' must wrap at least one condition in 'and()'"),
        ("or( )", "'filter' invalid: 'or' must wrap at least one condition in 'or( )'"),
        ("xor(a[eq]:1,b[eq]:2)",
         "'filter' invalid: unknown conjunction 'xor' in 'xor(a[eq]:1,b[eq]:2)', "
         "expected one of and, or, not"),
        ("AND(a[eq]:1)",
         "'filter' invalid: unknown conjunction 'AND' in 'AND(a[eq]:1)', "
         "expected one of and, or, not"),
        ("and(a[eq]:1)x", "'filter' invalid: unexpected 'x' after 'and(a[eq]:1)'"),
        ("a[eq]:1,,b[eq]:2", "'filter' invalid: empty condition in 'a[eq]:1,,b[eq]:2'"),
        ("a[eq]:1,", "'filter' invalid: empty condition in 'a[eq]:1,'"),
        ("or(a[eq]:1,)", "'filter' invalid: empty condition in 'or(a[eq]:1,)'"),
        ('name[eq]:"ada', "'filter' invalid: unterminated quote in '\"ada'"),
        ("name[eq]:'ada", "'filter' invalid: unterminated quote in ''ada'"),
        (r'name[eq]:"ada\"', "'filter' invalid: unterminated quote in '\"ada\\\"'"),
        ('id[in]:[a,"b]', "'filter' invalid: unterminated quote in '\"b]'"),
        ("name[eq]:", "'filter' invalid for 'name[eq]:': missing value (use \"\" for an empty "
                      "string)"),
        ("name[eq]:   ", "'filter' invalid for 'name[eq]:': missing value (use \"\" for an "
                         "empty string)"),
        ('name[eq]:"a"b', "'filter' invalid for 'name[eq]:\"a\"b': unexpected 'b' after a "
                          "quoted value"),
        ("name[eq]:a]b", "'filter' invalid for 'name[eq]:a]b': unquoted value 'a]b' contains "
                         "'[' or ']'; quote it"),
        ("id[in]:[a,b", "'filter' invalid for 'id[in]:[a,b': the list is missing its "
                        "closing ']'"),
        ("id[in]:[a]b", "'filter' invalid for 'id[in]:[a]b': unexpected 'b' after the list"),
        ("id[in]:[a,,b]", "'filter' invalid for 'id[in]:[a,,b]': empty element in the list "
                          "(use \"\" for an empty string)"),
        ("id[in]:[a,[b]]", "'filter' invalid for 'id[in]:[a,[b]]': unquoted value '[b]' "
                           "contains '[' or ']'; quote it"),
        ("1st[eq]:1", "'filter' invalid for '1st[eq]:1': invalid field name '1st'"),
        ("first-name[eq]:1",
         "'filter' invalid for 'first-name[eq]:1': invalid field name 'first-name'"),
        ("a..b[eq]:1", "'filter' invalid for 'a..b[eq]:1': empty field name in path 'a..b'"),
        ("a.[eq]:1", "'filter' invalid for 'a.[eq]:1': empty field name in path 'a.'"),
        ("[eq]:1", "'filter' invalid for '[eq]:1': empty field name in path ''"),
        ('"a"[eq]:1', "'filter' invalid for '\"a\"[eq]:1': invalid field name '\"a\"'"),
    ],
)
def test_errors(text: str, message: str) -> None:
    assert bad(text) == message


def test_errors_point_inside_nested_conjunctions() -> None:
    assert bad("or(a[eq]:1,and(b[eq]:2,c[gtee]:3))").startswith(
        "'filter' invalid for 'c[gtee]:3': comparator gtee not in"
    )


def test_nesting_beyond_the_limit_is_rejected() -> None:
    depth = MAX_DEPTH + 1
    message = bad("not(" * depth + "a[eq]:1" + ")" * depth)
    assert message.startswith(f"'filter' invalid: conjunctions are nested more than {MAX_DEPTH}")


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    depth = 50_000
    assert "nested more than" in bad("and(" * depth + "a[eq]:1" + ")" * depth)


def test_huge_input_gives_a_short_message() -> None:
    assert len(bad("x" * 100_000)) < 150


# --- properties -----------------------------------------------------------------------------

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,7}", fullmatch=True)
spaces = st.sampled_from(["", "", " ", "  "])
tricky = st.sampled_from(
    [",", "(", ")", "[", "]", ":", '"', "'", "\\", "\\\\", '\\"', "a,b", " x ", "", "and(", "%"]
)
scalars = st.text(max_size=12) | tricky | st.lists(tricky, max_size=4).map("".join)
Rendered = tuple[str, Any]


@st.composite
def scalar(draw: st.DrawFn, value: str | None = None) -> Rendered:
    """A value rendered bare when that is unambiguous, else quoted with escapes."""
    text = draw(scalars) if value is None else value
    can_be_bare = text and text == text.strip() and not set(text) & set(",()[]\"'")
    style = draw(st.sampled_from(["bare", '"', "'"] if can_be_bare else ['"', "'"]))
    if style == "bare":
        return draw(spaces) + text + draw(spaces), text
    escaped = text.replace("\\", "\\\\").replace(style, "\\" + style)
    return draw(spaces) + style + escaped + style + draw(spaces), text


@st.composite
def conditions(draw: st.DrawFn) -> Rendered:
    path = draw(st.lists(names, min_size=1, max_size=3))
    comparator = draw(st.sampled_from(COMPARATORS))
    value: Any
    if comparator in ("in", "containsAny"):
        items = draw(st.lists(scalar(), max_size=4))
        rendered = "[" + ",".join(text for text, _ in items) + "]" if items else "[]"
        value = [item for _, item in items]
    elif comparator == "is":
        rendered, value = draw(scalar(draw(st.sampled_from(["NULL", "NOT_NULL"]))))
    else:
        rendered, value = draw(scalar())
    expected: Any = {comparator: value}
    for name in reversed(path):
        expected = {name: expected}
    return f"{'.'.join(path)}[{comparator}]:{rendered}", expected


@st.composite
def nodes(draw: st.DrawFn, depth: int = 0) -> Rendered:
    kind = draw(st.sampled_from(["cond"] if depth >= 4 else ["cond", "cond", "and", "or", "not"]))
    if kind == "cond":
        return draw(conditions())
    if kind == "not":
        text, expected = draw(nodes(depth + 1))
        return f"not({draw(spaces)}{text}{draw(spaces)})", {"not": expected}
    children = draw(st.lists(nodes(depth + 1), min_size=1, max_size=3))
    inner = ",".join(draw(spaces) + text + draw(spaces) for text, _ in children)
    return f"{kind}{draw(spaces)}({inner})", {kind: [expected for _, expected in children]}


@st.composite
def filters(draw: st.DrawFn) -> Rendered:
    """A whole filter: a lone conjunction stays as is; anything else is an implicit and."""
    parts = draw(st.lists(nodes(), min_size=1, max_size=3))
    text = ",".join(text for text, _ in parts)
    if len(parts) == 1 and parts[0][0].split("(")[0].strip() in ("and", "or", "not"):
        return text, parts[0][1]
    return text, {"and": [expected for _, expected in parts]}


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(filters())
def test_round_trip(case: Rendered) -> None:
    text, expected = case
    assert parse_filter(text) == expected


def check_parses_or_rejects(text: str) -> None:
    try:
        result = parse_filter(text)
    except BadUserInput as exc:
        assert exc.message.startswith("'filter' invalid")
    else:
        assert set(result) <= {"and", "or", "not"} and len(result) == 1


@settings(max_examples=500)
@given(st.text())
def test_any_text_parses_or_is_bad_user_input(text: str) -> None:
    check_parses_or_rejects(text)


@settings(max_examples=500)
@given(st.text(alphabet="ab.[]():,\"'\\ eqinotrNUL", max_size=40))
def test_grammar_soup_parses_or_is_bad_user_input(text: str) -> None:
    check_parses_or_rejects(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(filters(), st.data())
def test_mutated_filters_parse_or_are_bad_user_input(case: Rendered, data: st.DataObject) -> None:
    text = case[0]
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()) and at < len(text):
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + data.draw(st.sampled_from(list("[](),:\"'\\."))) + text[at:]
    check_parses_or_rejects(text)
