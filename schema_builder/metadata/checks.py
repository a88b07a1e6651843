"""The checks a metadata change passes before the store writes it (pure).

Each function takes the input and the workspace's current documents, and returns the input
made ready to store (trimmed, completed, names following labels) or raises: `BadUserInput`
for an input missing what its type requires, `MetadataValidationFailed` with every problem
found otherwise, as Twenty answers. Standard metadata (`isCustom: false`, Twenty's own) may
change only what Twenty lets change on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from schema_builder.errors import BadUserInput, MetadataValidationFailed
from schema_builder.metadata.field_types import ENUM_TYPES, RELATION
from schema_builder.metadata.names import name_from_label, problem
from schema_builder.metadata.validation import (
    FIELD_CODE,
    OBJECT_CODE,
    creatable_type_problems,
    field_label_problems,
    field_name_problems,
    field_value_problems,
    join_column_problems,
    normalize_options,
    object_problems,
    required_text,
    reserved_columns,
    trimmed,
    type_settings_problems,
    validate_field_type,
)

Doc = Mapping[str, Any]
OBJECT_TEXTS = ("nameSingular", "namePlural", "labelSingular", "labelPlural")
# What Twenty lets a client change on its standard objects and fields (the rest is its own).
STANDARD_OBJECT_EDITABLE = frozenset({
    "color", "openRecordIn", "description", "icon", "isActive", "isSearchable", "labelPlural", "labelSingular",
    "imageIdentifierFieldMetadataId", "duplicateCriteria",  # docgate lets any object's criteria be set
})
STANDARD_FIELD_EDITABLE = frozenset({
    "defaultValue", "description", "icon", "isActive", "label", "options", "settings", "isUnique", "isUIEditable",
})
SYSTEM_FIELD_EDITABLE = frozenset({"label", "description", "icon"})
# Fields docgate keeps on every object that Twenty treats as standard ones, not system ones: a
# client may change them as any standard field (deactivate deletedAt, …).
STANDARD_TIMESTAMPS = frozenset({"createdAt", "updatedAt", "deletedAt"})
LABEL_IDENTIFIER_TYPES = frozenset({"TEXT", "FULL_NAME"})


def is_standard(doc: Doc) -> bool:
    return doc.get("isCustom") is False


def _object_entity(data: Doc) -> dict[str, Any]:
    return {"id": data.get("_id") or data.get("id"), "nameSingular": data.get("nameSingular"),
            "namePlural": data.get("namePlural")}


def _field_entity(data: Doc) -> dict[str, Any]:
    return {"id": data.get("_id") or data.get("id"), "name": data.get("name"),
            "objectMetadataId": data.get("objectMetadataId")}


def _changed(current: Doc, changes: Doc) -> set[str]:
    return {k for k, v in changes.items() if current.get(k) != v}


# ---- objects ------------------------------------------------------------------------------


def checked_new_object(data: Doc, objects: Sequence[Doc]) -> dict[str, Any]:
    required_text(data, *OBJECT_TEXTS)
    ready = trimmed(data, *OBJECT_TEXTS)
    found = object_problems(ready, objects, standard=is_standard(ready))
    if found:
        raise MetadataValidationFailed("objectMetadata", "create_object", _object_entity(ready), found)
    return ready


def checked_object_update(
    current: Doc, update: Mapping[str, Any], objects: Sequence[Doc], fields: Sequence[Doc], *, internal: bool = False
) -> dict[str, Any]:
    """The changes to store: names follow labels while `isLabelSyncedWithName` holds. `internal`
    for docgate's own changes (seeding the standard model), which standard objects allow."""
    if update.get("translations") is not None:
        raise BadUserInput("translations are not supported: docgate keeps one label per object, in one language")
    changes = {k: v for k, v in update.items() if k != "translations"}
    for key in OBJECT_TEXTS:
        if key in changes and changes[key] is not None:
            required_text(changes, key)
    changes = trimmed(changes, *OBJECT_TEXTS)
    found: list[dict[str, Any]] = []
    if is_standard(current) and not internal:
        # As Twenty: naming a property Twenty keeps is refused, even with its current value.
        forbidden = sorted(set(changes) - STANDARD_OBJECT_EDITABLE)
        if forbidden:
            found.append(problem(OBJECT_CODE, f"Cannot update standard object properties: {', '.join(forbidden)}",
                                 forbidden, friendly="This property of a standard object cannot be changed"))
    state = {**current, **changes}
    if state.get("isLabelSyncedWithName") and not is_standard(current):
        for name_key, label_key in (("nameSingular", "labelSingular"), ("namePlural", "labelPlural")):
            if label_key in changes and name_key not in changes:
                state[name_key] = changes[name_key] = name_from_label(str(state[label_key]))
    if _changed(current, changes) & {*OBJECT_TEXTS, "isLabelSyncedWithName"}:
        others = [o for o in objects if o["_id"] != current["_id"]]
        found += object_problems(state, others, standard=is_standard(current))
    found += _identifier_problems(current, changes, fields)
    if found:
        raise MetadataValidationFailed("objectMetadata", "update_object", _object_entity(current), found)
    return changes


