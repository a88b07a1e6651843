"""What makes two records duplicates (pure): an object's duplicate criteria, compared on
normalised values, as keys stored with each record.

A criterion is a group of Twenty column names (`nameFirstName`, `emailsPrimaryEmail`,
`domainNamePrimaryLinkUrl`): two records are duplicates when every column of one group has
the same value in both. Twenty compares the raw values; docgate compares them normalised —
case and accents (`JOSÉ` is `jose`), e-mail case, URLs without scheme, `www.` or trailing
slash (`https://www.Acme.com/` is `acme.com`), phone numbers by their digits — so an import
that spells a value differently still finds its duplicate. Each record stores one key per
criterion it fills, under a hidden key with a multikey index: a whole batch of inputs is
checked with a single `$in` query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from schema_builder.metadata.model import MANY_TO_ONE, ObjectMeta, pascal
from schema_builder.search.text import normalize

DUPLICATE_KEYS = "_duplicateKeys"  # hidden, like the search tokens
MIN_LENGTH = 3  # Twenty's minLengthOfStringForDuplicateCheck: shorter values match nothing
_MAX_VALUE = 256  # characters of a normalised value kept in a key
# Twenty's criteria of its standard objects (docgate's person also matches on LinkedIn, as
# Twenty's person entity declares).
STANDARD_DUPLICATE_CRITERIA: dict[str, tuple[tuple[str, ...], ...]] = {
    "person": (("nameFirstName", "nameLastName"), ("emailsPrimaryEmail",), ("linkedinLinkPrimaryLinkUrl",)),
    "company": (("name",), ("domainNamePrimaryLinkUrl",)),
}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


@dataclass(frozen=True)
class Column:
    """A criterion column: where its value is stored and how it is compared."""

    name: str
    path: str
    kind: str  # the field's type, or the sub-field's for a composite (EMAILS → "EMAIL"…)


def duplicate_criteria(obj: ObjectMeta) -> tuple[tuple[str, ...], ...] | None:
    """The object's criteria: as its metadata sets them, else Twenty's for a standard object."""
    criteria = obj.duplicate_criteria
    if criteria is None and not obj.is_custom:
        criteria = STANDARD_DUPLICATE_CRITERIA.get(obj.name_singular)
    return criteria or None


def columns_of(obj: ObjectMeta) -> dict[str, Column]:
    """Every column name a criterion may use on `obj`, Twenty-style."""
    found: dict[str, Column] = {}
    for field in obj.fields:
        if field.relation_type == MANY_TO_ONE and field.join_column:
            found[field.join_column] = Column(field.join_column, field.join_column, "UUID")
        elif field.composite is not None:
            for sub in field.composite.sub_fields:
                kind = {"primaryEmail": "EMAIL", "primaryLinkUrl": "URL", "primaryPhoneNumber": "PHONE"}.get(
                    sub.name, sub.type
                )
                name = f"{field.name}{pascal(sub.name)}"
                found[name] = Column(name, f"{field.name}.{sub.name}", kind)
        elif field.relation_type is None:
            found[field.name] = Column(field.name, field.name, field.type)
    return found


def criterion_problems(obj: ObjectMeta, criteria: Sequence[Sequence[str]]) -> list[str]:
    """What is wrong with criteria a client sets (unknown columns), for a clear refusal."""
    known = columns_of(obj)
    return [
        f"'{column}' is not a column of '{obj.name_singular}' (e.g. {', '.join(sorted(known)[:4])})"
        for group in criteria
        for column in group
        if column not in known
    ]


def normalized(kind: str, value: Any) -> str | None:
    """A value as duplicates compare it, or None when too short to count (< 3 characters)."""
    if not isinstance(value, str) or len(value.strip()) < MIN_LENGTH:
        return None
    text = value.strip()
    if kind == "EMAIL":
        text = text.lower()
    elif kind == "URL":
        text = _SCHEME.sub("", text.lower()).removeprefix("www.").rstrip("/")
    elif kind == "PHONE":
        text = re.sub(r"\D", "", text).lstrip("0")
    elif kind != "UUID":
        text = " ".join(normalize(text).split())
    return text[:_MAX_VALUE] or None


def _value_at(doc: Mapping[str, Any], path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def record_keys(obj: ObjectMeta, doc: Mapping[str, Any]) -> list[str]:
    """One key per criterion whose every column the record fills: `name+name=value…`."""
    criteria = duplicate_criteria(obj)
    if not criteria:
        return []
    columns = columns_of(obj)
    keys: list[str] = []
    for group in criteria:
        if any(c not in columns for c in group):
            continue
        values = [normalized(columns[c].kind, _value_at(doc, columns[c].path)) for c in group]
        if all(v is not None for v in values):
            keys.append("+".join(group) + "=" + "\x1f".join(v for v in values if v is not None))
    return sorted(set(keys))


def duplicate_values(obj: ObjectMeta, doc: Mapping[str, Any]) -> dict[str, Any]:
    """The stored duplicate keys of a record (nothing for an object without criteria)."""
    return {DUPLICATE_KEYS: record_keys(obj, doc)} if duplicate_criteria(obj) else {}
