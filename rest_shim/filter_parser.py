"""Parse Twenty's REST `filter` query parameter into the GraphQL filter shape.

`or(stage[eq]:"NEW",amount.amountMicros[gt]:10)` becomes
`{"or": [{"stage": {"eq": "NEW"}}, {"amount": {"amountMicros": {"gt": "10"}}}]}`.
Values stay strings: they are typed later against the schema, where field types are known.
The parser is pure (no I/O) and every error is a `BadUserInput` quoting the offending text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from schema_builder.errors import BadUserInput

COMPARATORS = (
    "eq", "neq", "in", "containsAny", "is", "gt", "gte", "lt", "lte",
    "startsWith", "endsWith", "like", "ilike", "containsIlike", "isEmptyArray",
)
CONJUNCTIONS = ("and", "or", "not")
LIST_COMPARATORS = frozenset({"in", "containsAny"})
IS_VALUES = frozenset({"NULL", "NOT_NULL"})
MAX_DEPTH = 32

_QUOTES = "\"'"
# A quote opens a quoted string only where a value (or a whole condition) starts, so that a
# bare value such as O'Brien keeps its apostrophe.
_QUOTE_OPENERS = frozenset(":[,(")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BASE = re.compile(r"(?P<path>[^\[\]]*)\[(?P<op>[^\[\]]*)\]\s*:(?P<value>.*)", re.DOTALL)
_ESCAPE = re.compile(r"\\([\\\"'])")
_Token = tuple[str, int, int]  # kind ("(", ")", "," or "text"), start, end


def parse_filter(text: str) -> dict[str, Any]:
    """Parse a whole `filter` value; the result always has a conjunction at its root.

    A bare condition or a top-level comma list is wrapped in `{"and": [...]}`, as Twenty does.
    """
    if not text.strip():
        raise _invalid("the filter is empty")
    return _Parser(text).parse()


def split_path(path: str) -> list[str]:
    """Split a dotted field path (`name.firstName`); ValueError says which name is bad."""
    names = [name.strip() for name in path.split(".")]
    for name in names:
        if not name:
            raise ValueError(f"empty field name in path '{snip(path.strip())}'")
        if not _NAME.fullmatch(name):
            raise ValueError(f"invalid field name '{snip(name)}'")
    return names


def nest(names: list[str], leaf: Any) -> dict[str, Any]:
    """`["a", "b"], x` -> `{"a": {"b": x}}`: a path into the GraphQL input shape."""
    node: Any = leaf
    for name in reversed(names):
        node = {name: node}
    result: dict[str, Any] = node
    return result


def snip(text: str, limit: int = 80) -> str:
    """Shorten user text echoed in a message, so a huge input never makes a huge error."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _invalid(reason: str, condition: str | None = None) -> BadUserInput:
    if condition is None:
        return BadUserInput(f"'filter' invalid: {reason}")
    return BadUserInput(f"'filter' invalid for '{snip(condition.strip())}': {reason}")


def _quote_end(text: str, start: int) -> int:
    """Index just past the quoted string opening at `start`; a backslash escapes one char."""
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == quote:
            return i + 1
        else:
            i += 1
    raise _invalid(f"unterminated quote in '{snip(text[start:])}'")


def _unquote(quoted: str) -> str:
    return _ESCAPE.sub(r"\1", quoted[1:-1])


def _structure(text: str) -> Iterator[tuple[int, str]]:
    """Yield (index, char) for every character outside quoted strings."""
    i, previous = 0, ","
    while i < len(text):
        char = text[i]
        if char in _QUOTES and previous in _QUOTE_OPENERS:
            i, previous = _quote_end(text, i), char
            continue
        yield i, char
        if not char.isspace():
            previous = char
        i += 1


def _tokenize(text: str) -> tuple[list[_Token], dict[int, int]]:
    """Cut the text at parentheses and at commas outside quotes and square brackets.

    Returns the tokens (whitespace-only text dropped) and, for each "(" token, the index of
    its ")" token. One pass, so nested conjunctions never make parsing quadratic.
    """
    tokens: list[_Token] = []
    partner: dict[int, int] = {}
    opened: list[int] = []
    missing_open, brackets, previous_end = 0, 0, 0
    for i, char in _structure(text):
        if char == "[":
            brackets += 1
        elif char == "]":
            brackets = max(0, brackets - 1)
        if char not in "()" and (char != "," or brackets):
            continue
        if text[previous_end:i].strip():
            tokens.append(("text", previous_end, i))
        if char == "(":
            opened.append(len(tokens))
        elif char == ")" and opened:
            partner[opened.pop()] = len(tokens)
        elif char == ")":
            missing_open += 1
        tokens.append((char, i, i + 1))
        previous_end = i + 1
    if text[previous_end:].strip():
        tokens.append(("text", previous_end, len(text)))
    for count, kind in ((missing_open, "open"), (len(opened), "close")):
        if count:
            verb = "is" if count == 1 else "are"
            plural = "" if count == 1 else "s"
            raise _invalid(f"{count} {kind} bracket{plural} {verb} missing in the query")
    return tokens, partner


