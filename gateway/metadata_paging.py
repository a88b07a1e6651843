"""Filters and cursor paging of the `/metadata` lists, in the style of nestjs-query.

A workspace's metadata is small (hundreds of documents) and loaded whole once per request,
so filtering and paging happen in memory over documents ordered by id (ids are
time-ordered, so this is creation order).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from schema_builder.errors import BadUserInput

Doc = Mapping[str, Any]


def encode_cursor(doc_id: str) -> str:
    return base64.b64encode(json.dumps({"id": doc_id}, separators=(",", ":")).encode()).decode("ascii")


def decode_cursor(cursor: Any) -> str:
    try:
        data = json.loads(base64.b64decode(str(cursor).encode("ascii"), validate=True).decode())
    except (ValueError, UnicodeError, binascii.Error):
        raise BadUserInput(f"Invalid cursor '{str(cursor)[:40]}': use a cursor this API returned") from None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise BadUserInput(f"Invalid cursor '{str(cursor)[:40]}': use a cursor this API returned")
    return str(data["id"])


def _like(pattern: Any, flags: int = 0) -> re.Pattern[str]:
    """SQL LIKE as a regular expression: % any run, _ one character."""
    parts = (".*" if c == "%" else "." if c == "_" else re.escape(c) for c in str(pattern))
    return re.compile("^" + "".join(parts) + "$", flags | re.DOTALL)


def _ordered(value: Any, arg: Any, op: str) -> bool:
    if value is None or arg is None:
        return False
    left, right = str(value), str(arg)
    return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[op]


def _compare(value: Any, comparison: Mapping[str, Any], normalize: Callable[[Any], Any]) -> bool:
    for op, arg in comparison.items():
        if arg is None and op not in ("is", "isNot"):
            continue
        if op == "eq" and value != normalize(arg):
            return False
        if op == "neq" and value == normalize(arg):
            return False
        if op == "in" and value not in {normalize(a) for a in arg}:
            return False
        if op == "notIn" and value in {normalize(a) for a in arg}:
            return False
        if op in ("gt", "gte", "lt", "lte") and not _ordered(value, normalize(arg), op):
            return False
        if op in ("like", "iLike", "notLike", "notILike"):
            found = value is not None and bool(_like(arg, re.IGNORECASE if "I" in op else 0).match(str(value)))
            if found == op.startswith("not"):
                return False
        if op == "is" and value is not arg and not (arg is not None and bool(value) is arg):
            return False
        if op == "isNot" and (value is arg or (arg is not None and bool(value) is arg)):
            return False
    return True


def matches(
    doc: Doc,
    flt: Mapping[str, Any] | None,
    normalizers: Mapping[str, Callable[[Any], Any]],
    values: Mapping[str, Callable[[Doc], Any]] | None = None,
) -> bool:
    """Whether a document satisfies a filter (`and`/`or` lists and per-field comparisons);
    `values` computes the properties a document does not store as they are filtered."""
    if not flt:
        return True
    for key, comparison in flt.items():
        if comparison is None:
            continue
        if key == "and":
            if not all(matches(doc, f, normalizers, values) for f in comparison):
                return False
        elif key == "or":
            if comparison and not any(matches(doc, f, normalizers, values) for f in comparison):
                return False
        else:
            getter = (values or {}).get(key)
            value = getter(doc) if getter is not None else doc.get("_id" if key == "id" else key)
            if not _compare(value, comparison, normalizers.get(key, _same)):
                return False
    return True


def _same(value: Any) -> Any:
    return value


def _count(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or value < 0:
        raise BadUserInput(f"paging.{name} must be a non-negative integer, got {value!r}")
    return value


def connection(
    docs: Sequence[Doc],
    paging: Mapping[str, Any] | None,
    flt: Mapping[str, Any] | None = None,
    normalizers: Mapping[str, Callable[[Any], Any]] | None = None,
    values: Mapping[str, Callable[[Doc], Any]] | None = None,
) -> dict[str, Any]:
    """A Relay connection over `docs`: filtered, ordered by id, then cut by `paging`."""
    paging = paging or {}
    first, last = _count("first", paging.get("first")), _count("last", paging.get("last"))
    after = decode_cursor(paging["after"]) if paging.get("after") is not None else None
    before = decode_cursor(paging["before"]) if paging.get("before") is not None else None
    selected = sorted((d for d in docs if matches(d, flt, normalizers or {}, values)), key=lambda d: str(d["_id"]))
    total = len(selected)
    window = [d for d in selected if (after is None or d["_id"] > after) and (before is None or d["_id"] < before)]
    has_previous = after is not None and any(d["_id"] <= after for d in selected)
    has_next = before is not None and any(d["_id"] >= before for d in selected)
    if first is not None:
        has_next = has_next or len(window) > first
        window = window[:first]
    if last is not None:
        has_previous = has_previous or len(window) > last
        window = window[len(window) - last:] if last else []
    edges = [{"node": d, "cursor": encode_cursor(str(d["_id"]))} for d in window]
    return {
        "edges": edges,
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_previous,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
        "totalCount": total,
    }
