"""Fixed-window request counters in MongoDB, shared by every replica.

One document per (spender, window length, window start): a request is one atomic
`$inc` with upsert that returns the new count, and a TTL index removes a window's document
once it has ended. One round trip per window, no read-modify-write race, nothing to
clean up by hand, and it works on any MongoDB-compatible server (the embedded store too).

Why not the `limits` library's MongoDB storage: its async storage is built on Motor
(deprecated, past end of life) and opens its own client from a URI, so it would not share
docgate's PyMongo async client, its pool or its settings; its sync storage would block
the event loop. What we need of it is this one `$inc`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from .windows import Window

COUNTERS = "rateLimitCounters"


@dataclass(frozen=True, slots=True)
class Count:
    window: Window
    used: int  # requests counted in the window so far, this one included
    retry_after_ms: int  # until the window ends

    @property
    def exceeded(self) -> bool:
        return self.used > self.window.limit


async def ensure_indexes(control: Any) -> None:
    # expireAfterSeconds=0: each document carries its own expiry (its window's end, plus slack).
    await control[COUNTERS].create_index("expiresAt", expireAfterSeconds=0)


async def count(control: Any, spender: str, window: Window, now_ms: int) -> Count:
    """Count one request of `spender` in the current `window`."""
    start = now_ms - now_ms % window.ttl_ms
    end = start + window.ttl_ms
    query = {"_id": f"{spender}:{window.ttl_ms}:{start}"}
    update = {
        "$inc": {"n": 1},
        # The TTL monitor runs about once a minute: the slack only keeps it from racing the window.
        "$setOnInsert": {"expiresAt": datetime.fromtimestamp(end / 1000, UTC) + timedelta(seconds=5)},
    }
    if isinstance(control, AsyncDatabase):
        # A plain command, not a retryable write: a lost count is harmless, and the server would
        # otherwise keep a retryable-write record per request (SecantusDB sorts and prunes that
        # record on every write, so two records a request slowed every write down over time).
        reply = await control.command(
            "findAndModify", COUNTERS, query=query, update=update, upsert=True, new=True
        )
        doc = reply["value"]
    else:  # the in-memory backend has no findAndModify command
        doc = await control[COUNTERS].find_one_and_update(
            query, update, upsert=True, return_document=ReturnDocument.AFTER
        )
    return Count(window, int(doc["n"]), end - now_ms)
