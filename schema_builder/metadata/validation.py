"""Validation of metadata input as Twenty validates it (pure): objects, fields, options.

Two kinds of refusal, as in Twenty: an input missing what its type requires (an empty name,
no label) is `BadUserInput` with class-validator's message (`namePlural should not be
empty`); everything else is collected as Twenty's validation errors, so that the store can
answer all of them at once in a `MetadataValidationFailed` (`METADATA_VALIDATION_FAILED`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from schema_builder.errors import BadUserInput
from schema_builder.metadata.defaults import default_problems, unquote
from schema_builder.metadata.field_types import ALIASES, ALL_TYPES, COMPOSITE_TYPES, RATING_VALUES, canonical_type
from schema_builder.metadata.names import (
    NAME_PATTERN,
    label_problems,
    name_problems,
    problem,
    synced_name_problems,
)

__all__ = ["NAME_PATTERN", "unquote_default"]

OBJECT_CODE = "INVALID_OBJECT_INPUT"
FIELD_CODE = "INVALID_FIELD_INPUT"
ENUM_VALUE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")  # Twenty's isSnakeCaseString
# Types a client may not create: Twenty makes them itself (POSITION, TS_VECTOR) or wants
# NUMBER instead (NUMERIC).
NOT_CREATABLE = {
    "NUMERIC": ("Field type NUMERIC is not supported for field creation. Use NUMBER instead.",
                "Field type NUMERIC is not supported. Use Number instead."),
    "POSITION": ("Field type POSITION is a system type and cannot be created manually.", None),
    "TS_VECTOR": ("TS Vector is not supported for field creation", None),
}

unquote_default = unquote  # the name earlier modules import


def required_text(data: Mapping[str, Any], *keys: str) -> None:
    """Properties every input of its kind must hold: class-validator's refusal, as Twenty's."""
    for key in keys:
        value = data.get(key)
        if not isinstance(value, str):
            raise BadUserInput(f"{key} must be a string")
        if value == "":
            raise BadUserInput(f"{key} should not be empty")


def trimmed(data: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """Twenty trims names and labels before checking them ('  fooBar ' is 'fooBar')."""
    return {**data, **{k: data[k].strip() for k in keys if isinstance(data.get(k), str)}}


# ---- objects ------------------------------------------------------------------------------


def object_problems(
    data: Mapping[str, Any], others: Iterable[Mapping[str, Any]], *, standard: bool = False
) -> list[dict[str, Any]]:
    """A new or changed object (its full state): names, labels, and names free in the workspace."""
    singular, plural = str(data["nameSingular"]), str(data["namePlural"])
    found = name_problems(singular, OBJECT_CODE, standard=standard)
    found += [p for p in name_problems(plural, OBJECT_CODE, standard=standard) if p not in found]
    found += label_problems(str(data["labelSingular"]), "Object", OBJECT_CODE)
    found += [p for p in label_problems(str(data["labelPlural"]), "Object", OBJECT_CODE) if p not in found]
    if singular == plural:
        found.append(problem(OBJECT_CODE, "The singular and plural names cannot be the same for an object", plural))
    if data.get("isLabelSyncedWithName"):
        found += synced_name_problems(singular, str(data["labelSingular"]), OBJECT_CODE)
        found += synced_name_problems(plural, str(data["labelPlural"]), OBJECT_CODE)
    for other in others:
        taken = {other["nameSingular"].lower(), other["namePlural"].lower()}
        for name in (singular, plural):
            if name.lower() in taken:
                found.append(problem("OBJECT_ALREADY_EXISTS", f'Name "{name}" is not available: object '
                                     f'"{other["nameSingular"]}" already uses it', name))
    return found


# ---- fields -------------------------------------------------------------------------------


def validate_field_type(type_name: Any) -> str:
    """The stored type of a type name a client sent (GraphQL has checked it is one of the enum)."""
    if not isinstance(type_name, str) or canonical_type(type_name) not in ALL_TYPES:
        allowed = ", ".join(sorted(ALL_TYPES | set(ALIASES)))
        raise BadUserInput(f"field type {type_name!r} is not supported; expected one of {allowed}")
    return canonical_type(type_name)


def creatable_type_problems(type_name: str) -> list[dict[str, Any]]:
    refused = NOT_CREATABLE.get(type_name)
    if refused is None:
        return []
    message, friendly = refused
    return [problem(FIELD_CODE, message, type_name, friendly=friendly)]


def reserved_columns(fields: Iterable[Mapping[str, Any]]) -> set[str]:
    """The column names composite fields take in Twenty (`name` FULL_NAME → `nameFirstName`…)."""
    columns = set()
    for f in fields:
        composite = COMPOSITE_TYPES.get(f["type"])
        if composite is not None:
            columns |= {f"{f['name']}{s.name[:1].upper()}{s.name[1:]}" for s in composite.sub_fields}
    return columns


def field_name_problems(
    name: str, field_names: set[str], join_columns: set[str], columns: set[str], *, standard: bool = False
) -> list[dict[str, Any]]:
    """A field name: well formed, not reserved, and free on its object."""
    found = name_problems(name, FIELD_CODE, standard=standard)
    if not standard and name in columns:
        found.append(problem("RESERVED_KEYWORD", f'Name "{name}" is reserved composite field name', name,
                             friendly=f'Name "{name}" is not available'))
    if name in field_names:
        found.append(problem("NOT_AVAILABLE", f'Name "{name}" is not available as it is already used by another '
                             "field", name))
    if name in join_columns:
        found.append(problem("NOT_AVAILABLE", f'Name "{name}" is not available as it is already used by another '
                             "join column name", name, friendly=f'Name "{name}" is not available as it is already '
                             "used by join column name"))
    return found


def field_label_problems(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = label_problems(str(data["label"]), "Field", FIELD_CODE)
    if data.get("isLabelSyncedWithName"):
        found += synced_name_problems(str(data["name"]), str(data["label"]), "NAME_NOT_SYNCED_WITH_LABEL")
    return found


# ---- options of SELECT, MULTI_SELECT and RATING ----------------------------------------------


def _option_problems(option: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = []
    value, label = option.get("value"), option.get("label")
    if not isinstance(value, str) or not value:
        found.append(problem(FIELD_CODE, "Option value must be a string of at least one character", value,
                             friendly="Option value format not supported"))
    else:
        if len(value) > 63:
            found.append(problem(FIELD_CODE, "Option value exceeds 63 characters", value))
        if not ENUM_VALUE_PATTERN.match(value):
            found.append(problem(FIELD_CODE, f'Value must be in UPPER_CASE and follow snake_case "{value}"', value))
    if not isinstance(label, str) or not label.strip():
        found.append(problem(FIELD_CODE, "Option label must be a string of at least one character", label,
                             friendly="Option label format not supported"))
    else:
        if len(label) > 63:
            found.append(problem(FIELD_CODE, "Option label exceeds 63 characters", label))
        if "," in label:
            found.append(problem(FIELD_CODE, "Label must not contain a comma", label))
    option_id = option.get("id")
    if not isinstance(option_id, str) or not _is_uuid(option_id):
        found.append(problem(FIELD_CODE, "Option id is invalid", option_id))
    return found


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36


def normalize_options(type_name: str, options: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Options completed as Twenty completes them (an id, a position), and their problems."""
    if type_name == "RATING" and not options:
        options = [{"value": v, "label": str(i + 1)} for i, v in enumerate(RATING_VALUES)]
    if not isinstance(options, Sequence) or isinstance(options, str) or not options:
        return [], [problem(FIELD_CODE, "Options are required for enum fields", options)]
    if not all(isinstance(o, Mapping) for o in options):
        return [], [problem(FIELD_CODE, "Each option must be an object with a value and a label", options)]
    normalized = [
        {
            # As Twenty: an option without an id gets one; one given must be a UUID.
            "id": o["id"] if "id" in o else str(uuid.uuid4()),
            # Values are trimmed, labels too (and their inner runs of spaces made one).
            "value": o.get("value").strip() if isinstance(o.get("value"), str) else o.get("value"),
            "label": " ".join(o["label"].split()) if isinstance(o.get("label"), str) else o.get("label"),
            "color": o.get("color"),
            "position": o.get("position", i),
        }
        for i, o in enumerate(options)
    ]
    found = [p for o in normalized for p in _option_problems(o)]
    for key in ("position", "id", "value"):
        if len({str(o[key]) for o in normalized}) != len(normalized):
            found.append(problem(FIELD_CODE, f"Duplicated option {key}", normalized))
    return normalized, found


