"""The access version of a workspace: bumped by every change of who may do what.

Roles, their permissions and API keys (a role assigned, a key revoked, its token replaced or
its expiry moved) change a workspace's `accessVersion`, apart from its `metadataVersion` so
that such a change rebuilds no schema. Replicas learn of it as they learn of metadata changes
(the change stream on workspaces, or polling): they drop their verified keys and compiled
roles of that workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pymongo import ReturnDocument

from schema_builder.metadata.store import WORKSPACES

ACCESS_VERSION = "accessVersion"

# Called with (workspace id, new access version) after a change made through this replica.
OnAccessChange = Callable[[str, int], None]


async def bump_access(control: Any, workspace_id: str, on_change: OnAccessChange | None) -> int:
    doc = await control[WORKSPACES].find_one_and_update(
        {"_id": workspace_id}, {"$inc": {ACCESS_VERSION: 1}}, projection={ACCESS_VERSION: 1},
        return_document=ReturnDocument.AFTER,
    )
    version = int((doc or {}).get(ACCESS_VERSION, 0))
    if on_change is not None:
        on_change(workspace_id, version)
    return version


def access_version_of(workspace: dict[str, Any] | None) -> int:
    return int((workspace or {}).get(ACCESS_VERSION, 0))
