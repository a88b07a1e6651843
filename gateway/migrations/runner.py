"""Bringing workspaces to the current standard model, once each, safely across replicas.

At start-up every workspace behind `LATEST_VERSION` is migrated: the replica that takes the
lease runs the steps (metadata, then record data) and records the new version; the others
wait for that version (or for the lease to expire, and then take over). A failure releases
the lease and leaves the version as it was: the next start tries again, and every step
checks what is already done.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from schema_builder.errors import NotFound
from schema_builder.metadata.store import WORKSPACES, MetadataStore

from .backfill import fill_defaults, fill_system_values
from .lease import Lease, version_of
from .standard_model import LATEST_VERSION, Reconciler

log = logging.getLogger("docgate.migrations")

LEASE_SECONDS = 30.0
WAIT_SECONDS = 120.0  # how long a replica waits for another one's migration of a workspace
POLL_SECONDS = 0.2


async def migrate_workspace(
    db: Any, workspace_id: str, *, lease_seconds: float = LEASE_SECONDS, wait_seconds: float = WAIT_SECONDS
) -> int:
    """Bring one workspace to `LATEST_VERSION` (or wait for the replica doing it); its version."""
    lease = Lease(db.control, workspace_id, lease_seconds)
    deadline = time.monotonic() + wait_seconds
    while True:
        doc = await lease.acquire(LATEST_VERSION)
        if doc is not None:
            return await _run(db, lease, doc)
        current = await db.control[WORKSPACES].find_one({"_id": workspace_id})
        if current is None:
            raise NotFound(f"workspace '{workspace_id}' not found")
        version = version_of(current)
        if version >= LATEST_VERSION:
            return version
        if time.monotonic() > deadline:
            log.warning("workspace %s: still migrated by another replica after %ss; serving it as it is",
                        workspace_id, wait_seconds)
            return version
        await asyncio.sleep(POLL_SECONDS)


async def _run(db: Any, lease: Lease, doc: dict[str, Any]) -> int:
    since = version_of(doc)
    workspace_id = doc["_id"]
    store = MetadataStore(db.control, db.workspace(workspace_id), workspace_id)
    try:
        added = await Reconciler(store, since, lease.renew).run()
        await fill_defaults(db.workspace(workspace_id), added)
        filled = await fill_system_values(db.workspace(workspace_id), await store.load_model(), lease.renew)
    except BaseException:
        await lease.finish(None)
        raise
    await lease.finish(LATEST_VERSION)
    if since > 0:
        log.info("workspace %s: standard model %s -> %s (%s records completed)", workspace_id, since,
                 LATEST_VERSION, filled)
    return LATEST_VERSION


async def migrate_all_workspaces(db: Any) -> None:
    """Every workspace, one after the other; one that fails stays as it was and is logged."""
    behind = {"$or": [{"standardModelVersion": {"$lt": LATEST_VERSION}}, {"standardModelVersion": {"$exists": False}}]}
    for doc in await db.control[WORKSPACES].find(behind, {"_id": 1}).to_list(None):
        try:
            await migrate_workspace(db, doc["_id"])
        except Exception:
            log.exception("workspace %s: the standard model migration failed; it will be tried again at the "
                          "next start", doc["_id"])
