"""Every workspace's indexes, made sure of at start-up, in the background.

The metadata changes create the indexes the hot paths read through as they go (by-id reads,
relation fetches, unique-key upserts, equality filters on join columns); this catches up
workspaces of older releases, or whose indexes were dropped by hand. `create_index` is
idempotent, so every replica may run it; it does not hold up serving.
"""

from __future__ import annotations

import logging
from typing import Any

from schema_builder.metadata.store import WORKSPACES, MetadataStore

log = logging.getLogger("docgate.migrations")


async def ensure_all_indexes(db: Any) -> None:
    ids = [doc["_id"] async for doc in db.control[WORKSPACES].find({}, {"_id": 1})]
    for workspace_id in ids:
        try:
            store = MetadataStore(db.control, db.workspace(workspace_id), workspace_id)
            for problem in await store.ensure_indexes():
                log.warning("workspace %s: %s", workspace_id, problem)
        except Exception:  # the next start tries again; serving does not depend on it
            log.warning("workspace %s: could not make sure of its indexes", workspace_id, exc_info=True)
