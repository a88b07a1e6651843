"""How a replica learns of metadata changes made by other replicas.

Every metadata change bumps its workspace's `metadataVersion`. A change stream on the
workspaces collection reports each bump as it happens; where the server has no change
streams (a standalone server, the in-memory backend), or while a stream is down, the
versions are polled every `DOCGATE_METADATA_POLL_SECONDS` instead. Either way the schema
registry hears the new version and rebuilds that workspace's schema on its next request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from pymongo.errors import OperationFailure, PyMongoError

from schema_builder.metadata.store import WORKSPACES
from schema_builder.synthesis.registry import SchemaRegistry

from .db import QUIET_AWAIT_MS

log = logging.getLogger("docgate.metadata")

# Only changes that can carry a new version, and only the fields needed to read it.
_PIPELINE = [
    {"$match": {"operationType": {"$in": ["insert", "update", "replace"]}}},
    {"$project": {"documentKey": 1, "updateDescription.updatedFields.metadataVersion": 1,
                  "fullDocument.metadataVersion": 1, "updateDescription.updatedFields.accessVersion": 1,
                  "fullDocument.accessVersion": 1}},
]


def _version_of(change: dict[str, Any], name: str = "metadataVersion") -> int | None:
    version = ((change.get("updateDescription") or {}).get("updatedFields") or {}).get(name)
    if version is None:
        version = (change.get("fullDocument") or {}).get(name)
    return int(version) if isinstance(version, int | float) else None


async def follow_versions(
    control: Any,
    registry: SchemaRegistry[Any],
    poll_seconds: float,
    on_version: Callable[[str, int], None],
    streams: bool = True,
    on_access: Callable[[str, int], None] | None = None,
) -> None:
    """Run until cancelled: feed every workspace's new version to `on_version` (and its new
    access version — roles and keys changed — to `on_access`); `streams` False (the
    in-memory backend) polls from the start."""
    while True:
        if streams:
            try:
                await _stream(control, registry, on_version, on_access)
            except OperationFailure as exc:
                # e.g. "The $changeStream stage is only supported on replica sets"
                log.info("no change streams here (%s): polling metadata versions", exc)
                streams = False
            except PyMongoError:
                log.warning("the metadata change stream failed; polling until it is back", exc_info=True)
        await _refresh(registry)
        await asyncio.sleep(poll_seconds)


async def _refresh(registry: SchemaRegistry[Any]) -> None:
    try:
        await registry.refresh_versions()
    except Exception:  # keep following through database hiccups
        log.warning("could not read metadata versions", exc_info=True)


async def _stream(
    control: Any, registry: SchemaRegistry[Any], on_version: Callable[[str, int], None],
    on_access: Callable[[str, int], None] | None,
) -> None:
    async with await control[WORKSPACES].watch(_PIPELINE, max_await_time_ms=QUIET_AWAIT_MS) as stream:
        await _refresh(registry)  # what changed before the stream was open
        async for change in stream:
            version = _version_of(change)
            if version is not None:
                on_version(change["documentKey"]["_id"], version)
            access = _version_of(change, "accessVersion")
            if access is not None and on_access is not None:
                on_access(change["documentKey"]["_id"], access)
