"""Keep long-lived objects out of the garbage collector's way.

A workspace's schema, its caches and docgate's modules are ~100,000 objects that live as
long as the process (or the schema version). CPython's full collections walk every tracked
object, and a REST page of 50 people with their relations allocates enough to trigger them
often: measured in-process, the collector took ~3 ms of a ~12 ms request. `gc.freeze()` moves
what is alive now into a generation the collector never walks. It is done after start-up and
after each schema build, with a full collection first (unfreezing what was frozen before), so
that a replaced schema — a graph of cycles — is still freed, not frozen for ever (one still
referenced by a request in flight at a build is frozen with the rest and freed at the next).
"""

from __future__ import annotations

import gc
from typing import TypeVar

T = TypeVar("T")


def settle() -> None:
    """Collect everything, then freeze what survives (a pause of one full collection)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def settled(built: T) -> T:
    """`built` (a schema just built), after `settle()`."""
    settle()
    return built
