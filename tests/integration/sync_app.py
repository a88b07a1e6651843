"""The app on an event loop of its own, for property tests: hypothesis drives synchronous
tests, so each example runs its requests through `run`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import Any

import httpx

from gateway.app import create_app
from gateway.db import open_database
from gateway.workspaces import create_workspace
from tests.conftest import gateway_settings


class SyncApp:
    """The real app and daemon with a fresh workspace; `set_up` adds what a test needs."""

    def __init__(self, mongo_uri: str, prefix: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.stack = contextlib.AsyncExitStack()
        self.run(self._open(mongo_uri, prefix))
        self.run(self.set_up())

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        self.run(self.stack.aclose())
        self.loop.close()

    async def _open(self, mongo_uri: str, prefix: str) -> None:
        settings = gateway_settings(mongo_uri, prefix)
        self.db = open_database(settings)
        self.stack.push_async_callback(self.db.close)
        self.app = create_app(settings, db=self.db)
        await self.stack.enter_async_context(self.app.router.lifespan_context(self.app))
        workspace, self.token = await create_workspace(self.db, "property")
        self.workspace_id = workspace["_id"]
        self.client = await self.stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://docgate"))

    async def set_up(self) -> None:
        """What the test's workspace holds besides the standard objects."""
