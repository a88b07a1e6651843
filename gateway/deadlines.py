"""Every request has a deadline.

Its database calls carry the time left as `maxTimeMS` (PyMongo's client-side operation
timeout sets it on each command, so the server stops the work too, not only the client's
wait), and a call made after the deadline fails at once. Past the deadline the client gets a
504 (`TIMEOUT`) in the error envelope, and a mutation's transaction is aborted, so nothing
is half-written. (docgate awaits nothing slow but the database, so the driver's budget is
the whole deadline: no timer of its own per request.)
"""

from __future__ import annotations

import time
from contextvars import Token
from types import TracebackType

import pymongo

from schema_builder.errors import REQUEST_ENDS, from_database


class deadline:  # noqa: N801 - reads as a function: `async with deadline(seconds)`
    """The request's budget for its database calls (a class, not `@asynccontextmanager`: this
    runs on every request, and a generator-based manager costs a few microseconds more)."""

    __slots__ = ("_seconds", "_timeout", "_ends")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._timeout = pymongo.timeout(seconds)

    async def __aenter__(self) -> None:
        self._timeout.__enter__()
        self._ends: Token[float | None] = REQUEST_ENDS.set(time.monotonic() + self._seconds)

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._timeout.__exit__(kind, exc, tb)
        # Mapped before the deadline is forgotten: a wait it cut short is a 504.
        mapped = from_database(exc) if isinstance(exc, pymongo.errors.PyMongoError) else None
        REQUEST_ENDS.reset(self._ends)
        if mapped is not None:  # raised outside a resolver (e.g. authentication)
            raise mapped from exc
