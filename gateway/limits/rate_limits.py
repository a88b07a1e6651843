"""Rate limits per API key, as Twenty's: a short and a long window, per-workspace overridable.

Twenty's defaults: 100 requests per second and 100 per minute per key
(API_RATE_LIMITING_SHORT_* / _LONG_*); a limit or a window length of 0 turns that window
off. A workspace's own values live on its document (`apiRateLimits`, set with
`docgate workspace limits`), read at most every `override_cache_seconds`.

Counting is by fixed windows (see counters.py), so a key can make up to twice a window's
limit across the boundary of two windows; Twenty refills a token bucket instead. Both cap
the sustained rate at the limit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

from schema_builder.metadata.store import WORKSPACES

from .counters import count
from .errors import RateLimited
from .windows import OVERRIDE_FIELD, Window, default_windows, with_override

_MAX_CACHED_WORKSPACES = 10_000


class RateLimiter:
    def __init__(self, control: Any, settings: Any, override_cache_seconds: float) -> None:
        self.control = control
        self.defaults = default_windows(settings)
        self.override_cache_seconds = override_cache_seconds
        self._overrides: dict[str, tuple[Mapping[str, Any] | None, float, tuple[Window, ...]]] = {}
        self.rejections = 0

    async def windows(self, workspace_id: str) -> tuple[Window, ...]:
        return with_override(self.defaults, (await self._override(workspace_id))[0])

    async def _override(self, workspace_id: str) -> tuple[Mapping[str, Any] | None, float, tuple[Window, ...]]:
        """(the workspace's override, until when it is kept, the windows in force and enabled)."""
        now = time.monotonic()
        cached = self._overrides.get(workspace_id)
        if cached is None or cached[1] <= now:
            doc = await self.control[WORKSPACES].find_one({"_id": workspace_id}, {OVERRIDE_FIELD: 1})
            override = (doc or {}).get(OVERRIDE_FIELD) or None
            if len(self._overrides) >= _MAX_CACHED_WORKSPACES:
                self._overrides.clear()
            enabled = tuple(w for w in with_override(self.defaults, override) if w.enabled)
            cached = self._overrides[workspace_id] = (override, now + self.override_cache_seconds, enabled)
        return cached

    def forget(self, workspace_id: str | None = None) -> None:
        if workspace_id is None:
            self._overrides.clear()
        else:
            self._overrides.pop(workspace_id, None)

    async def consume(self, workspace_id: str, api_key_id: str) -> None:
        """Count one request of the key; raise RateLimited if a window is over its limit."""
        cached = self._overrides.get(workspace_id)  # most requests: known, no await
        windows = cached[2] if cached is not None and cached[1] > time.monotonic() else (
            (await self._override(workspace_id))[2])
        if not windows:
            return
        now_ms = int(time.time() * 1000)
        spender = f"apiKey:{api_key_id}"
        counts = await asyncio.gather(*(count(self.control, spender, w, now_ms) for w in windows))
        exceeded = [c for c in counts if c.exceeded]
        if not exceeded:
            return
        worst = max(exceeded, key=lambda c: c.retry_after_ms)
        self.rejections += 1
        window = worst.window
        raise RateLimited(
            f"Rate limit exceeded for apiKey: {window.limit} requests per {window.ttl_ms / 1000:g}s.",
            spender_type="apiKey", spender_id=api_key_id, limit=window.limit, window_ms=window.ttl_ms,
            retry_after_ms=worst.retry_after_ms,
        )
