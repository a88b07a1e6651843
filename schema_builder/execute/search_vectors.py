"""The value of a record's `searchVector` (pure).

Twenty keeps a Postgres `tsvector` of a few fields per object (a person's name, emails,
phones and job title, …). docgate stores the same words in the text form Postgres prints a
tsvector in — `'ada':1 'lovelace':2` — so the field reads as Twenty's does and the
`search` filter can match it. (Ranking and stemming are not reproduced.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from schema_builder.metadata.model import FieldMeta, ObjectMeta

SEARCH_VECTOR = "searchVector"
TS_VECTOR = "TS_VECTOR"
# Words as a `simple` text-search parser sees them, roughly: e-mail addresses and host names
# stay whole; other punctuation separates.
_WORD = re.compile(r"[\w][\w.@+'-]*[\w]|[\w]")


def search_fields(obj: ObjectMeta) -> tuple[FieldMeta, ...]:
    """The fields an object's searchVector is made of: its `searchFields` setting, else
    the object's `name` field (as Twenty does for custom objects)."""
    vector = obj.field(SEARCH_VECTOR)
    if vector is None or vector.type != TS_VECTOR:
        return ()
    names = vector.settings.get("searchFields")
    if not isinstance(names, list):
        names = ["name"]
    return tuple(f for n in names if isinstance(n, str) and (f := obj.field(n)) is not None)


def _texts(field: FieldMeta, value: Any) -> Iterator[str]:
    if value is None:
        return
    if field.composite is not None and isinstance(value, Mapping):
        for sub in field.composite.sub_fields:
            part = value.get(sub.name)
            if sub.type == "TEXT" and isinstance(part, str):
                yield part
            elif sub.name == "additionalEmails" and isinstance(part, list):
                yield from (p for p in part if isinstance(p, str))
        return
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        yield str(value)


def search_vector(obj: ObjectMeta, doc: Mapping[str, Any]) -> str | None:
    """The tsvector text of `doc`, or None for an object without a searchVector."""
    fields = search_fields(obj)
    if obj.field(SEARCH_VECTOR) is None:
        return None
    positions: dict[str, list[int]] = {}
    position = 0
    for field in fields:
        for text in _texts(field, doc.get(field.name)):
            for word in _WORD.findall(text.lower()):
                position += 1
                positions.setdefault(word, []).append(position)
    words = sorted(positions.items())
    return " ".join("'{}':{}".format(word.replace("'", "''"), ",".join(map(str, spots))) for word, spots in words)
