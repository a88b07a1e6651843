"""Failed authentications per client address, counted in this replica's memory.

Past the limit an address gets 429 before its token is looked up, so guessing keys costs
the database nothing more. In memory on purpose: a shared counter would itself cost a
database write per guess. Each replica counts its own, so N replicas admit at most N times
the limit; the map of addresses is bounded.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from .errors import RateLimited

MAX_ADDRESSES = 50_000


class AuthFailureLimiter:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()  # address -> (window start, failures)

    def check(self, address: str) -> None:
        """Raise RateLimited when `address` has used up its failures in the current window."""
        if self.limit <= 0:
            return
        entry = self._windows.get(address)
        if entry is None:
            return
        start, failures = entry
        now = time.monotonic()
        if now - start >= self.window_seconds:
            del self._windows[address]
            return
        if failures >= self.limit:
            retry_ms = int((start + self.window_seconds - now) * 1000)
            raise RateLimited(
                f"Rate limit exceeded for failed authentications from this address: {self.limit} per "
                f"{self.window_seconds:g}s. Check the API key.",
                spender_type="clientAddress", spender_id=None, limit=self.limit,
                window_ms=int(self.window_seconds * 1000), retry_after_ms=retry_ms,
            )

    def failed(self, address: str) -> None:
        if self.limit <= 0:
            return
        now = time.monotonic()
        start, failures = self._windows.pop(address, (now, 0))
        if now - start >= self.window_seconds:
            start, failures = now, 0
        self._windows[address] = (start, failures + 1)  # most recent last
        while len(self._windows) > MAX_ADDRESSES:
            self._windows.popitem(last=False)
