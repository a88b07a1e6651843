"""A real docgate server (uvicorn on a free loopback port, in a thread) for out-of-process clients.

The browser and schemathesis tests talk to it over HTTP as a user would. It has its own
control database and one workspace, whose API key the tests use.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from gateway.app import create_app
from gateway.db import Database, open_database
from gateway.settings import Settings
from gateway.workspaces import create_workspace
from tests.conftest import gateway_settings


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:<port>
    token: str
    workspace_id: str
    db: Database  # the server's store, for set-up a test does itself (e.g. another workspace)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def live_server(
    mongo_uri: str, *, replica_of: LiveServer | None = None, **settings: object
) -> AsyncIterator[LiveServer]:
    """Start the app under uvicorn, create a workspace, and stop it all on exit; `replica_of`:
    another replica of that server instead (its store, workspace and key).

    Its webhook dispatcher is off: tests that fuzz the API create webhooks to arbitrary URLs.
    """
    if "webhook_dispatcher" in {f.name for f in dataclasses.fields(Settings)}:
        settings.setdefault("webhook_dispatcher", False)  # fuzzers make webhooks to any URL: never call them
    port = free_port()
    settings.setdefault("public_url", f"http://127.0.0.1:{port}")  # the documents' servers
    control = replica_of.db.control_name if replica_of is not None else f"live{uuid.uuid4().hex[:10]}"
    config = gateway_settings(mongo_uri, control, **settings)
    db = open_database(config)
    if replica_of is None:
        workspace, token = await create_workspace(db, "live")
        workspace_id = workspace["_id"]
    else:
        workspace_id, token = replica_of.workspace_id, replica_of.token
    server = uvicorn.Server(
        uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="docgate-live", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the docgate server did not start")
            await asyncio.sleep(0.05)
        yield LiveServer(f"http://127.0.0.1:{port}", token, workspace_id, db)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        await db.close()


class SseStream:
    """An open GraphQL-over-SSE subscription: its frames as they arrive."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.lines = response.aiter_lines()

    async def next(self, timeout: float = 10) -> tuple[str | None, dict[str, Any]]:
        """The next `next` frame: (its id, its data)."""
        event, frame_id, data = None, None, None
        async with asyncio.timeout(timeout):
            async for line in self.lines:
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("id:"):
                    frame_id = line.split(":", 1)[1].strip()
                elif line.startswith("data:"):
                    data = line.split(":", 1)[1].strip()
                elif line == "" and event == "next":
                    return frame_id, json.loads(data or "{}")
                elif line == "":
                    event, frame_id, data = None, None, None
        raise AssertionError("the stream ended")
