"""Parsers for REST's scalar query and path parameters (`limit`, `depth`, flags, ids).

Each one rejects bad input with a `BadUserInput` naming the value, rather than letting a
ValueError surface as a 500.
"""

from __future__ import annotations

import re

from rest_shim.filter_parser import snip
from schema_builder.errors import BadUserInput

_DIGITS = re.compile(r"[0-9]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def parse_limit(raw: str | None, default: int, maximum: int) -> int:
    """A page size >= 0: `default` when absent, clamped to `maximum`."""
    if raw is None:
        return min(default, maximum)
    text = raw.strip()
    if text.startswith("-") and _DIGITS.fullmatch(text[1:]):
        raise BadUserInput(f"limit '{snip(raw)}' is invalid. Should be a non-negative integer")
    if not _DIGITS.fullmatch(text):
        raise BadUserInput(f"limit '{snip(raw)}' is invalid. Should be an integer")
    # int() refuses very long digit strings; anything that long is above any maximum anyway.
    return maximum if len(text) > 18 else min(int(text), maximum)


def parse_depth(raw: str | None) -> int:
    """How many levels of relations to embed: 0 (default) or 1."""
    if raw is None:
        return 0
    if raw.strip() in ("0", "1"):
        return int(raw.strip())
    raise BadUserInput(f"depth '{snip(raw)}' is invalid. Should be 0 or 1")


def parse_bool_flag(name: str, raw: str | None) -> bool:
    """A boolean query flag: absent or `false` is False, `true` is True (case-insensitive)."""
    if raw is None:
        return False
    value = raw.strip().lower()
    if value in ("true", "false"):
        return value == "true"
    raise BadUserInput(f"'{name}' must be true or false, got '{snip(raw)}'")


def parse_uuid(raw: str) -> str:
    """The canonical lower-case form of a hyphenated UUID (the only form Twenty accepts)."""
    if not _UUID.fullmatch(raw):
        raise BadUserInput(f"'{snip(raw)}' is not a valid UUID")
    return raw.lower()


def parse_fields(values: list[str], known: list[str], object_name: str) -> frozenset[str] | None:
    """REST's `fields=a,b` (repeatable): the field names to answer with, as Twenty reads them
    (trimmed, empty entries and duplicates dropped; every name a field of the object)."""
    if not values:
        return None
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    if not names:
        raise BadUserInput(
            "'fields' parameter is empty. Expected a comma-separated list of field names, e.g. fields=id,name"
        )
    unknown = [name for name in dict.fromkeys(names) if name not in known]
    if unknown:
        raise BadUserInput(
            f"'fields' parameter invalid. Unknown or unreadable fields on '{object_name}': "
            + ", ".join(snip(name) for name in unknown)
        )
    return frozenset(names)
