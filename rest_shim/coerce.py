"""Type REST's `filter` and `order_by` against the object's GraphQL input types.

The parsers leave every value a string (`employees[gt]:10` gives `{"gt": "10"}`), because
only the schema knows that `employees` is a number. Walking `<X>FilterInput` alongside the
parsed value turns each string into what its GraphQL type needs, so GraphQL's variable
coercion accepts it, and a value that cannot be converted (or a field or operator that does
not exist) is a 400 naming the field and value rather than a GraphQL coercion message.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
)

from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import ObjectMeta, pascal

from .filter_parser import COMPARATORS, snip

_OPERATORS = frozenset(COMPARATORS)
_INT32 = range(-(2**31), 2**31)
_INT64 = range(-(2**63), 2**63)


def _input_object(schema: GraphQLSchema, name: str) -> GraphQLInputObjectType:
    found = schema.get_type(name)
    if not isinstance(found, GraphQLInputObjectType):
        raise LookupError(f"the schema has no input type {name}")
    return found


def _nullable(type_: GraphQLInputType) -> GraphQLInputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _is_operator_type(type_: GraphQLInputObjectType) -> bool:
    """A leaf filter (`StringFilter`, `PersonCityEnumFilter`…): its fields are operators."""
    return all(not isinstance(get_named_type(f.type), GraphQLInputObjectType) for f in type_.fields.values())


def _unknown(param: str, what: str, key: str, where: str, known: Mapping[str, Any]) -> BadUserInput:
    hint = difflib.get_close_matches(key, list(known), n=1)
    suggestion = f". Did you mean '{hint[0]}'?" if hint else ""
    return BadUserInput(f"'{param}' invalid: unknown {what} '{snip(key)}' on {where}{suggestion}")


def _missing_field(key: str, where: str, known: Mapping[str, Any], why: str = "") -> BadUserInput:
    """Twenty's words for a filter on a field the object does not have (or cannot compare)."""
    hint = difflib.get_close_matches(key, list(known), n=1)
    suggestion = f" Did you mean '{hint[0]}'?" if hint else ""
    return BadUserInput(f"'filter' invalid: field '{snip(key)}' does not exist in '{where}' object{why}.{suggestion}")


def coerce_filter(schema: GraphQLSchema, obj: ObjectMeta, parsed: Mapping[str, Any]) -> dict[str, Any]:
    """The parsed filter with every leaf typed for `<X>FilterInput`."""
    return _FilterWalker(schema).walk(parsed, _input_object(schema, f"{pascal(obj.name_singular)}FilterInput"),
                                      obj.name_singular, ())