def _identifier_problems(current: Doc, changes: Doc, fields: Sequence[Doc]) -> list[dict[str, Any]]:
    found = []
    own = {f["_id"]: f for f in fields if f["objectMetadataId"] == current["_id"]}
    if "labelIdentifierFieldMetadataId" in changes:
        target_id = changes["labelIdentifierFieldMetadataId"]
        target = own.get(target_id) if target_id is not None else None
        if target_id is None:
            found.append(problem(OBJECT_CODE, "labelIdentifierFieldMetadataId cannot be null",
                                 friendly="Field label identifier is required"))
        elif target is None:
            found.append(problem(OBJECT_CODE, "labelIdentifierFieldMetadataId validation failed: related field "
                                 "metadata not found",
                                 friendly="Field declared as label identifier not found"))
        elif target["type"] not in LABEL_IDENTIFIER_TYPES:
            found.append(problem(OBJECT_CODE, "labelIdentifierFieldMetadataId validation failed: field type not "
                                 "compatible", friendly="Field cannot be used as label identifier"))
    image_id = changes.get("imageIdentifierFieldMetadataId")
    if image_id is not None and image_id not in own:
        found.append(problem(OBJECT_CODE, "imageIdentifierFieldMetadataId validation failed: related field "
                             "metadata not found",
                             friendly="Field declared as image identifier not found"))
    return found


def checked_object_deletion(current: Doc) -> None:
    if is_standard(current):
        raise MetadataValidationFailed("objectMetadata", "delete_object", _object_entity(current), [
            problem(OBJECT_CODE, "Standard objects cannot be deleted", current.get("nameSingular"))
        ])


# ---- fields -------------------------------------------------------------------------------


def _names_on(fields: Sequence[Doc]) -> tuple[set[str], set[str]]:
    """The field names of an object and the join columns its many-to-one relations take; a
    field's older names (served as deprecated aliases) are taken too."""
    names: set[str] = set()
    joins: set[str] = set()
    for f in fields:
        joined = f["type"] == RELATION and (f.get("settings") or {}).get("relationType") == "MANY_TO_ONE"
        for name in (f["name"], *(d.get("name") for d in f.get("deprecatedNames") or ())):
            if isinstance(name, str):
                names.add(name)
                if joined:
                    joins.add(f"{name}Id")
    return names, joins


def checked_new_field(data: Doc, fields: Sequence[Doc], *, internal: bool = False) -> dict[str, Any]:
    """A new field of an object whose fields are `fields`; `internal` for docgate's own (standard
    and system fields), which may use the types and names kept from clients."""
    required_text(data, "name", "label")
    ready = trimmed(data, "name", "label")
    refused = [] if internal else creatable_type_problems(str(data.get("type")))
    if refused:
        raise MetadataValidationFailed("fieldMetadata", "create_field", _field_entity(ready), refused)
    ready["type"] = type_name = validate_field_type(data.get("type"))
    standard = internal or is_standard(ready)
    found: list[dict[str, Any]] = []
    names, joins = _names_on(fields)
    name = str(ready["name"])
    found += field_name_problems(name, names, joins, reserved_columns(fields), standard=standard)
    payload = ready.get("relationCreationPayload")
    if type_name == RELATION and isinstance(payload, Mapping) and payload.get("type") == "MANY_TO_ONE":
        found += join_column_problems(name, names)
    found += field_label_problems(ready)
    options: list[dict[str, Any]] = []
    if type_name in ENUM_TYPES:
        options, option_problems = normalize_options(type_name, ready.get("options"))
        ready["options"] = options
        found += option_problems
    elif ready.get("options"):
        found.append(problem(FIELD_CODE, f"Options are only allowed on SELECT, MULTI_SELECT and RATING fields, "
                             f"not {type_name}", type_name))
    found += field_value_problems(type_name, ready.get("defaultValue"), options)
    if not internal:
        found += type_settings_problems(type_name, ready.get("settings"), ready.get("isUnique"))
    if found:
        raise MetadataValidationFailed("fieldMetadata", "create_field", _field_entity(ready), found)
    return ready


def field_not_found(field_id: str, action: str = "update_field") -> MetadataValidationFailed:
    return MetadataValidationFailed("fieldMetadata", action, {"id": field_id}, [
        problem("FIELD_METADATA_NOT_FOUND", "field metadata to update not found", field_id,
                friendly="Field to update not found")
    ])


