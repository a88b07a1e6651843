"""Workspaces: created with Twenty's standard objects, which are ordinary metadata documents.

The standard data model is data (standard_objects.json), fed through the same metadata
store that serves `/metadata` by the migration that also upgrades older workspaces
(`gateway.migrations`): a new workspace is one migrated from nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import OperationFailure

from schema_builder.errors import BadUserInput, NotFound
from schema_builder.metadata.store import FIELDS, OBJECTS, WORKSPACES

from .apikeys import API_KEYS, create_api_key
from .db import Database
from .migrations import migrate_workspace
from .migrations.lease import VERSION
from .migrations.standard_roles import ensure_workspace_roles
from .permissions.roles import ensure_role_indexes


async def ensure_control_indexes(db: Database) -> None:
    control = db.control
    await control[API_KEYS].create_index("tokenHash", unique=True)
    await control[API_KEYS].create_index([("workspaceId", ASCENDING), ("createdAt", ASCENDING)])
    await control[FIELDS].create_index([("workspaceId", ASCENDING), ("objectMetadataId", ASCENDING)])
    await control[WORKSPACES].create_index("displayName", unique=True)
    await ensure_role_indexes(control)
    # Names are checked before they are written; these make two concurrent requests unable
    # to take the same one.
    await _unique_index(control[OBJECTS], [("workspaceId", ASCENDING), ("nameSingular", ASCENDING)])
    await _unique_index(control[OBJECTS], [("workspaceId", ASCENDING), ("namePlural", ASCENDING)])
    await _unique_index(control[FIELDS], [("objectMetadataId", ASCENDING), ("name", ASCENDING)])


async def _unique_index(collection: Any, keys: list[tuple[str, int]]) -> None:
    """A unique index on `keys`, replacing a plain one that earlier versions made there."""
    try:
        await collection.create_index(keys, unique=True)
    except OperationFailure as exc:
        if exc.code not in (85, 86):  # IndexOptionsConflict, IndexKeySpecsConflict
            raise
        existing = await collection.index_information()
        for name, spec in existing.items():
            if [tuple(k) for k in spec["key"]] == [tuple(k) for k in keys]:
                await collection.drop_index(name)
        await collection.create_index(keys, unique=True)


async def create_workspace(db: Database, display_name: str, *, key_name: str = "default") -> tuple[dict[str, Any], str]:
    """A new workspace with the standard objects and one API key; returns (workspace, token)."""
    if not isinstance(display_name, str) or not display_name.strip():
        raise BadUserInput("a workspace needs a non-empty name")
    display_name = display_name.strip()
    if await db.control[WORKSPACES].find_one({"displayName": display_name}) is not None:
        raise BadUserInput(f"a workspace named '{display_name}' already exists")
    workspace: dict[str, Any] = {
        "_id": str(uuid.uuid4()),
        "displayName": display_name,
        "metadataVersion": 0,
        VERSION: 0,  # nothing yet: the migration makes the standard objects
        "createdAt": datetime.now(UTC),
    }
    await db.control[WORKSPACES].insert_one(workspace)
    await migrate_workspace(db, workspace["_id"])
    roles = await ensure_workspace_roles(db.control, workspace["_id"])
    _, token = await create_api_key(db.control, workspace["_id"], key_name, role_id=roles["admin"])
    return workspace, token


async def list_workspaces(db: Database) -> list[dict[str, Any]]:
    return list(await db.control[WORKSPACES].find({}).sort("createdAt", 1).to_list(None))


async def get_workspace(db: Database, workspace_id: str) -> dict[str, Any]:
    doc = await db.control[WORKSPACES].find_one({"_id": workspace_id})
    if doc is None:
        raise NotFound(f"workspace '{workspace_id}' not found")
    return dict(doc)
