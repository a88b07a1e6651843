"""Custom scalars of the Core and Metadata schemas, with errors that say what was expected."""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from typing import Any

from ariadne import ScalarType
from graphql import GraphQLError
from graphql.language import ValueNode
from graphql.utilities import value_from_ast_untyped

from schema_builder.compile.cursors import format_datetime
from schema_builder.json_values import INT64_MAX, INT64_MIN

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The form `str(uuid.UUID(...))` gives back: such a value is already what the scalar returns.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _literal(parse: Any) -> Any:
    def parse_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> Any:
        try:
            return parse(value_from_ast_untyped(node, variables))
        except GraphQLError as error:  # graphql-core reports it as is: give it the literal's location
            raise GraphQLError(error.message, node) from None

    return parse_literal


def parse_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        if not isinstance(value, str):
            raise GraphQLError(f"DateTime expects an ISO 8601 string, got {value!r}")
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise GraphQLError(
                f"DateTime expects an ISO 8601 string like 2025-01-31T12:00:00Z, got {value!r}"
            ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    # BSON dates hold milliseconds: round now so what is read back equals what was written.
    return parsed.astimezone(dt.UTC).replace(microsecond=parsed.microsecond // 1000 * 1000)


def serialize_datetime(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    return str(value)


def parse_date(value: Any) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if not isinstance(value, str) or not _DATE.match(value):
        raise GraphQLError(f"Date expects a date like 2025-01-31, got {value!r}")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise GraphQLError(f"Date {value!r} is not a valid calendar date") from None
    return value


def parse_uuid(value: Any) -> str:
    """A UUID; Twenty's scalar words its refusals 'UUID must be a string' and 'Invalid UUID'."""
    if not isinstance(value, str):
        raise GraphQLError(f"UUID must be a string, got {value!r}")
    if _CANONICAL_UUID.fullmatch(value):  # most ids: no UUID built (0.25 against 1.7 us)
        return value
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise GraphQLError(f"Invalid UUID: '{value}' is not a valid UUID") from None


def parse_number(value: Any) -> int | float:
    """A BigFloat or Position: a finite number; an integer must fit in the 64 bits MongoDB stores."""
    number = _number(value)
    if isinstance(number, int) and not INT64_MIN <= number <= INT64_MAX:
        shown = f" {number}" if number.bit_length() < 128 else ""
        raise GraphQLError(
            f"the integer{shown} is out of range: integers must be between {INT64_MIN} and {INT64_MAX} "
            "(64 bits); send a larger number with an exponent (e.g. 1.5e+30) to store it as a floating-point number"
        )
    return number


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise GraphQLError(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise GraphQLError("expected a finite number")
        return int(value) if value.is_integer() and abs(value) < 2**63 else value
    if isinstance(value, str):
        try:
            return _number(float(value)) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            pass
    raise GraphQLError(f"expected a number, got {value!r}")


def parse_bigint(value: Any) -> int:
    number = _number(value)
    if not isinstance(number, int) or not -(2**63) <= number < 2**63:
        raise GraphQLError(f"BigInt expects a 64-bit integer, got {value!r}")
    return number


def _identity(value: Any) -> Any:
    return value


def _string(name: str) -> Any:
    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise GraphQLError(f"{name} expects a string, got {value!r}")
        return value

    return parse


def _scalar(name: str, serialize: Any, parse: Any) -> ScalarType:
    return ScalarType(name, serializer=serialize, value_parser=parse, literal_parser=_literal(parse))


def scalars() -> list[ScalarType]:
    return [
        _scalar("DateTime", serialize_datetime, parse_datetime),
        _scalar("Date", str, parse_date),
        _scalar("UUID", str, parse_uuid),
        _scalar("JSON", _identity, _identity),
        _scalar("BigFloat", _identity, parse_number),
        _scalar("BigInt", _identity, parse_bigint),
        _scalar("Position", _identity, parse_number),
        _scalar("Cursor", str, _string("Cursor")),
        _scalar("ConnectionCursor", str, _string("ConnectionCursor")),
        _scalar("TSVector", str, _string("TSVector")),
    ]