class _Parser:
    """Recursive descent over the tokens: `items := node ("," node)*`, a node being a
    conjunction `name "(" items ")"` or a condition (every token up to the next "," or ")")."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens, self.partner = _tokenize(text)
        self.pos = 0

    def parse(self) -> dict[str, Any]:
        lone_conjunction = self._at_conjunction()
        nodes = self._items(1, self.text)
        if len(nodes) == 1 and lone_conjunction:
            return nodes[0]
        return {"and": nodes}

    def _kind(self, offset: int = 0) -> str:
        at = self.pos + offset
        return self.tokens[at][0] if at < len(self.tokens) else ""

    def _at_conjunction(self) -> bool:
        if self._kind() != "text" or self._kind(1) != "(":
            return False
        _, start, end = self.tokens[self.pos]
        return _NAME.fullmatch(self.text[start:end].strip()) is not None

    def _items(self, depth: int, context: str) -> list[dict[str, Any]]:
        nodes = [self._node(depth, context)]
        while self._kind() == ",":
            self.pos += 1
            nodes.append(self._node(depth, context))
        return nodes

    def _node(self, depth: int, context: str) -> dict[str, Any]:
        if self._kind() in (",", ")", ""):
            raise _invalid(f"empty condition in '{snip(context.strip())}'")
        if self._at_conjunction():
            return self._conjunction(depth)
        return _parse_condition(self._span())

    def _span(self) -> str:
        """The text of every token up to the next "," or ")" outside parentheses."""
        start, depth = self.tokens[self.pos][1], 0
        while self.pos < len(self.tokens):
            kind = self.tokens[self.pos][0]
            if kind in (",", ")") and depth == 0:
                break
            depth += {"(": 1, ")": -1}.get(kind, 0)
            self.pos += 1
        return self.text[start : self.tokens[self.pos - 1][2]].strip()

    def _conjunction(self, depth: int) -> dict[str, Any]:
        _, start, end = self.tokens[self.pos]
        name, close = self.text[start:end].strip(), self.partner[self.pos + 1]
        whole = self.text[start : self.tokens[close][2]].strip()
        if name not in CONJUNCTIONS:
            raise _invalid(
                f"unknown conjunction '{name}' in '{snip(whole)}', expected one of "
                + ", ".join(CONJUNCTIONS)
            )
        if depth > MAX_DEPTH:
            raise _invalid(
                f"conjunctions are nested more than {MAX_DEPTH} levels deep at '{snip(whole)}'"
            )
        self.pos += 2
        if self.pos == close:
            count = "exactly one" if name == "not" else "at least one"
            raise _invalid(f"'{name}' must wrap {count} condition in '{snip(whole)}'")
        nodes = self._items(depth + 1, whole)
        self.pos = close + 1
        if self._kind() not in (",", ")", ""):
            raise _invalid(f"unexpected '{snip(self._span())}' after '{snip(whole)}'")
        if name != "not":
            return {name: nodes}
        if len(nodes) != 1:
            raise _invalid(
                f"'not' must wrap exactly one condition, got {len(nodes)} in '{snip(whole)}'"
            )
        return {"not": nodes[0]}


def _split(text: str) -> list[str]:
    """Split a list's items on commas outside quotes, parentheses and square brackets."""
    parts, start, parens, brackets = [], 0, 0, 0
    for i, char in _structure(text):
        if char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == "[":
            brackets += 1
        elif char == "]":
            brackets = max(0, brackets - 1)
        elif char == "," and parens == 0 and brackets == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _list_end(text: str) -> int | None:
    """Index of the "]" closing the list that opens at text[0], quotes skipped."""
    depth = 0
    for i, char in _structure(text):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0:
            return i
    return None


def _parse_condition(text: str) -> dict[str, Any]:
    match = _BASE.fullmatch(text)
    if match is None:
        raise BadUserInput(f"'filter' invalid for '{snip(text)}'. eg: price[gte]:10")
    try:
        names = split_path(match["path"])
    except ValueError as exc:
        raise _invalid(str(exc), text) from None
    op = match["op"].strip()
    if op not in COMPARATORS:
        # Twenty's words: "comparator <op> not in <comparators>".
        raise _invalid(f"comparator {snip(op)} not in " + ", ".join(COMPARATORS), text)
    value = _parse_value(match["value"].strip(), text)
    if op in LIST_COMPARATORS and not isinstance(value, list):
        raise _invalid(f"'{op}' expects a list like [a,b]", text)
    if op not in LIST_COMPARATORS and isinstance(value, list):
        raise _invalid(f"'{op}' expects a single value; quote a value that starts with '['", text)
    if op == "is" and value not in IS_VALUES:
        raise _invalid("'is' expects NULL or NOT_NULL", text)
    return nest(names, {op: value})


def _parse_value(raw: str, condition: str) -> str | list[str]:
    if not raw.startswith("["):
        return _parse_scalar(raw, condition)
    close = _list_end(raw)
    if close is None:
        raise _invalid("the list is missing its closing ']'", condition)
    if raw[close + 1 :].strip():
        raise _invalid(f"unexpected '{snip(raw[close + 1 :].strip())}' after the list", condition)
    inner = raw[1:close]
    if not inner.strip():
        return []
    return [_parse_scalar(item.strip(), condition, in_list=True) for item in _split(inner)]


def _parse_scalar(raw: str, condition: str, in_list: bool = False) -> str:
    if not raw:
        if in_list:
            raise _invalid('empty element in the list (use "" for an empty string)', condition)
        raise _invalid('missing value (use "" for an empty string)', condition)
    if raw[0] in _QUOTES:
        end = _quote_end(raw, 0)
        if raw[end:].strip():
            raise _invalid(
                f"unexpected '{snip(raw[end:].strip())}' after a quoted value", condition
            )
        return _unquote(raw[:end])
    if "[" in raw or "]" in raw:
        raise _invalid(f"unquoted value '{snip(raw)}' contains '[' or ']'; quote it", condition)
    return raw
