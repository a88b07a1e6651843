"""Every request has a deadline.

Its database calls carry the time left as `maxTimeMS` (PyMongo's client-side operation
timeout sets it on each command, so the server stops the work too, not only the client's
wait), and a call made after the deadline fails at once. Past the deadline the client gets a
504 (`TIMEOUT`) in the error envelope, and a mutation's transaction is aborted, so nothing
is half-written. (docgate awaits nothing slow but the database, so the driver's budget is
the whole deadline: no timer of its own per request.)
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pymongo

from schema_builder.errors import from_database


@contextlib.asynccontextmanager
async def deadline(seconds: float) -> AsyncIterator[None]:
    with pymongo.timeout(seconds):
        try:
            yield
        except pymongo.errors.PyMongoError as exc:  # raised outside a resolver (e.g. authentication)
            mapped = from_database(exc)
            if mapped is None:
                raise
            raise mapped from exc
