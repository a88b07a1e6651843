"""Batch loading: every relation of one level is fetched with one query, whatever the page size.

Resolvers call `load(key)` synchronously and return the future; the batch is dispatched
on the next turn of the event loop, when all siblings of the level have asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BatchLoader(Generic[K, V]):
    def __init__(self, batch: Callable[[Sequence[K]], Awaitable[dict[K, V]]], default: V) -> None:
        self._batch = batch
        self._default = default
        self._futures: dict[K, asyncio.Future[V]] = {}
        self._pending: list[K] = []

    def load(self, key: K) -> asyncio.Future[V]:
        future = self._futures.get(key)
        if future is not None:
            return future
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._futures[key] = future
        if not self._pending:
            loop.call_soon(self._dispatch)
        self._pending.append(key)
        return future

    def prime(self, key: K, value: V) -> None:
        """Answer `key` with `value`, read by other means (a join), unless already asked."""
        if key not in self._futures:
            future = self._futures[key] = asyncio.get_running_loop().create_future()
            future.set_result(value)

    def _dispatch(self) -> None:
        keys, self._pending = self._pending, []
        asyncio.ensure_future(self._run(keys))

    async def _run(self, keys: list[K]) -> None:
        try:
            found = await self._batch(keys)
        except Exception as exc:
            for key in keys:
                if not self._futures[key].done():
                    self._futures[key].set_exception(exc)
            return
        for key in keys:
            if not self._futures[key].done():
                self._futures[key].set_result(found.get(key, self._default))


def loader_for(
    loaders: dict[Any, Any], owner: Hashable, make: Callable[[], BatchLoader[Any, Any]]
) -> BatchLoader[Any, Any]:
    """The request's loader for `owner`, made on first use."""
    loader = loaders.get(owner)
    if loader is None:
        loader = loaders[owner] = make()
    return loader
