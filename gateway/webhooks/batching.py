"""Group commit of delivery outcomes: the updates that arrive while one write is in flight
go together in the next `bulk_write`.

Under load this turns one database round trip per delivery into one per batch; when idle a
lone outcome is written at once, so it adds no delay.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

log = logging.getLogger("docgate.webhooks")

MAX_BATCH = 500
Update = tuple[Mapping[str, Any], Mapping[str, Any]]


class OutcomeWriter:
    def __init__(self, collection: Any) -> None:
        self.collection = collection
        self._pending: list[tuple[Update, asyncio.Future[None]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def write(self, filter: Mapping[str, Any], update: Mapping[str, Any]) -> None:
        """Queue one `update_one(filter, update)` and wait until its batch is written."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_retrieve)  # its waiter may be gone (a cancelled send)
        self._pending.append(((filter, update), future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            try:
                matched = await self._write([op for op, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            missed = len(batch) - matched
            if missed:
                log.warning("%d webhook outcome(s) not recorded: their lease had passed to another dispatcher", missed)
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    async def _write(self, updates: list[Update]) -> int:
        if isinstance(self.collection, AsyncCollection):
            operations = [UpdateOne(f, u) for f, u in updates]
            result = await self.collection.bulk_write(operations, ordered=False)
            return int(result.matched_count)
        # The in-memory backend's bulk_write does not take this driver's UpdateOne.
        matched = 0
        for f, u in updates:
            matched += (await self.collection.update_one(f, u)).matched_count
        return int(matched)

    async def close(self) -> None:
        """Wait for the outcomes already queued to be written."""
        if self._drainer is not None:
            await asyncio.gather(self._drainer, return_exceptions=True)


def _retrieve(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()
