"""Values worked out once from long-lived objects and found again by those objects' identity.

The objects are parsed documents' field nodes (documents are cached) and a schema's object
metadata: hashing them whole would cost more than working the value out again, so the key is
their ids, and the objects are referred to with the value so that no other object can take
an id while it is cached — weakly where they allow it, so that an entry never keeps a
document the document cache has let go. The cache is bounded: when full, it starts again empty.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

V = TypeVar("V")


class IdentityCache(Generic[V]):
    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: dict[tuple[Hashable, ...], tuple[tuple[Callable[[], object], ...], V]] = {}

    def get(self, owners: Sequence[object], key: Hashable, make: Callable[[], V]) -> V:
        """The value for (`owners`, `key`), made by `make` the first time it is asked for."""
        ids = (key, *map(id, owners))
        found = self._entries.get(ids)
        if found is None or any(kept() is not owner for kept, owner in zip(found[0], owners, strict=True)):
            if len(self._entries) >= self.size:
                self._entries.clear()
            found = self._entries[ids] = (tuple(map(_reference, owners)), make())
        return found[1]


def _reference(owner: object) -> Callable[[], object]:
    try:
        return weakref.ref(owner)
    except TypeError:  # e.g. a slotted dataclass: kept alive with the entry
        return lambda: owner


K = TypeVar("K")


class WeakIdentityMap(Generic[K, V]):
    """A map from objects to values, by the objects' identity, held weakly: an entry goes
    when its object does. For parsed documents: graphql-core's syntax-tree nodes are frozen
    dataclasses whose hash walks the whole tree, so a `WeakKeyDictionary` lookup of a
    document costs as much as hashing every node of it, on every request."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[weakref.ref[K], V]] = {}

    def get(self, key: K) -> V | None:
        found = self._entries.get(id(key))
        if found is None or found[0]() is not key:
            return None
        return found[1]

    def __setitem__(self, key: K, value: V) -> None:
        entries, ident = self._entries, id(key)

        def gone(ref: weakref.ref[K]) -> None:
            entry = entries.get(ident)
            if entry is not None and entry[0] is ref:
                del entries[ident]

        entries[ident] = (weakref.ref(key, gone), value)

    def __len__(self) -> int:
        return len(self._entries)
