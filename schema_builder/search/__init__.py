"""Search and deduplication values of records (pure): what every write stores with a record.

`index_values(obj, doc)` is computed from a record's final values and written in the same
operation as the record: its `searchVector` (readable, Twenty's text form) and two hidden
keys, the search tokens and the duplicate keys, each served by a multikey index. The hidden
keys are never fields: answers, events and merges leave them out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from schema_builder.metadata.model import ObjectMeta
from schema_builder.search.duplicate_keys import DUPLICATE_KEYS, duplicate_criteria, duplicate_values
from schema_builder.search.vectors import SEARCH_TOKENS, search_values
from schema_builder.search.vectors import signature as vector_signature

HIDDEN_KEYS = frozenset({SEARCH_TOKENS, DUPLICATE_KEYS})
INDEXED_KEYS = (SEARCH_TOKENS, DUPLICATE_KEYS)  # each has a multikey index on every collection


def index_values(obj: ObjectMeta, doc: Mapping[str, Any]) -> dict[str, Any]:
    """The searchVector and hidden keys of a record, from its final values."""
    return {**search_values(obj, doc), **duplicate_values(obj, doc)}


def index_signature(obj: ObjectMeta) -> str:
    """What `index_values` of `obj` depends on besides the record: when it changes (a search
    field, a duplicate criterion, the tokenizer), the object's records are indexed again."""
    criteria = "|".join("+".join(group) for group in duplicate_criteria(obj) or ())
    return hashlib.sha1(f"{vector_signature(obj)}#{criteria}".encode()).hexdigest()[:16]


def without_hidden(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record without its hidden keys (for events and anything shown as a whole)."""
    return {k: v for k, v in record.items() if k not in HIDDEN_KEYS}
