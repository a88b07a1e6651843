"""A real docgate server (uvicorn on a free loopback port, in a thread) for out-of-process clients.

The browser and schemathesis tests talk to it over HTTP as a user would. It has its own
control database and one workspace, whose API key the tests use.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import uvicorn

from gateway.app import create_app
from gateway.db import open_database
from gateway.settings import Settings
from gateway.workspaces import create_workspace
from tests.conftest import gateway_settings


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:<port>
    token: str
    workspace_id: str


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def live_server(mongo_uri: str, **settings: object) -> AsyncIterator[LiveServer]:
    """Start the app under uvicorn, create a workspace, and stop it all on exit.

    Its webhook dispatcher is off: tests that fuzz the API create webhooks to arbitrary URLs.
    """
    if "webhook_dispatcher" in {f.name for f in dataclasses.fields(Settings)}:
        settings.setdefault("webhook_dispatcher", False)  # fuzzers make webhooks to any URL: never call them
    port = free_port()
    settings.setdefault("public_url", f"http://127.0.0.1:{port}")  # the documents' servers
    config = gateway_settings(mongo_uri, f"live{uuid.uuid4().hex[:10]}", **settings)
    db = open_database(config)
    workspace, token = await create_workspace(db, "live")
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
        yield LiveServer(f"http://127.0.0.1:{port}", token, workspace["_id"])
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        await db.close()
