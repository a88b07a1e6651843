"""Checks of JSON values before they are stored (pure).

GraphQL's `JSON` scalar admits any value; MongoDB does not store every one: BSON cannot
encode a key holding a NUL byte or an integer beyond 64 bits, and bounds the nesting of a
document. Keys that begin with '$' or hold a '.' are refused as well: MongoDB reads them as
operators and paths, so such a value could perhaps be stored but not filtered, updated or
projected reliably. Every refusal names the field, the place in the value and the rule.

Some composite sub-fields are `JSON` in GraphQL (as in Twenty) but hold lists of a known
shape (`emails.additionalEmails`, `links.secondaryLinks`, `phones.additionalPhones`):
`check_list` enforces that shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schema_builder.errors import BadUserInput
from schema_builder.metadata.field_types import ListOf

# Levels of nesting allowed inside one JSON value; BSON allows 100 for a whole document,
# which also holds the record and, for a sub-field, its composite value.
MAX_DEPTH = 32
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_SHOWN = 40  # characters of a refused key shown in a message


def kind(value: Any) -> str:
    """The JSON type of a value, for messages: 'an object', 'a number', …"""
    if value is None:
        return "null"
    kinds = ((bool, "a boolean"), (str, "a string"), (int | float, "a number"), (Mapping, "an object"))
    found = next((name for cls, name in kinds if isinstance(value, cls)), None)
    return found or ("a list" if isinstance(value, list) else "a value")


def show(key: str) -> str:
    """A key as a message quotes it: repr (so control characters are visible), shortened."""
    return repr(key if len(key) <= _SHOWN else key[:_SHOWN] + "…")


def check_storable(value: Any, path: str, label: str) -> None:
    """Refuse a JSON value MongoDB cannot store faithfully.

    `path` names the value's root in messages (`payload`, then `payload.lines[0]`, …) and
    `label` what it belongs to, e.g. "field 'payload' of 'invoice'".
    """
    _walk(value, path, label, 0)


def _walk(value: Any, path: str, label: str, depth: int) -> None:
    if isinstance(value, Mapping | list) and depth >= MAX_DEPTH:
        raise BadUserInput(f"{label} is nested too deeply at {path}: at most {MAX_DEPTH} levels")
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_key(key, path, label)
            _walk(item, f"{path}.{key if len(key) <= _SHOWN else key[:_SHOWN] + '…'}", label, depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{path}[{i}]", label, depth + 1)
    elif isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
        raise BadUserInput(
            f"{label}: the integer at {path} is out of range; integers must be between "
            f"{INT64_MIN} and {INT64_MAX} (64 bits): send a larger number as a string or with an exponent (1e+30)"
        )


def _check_key(key: Any, path: str, label: str) -> None:
    if not isinstance(key, str):
        raise BadUserInput(f"{label}: key {key!r} at {path} must be a string")
    rule = None
    if "\x00" in key:
        rule = "keys must not contain the NUL character (\\u0000)"
    elif key.startswith("$"):
        rule = "keys must not begin with '$' (MongoDB reads them as operators)"
    elif "." in key:
        rule = "keys must not contain '.' (MongoDB reads it as a path separator)"
    if rule is not None:
        raise BadUserInput(f"{label}: key {show(key)} at {path} cannot be stored: {rule}")


def describe(items: ListOf) -> str:
    if not items.keys:
        return "a list of strings"
    return f"a list of objects {{{', '.join(items.keys)}}} whose values are strings or null"


def check_list(value: Any, items: ListOf, field: str, owner: str) -> None:
    """A list-valued sub-field: null, or a list of the shape `items` describes."""
    if value is None:
        return
    expected = f"field '{field}' of '{owner}' expects {describe(items)}, or null"
    if not isinstance(value, list):
        raise BadUserInput(f"{expected}; got {kind(value)}")
    for i, item in enumerate(value):
        if not items.keys:
            if not isinstance(item, str):
                raise BadUserInput(f"{expected}; item {i} is {kind(item)}")
            continue
        if not isinstance(item, Mapping):
            raise BadUserInput(f"{expected}; item {i} is {kind(item)}")
        for key, sub in item.items():
            if key not in items.keys:
                raise BadUserInput(f"{expected}; item {i} has the unknown key {show(str(key))}")
            if sub is not None and not isinstance(sub, str):
                raise BadUserInput(f"{expected}; '{key}' of item {i} is {kind(sub)}")


def check_text_length(value: Any, path: str, label: str, max_length: int | None) -> None:
    """Refuse a text value (or a text inside a composite or list value) longer than `max_length`."""
    if max_length is None:
        return
    if isinstance(value, str):
        if len(value) > max_length:
            raise BadUserInput(
                f"{label}: the text at {path} is {len(value)} characters long; at most {max_length} are allowed "
                "(DOCGATE_MAX_TEXT_LENGTH)"
            )
    elif isinstance(value, Mapping):
        for key, item in value.items():
            check_text_length(item, f"{path}.{key}", label, max_length)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_text_length(item, f"{path}[{i}]", label, max_length)
