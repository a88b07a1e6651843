"""The database connection: PyMongo's async client, the in-memory backend or the embedded store.

A `Database` is the one handle the rest of docgate uses: the control database (workspaces,
keys, metadata) and one database per workspace for its records.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pymongo import AsyncMongoClient, _csot
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.asynchronous.topology import Topology
from pymongo.errors import PyMongoError
from pymongo.monitoring import CommandListener

from schema_builder.errors import Conflict, DocgateError, from_database

from .coalesced_reads import CoalescedReads, Lookup
from .embedded import DataFolderInUse, EmbeddedServer, running_store_uri
from .observability.metrics import CommandTimer
from .settings import Settings

MEMORY_URI = "memory://"
_COLLECTION_HANDLES = 10_000
# A transaction that fails as transient (a write conflict with a concurrent one, a primary
# stepping down) is run again, a few times with a short backoff: a request must answer
# within moments, not after PyMongo's `with_transaction` budget of 120 s.
TRANSACTION_ATTEMPTS = 4
COMMIT_ATTEMPTS = 3
_BACKOFF_SECONDS = 0.02  # doubled at each attempt, with jitter
CLOSE_SECONDS = 2.0
# How long the server may hold a change stream's getMore while nothing changes (a change still
# comes back at once): the default, 1 s, woke every replica's followers once a second for
# nothing, about a third of an idle gateway's CPU.
QUIET_AWAIT_MS = 10_000
T = TypeVar("T")


class Database:
    def __init__(self, client: Any, control_db: str, embedded: EmbeddedServer | None = None):
        self.client = client
        self.control_name = control_db
        self.control: AsyncDatabase[dict[str, Any]] = client[control_db]
        self.embedded = embedded
        self.in_memory = embedded is None and not isinstance(client, AsyncMongoClient)
        self._transactions: bool | None = None
        self._collections: dict[tuple[str, str], Any] = {}
        self._reads = CoalescedReads()

    def workspace(self, workspace_id: str) -> AsyncDatabase[dict[str, Any]]:
        """The database holding a workspace's records: one collection per object."""
        db: AsyncDatabase[dict[str, Any]] = self.client[
            f"{self.control_name}_{workspace_id.replace('-', '')}"
        ]
        return db

    def records(self, workspace_id: str, collection: str) -> Any:
        """A workspace's collection, made once: every read and write asks for one."""
        key = (workspace_id, collection)
        found = self._collections.get(key)
        if found is None:
            if len(self._collections) >= _COLLECTION_HANDLES:
                self._collections.clear()  # handles are cheap to make again; keep the memory bounded
            found = self._collections[key] = self.workspace(workspace_id)[collection]
        return found

    async def read_by_id(
        self, collection: Any, record_id: Any, lookups: tuple[Lookup, ...] = ()
    ) -> dict[str, Any] | None:
        if self.in_memory:  # one request at a time, and no $lookup: read alone
            assert not lookups, "the in-memory backend joins no relation"
            found: dict[str, Any] | None = await collection.find_one({"_id": record_id})
            return found
        return await self._reads.read(collection, record_id, lookups)

    async def supports_transactions(self) -> bool:
        """Transactions need a replica set (or mongos); the in-memory backend has none."""
        if self._transactions is None:
            if self.in_memory:
                self._transactions = False
            else:
                hello = await self.client.admin.command("hello")
                self._transactions = bool(hello.get("setName") or hello.get("msg") == "isdbgrid")
        return self._transactions

    async def run_in_transaction(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """Run `work(session)` in a transaction and commit it; `work` raising aborts it.

        Only errors labelled transient by the server are retried, at most
        TRANSACTION_ATTEMPTS times in all; anything else (a DocgateError, say) is raised at once.
        """
        if not await self.supports_transactions():
            return await work(None)
        async with self.client.start_session() as session:
            last: PyMongoError | None = None
            for attempt in range(TRANSACTION_ATTEMPTS):
                if attempt:
                    await asyncio.sleep(random.uniform(0, _BACKOFF_SECONDS * 2**attempt))
                await session.start_transaction()
                try:
                    result = await work(session)
                    if session.in_transaction:
                        await _commit(session)
                    return result
                except BaseException as exc:
                    if session.in_transaction:
                        await session.abort_transaction()
                    if not (isinstance(exc, PyMongoError) and exc.has_error_label("TransientTransactionError")):
                        raise
                    last = exc
            raise _gave_up(last) from last

    async def ping(self) -> None:
        await self.control.command("ping")

    async def close(self, within: float | None = None) -> None:
        """Close the client and stop the embedded store, in `within` seconds at most if given."""
        started = time.monotonic()
        if self.in_memory:
            self.client.close()
        else:
            try:  # a server that no longer answers must not hold docgate's exit
                limit = CLOSE_SECONDS if within is None else min(1.0, within / 3)
                await asyncio.wait_for(self.client.close(), limit)
            except TimeoutError:
                pass
        if self.embedded is not None:
            if within is None:
                self.embedded.stop()
            else:
                self.embedded.stop(max(0.5, within - (time.monotonic() - started)))


async def _commit(session: AsyncClientSession) -> None:
    """Commit, trying again while the outcome is unknown (the server may not have answered)."""
    for attempt in range(1, COMMIT_ATTEMPTS + 1):
        try:
            await session.commit_transaction()
            return
        except PyMongoError as exc:
            if attempt == COMMIT_ATTEMPTS or not exc.has_error_label("UnknownTransactionCommitResult"):
                raise


def _gave_up(error: PyMongoError | None) -> DocgateError:
    # A command past the request's deadline is labelled transient too: it is a 504, not a 503.
    answer = from_database(error) if error is not None else None
    if answer is not None:
        return answer
    return Conflict(
        f"the change conflicted with concurrent changes to the same records {TRANSACTION_ATTEMPTS} times "
        "and was not made; try again"
    )


# How long a command waits for a reachable server unless the URI says otherwise.
SERVER_SELECTION_TIMEOUT_MS = 5000

_URI_TIMEOUT = re.compile(r"[?&]serverSelectionTimeoutMS=", re.IGNORECASE)


def _computed_server_selection_timeout(self: Topology) -> float:
    """The client-side operations timeout spec's `computedServerSelectionTimeout`:
    min(serverSelectionTimeoutMS, the time left). PyMongo 4.20 waits the whole time left
    instead, so with a request's deadline set, a request on an unreachable database would be
    held for all of it (30 s) rather than answered 503 after serverSelectionTimeoutMS."""
    configured: float = self._settings.server_selection_timeout
    remaining = _csot.remaining()
    return configured if remaining is None else min(configured, remaining)


# Only where the driver has the parts it uses (private ones: a later PyMongo may not), else
# PyMongo's own rule stays; tests/gateway/test_ops.py notices either way.
if hasattr(_csot, "remaining") and hasattr(Topology, "get_server_selection_timeout"):
    Topology.get_server_selection_timeout = _computed_server_selection_timeout  # type: ignore[method-assign,assignment]


def open_database(
    settings: Settings, *, listeners: list[CommandListener] | None = None, attach: bool = False
) -> Database:
    """Connect as the settings say; starts the embedded store when no URI is set.

    With `attach` (the CLI), an embedded data folder already served by a running docgate
    is reached through that docgate's store instead of refused. The client connects
    lazily, so this does no network I/O itself (starting the embedded store aside).
    """
    uri = settings.mongodb_uri
    if uri == MEMORY_URI:
        from mongomock_motor import AsyncMongoMockClient

        return Database(AsyncMongoMockClient(tz_aware=True), settings.control_db)
    embedded = None
    if uri is None:
        data_dir = settings.data_dir.resolve()
        try:
            embedded = EmbeddedServer(data_dir).start()
            uri = embedded.uri
        except DataFolderInUse:
            uri = running_store_uri(data_dir) if attach else None
            if uri is None:
                raise
    # The URI's own serverSelectionTimeoutMS wins (PyMongo lets a keyword override the URI).
    timeout: dict[str, Any] = {}
    if not _URI_TIMEOUT.search(uri):
        timeout["serverSelectionTimeoutMS"] = SERVER_SELECTION_TIMEOUT_MS
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        uri,
        tz_aware=True,
        uuidRepresentation="standard",
        maxPoolSize=100,
        **timeout,
        event_listeners=[*(listeners or []), *([CommandTimer()] if settings.metrics_enabled else [])],
    )
    return Database(client, settings.control_db, embedded)
