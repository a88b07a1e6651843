"""The schema cache: one built schema per (workspace, metadataVersion), least recently used out.

A change made through this replica reports its new version at once (`note_version`);
changes made by other replicas are picked up by `refresh_versions`, which the gateway
calls on a short period. A request never rebuilds anything unless the version moved.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from schema_builder.metadata.model import WorkspaceModel

Built = TypeVar("Built")


class SchemaRegistry(Generic[Built]):
    def __init__(
        self,
        load_model: Callable[[str], Awaitable[WorkspaceModel]],
        build: Callable[[WorkspaceModel], Built],
        read_versions: Callable[[], Awaitable[dict[str, int]]],
        size: int,
    ) -> None:
        self._load_model = load_model
        self._build = build
        self._read_versions = read_versions
        self.size = size
        self._built: OrderedDict[str, tuple[int, Built]] = OrderedDict()
        self._versions: dict[str, int] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.hits = 0  # requests served from the cache
        self.builds = 0  # schemas built (a miss, or a new version)

    def note_version(self, workspace_id: str, version: int) -> None:
        if version > self._versions.get(workspace_id, -1):
            self._versions[workspace_id] = version

    async def refresh_versions(self) -> None:
        for workspace_id, version in (await self._read_versions()).items():
            self.note_version(workspace_id, version)

    async def get(self, workspace_id: str) -> Built:
        entry = self._built.get(workspace_id)
        known = self._versions.get(workspace_id)
        if entry is not None and known is not None and entry[0] >= known:
            self._built.move_to_end(workspace_id)
            self.hits += 1
            return entry[1]
        lock = self._locks.setdefault(workspace_id, asyncio.Lock())
        async with lock:  # one build per workspace at a time; others wait for it
            entry = self._built.get(workspace_id)
            known = self._versions.get(workspace_id)
            if entry is not None and known is not None and entry[0] >= known:
                return entry[1]
            model = await self._load_model(workspace_id)
            built = self._build(model)
            self.builds += 1
            self.note_version(workspace_id, model.version)
            self._built[workspace_id] = (model.version, built)
            self._built.move_to_end(workspace_id)
            while len(self._built) > self.size:
                evicted, _ = self._built.popitem(last=False)
                self._locks.pop(evicted, None)
            return built

    def __len__(self) -> int:
        return len(self._built)

    def cached(self) -> dict[str, Any]:
        return {ws: version for ws, (version, _) in self._built.items()}
