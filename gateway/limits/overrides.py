"""A workspace's own rate limits, stored on its document (set with `docgate workspace limits`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo import ReturnDocument

from schema_builder.errors import NotFound
from schema_builder.metadata.store import WORKSPACES

from .windows import OVERRIDE_FIELD, check_override, default_windows, with_override


async def set_workspace_limits(
    control: Any, workspace_id: str, values: Mapping[str, Any], *, reset: bool = False
) -> dict[str, Any]:
    """Set (or, with `reset`, first clear) the workspace's override; returns it."""
    checked = check_override(values)
    update: dict[str, Any] | None = None
    if reset:
        update = {"$set": {OVERRIDE_FIELD: checked}} if checked else {"$unset": {OVERRIDE_FIELD: ""}}
    elif checked:
        update = {"$set": {f"{OVERRIDE_FIELD}.{k}": v for k, v in checked.items()}}
    workspaces = control[WORKSPACES]
    if update is None:
        doc = await workspaces.find_one({"_id": workspace_id})
    else:
        doc = await workspaces.find_one_and_update({"_id": workspace_id}, update, return_document=ReturnDocument.AFTER)
    if doc is None:
        raise NotFound(f"workspace '{workspace_id}' not found")
    return dict(doc.get(OVERRIDE_FIELD) or {})


def effective_limits(settings: Any, override: Mapping[str, Any] | None) -> dict[str, int]:
    """The limits in force, as the override's keys name them (for the CLI to print)."""
    short, long = with_override(default_windows(settings), override)
    return {
        "shortLimit": short.limit, "shortTtlInMs": short.ttl_ms, "longLimit": long.limit, "longTtlInMs": long.ttl_ms
    }
