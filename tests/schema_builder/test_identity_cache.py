"""IdentityCache: one value per (owners, key), found by the owners' identity, bounded."""

from __future__ import annotations

from schema_builder.compile.identity_cache import IdentityCache


class Owner:
    def __eq__(self, other: object) -> bool:  # equal to every other: only identity may count
        return True

    __hash__ = object.__hash__


def test_a_value_is_made_once_per_owners_and_key() -> None:
    cache: IdentityCache[list[str]] = IdentityCache()
    made: list[str] = []

    def make(label: str) -> list[str]:
        made.append(label)
        return [label]

    a, b = Owner(), Owner()
    first = cache.get((a,), "k", lambda: make("a"))
    assert cache.get((a,), "k", lambda: make("again")) is first
    assert cache.get((b,), "k", lambda: make("b")) == ["b"]  # an equal but other object: its own value
    assert cache.get((a,), "other", lambda: make("a2")) == ["a2"]
    assert made == ["a", "b", "a2"]


def test_the_cache_is_bounded() -> None:
    cache: IdentityCache[int] = IdentityCache(size=3)
    owners = [Owner() for _ in range(10)]
    for i, owner in enumerate(owners):
        cache.get((owner,), None, lambda i=i: i)  # type: ignore[misc]
    assert len(cache._entries) <= 3
    assert cache.get((owners[-1],), None, lambda: -1) == 9
