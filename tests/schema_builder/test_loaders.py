"""Relation loaders: the keys a level asks for are fetched in one batch, however they are
asked (compiled plans defer them, graphql-core awaits a future per key, and a query a plan
gave up on is run again by graphql-core on the same loaders), and a failed batch fails each
of its keys."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from schema_builder.compile.query_plans import _settle
from schema_builder.execute.loaders import BatchLoader


async def test_keys_asked_together_are_fetched_once_and_answered_either_way() -> None:
    batches: list[list[str]] = []

    async def fetch(keys: Sequence[str]) -> dict[str, str | None]:
        batches.append(list(keys))
        return {k: k.upper() for k in keys if k != "gone"}

    loader: BatchLoader[str, str | None] = BatchLoader(fetch, None)
    loader.prime("joined", "read by a join")
    asked = [loader.defer(k) for k in ("a", "b", "a", "gone", "joined")]
    results = await _settle([*asked, loader.load("b")])
    assert results == ["A", "B", "A", None, "read by a join", "B"]
    assert batches == [["a", "b", "gone"]]
    # graphql-core running the query again after the plan: the answers, without a new batch
    assert [await loader.load(k) for k in ("a", "gone", "joined")] == ["A", None, "read by a join"]
    assert batches == [["a", "b", "gone"]]


async def test_a_failed_batch_fails_each_of_its_keys() -> None:
    async def fetch(keys: Sequence[str]) -> dict[str, str | None]:
        raise ConnectionError("the store went away")

    loader: BatchLoader[str, str | None] = BatchLoader(fetch, None)
    results = await _settle([loader.defer("a"), loader.defer("b")])
    assert [type(r) for r in results] == [ConnectionError, ConnectionError]
    with pytest.raises(ConnectionError):
        await loader.load("a")
