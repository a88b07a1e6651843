"""Supervision of the embedded store: if it dies, start it again (same port, same folder),
with backoff, while requests answer 503 at once; service resumes by itself."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from ..embedded import EmbeddedServer
from .drain import Lifecycle

log = logging.getLogger("docgate.store")

CHECK_SECONDS = 0.25
BACKOFF_FIRST, BACKOFF_MAX = 0.25, 8.0


class StoreSupervisor:
    def __init__(self, store: EmbeddedServer, lifecycle: Lifecycle) -> None:
        self.store = store
        self.lifecycle = lifecycle
        self.restarts = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._watch(), name="docgate-store-supervisor")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _watch(self) -> None:
        backoff = BACKOFF_FIRST
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            if self.store.alive() or self.lifecycle.draining:
                continue
            self.lifecycle.store_down = True
            log.error("the embedded store exited (code %s); restarting it", self.store.returncode)
            while not self.lifecycle.draining:
                try:
                    await self.store.restart()
                except Exception as exc:
                    log.error("restarting the embedded store failed (%s); next try in %g s", exc, backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(BACKOFF_MAX, backoff * 2)
                    continue
                self.restarts += 1
                log.warning("the embedded store is back (restart %d)", self.restarts)
                backoff = BACKOFF_FIRST
                self.lifecycle.store_down = False
                break
