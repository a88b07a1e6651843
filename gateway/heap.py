"""Keep long-lived objects out of the garbage collector's way.

A workspace's schema, its caches and docgate's modules are ~100,000 objects that live as
long as the process (or the schema version). CPython's full collections walk every tracked
object, and a REST page of 50 people with their relations allocates enough to trigger them
often: measured in-process, the collector took ~3 ms of a ~12 ms request. `gc.freeze()` moves
what is alive now into a generation the collector never walks: done after start-up and after
each schema build.

A replaced or evicted schema is a graph of cycles that only a full collection frees, and a
frozen one is never collected. So a build is followed by a full collection (unfreezing what was
frozen before) at most once a minute — many workspaces starting at once pay a handful of pauses,
not one per workspace, each walking a heap that grows with them — and by a freeze alone in
between; what a freeze caught that was garbage (a replaced schema, a build's leftovers) is freed
by the next full collection.

What a request allocates is short-lived and freed by reference counting; the young generation's
default threshold (700 allocations) still ran ~6 collections a REST page of 50, each walking the
page's records alive at that moment (~0.7 ms a page, measured with `gc.callbacks`). At 10,000
they run about once a page: 4% less CPU on that page, paired in-process rounds; the memory held
between collections stays a few megabytes.
"""

from __future__ import annotations

import gc
import time
from typing import TypeVar

T = TypeVar("T")

FULL_COLLECTION_SECONDS = 60.0  # at most one full collection (a pause) a minute, at a build
YOUNG_THRESHOLD = 10_000  # allocations between young collections (CPython's default: 700)
_last_full = -FULL_COLLECTION_SECONDS


def settle() -> None:
    """Collect everything, then freeze what survives (a pause of one full collection)."""
    global _last_full
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _last_full = time.monotonic()


def settled(built: T) -> T:
    """`built` (a schema just built), after `settle()` or, within a minute of the last one, a freeze."""
    if time.monotonic() - _last_full >= FULL_COLLECTION_SECONDS:
        settle()
    else:
        gc.freeze()
    return built
