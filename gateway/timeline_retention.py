"""The timeline's retention: activities older than DOCGATE_TIMELINE_RETENTION_DAYS are removed.

Run by every replica on a slow period (deleting what another replica already deleted costs
nothing); 0 keeps the timeline forever, as Twenty does.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from schema_builder.execute.timeline import TIMELINE
from schema_builder.metadata.store import OBJECTS

from .db import Database

log = logging.getLogger("docgate.timeline")
PERIOD_SECONDS = 3600.0


async def prune_timelines(db: Database, days: float) -> int:
    """Remove every workspace's activities older than `days`; how many went."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    removed = 0
    async for doc in db.control[OBJECTS].find({"nameSingular": TIMELINE, "isAuditLog": True}):
        collection = db.records(doc["workspaceId"], doc.get("collectionName") or TIMELINE)
        removed += (await collection.delete_many({"happensAt": {"$lt": cutoff}})).deleted_count
    return removed


async def keep_timelines_pruned(db: Database, days: float, period: float = PERIOD_SECONDS) -> None:
    while True:
        try:
            removed = await prune_timelines(db, days)
            if removed:
                log.info("removed %d timeline activities older than %g days", removed, days)
        except Exception:  # the database may be away for a while: try again next period
            log.warning("timeline retention could not run", exc_info=True)
        await asyncio.sleep(period)
