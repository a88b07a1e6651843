"""Metadata names and labels as Twenty checks them (pure): the rules, their messages, and the
name a label stands for (`isLabelSyncedWithName`).

Each check returns Twenty's validation errors (`{code, message, userFriendlyMessage, value}`)
rather than raising, so that one answer can report every problem of an input, as Twenty's
`METADATA_VALIDATION_FAILED` errors do.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from anyascii import anyascii

NAME_PATTERN = re.compile(r"^[a-z][a-zA-Z0-9]*$")
MAX_LENGTH = 63  # IDENTIFIER_MAX_CHAR_LENGTH: Postgres' limit on identifiers, kept by Twenty
MIN_LENGTH = 1

# Twenty's RESERVED_METADATA_NAME_KEYWORDS (twenty-shared/metadata), refused as object and
# field names (standard ones excepted: company.address is Twenty's own).
_RESERVED_STEMS = (
    "approvedAccessDomain appToken billingCustomer billingEntitlement billingMeter billingProduct "
    "billingSubscription billingSubscriptionItem featureFlag job keyValuePair pageLayout pageLayoutTab "
    "pageLayoutWidget twoFactorMethod user userWorkspace workspace role userWorkspaceRole plan event "
    "field link type object relation"
).split()
RESERVED_KEYWORDS = frozenset(
    [stem for s in _RESERVED_STEMS for stem in (s, s + "s")]
    + ["currency", "currencies", "fullNames", "address", "addresses", "index", "aggregate", "search", "searches"]
)
# Names Twenty's IsValidMetadataName decorator refuses outright, and the roots of a GraphQL
# schema, which an object named so would shadow (docgate's own addition: its schema would not build).
GRAPHQL_RESERVED = frozenset({"not", "or", "and", "query", "mutation", "subscription"})

INVALID_NAME = "Name is not valid: it must start with lowercase letter and contain only alphanumeric letters"
RESERVED_NAME = 'This name is reserved. Use a different name or the system will add "Custom" suffix.'


def problem(code: str, message: str, value: Any = None, *, friendly: str | None = None) -> dict[str, Any]:
    """One of Twenty's validation errors."""
    found: dict[str, Any] = {"code": code, "message": message, "userFriendlyMessage": friendly or message}
    if value is not None:
        found["value"] = value
    return found


def name_problems(name: str, code: str, *, standard: bool = False) -> list[dict[str, Any]]:
    """A metadata name (object singular/plural, field): length, camelCase, not reserved."""
    found = []
    if len(name) > MAX_LENGTH:
        found.append(problem(code, "Name is too long", name))
    if len(name) < MIN_LENGTH:
        found.append(problem(code, "Name is too short", name))
    if not NAME_PATTERN.match(name):
        found.append(problem(code, INVALID_NAME, name))
    if not standard and (name in RESERVED_KEYWORDS or name in GRAPHQL_RESERVED):
        found.append(problem(code, RESERVED_NAME, name))
    return found


def label_problems(label: str, what: str, code: str) -> list[dict[str, Any]]:
    """An object or field label: 1–63 characters once trimmed."""
    found = []
    if len(label) > MAX_LENGTH:
        found.append(problem(code, f"{what} label is too long", label))
    if len(label.strip()) < MIN_LENGTH:
        found.append(problem(code, f"{what} label is too short", label))
    return found


# lodash's `words` on a lower-cased ASCII slug: letter runs, ordinals (2nd), digit runs.
_WORD = re.compile(r"[a-z]+|\d*(?:1st|2nd|3rd|(?![123])\dth)(?=\b|[A-Z_])|\d+")


def camel_case(text: str) -> str:
    """lodash's camelCase of a slug: `my_test_object` → `myTestObject`, `house_2` → `house2`."""
    words = _WORD.findall(text.lower())
    return "".join(w if i == 0 else w[:1].upper() + w[1:] for i, w in enumerate(words))


def name_from_label(label: str) -> str:
    """The name Twenty derives from a label (computeMetadataNameFromLabel): transliterated to
    ASCII, slugified, camelCased; a leading digit gets an `n` prefix. '' when nothing is left."""
    prefixed = f"n{label}" if label[:1].isdigit() else label
    slug = re.sub(r"[^a-zA-Z0-9]+", "_", anyascii(prefixed)).strip("_").lower()
    return camel_case(slug)


def synced_name_problems(name: str, label: str, code: str) -> list[dict[str, Any]]:
    """With `isLabelSyncedWithName`, the name must be the one its label stands for."""
    expected = name_from_label(label)
    if name == expected:
        return []
    return [
        problem(
            code,
            f'Name is not synced with label. Expected name: "{expected}", got {name}',
            label,
            friendly="Name is not synced with label",
        )
    ]


# The namespace of docgate's derived universal identifiers (uuid5): Twenty's standard objects
# and fields, and the system fields of any object, get the same one in every workspace.
_UNIVERSAL_NAMESPACE = uuid.UUID("6f1d0f4e-2b7a-5c8e-9a41-3c2e7d90b5a1")


def universal_identifier(custom: bool, own_id: str, key: str) -> str:
    """A custom object's or field's universal identifier is its id (it exists in one workspace);
    a standard or system one's is derived from `key` (its owner's identifier and its name), so
    it is the same wherever it exists, as Twenty's standard identifiers are."""
    return own_id if custom else str(uuid.uuid5(_UNIVERSAL_NAMESPACE, key))


def object_universal_identifier(obj: Any) -> str:
    """An object's universal identifier: the stored one, or (objects made by earlier releases)
    the one it would have been given."""
    stored = obj.get("universalIdentifier")
    if stored:
        return str(stored)
    return universal_identifier(obj.get("isCustom") is not False, str(obj["_id"]), str(obj["nameSingular"]))
