"""Parse Twenty's REST `order_by` query parameter into GraphQL `orderBy` items.

`createdAt[DescNullsLast],name.lastName` becomes
`[{"createdAt": "DescNullsLast"}, {"name": {"lastName": "AscNullsFirst"}}]`.
The id tie-breaker is not added here: the GraphQL layer appends it for every query.
"""

from __future__ import annotations

import re
from typing import Any

from rest_shim.filter_parser import nest, snip, split_path
from schema_builder.errors import BadUserInput

DIRECTIONS = ("AscNullsFirst", "AscNullsLast", "DescNullsFirst", "DescNullsLast")
DEFAULT_DIRECTION = "AscNullsFirst"
_ITEM = re.compile(r"(?P<path>[^\[\]]*)(?:\[(?P<direction>[^\[\]]*)\])?", re.DOTALL)


def parse_order_by(text: str) -> list[dict[str, Any]]:
    """Parse `path[Direction]` items separated by commas; a bare path sorts AscNullsFirst."""
    if not text.strip():
        raise BadUserInput("'order_by' invalid: the order is empty")
    items = text.split(",")
    if any(not item.strip() for item in items):
        raise BadUserInput(f"'order_by' invalid: empty item in '{snip(text.strip())}'")
    return [_parse_item(item.strip()) for item in items]


def _parse_item(item: str) -> dict[str, Any]:
    match = _ITEM.fullmatch(item)
    if match is None:
        raise BadUserInput(
            f"'order_by' invalid for '{snip(item)}'. eg: createdAt[DescNullsLast] or name"
        )
    try:
        names = split_path(match["path"])
    except ValueError as exc:
        raise BadUserInput(f"'order_by' invalid for '{snip(item)}': {exc}") from None
    direction = DEFAULT_DIRECTION if match["direction"] is None else match["direction"].strip()
    if direction not in DIRECTIONS:
        raise BadUserInput(
            f"'order_by' invalid for '{snip(item)}': unknown direction '{snip(direction)}', "
            "expected one of " + ", ".join(DIRECTIONS)
        )
    return nest(names, direction)
