"""Validation of metadata input: names, options and default values (pure).

Every rule raises `BadUserInput` with a message naming the offending input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from schema_builder.errors import BadUserInput
from schema_builder.metadata.field_types import ALL_TYPES, RATING_VALUES, canonical_type

NAME_PATTERN = re.compile(r"^[a-z][a-zA-Z0-9]*$")
ENUM_VALUE_PATTERN = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")
MAX_NAME_LENGTH = 63

_RESERVED_STEMS = (
    "approvedAccessDomain appToken billingCustomer billingEntitlement billingMeter "
    "billingProduct billingSubscription billingSubscriptionItem featureFlag job keyValuePair "
    "pageLayout pageLayoutTab pageLayoutWidget twoFactorMethod user userWorkspace workspace "
    "role userWorkspaceRole plan event field link type object relation"
).split()
RESERVED_NAMES = frozenset(
    [s for stem in _RESERVED_STEMS for s in (stem, stem + "s")]
    + [
        "currency",
        "currencies",
        "fullNames",
        "address",
        "addresses",
        "index",
        "aggregate",
        "search",
        "searches",
        "not",
        "or",
        "and",
        "query",
        "mutation",
        "subscription",
    ]
)
# Names that would collide with what the GraphQL layer generates on every object.
RESERVED_FIELD_NAMES = frozenset({"and", "or", "not"})


def validate_name(name: Any, what: str) -> str:
    """A metadata name: camelCase, 1–63 characters, not reserved."""
    if not isinstance(name, str) or not name:
        raise BadUserInput(f"{what} is required and must be a non-empty string")
    if len(name) > MAX_NAME_LENGTH:
        raise BadUserInput(f"{what} '{name[:20]}…' is too long: {len(name)} characters, at most {MAX_NAME_LENGTH}")
    if not NAME_PATTERN.match(name):
        raise BadUserInput(
            f"{what} '{name}' is invalid: it must be camelCase, start with a lower-case letter "
            "and hold only letters and digits (^[a-z][a-zA-Z0-9]*$)"
        )
    return name


def validate_object_names(name_singular: Any, name_plural: Any, others: Iterable[Mapping[str, Any]]) -> None:
    """Names of a new or renamed object, against every other object of the workspace."""
    singular = validate_name(name_singular, "nameSingular")
    plural = validate_name(name_plural, "namePlural")
    for name, what in ((singular, "nameSingular"), (plural, "namePlural")):
        if name in RESERVED_NAMES:
            raise BadUserInput(f"{what} '{name}' is a reserved word; choose another name")
    if singular.lower() == plural.lower():
        raise BadUserInput(f"the singular and plural name cannot be the same for an object ('{singular}')")
    for other in others:
        taken = {other["nameSingular"].lower(), other["namePlural"].lower()}
        for name, what in ((singular, "nameSingular"), (plural, "namePlural")):
            if name.lower() in taken:
                raise BadUserInput(f"{what} '{name}' is already used by object '{other['nameSingular']}'")


def validate_field_name(name: Any, taken: Iterable[str], *, join_column: bool = False) -> str:
    """A field name free on its object; a many-to-one relation's join column (`{name}Id`) too."""
    validated = validate_name(name, "name")
    if validated in RESERVED_FIELD_NAMES:
        raise BadUserInput(f"field name '{validated}' is reserved; choose another name")
    taken = set(taken)
    if validated in taken:
        raise BadUserInput(f"a field named '{validated}' already exists on this object")
    if join_column and f"{validated}Id" in taken:
        raise BadUserInput(
            f"a field named '{validated}Id' already exists on this object: the relation '{validated}' "
            f"needs that name for its join column; choose another name"
        )
    return validated


def validate_field_type(type_name: Any) -> str:
    if not isinstance(type_name, str) or canonical_type(type_name) not in ALL_TYPES:
        allowed = ", ".join(sorted(ALL_TYPES | {"RICH_TEXT_V2"}))
        raise BadUserInput(f"field type {type_name!r} is not supported; expected one of {allowed}")
    return canonical_type(type_name)


def normalize_options(type_name: str, options: Any) -> list[dict[str, Any]]:
    """SELECT/MULTI_SELECT options, checked and completed (ids and positions)."""
    import uuid

    if type_name == "RATING" and not options:
        options = [{"value": v, "label": str(i + 1)} for i, v in enumerate(RATING_VALUES)]
    if not isinstance(options, Sequence) or isinstance(options, str) or not options:
        raise BadUserInput(f"a {type_name} field needs 'options': a non-empty list of options")
    seen: set[str] = set()
    normalized = []
    for i, option in enumerate(options):
        if not isinstance(option, Mapping):
            raise BadUserInput(f"option {i} must be an object with 'value' and 'label'")
        value = option.get("value")
        if not isinstance(value, str) or not ENUM_VALUE_PATTERN.match(value):
            raise BadUserInput(
                f"option value {value!r} is invalid: it must be a valid GraphQL enum name "
                "(^[_A-Za-z][_0-9A-Za-z]*$), e.g. IN_PROGRESS"
            )
        if value in {"true", "false", "null"}:
            raise BadUserInput(f"option value '{value}' is reserved in GraphQL")
        if value in seen:
            raise BadUserInput(f"option value '{value}' is used twice; option values must be unique")
        seen.add(value)
        label = option.get("label", value)
        if not isinstance(label, str) or not label:
            raise BadUserInput(f"option '{value}' needs a non-empty 'label'")
        normalized.append(
            {
                "id": str(option.get("id") or uuid.uuid4()),
                "value": value,
                "label": label,
                "color": option.get("color"),
                "position": option.get("position", i),
            }
        )
    return normalized


def unquote_default(value: Any) -> Any:
    """Twenty writes SELECT defaults as SQL literals ("'TODO'"): accept both forms."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    return value


def validate_default(type_name: str, default: Any, options: list[dict[str, Any]]) -> Any:
    """The stored default value of a field, checked against its type and options."""
    if default is None:
        return None
    values = {o["value"] for o in options}
    if type_name in {"SELECT", "RATING"}:
        default = unquote_default(default)
        if default not in values:
            raise BadUserInput(f"defaultValue {default!r} is not one of the options ({', '.join(sorted(values))})")
    elif type_name == "MULTI_SELECT":
        if not isinstance(default, list):
            raise BadUserInput("defaultValue of a MULTI_SELECT field must be a list of option values")
        default = [unquote_default(v) for v in default]
        unknown = [v for v in default if v not in values]
        if unknown:
            raise BadUserInput(f"defaultValue holds unknown option values: {', '.join(map(str, unknown))}")
    elif type_name == "BOOLEAN" and not isinstance(default, bool):
        raise BadUserInput("defaultValue of a BOOLEAN field must be true or false")
    elif type_name in {"NUMBER", "NUMERIC", "POSITION"} and (
        isinstance(default, bool) or not isinstance(default, int | float)
    ):
        raise BadUserInput(f"defaultValue of a {type_name} field must be a number")
    elif type_name == "TEXT":
        default = unquote_default(default)
        if not isinstance(default, str):
            raise BadUserInput("defaultValue of a TEXT field must be a string")
    return default
