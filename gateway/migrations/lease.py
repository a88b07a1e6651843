"""One replica migrates a workspace at a time: a lease on the workspace document.

The lease is taken with a single conditional update (compare-and-set): only a replica that
finds the workspace behind the target version and no live lease gets it. The holder renews
it as it goes and drops it at the end; a replica that dies leaves a lease that expires, and
the next start takes over. Every step is idempotent, so a takeover repeats nothing harmful.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from schema_builder.metadata.store import WORKSPACES

VERSION = "standardModelVersion"  # absent: a workspace made before versions existed (1)
LEASE = "standardModelMigration"
UNVERSIONED = 1


def version_of(workspace: dict[str, Any] | None) -> int:
    return int(workspace.get(VERSION, UNVERSIONED)) if workspace else UNVERSIONED


@dataclass
class Lease:
    control: Any
    workspace_id: str
    seconds: float
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)

    def _expiry(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.seconds)

    async def acquire(self, target: int) -> dict[str, Any] | None:
        """The workspace document if this replica now holds the lease, else None."""
        now = datetime.now(UTC)
        behind = {"$or": [{VERSION: {"$lt": target}}, {VERSION: {"$exists": False}}]}
        free = {"$or": [{LEASE: None}, {f"{LEASE}.expiresAt": {"$lt": now}}]}
        doc: dict[str, Any] | None = await self.control[WORKSPACES].find_one_and_update(
            {"_id": self.workspace_id, "$and": [behind, free]},
            {"$set": {LEASE: {"owner": self.owner, "expiresAt": self._expiry()}}},
            return_document=True,
        )
        return doc

    async def renew(self) -> None:
        """Extend the lease; fails if another replica took it over (this one was too slow)."""
        result = await self.control[WORKSPACES].update_one(
            {"_id": self.workspace_id, f"{LEASE}.owner": self.owner},
            {"$set": {f"{LEASE}.expiresAt": self._expiry()}},
        )
        if result.matched_count != 1:
            raise RuntimeError(f"lost the migration lease of workspace {self.workspace_id}")

    async def finish(self, version: int | None) -> None:
        """Release the lease, recording `version` when the migration succeeded."""
        update: dict[str, Any] = {"$unset": {LEASE: ""}}
        if version is not None:
            update["$set"] = {VERSION: version}
        await self.control[WORKSPACES].update_one({"_id": self.workspace_id, f"{LEASE}.owner": self.owner}, update)