def checked_field_update(
    current: Doc, update: Mapping[str, Any], fields: Sequence[Doc], *, internal: bool = False
) -> dict[str, Any]:
    """The changes to store: the name follows the label while `isLabelSyncedWithName` holds.
    `internal`: docgate's own change (the standard model renaming its fields), not a client's."""
    if update.get("translations") is not None:
        raise BadUserInput("translations are not supported: docgate keeps one label per field, in one language")
    changes = {k: v for k, v in update.items() if k != "translations"}
    for key in ("name", "label"):
        if key in changes:
            required_text(changes, key)
    changes = trimmed(changes, "name", "label")
    changed = _changed(current, changes)
    found: list[dict[str, Any]] = []
    allowed: frozenset[str] | set[str]
    if internal:
        allowed = set(changes)
    elif current.get("isSystem") and current.get("name") not in STANDARD_TIMESTAMPS:
        allowed = SYSTEM_FIELD_EDITABLE
    elif is_standard(current):
        allowed = STANDARD_FIELD_EDITABLE
    else:
        allowed = set(changes)
    # As Twenty: naming a property Twenty keeps is refused, even with its current value.
    forbidden = sorted(set(changes) - allowed)
    if forbidden:
        kind = "system" if allowed is SYSTEM_FIELD_EDITABLE else "standard"
        found.append(problem("FIELD_MUTATION_NOT_ALLOWED",
                             f"Cannot update {kind} field properties: {', '.join(forbidden)}", forbidden,
                             friendly=f"This property of a {kind} field cannot be changed"))
    state = {**current, **changes}
    if state.get("isLabelSyncedWithName") and "label" in changes and "name" not in changes and not forbidden:
        synced = name_from_label(str(state["label"]))
        if synced != current["name"]:
            state["name"] = changes["name"] = synced
    others = [f for f in fields if f["_id"] != current["_id"]]
    if "name" in changes and changes["name"] != current["name"]:
        names, joins = _names_on(others)
        joins -= {f"{current['name']}Id"}
        found += field_name_problems(str(changes["name"]), names, joins, reserved_columns(others))
        if (current.get("settings") or {}).get("relationType") == "MANY_TO_ONE":
            found += join_column_problems(str(changes["name"]), names)
    if changed & {"name", "label", "isLabelSyncedWithName"}:
        found += field_label_problems(state)
    type_name = str(current["type"])
    if type_name == RELATION and "settings" in changes:
        changes["settings"], relation_problems = _relation_settings(
            current, changes["settings"], str(changes.get("name", current["name"])))
        found += relation_problems
    if changes.keys() & {"settings", "isUnique"}:
        found += type_settings_problems(type_name, state.get("settings"), state.get("isUnique"))
    if "options" in changes:
        if type_name in ENUM_TYPES:
            changes["options"], option_problems = normalize_options(type_name, changes["options"])
            found += option_problems
        else:
            found.append(problem(FIELD_CODE, f"Options are only allowed on SELECT, MULTI_SELECT and RATING "
                                 f"fields, not {type_name}", type_name))
    if "defaultValue" in changes or "options" in changes:
        found += field_value_problems(type_name, state.get("defaultValue") if "defaultValue" not in changes
                                      else changes["defaultValue"], changes.get("options", current.get("options"))
                                      or [])
    if found:
        raise MetadataValidationFailed("fieldMetadata", "update_field", _field_entity(current), found)
    return changes


def _relation_settings(current: Doc, settings: Any, name: str) -> tuple[Any, list[dict[str, Any]]]:
    """New settings of a relation field named `name`: what they leave out of the relation (its
    type, its join column) is kept, as the other side and the records depend on it; the onDelete
    action belongs to many-to-one relations alone (Twenty's validateMorphOrRelationFlatFieldOnDelete)."""
    if not isinstance(settings, Mapping):
        return settings, []
    kept = current.get("settings") or {}
    merged = {**({"relationType": kept["relationType"]} if "relationType" in kept else {}), **settings}
    found = []
    if merged.get("relationType") != kept.get("relationType"):
        found.append(problem(FIELD_CODE, "The relation type of a relation field cannot be changed",
                             merged.get("relationType")))
    if "joinColumnName" in kept:
        join_column = f"{name}Id"
        if merged.setdefault("joinColumnName", join_column) != join_column:
            found.append(problem(FIELD_CODE, f"The join column of this relation field is {join_column}: "
                                 "it follows the field's name", merged["joinColumnName"]))
    if merged.get("onDelete") is not None and merged.get("relationType") is not None \
            and merged["relationType"] != "MANY_TO_ONE":
        found.append(problem(FIELD_CODE, "On delete action is only supported for many to one relations"))
    return merged, found


def checked_field_deletion(current: Doc, owner: Doc | None) -> None:
    found = []
    if current.get("isSystem") or is_standard(current):
        found.append(problem(FIELD_CODE, "Standard Fields can't be deleted", current.get("name"),
                             friendly="Standard fields cannot be deleted"))
    if owner is not None and owner.get("labelIdentifierFieldMetadataId") == current["_id"]:
        found.append(problem("FIELD_MUTATION_NOT_ALLOWED",
                             "Cannot delete, please update the label identifier field first", current.get("name")))
    if found:
        raise MetadataValidationFailed("fieldMetadata", "delete_field", _field_entity(current), found)
