"""The database connection: PyMongo's async client, the in-memory backend or the embedded store.

A `Database` is the one handle the rest of docgate uses: the control database (workspaces,
keys, metadata) and one database per workspace for its records.
"""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.monitoring import CommandListener

from .embedded import EmbeddedServer
from .settings import Settings

MEMORY_URI = "memory://"


class Database:
    def __init__(self, client: Any, control_db: str, embedded: EmbeddedServer | None = None):
        self.client = client
        self.control_name = control_db
        self.control: AsyncDatabase[dict[str, Any]] = client[control_db]
        self.embedded = embedded
        self.in_memory = embedded is None and not isinstance(client, AsyncMongoClient)

    def workspace(self, workspace_id: str) -> AsyncDatabase[dict[str, Any]]:
        """The database holding a workspace's records: one collection per object."""
        db: AsyncDatabase[dict[str, Any]] = self.client[
            f"{self.control_name}_{workspace_id.replace('-', '')}"
        ]
        return db

    async def ping(self) -> None:
        await self.control.command("ping")

    async def close(self) -> None:
        if self.in_memory:
            self.client.close()
        else:
            await self.client.close()
        if self.embedded is not None:
            self.embedded.stop()


def open_database(
    settings: Settings, *, listeners: list[CommandListener] | None = None
) -> Database:
    """Connect as the settings say; starts the embedded store when no URI is set.

    The client connects lazily, so this does no network I/O itself.
    """
    uri = settings.mongodb_uri
    if uri == MEMORY_URI:
        from mongomock_motor import AsyncMongoMockClient

        return Database(AsyncMongoMockClient(tz_aware=True), settings.control_db)
    embedded = None
    if uri is None:
        embedded = EmbeddedServer(settings.data_dir.resolve()).start()
        uri = embedded.uri
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        uri,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=5000,
        maxPoolSize=100,
        event_listeners=listeners or [],
    )
    return Database(client, settings.control_db, embedded)
