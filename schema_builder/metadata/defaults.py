"""Field default values in Twenty's syntax (pure): checked when a field is defined, turned
into record values when a record is created.

Twenty writes defaults as Postgres would: text is an SQL literal in single quotes (`"'FR'"`,
`"''"` for the empty string), a SELECT default is its quoted option value (`"'TODO'"`), a
MULTI_SELECT one a list of those, a composite default an object of sub-field defaults
(`{"currencyCode": "'USD'", "amountMicros": null}`), and two functions stand for values
computed per record: `now` (DATE_TIME, DATE) and `uuid` (UUID). The stored default keeps
Twenty's syntax (clients read back what they wrote); `record_default` gives the value it quotes.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from schema_builder.metadata.field_types import COMPOSITE_TYPES, ENUM_TYPES
from schema_builder.metadata.names import problem

QUOTED = re.compile(r"^'(.*)'$", re.DOTALL)
NOW, UUID_FUNCTION = "now", "uuid"
_CODE = "INVALID_FIELD_INPUT"
# Types whose default is stored as a quoted text literal.
_TEXT_LIKE = frozenset({"TEXT"})
_NUMBERS = frozenset({"NUMBER", "NUMERIC", "POSITION"})
_NO_DEFAULT = frozenset({"RELATION", "MORPH_RELATION", "TS_VECTOR", "FILES"})


def unquote(value: Any) -> Any:
    """The value an SQL literal quotes (`"'FR'"` → `"FR"`, `"''"` → `""`); other values as they are."""
    if isinstance(value, str):
        match = QUOTED.match(value)
        if match:
            return match.group(1).replace("''", "'")
    return value


def _is_quoted(value: Any) -> bool:
    return isinstance(value, str) and QUOTED.match(value) is not None


def _enum_problems(type_name: str, default: Any, values: set[str]) -> list[dict[str, Any]]:
    def one(item: Any) -> list[dict[str, Any]]:
        if not isinstance(item, str):
            return [problem(_CODE, f"Default value for select must be a string got {item}", item,
                            friendly="Default value must be a string")]
        found = []
        if not _is_quoted(item):
            found.append(problem(_CODE, "Default value should be as quoted string", item))
        if unquote(item) not in values:
            found.append(problem(_CODE, f'Default value "{item}" must be one of the option values', item))
        return found

    if type_name != "MULTI_SELECT":
        return one(default)
    if not isinstance(default, list):
        return [problem(_CODE, f"Default value for multi-select must be an array got {default}", default,
                        friendly="Multi-select field default value must be an array")]
    found = []
    if not default:
        found.append(problem(_CODE, "If defined default value must contain at least one value", default))
    if len({str(v) for v in default}) != len(default):
        found.append(problem(_CODE, "Default values must be unique", default))
    return found + [p for item in default for p in one(item)]


def _text_problem(default: Any, label: str) -> list[dict[str, Any]]:
    if _is_quoted(default):
        return []
    return [problem(_CODE, f"Default value of {label} must be a quoted string, such as \"'text'\" or \"''\"",
                    default, friendly="Default value should be as quoted string")]


def _composite_problems(type_name: str, default: Any) -> list[dict[str, Any]]:
    composite = COMPOSITE_TYPES[type_name]
    if not isinstance(default, Mapping):
        return [problem(_CODE, f"Default value of a {type_name} field must be an object of sub-field defaults",
                        default)]
    found = []
    for key, value in default.items():
        sub = composite.sub_field(key)
        if sub is None:
            found.append(problem(_CODE, f"Default value of a {type_name} field has no sub-field '{key}'", default))
        elif value is not None:
            found.extend(_atomic_problems(sub.type, value, f"sub-field '{key}'"))
    return found


def _atomic_problems(type_name: str, default: Any, label: str) -> list[dict[str, Any]]:
    if type_name in _TEXT_LIKE or type_name == "ACTOR_SOURCE":
        return _text_problem(default, label)
    if type_name in _NUMBERS:
        # A number, or an SQL literal quoting one ("'1000000'", as Twenty writes amountMicros).
        if _number(default) is None:
            return [problem(_CODE, f"Default value of {label} must be a number", default)]
        return []
    if type_name == "BOOLEAN":
        return [] if isinstance(default, bool) else [problem(_CODE, f"Default value of {label} must be a boolean",
                                                             default)]
    if type_name in ("DATE_TIME", "DATE"):
        if default == NOW or (_is_quoted(default) and _parses_as_date(unquote(default), type_name)):
            return []
        return [problem(_CODE, f"Default value of {label} must be \"now\" or a quoted ISO date", default)]
    if type_name == "UUID":
        if default == UUID_FUNCTION or (_is_quoted(default) and _parses_as_uuid(unquote(default))):
            return []
        return [problem(_CODE, f"Default value of {label} must be \"uuid\" or a quoted UUID", default)]
    if type_name == "ARRAY":
        if isinstance(default, list) and all(_is_quoted(v) for v in default):
            return []
        return [problem(_CODE, f"Default value of {label} must be a list of quoted strings", default)]
    return []  # RAW_JSON: any JSON value


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if _is_quoted(value):
        text = str(unquote(value)).strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
            return number if number == number and abs(number) != float("inf") else None
    return None


def _parses_as_date(text: str, type_name: str) -> bool:
    try:
        if type_name == "DATE":
            dt.date.fromisoformat(text)
        else:
            dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _parses_as_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def default_problems(type_name: str, default: Any, options: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """What is wrong with a field's default value, in Twenty's syntax, for its type."""
    if default is None:
        return []
    if type_name in _NO_DEFAULT:
        return [problem(_CODE, f"A {type_name} field cannot have a default value", default)]
    if type_name in ENUM_TYPES:
        return _enum_problems(type_name, default, {str(o.get("value")) for o in options})
    if type_name in COMPOSITE_TYPES:
        return _composite_problems(type_name, default)
    return _atomic_problems(type_name, default, f"a {type_name} field")


def _now() -> dt.datetime:
    stamp = dt.datetime.now(dt.UTC)
    return stamp.replace(microsecond=stamp.microsecond // 1000 * 1000)


def _value(type_name: str, default: Any) -> Any:
    if default is None:
        return None
    if type_name in ("DATE_TIME", "DATE") and default == NOW:
        return _now() if type_name == "DATE_TIME" else _now().date().isoformat()
    if type_name == "UUID" and default == UUID_FUNCTION:
        return str(uuid.uuid4())
    if type_name in _NUMBERS:
        return _number(default)
    if type_name == "DATE_TIME" and _is_quoted(default):
        try:
            return dt.datetime.fromisoformat(str(unquote(default)).replace("Z", "+00:00"))
        except ValueError:
            return unquote(default)
    if isinstance(default, list):
        return [unquote(v) for v in default]
    return unquote(default)


def record_default(type_name: str, default: Any) -> Any:
    """The value a new record gets from its field's default: literals unquoted, functions run,
    composite sub-fields each so (per record: `now` and `uuid` give a fresh value each time)."""
    if default is None:
        return None
    composite = COMPOSITE_TYPES.get(type_name)
    if composite is not None:
        if not isinstance(default, Mapping):
            return None
        return {
            sub.name: _value(sub.type, default.get(sub.name)) if sub.type != "RAW_JSON" else default.get(sub.name)
            for sub in composite.sub_fields
        }
    if type_name in ("RAW_JSON", "FILES"):
        return default
    return _value(type_name, default)
