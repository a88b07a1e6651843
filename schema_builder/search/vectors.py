"""A record's `searchVector` and its search index tokens (pure).

Twenty keeps, per searchable object, a Postgres `tsvector` computed from a few fields (a
person's name, emails, phones and job title; a company's name and domain; a custom object's
label identifier). docgate builds the same words from the same fields, in the same order —
e-mails also by their domain, phones also as `+44…`, `44…` and `0…`, list-like sub-fields
(additional e-mails and phones, secondary links) word by word — and stores them twice: as
the vector's text, `'ada':1 'lovelace':2`, which reads as Twenty's and carries the positions
ranking needs, and as a sorted array of tokens under a hidden key, whose multikey index
answers prefix searches as index ranges.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from typing import Any

from schema_builder.metadata.model import FieldMeta, ObjectMeta
from schema_builder.search.text import index_tokens, tokens

SEARCH_VECTOR = "searchVector"
TS_VECTOR = "TS_VECTOR"
SEARCH_TOKENS = "_searchTokens"  # hidden: never a field, never in an answer or an event
TOKENIZER_VERSION = "1"  # bumped when `text` cuts differently: every index is then rebuilt
MAX_POSITIONS = 4096  # tokens of one record kept with positions (Postgres keeps 16,383)
_VECTOR_ENTRY = re.compile(r"'((?:[^']|'')*)':([\d,]+)")

Positions = dict[str, list[int]]


def search_fields(obj: ObjectMeta) -> tuple[FieldMeta, ...]:
    """The fields an object's searchVector is made of: its `searchFields` setting (the
    standard objects'), else its label identifier (a custom object's), else `name`."""
    vector = obj.field(SEARCH_VECTOR)
    if vector is None or vector.type != TS_VECTOR:
        return ()
    names = vector.settings.get("searchFields")
    if isinstance(names, list):
        return tuple(f for n in names if isinstance(n, str) and (f := obj.field(n)) is not None)
    label = obj.field_by_id(obj.label_identifier_id) or obj.field("name")
    return (label,) if label is not None else ()


def signature(obj: ObjectMeta) -> str:
    """What the stored tokens of `obj` depend on: its search fields and the tokenizer."""
    spec = ",".join(f"{f.name}:{f.type}" for f in search_fields(obj))
    return hashlib.sha1(f"{TOKENIZER_VERSION}|{spec}".encode()).hexdigest()[:16]


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return value if isinstance(value, str) else str(value) if isinstance(value, int | float) else ""


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def field_texts(field: FieldMeta, value: Any) -> Iterator[str]:
    """The texts a field contributes, in the order of Twenty's vector expression."""
    if value is None:
        return
    kind = field.type
    if kind == "EMAILS" and isinstance(value, Mapping):
        primary = _text(value.get("primaryEmail"))
        yield primary
        yield primary.split("@", 1)[1] if "@" in primary else ""
        others = [_text(e) for e in _items(value.get("additionalEmails"))]
        yield from others
        for email in others:  # and each one cut at its @, as Twenty's REPLACE(…, '@', ' ')
            yield email.replace("@", " ")
    elif kind == "PHONES" and isinstance(value, Mapping):
        number, calling = _text(value.get("primaryPhoneNumber")), _text(value.get("primaryPhoneCallingCode"))
        yield number
        yield calling
        if number:
            yield calling + number if calling else ""
            yield calling.replace("+", "") + number if calling else ""
            yield "0" + number
        for phone in _items(value.get("additionalPhones")):
            if isinstance(phone, Mapping):
                yield from (_text(phone.get(k)) for k in ("number", "callingCode", "countryCode"))
    elif kind == "LINKS" and isinstance(value, Mapping):
        yield _text(value.get("primaryLinkLabel"))
        yield _text(value.get("primaryLinkUrl"))
        for link in _items(value.get("secondaryLinks")):
            if isinstance(link, Mapping):
                yield from (_text(link.get(k)) for k in ("url", "label"))
    elif kind == "RICH_TEXT" and isinstance(value, Mapping):
        yield _text(value.get("markdown"))
    elif field.composite is not None and isinstance(value, Mapping):
        for sub in field.composite.sub_fields:
            if sub.type == "TEXT":
                yield _text(value.get(sub.name))
    elif isinstance(value, list):
        yield from (_text(v) for v in value)
    else:
        yield _text(value)


def record_positions(obj: ObjectMeta, doc: Mapping[str, Any]) -> Positions:
    """Each lexeme of a record with its positions (1-based, in field order)."""
    found: Positions = {}
    position = 0
    for field in search_fields(obj):
        for text in field_texts(field, doc.get(field.name)):
            for token in tokens(text) if text else ():
                position += 1
                if position > MAX_POSITIONS:
                    return found
                found.setdefault(token, []).append(position)
    return found


def format_vector(positions: Positions) -> str:
    """Postgres' text form of a tsvector: `'ada':1 'lovelace':2`."""
    return " ".join(
        "'{}':{}".format(lexeme.replace("'", "''"), ",".join(map(str, spots)))
        for lexeme, spots in sorted(positions.items())
    )


def parse_vector(text: Any) -> Positions:
    """The lexemes and positions of a stored vector text (the inverse of `format_vector`)."""
    if not isinstance(text, str):
        return {}
    return {m.group(1).replace("''", "'"): [int(p) for p in m.group(2).split(",") if p] for m in
            _VECTOR_ENTRY.finditer(text)}


def search_values(obj: ObjectMeta, doc: Mapping[str, Any]) -> dict[str, Any]:
    """The stored search values of a record: its vector text and its index tokens (nothing
    for an object without a searchVector)."""
    if obj.field(SEARCH_VECTOR) is None:
        return {}
    positions = record_positions(obj, doc)
    return {SEARCH_VECTOR: format_vector(positions), SEARCH_TOKENS: index_tokens(positions)}


def search_vector(obj: ObjectMeta, doc: Mapping[str, Any]) -> str | None:
    """The vector text alone (None for an object without a searchVector)."""
    value: str | None = search_values(obj, doc).get(SEARCH_VECTOR)
    return value
