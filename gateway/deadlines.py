"""Every request has a deadline.

Its database calls carry the time left as `maxTimeMS` (PyMongo's client-side operation
timeout sets it on each command, so the server stops the work too, not only the client's
wait); whatever is still running in docgate when the deadline passes is cancelled. Either
way the client gets a 504 (`TIMEOUT`) in the error envelope, and a mutation's transaction is
aborted, so nothing is half-written.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pymongo

from schema_builder.errors import Timeout, from_database

# The database is given the whole budget; docgate's own backstop fires a little later, so
# that a slow command ends with the server's answer rather than a cancelled wait.
_BACKSTOP_SECONDS = 0.5


@contextlib.asynccontextmanager
async def deadline(seconds: float) -> AsyncIterator[None]:
    with pymongo.timeout(seconds):
        try:
            async with asyncio.timeout(seconds + _BACKSTOP_SECONDS):
                yield
        except TimeoutError:
            raise Timeout(
                f"the request did not finish within its time limit of {seconds:g} s "
                "(DOCGATE_REQUEST_TIMEOUT_SECONDS): ask for less or try again"
            ) from None
        except pymongo.errors.PyMongoError as exc:  # raised outside a resolver (e.g. authentication)
            mapped = from_database(exc)
            if mapped is None:
                raise
            raise mapped from exc