class _FilterWalker:
    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema

    def walk(self, node: Any, type_: GraphQLInputObjectType, where: str, path: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(node, Mapping):
            raise BadUserInput(f"'filter' invalid: {'.'.join(path) or where} needs conditions, got a value")
        out: dict[str, Any] = {}
        for key, value in node.items():
            field = type_.fields.get(key)
            if field is None:
                if "and" not in type_.fields:  # a composite field: name its sub-fields
                    raise BadUserInput(
                        f"'filter' invalid: unknown sub-field '{snip(key)}' on {where}, a composite field; "
                        "filter on one of " + ", ".join(f"{where.split('.', 1)[1]}.{sub}" for sub in type_.fields)
                    )
                raise _missing_field(key, where, type_.fields)
            out[key] = self._field(key, field, value, where, path)
        return out

    def _field(self, key: str, field: GraphQLInputField, value: Any, where: str, path: tuple[str, ...]) -> Any:
        type_ = _nullable(field.type)
        if isinstance(type_, GraphQLList):  # and / or
            inner = get_named_type(type_)
            assert isinstance(inner, GraphQLInputObjectType)
            if not isinstance(value, list):
                raise BadUserInput(f"'filter' invalid: '{key}' needs a list of conditions")
            return [self.walk(item, inner, where, path) for item in value]
        assert isinstance(type_, GraphQLInputObjectType)
        if key == "not":
            return self.walk(value, type_, where, path)
        if _is_operator_type(type_):
            return self._operators(value, type_, (*path, key))
        if "and" in type_.fields and isinstance(value, Mapping) and any(op in _OPERATORS for op in value):
            # An operator on a relation: the relation is no value to compare (its id column is).
            raise _missing_field(key, where, {}, f" as a value: compare '{key}Id', or a field of the related record")
        return self.walk(value, type_, ".".join((where, key)), (*path, key))

    def _operators(self, node: Any, type_: GraphQLInputObjectType, path: tuple[str, ...]) -> dict[str, Any]:
        name = ".".join(path)
        if not isinstance(node, Mapping):
            raise BadUserInput(f"'filter' invalid: {name} needs an operator, e.g. {name}[eq]:value")
        out: dict[str, Any] = {}
        for op, value in node.items():
            field = type_.fields.get(op)
            if field is None:
                if isinstance(value, Mapping):  # a path going on below a field that has no sub-fields
                    raise BadUserInput(f"'filter' invalid: {name} has no sub-field '{snip(op)}'")
                raise BadUserInput(
                    f"'filter' invalid: operator '{snip(op)}' is not supported for {name}, expected one of "
                    + ", ".join(type_.fields)
                )
            out[op] = _leaf(_nullable(field.type), value, f"{name}[{op}]")
        return out


def _leaf(type_: GraphQLInputType, value: Any, label: str) -> Any:
    if isinstance(type_, GraphQLList):
        if not isinstance(value, list):
            raise BadUserInput(f"'filter' invalid: {label} expects a list like [a,b]")
        return [_leaf(_nullable(type_.of_type), item, label) for item in value]
    if isinstance(value, list):
        raise BadUserInput(f"'filter' invalid: {label} expects a single value, not a list")
    if not isinstance(value, str):  # already typed (a caller other than the parser)
        return value
    named = get_named_type(type_)
    return convert(named, value, label, "filter")


# The Postgres type names Twenty's errors quote for a value of the wrong syntax.
_SQL_TYPES = {"UUID": "uuid", "DateTime": "timestamp with time zone", "Date": "date"}


def convert(named: GraphQLNamedType, text: str, label: str, param: str) -> Any:
    """One string as the input value of a scalar or enum type, or a 400 saying why not (in
    Twenty's words where Twenty's REST has words for it)."""
    if isinstance(named, GraphQLEnumType):
        if text not in named.values:
            field = label.split("[", 1)[0].rsplit(".", 1)[-1]
            raise BadUserInput(
                f"'{param}' invalid: invalid input value for enum {named.name}: enum value '{snip(text)}' not "
                f"available in '{field}' enum. Available enum values are: " + ", ".join(named.values)
            )
        return text
    kind = named.name
    if kind in ("Float", "BigFloat", "Position"):
        return _number(text, label, param)
    if kind in ("Int", "BigInt"):
        bounds = _INT32 if kind == "Int" else _INT64
        try:
            number = int(text.strip())
        except ValueError:
            raise BadUserInput(f"'{param}' invalid: '{snip(text)}' is not an integer for {label}") from None
        if number not in bounds:
            raise BadUserInput(f"'{param}' invalid: {snip(text)} is out of range for {label} ({kind})")
        return number
    if kind == "Boolean":
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise BadUserInput(f"'{param}' invalid: '{snip(text)}' is not a boolean (true or false) for {label}")
        return lowered == "true"
    if isinstance(named, GraphQLScalarType) and kind not in ("String", "ID"):
        try:  # DateTime, Date, UUID…: checked now for a clear message, passed on as text
            named.parse_value(text)
        except (GraphQLError, ValueError, TypeError) as exc:
            reason = exc.message if isinstance(exc, GraphQLError) else str(exc)
            if kind in _SQL_TYPES:
                raise BadUserInput(
                    f"'{param}' invalid: invalid input syntax for type {_SQL_TYPES[kind]}: \"{snip(text)}\" "
                    f"for {label} ({reason})"
                ) from None
            raise BadUserInput(
                f"'{param}' invalid: '{snip(text)}' is not a valid {kind} for {label} ({reason})"
            ) from None
    return text


def _number(text: str, label: str, param: str) -> int | float:
    stripped = text.strip()
    try:
        number = float(stripped)
    except ValueError:
        raise BadUserInput(f"'{param}' invalid: '{snip(text)}' is not a number for {label}") from None
    if not math.isfinite(number):
        raise BadUserInput(f"'{param}' invalid: '{snip(text)}' is not a finite number for {label}")
    try:
        return int(stripped)  # exact for big integers (amountMicros)
    except ValueError:
        return number


def coerce_order_by(schema: GraphQLSchema, obj: ObjectMeta, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check each `order_by` item against `<X>OrderByInput` (the parser already checked directions)."""
    root = _input_object(schema, f"{pascal(obj.name_singular)}OrderByInput")
    return [_order_node(item, root, obj.name_singular, ()) for item in items]


def _order_node(node: Mapping[str, Any], type_: GraphQLInputObjectType, where: str, path: tuple[str, ...]) -> Any:
    out: dict[str, Any] = {}
    for key, value in node.items():
        field = type_.fields.get(key)
        if field is None:
            raise _unknown("order_by", "or unsortable field", key, where, type_.fields)
        named = get_named_type(field.type)
        name = ".".join((*path, key))
        if isinstance(named, GraphQLInputObjectType):
            if not isinstance(value, Mapping):
                raise BadUserInput(
                    f"'order_by' invalid: '{name}' is a composite field; order by one of its sub-fields: "
                    + ", ".join(f"{name}.{sub}" for sub in named.fields)
                )
            out[key] = _order_node(value, named, f"{where}.{key}", (*path, key))
        elif isinstance(value, Mapping):
            raise BadUserInput(f"'order_by' invalid: '{name}' has no sub-field '{snip(next(iter(value), ''))}'")
        else:
            out[key] = convert(named, value, name, "order_by")
    return out


def check_record(schema: GraphQLSchema, obj: ObjectMeta, record: Mapping[str, Any], kind: str) -> None:
    """A record to write (`kind` "Create" or "Update") names only fields it may write and
    holds only known options in its SELECT, MULTI_SELECT and RATING fields; otherwise a 400
    naming the field (and, for an option, the valid values, in Twenty's REST words)."""
    writable = _input_object(schema, f"{pascal(obj.name_singular)}{kind}Input").fields
    for name in record:
        if name not in writable:
            hint = difflib.get_close_matches(name, list(writable), n=1)
            suggestion = f" Did you mean '{hint[0]}'?" if hint else ""
            if obj.field(name) is None:
                problem = f"does not exist in '{obj.name_singular}' object"
            else:
                problem = f"cannot be written (a field of '{obj.name_singular}' the server maintains)"
            raise BadUserInput(f"field '{snip(name)}' {problem}.{suggestion}")
    for name, value in record.items():
        meta = obj.field(name)
        if meta is None or not meta.is_enum or value is None:
            continue
        allowed = meta.option_values
        for item in value if isinstance(value, list) else [value]:
            if item not in allowed:
                shown = item if isinstance(item, str) else repr(item)
                raise BadUserInput(
                    f'Invalid value "{snip(str(shown))}" for field "{name}". Valid values are: ' + ", ".join(allowed)
                )