def field_value_problems(type_name: str, default: Any, options: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The default value of a field, against its type (and options)."""
    return default_problems(type_name, default, options)


FILES_FIELD_MAX_NUMBER_OF_VALUES = 60  # twenty-shared/constants


def type_settings_problems(type_name: str, settings: Any, is_unique: Any) -> list[dict[str, Any]]:
    """What a field's type asks of its settings and uniqueness (Twenty's validateFilesFlatFieldMetadata)."""
    if type_name != "FILES":
        return []
    found = []
    if is_unique is True:
        found.append(problem(FIELD_CODE, "Files field is not supported for unique fields"))
    limit = settings.get("maxNumberOfValues") if isinstance(settings, Mapping) else None
    if isinstance(limit, bool) or not isinstance(limit, int | float) \
            or not 1 <= limit <= FILES_FIELD_MAX_NUMBER_OF_VALUES:
        found.append(problem(FIELD_CODE, "maxNumberOfValues must be defined in settings and be a number greater than 0 "
                             f"and less than or equal to {FILES_FIELD_MAX_NUMBER_OF_VALUES}"))
    return found


def join_column_problems(name: str, field_names: set[str]) -> list[dict[str, Any]]:
    """A many-to-one relation needs `{name}Id` free for its join column."""
    if f"{name}Id" not in field_names:
        return []
    return [problem("NOT_AVAILABLE", f'Name "{name}Id" is not available: the relation "{name}" needs it for its '
                    "join column", name)]


def validate_name(name: Any, what: str) -> str:
    """A name, for callers that want one answer: refused with the first problem found."""
    if not isinstance(name, str) or not name:
        raise BadUserInput(f"{what} should not be empty")
    found = name_problems(name, OBJECT_CODE)
    if found:
        raise BadUserInput(f"{what} '{name[:63]}': {found[0]['message']}")
    return name
