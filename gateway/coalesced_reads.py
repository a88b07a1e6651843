"""Reads by id that arrive together go to the database together.

Under load, many requests each read one record by id from the same collection at the same
moment. Sent alone, each read costs a round trip, the driver's work on a command and the
server's fixed cost of a command (on the embedded store most of a read's cost). Here a read
goes out at once, as it always did, while fewer than `MAX_IN_FLIGHT` reads of the same kind
are on their way; the reads arriving after that wait for one to come back, then leave
together as one `{_id: {$in: [...]}}` command. An idle gateway sends exactly what it sent
before; a busy one sends fewer, larger commands. (Prisma batches the `findUnique` calls of
one tick into one query the same way; here the batch is whatever piled up meanwhile, so a
lone read never waits.)

Only plain reads by id come here: the whole document by `_id` alone, outside any
transaction, from a collection no row rule scopes (the caller checks), with its to-one
relations joined by `$lookup` or not; reads with the same joins of the same collection go
together. Each reader gets its own document, or None. A failed command fails every read it
carried, each raised in its own request, which maps it as any database error. The shared
command runs under the latest deadline of its readers (the others' deadlines are at most
the few milliseconds they waited together earlier).
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import time
from typing import Any

import pymongo

from schema_builder.errors import REQUEST_ENDS

from .observability.metrics import READS_COALESCED

# Reads of one kind on their way at once before the next ones wait and go together. Two
# keep the store and the gateway busy at the same time (one command answered while the
# next one's readers gather); measured at c=32 by id, 1, 2 and 4 serve alike.
MAX_IN_FLIGHT = 2
MAX_BATCH = 100  # ids in one command; more wait for the next one

# A to-one relation joined to the record: (the related collection, the record's field holding
# the related id, the field the related records are put in).
Lookup = tuple[str, str, str]


def _lookup_stages(lookups: tuple[Lookup, ...]) -> list[dict[str, Any]]:
    return [{"$lookup": {"from": target, "localField": column, "foreignField": "_id", "as": into}}
            for target, column, into in lookups]


async def _read(collection: Any, ids: list[Any], lookups: tuple[Lookup, ...]) -> list[dict[str, Any]]:
    """The records of `ids` in one command: one id as it was always sent, several with `$in`.
    At most one record per id: with that limit the server answers in one batch."""
    if len(ids) == 1 and not lookups:
        found: dict[str, Any] | None = await collection.find_one({"_id": ids[0]})
        return [] if found is None else [found]
    match = {"_id": ids[0]} if len(ids) == 1 else {"_id": {"$in": ids}}
    if not lookups:
        docs: list[dict[str, Any]] = await collection.find(match, batch_size=len(ids), limit=len(ids)).to_list(None)
        return docs
    pipeline = [{"$match": match}, {"$limit": len(ids)}, *_lookup_stages(lookups)]
    # One more than expected in the first batch: the server sees the end and closes the cursor.
    cursor = await collection.aggregate(pipeline, batchSize=len(ids) + 1)
    joined: list[dict[str, Any]] = await cursor.to_list(None)
    return joined


class _Lane:
    """The reads of one kind: how many commands are out, and who waits for the next one."""

    __slots__ = ("in_flight", "waiting", "latest_end")

    def __init__(self) -> None:
        self.in_flight = 0
        self.waiting: dict[Any, list[asyncio.Future[dict[str, Any] | None]]] = {}
        # The latest deadline among the waiting readers: 0 while none waits, None when one has no deadline.
        self.latest_end: float | None = 0.0


class CoalescedReads:
    """One per database connection: `await read(collection, id, lookups)` is the record, or None."""

    def __init__(self, max_in_flight: int = MAX_IN_FLIGHT) -> None:
        self.max_in_flight = max_in_flight
        self._lanes: dict[tuple[str, tuple[Lookup, ...]], _Lane] = {}
        self._sending: set[asyncio.Task[None]] = set()  # the loop holds tasks weakly

    async def read(self, collection: Any, record_id: Any, lookups: tuple[Lookup, ...] = ()) -> dict[str, Any] | None:
        key = (collection.full_name, lookups)
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane()
        if lane.in_flight < self.max_in_flight and not lane.waiting:
            lane.in_flight += 1  # sent at once, in the reader's own task, under its own deadline
            try:
                docs = await _read(collection, [record_id], lookups)
                return docs[0] if docs else None
            finally:
                lane.in_flight -= 1
                self._send_waiting(key, lane, collection, lookups)
        future: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        lane.waiting.setdefault(record_id, []).append(future)
        ends = REQUEST_ENDS.get()
        lane.latest_end = None if ends is None or lane.latest_end is None else max(lane.latest_end, ends)
        # Shielded: a reader cancelled while it waits does not cancel the others' command.
        return await asyncio.shield(future)

    def _send_waiting(self, key: tuple[str, tuple[Lookup, ...]], lane: _Lane, collection: Any,
                      lookups: tuple[Lookup, ...]) -> None:
        """Sends what waits, as far as commands may go; forgets the lane once it is idle."""
        while lane.waiting and lane.in_flight < self.max_in_flight:
            readers = {record_id: lane.waiting.pop(record_id) for record_id in list(lane.waiting)[:MAX_BATCH]}
            ends = lane.latest_end  # for those left waiting too: the latest is later than theirs
            if not lane.waiting:
                lane.latest_end = 0.0
            lane.in_flight += 1
            if (carried := sum(len(futures) for futures in readers.values())) > 1:
                READS_COALESCED.inc(carried)
            send = self._send(key, lane, collection, lookups, readers, ends)
            # In a fresh context: PyMongo's deadline of whichever request happened to start the
            # command would otherwise bound it for all its readers.
            task = asyncio.get_running_loop().create_task(send, context=contextvars.Context())
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        if not lane.waiting and not lane.in_flight:
            self._lanes.pop(key, None)

    async def _send(self, key: tuple[str, tuple[Lookup, ...]], lane: _Lane, collection: Any,
                    lookups: tuple[Lookup, ...], readers: dict[Any, list[asyncio.Future[dict[str, Any] | None]]],
                    ends: float | None) -> None:
        try:
            if ends is None:
                docs = await _read(collection, list(readers), lookups)
            else:
                with pymongo.timeout(max(ends - time.monotonic(), 0.001)):
                    docs = await _read(collection, list(readers), lookups)
        except BaseException as exc:  # cancelled too (the loop closing): no reader is left waiting
            for futures in readers.values():
                for future in futures:
                    if future.done():
                        continue
                    if isinstance(exc, Exception):
                        future.set_exception(exc)
                    else:
                        future.cancel()
            if not isinstance(exc, Exception):
                raise
        else:
            by_id = {doc["_id"]: doc for doc in docs}
            for record_id, futures in readers.items():
                doc = by_id.get(record_id)
                for n, future in enumerate(futures):
                    if not future.done():  # the same record asked twice: each reader its own copy
                        future.set_result(doc if n == 0 or doc is None else copy.deepcopy(doc))
        finally:
            lane.in_flight -= 1
            self._send_waiting(key, lane, collection, lookups)
