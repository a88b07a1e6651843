"""Batch loading: every relation of one level is fetched with one query, whatever the page size.

Resolvers ask for a key synchronously; the batch is dispatched on the next turn of the
event loop, when all siblings of the level have asked. graphql-core gets a future per key
(`load`); compiled plans get a `Deferred` (`defer`) and settle a level with one await per
batch, not one future per record and relation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Deferred:
    """A key's value, known once its batch has run (see `QueryPlan.execute`)."""

    __slots__ = ("loader", "batch", "key")

    def __init__(self, loader: BatchLoader[Any, Any], batch: asyncio.Future[Mapping[Any, Any]], key: Any) -> None:
        self.loader = loader
        self.batch = batch
        self.key = key

    def value(self, found: Mapping[Any, Any]) -> Any:
        """The key's value in its batch's answer `found`."""
        return found.get(self.key, self.loader.default)

    def future(self) -> asyncio.Future[Any]:
        """The same value as the future graphql-core awaits."""
        return self.loader.load(self.key)


class BatchLoader(Generic[K, V]):
    def __init__(self, batch: Callable[[Sequence[K]], Awaitable[dict[K, V]]], default: V) -> None:
        self._batch = batch
        self.default = default
        self._batches: dict[K, asyncio.Future[Mapping[K, V]]] = {}  # each asked key's batch
        self._gathering: asyncio.Future[Mapping[K, V]] | None = None  # the batch not yet dispatched
        self._pending: list[K] = []
        self._futures: dict[K, asyncio.Future[V]] = {}  # graphql-core's, by key

    def defer(self, key: K) -> Deferred:
        return Deferred(self, self._ask(key), key)

    def load(self, key: K) -> asyncio.Future[V]:
        future = self._futures.get(key)
        if future is None:
            batch = self._ask(key)
            future = self._futures[key] = batch.get_loop().create_future()
            if batch.done():  # asked before (a Deferred, a primed key): its batch has run
                _answer(future, batch, key, self.default)
        return future

    def prime(self, key: K, value: V) -> None:
        """Answer `key` with `value`, read by other means (a join), unless already asked."""
        if key not in self._batches:
            batch = self._batches[key] = asyncio.get_running_loop().create_future()
            batch.set_result({key: value})

    def _ask(self, key: K) -> asyncio.Future[Mapping[K, V]]:
        batch = self._batches.get(key)
        if batch is None:
            batch = self._gathering
            if batch is None:
                loop = asyncio.get_running_loop()
                batch = self._gathering = loop.create_future()
                loop.call_soon(self._dispatch)
            self._pending.append(key)
            self._batches[key] = batch
        return batch

    def _dispatch(self) -> None:
        keys, self._pending = self._pending, []
        batch, self._gathering = self._gathering, None
        assert batch is not None
        asyncio.ensure_future(self._run(keys, batch))

    async def _run(self, keys: list[K], batch: asyncio.Future[Mapping[K, V]]) -> None:
        try:
            found: Mapping[K, V] = await self._batch(keys)
        except Exception as exc:
            batch.set_exception(exc)
            batch.exception()  # retrieved: whoever awaits it still gets it, no "never retrieved" log
        else:
            batch.set_result(found)
        for key in keys:
            future = self._futures.get(key)
            if future is not None:
                _answer(future, batch, key, self.default)


def _answer(future: asyncio.Future[Any], batch: asyncio.Future[Mapping[Any, Any]], key: Any, default: Any) -> None:
    if future.done():
        return
    exc = batch.exception()
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(batch.result().get(key, default))


def loader_for(
    loaders: dict[Any, Any], owner: Hashable, make: Callable[[], BatchLoader[Any, Any]]
) -> BatchLoader[Any, Any]:
    """The request's loader for `owner`, made on first use."""
    loader = loaders.get(owner)
    if loader is None:
        loader = loaders[owner] = make()
    return loader
