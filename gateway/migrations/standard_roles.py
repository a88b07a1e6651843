"""Roles in workspaces made before roles existed: Admin and Member in each, and every key
without a role made an Admin key (what it was). Idempotent and safe to run on every replica
at once: a role is made once (a unique index on its standard id), and keys are only ever
given the Admin role when they have none."""

from __future__ import annotations

import logging
from typing import Any

from schema_builder.metadata.store import WORKSPACES

from ..apikeys import API_KEYS
from ..permissions.roles import ensure_role_indexes, ensure_standard_roles

log = logging.getLogger("docgate.migrations")


async def ensure_workspace_roles(control: Any, workspace_id: str) -> dict[str, str]:
    ids = await ensure_standard_roles(control, workspace_id)
    result = await control[API_KEYS].update_many(
        {"workspaceId": workspace_id, "$or": [{"roleId": {"$exists": False}}, {"roleId": None}]},
        {"$set": {"roleId": ids["admin"]}},
    )
    if result.modified_count:
        log.info("workspace %s: %s API keys of an earlier release are Admin keys", workspace_id,
                 result.modified_count)
    return ids


async def ensure_all_standard_roles(db: Any) -> None:
    await ensure_role_indexes(db.control)
    for doc in await db.control[WORKSPACES].find({}, {"_id": 1}).to_list(None):
        await ensure_workspace_roles(db.control, doc["_id"])
