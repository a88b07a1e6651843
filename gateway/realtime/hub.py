"""Record events for subscribers, read from the timeline: the durable log of every change.

One watcher per replica follows the inserts into every workspace's `timelineActivity`
collection — through a change stream where the store has them (MongoDB, the embedded
SecantusDB), by polling where it does not (the in-memory backend) — and hands each event to
the subscribers of its workspace. An event's position is the change stream's resume token
(the record's id when polling): a subscriber that comes back with the last position it saw
gets every event it missed, from any replica, with no gap and no duplicate, because the
missed events are read again from the store, not from a process's memory.

Bounded: each subscriber has a queue of `queue_size` events; one that falls that far behind
is closed (a slow consumer), and `max_per_key` subscriptions per API key.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from pymongo.errors import PyMongoError

from schema_builder.errors import BadUserInput, DocgateError
from schema_builder.execute.timeline import TIMELINE

from ..db import QUIET_AWAIT_MS, Database

EVENT_STREAMS = "eventStreams"  # the control database's collection of Twenty's event streams

log = logging.getLogger("docgate.realtime")


@dataclass(frozen=True, slots=True)
class RecordEvent:
    position: str
    database: str  # the workspace's database
    doc: dict[str, Any]  # the timeline activity


class TooManySubscriptions(DocgateError):
    code = "TOO_MANY_SUBSCRIPTIONS"
    http_status = 429


class SubscriberClosed(Exception):
    """Why a subscription ended on the server's side (e.g. a slow consumer)."""


@dataclass(eq=False)
class _Subscriber:
    database: str
    key: str | None
    limit: int
    queue: deque[RecordEvent] = field(default_factory=deque)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    closed: str | None = None

    def offer(self, event: RecordEvent) -> None:
        if self.closed is not None:
            return
        if len(self.queue) >= self.limit:
            self.closed = f"too slow: more than {self.limit} events waited to be read"
        else:
            self.queue.append(event)
        self.ready.set()

    async def next(self) -> RecordEvent:
        while not self.queue:
            if self.closed is not None:
                raise SubscriberClosed(self.closed)
            self.ready.clear()
            await self.ready.wait()
        return self.queue.popleft()


class Hub:
    def __init__(
        self, db: Database, *, streams: bool, queue_size: int = 1000, buffer_size: int = 1000,
        max_per_key: int = 20, poll_seconds: float = 0.2,
    ) -> None:
        self.db = db
        self.streams = streams
        self.queue_size = queue_size
        self.max_per_key = max_per_key
        self.poll_seconds = poll_seconds
        self.recent: deque[RecordEvent] = deque(maxlen=buffer_size)  # what the watcher saw last
        self.subscribers: set[_Subscriber] = set()
        self.stream_versions: dict[str, int] = {}  # event streams open here → how often their queries changed
        self._watcher: asyncio.Task[None] | None = None
        self._started = asyncio.Event()

    async def open(self, database: str, since: str | None, key: str | None) -> Feed:
        """The events of one workspace from `since` (exclusive; None: from now on), registered
        before this returns: every event written after it reaches the feed."""
        if sum(1 for s in self.subscribers if s.key == key and key is not None) >= self.max_per_key:
            raise TooManySubscriptions(
                f"this API key has {self.max_per_key} subscriptions open, the most it may "
                "(DOCGATE_MAX_SUBSCRIPTIONS_PER_KEY): close one first"
            )
        await self._ensure_watching()
        subscriber = _Subscriber(database, key, self.queue_size)
        recent = list(self.recent)  # taken with the registration, no await between: no gap
        self.subscribers.add(subscriber)
        return Feed(self, subscriber, since, recent)

    def watch_stream(self, stream: str) -> None:
        """Note changes to an event stream's registered queries (`touch`) while it is open here."""
        self.stream_versions.setdefault(stream, 0)

    def unwatch_stream(self, stream: str) -> None:
        self.stream_versions.pop(stream, None)

    def touch(self, stream: str) -> None:
        """An event stream's queries changed (here, or on another replica through the change
        stream — in order with the record events, so no event is matched against stale queries)."""
        if stream in self.stream_versions:
            self.stream_versions[stream] += 1

    async def _missed(
        self, database: str, since: str, recent: list[RecordEvent], subscriber: _Subscriber
    ) -> AsyncIterator[RecordEvent]:
        """What a subscriber missed since `since`, up to where the live events take over."""
        positions = [e.position for e in recent]
        if since in positions:  # seen lately: replay it from memory
            for event in recent[positions.index(since) + 1:]:
                if event.database == database:
                    yield event
            return
        known = set(positions)
        async for event in self._read_from(database, since):
            live = {e.position for e in subscriber.queue}
            if event.position in known or event.position in live:
                # Caught up with what the watcher had when the subscriber came: the rest of the
                # buffer, then the live queue (duplicates are skipped by position).
                for later in recent[positions.index(event.position):] if event.position in known else ():
                    if later.database == database:
                        yield later
                return
            yield event

    async def _read_from(self, database: str, since: str) -> AsyncIterator[RecordEvent]:
        """The store's events after `since`, until there are no more for now."""
        if not self.streams:
            collection = self.db.client[database][TIMELINE]
            async for doc in collection.find({"_id": {"$gt": since}}).sort("_id", 1):
                yield RecordEvent(doc["_id"], database, doc)
            return
        try:
            stream = await self.db.client.watch(_PIPELINE, resume_after={"_data": since}, full_document="default")
        except PyMongoError as exc:
            raise BadUserInput(
                f"position '{since[:40]}' is no longer available (or was not made here): subscribe without one "
                "and reload what you show"
            ) from exc
        async with stream:
            while (change := await stream.try_next()) is not None:
                event = _event(change)
                if event.database == database:
                    yield event

    async def _ensure_watching(self) -> None:
        if self._watcher is None:
            # A context of its own: the first subscriber's request deadline must not bound it.
            self._watcher = asyncio.create_task(self._watch(), context=contextvars.Context())
        await self._started.wait()

    async def _watch(self) -> None:
        resume: dict[str, Any] | None = None
        delay = 0.1
        while True:
            try:
                if self.streams:
                    resume = await self._follow_stream(resume)
                else:
                    await self._poll()
            except asyncio.CancelledError:
                raise
            except Exception:  # the store went away: follow again from where we were
                log.warning("record events: the watcher lost the store; retrying", exc_info=True)
                self._started.set()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _follow_stream(self, resume: dict[str, Any] | None) -> dict[str, Any] | None:
        async with await self.db.client.watch(_FOLLOW, resume_after=resume, max_await_time_ms=QUIET_AWAIT_MS) as stream:
            self._started.set()
            while True:
                change = await stream.try_next()
                if change is None:
                    await asyncio.sleep(0)  # try_next waited its max_await_time: nothing new yet
                    continue
                resume = change["_id"]
                if change["ns"]["coll"] == EVENT_STREAMS:
                    self.touch(change["documentKey"]["_id"])
                else:
                    self._publish(_event(change))

    async def _poll(self) -> None:
        last: dict[str, str] = {}
        self._started.set()
        while True:
            for database in {s.database for s in self.subscribers}:
                collection = self.db.client[database][TIMELINE]
                if database not in last:  # a new workspace to follow: from now on
                    newest = await collection.find({}, {"_id": 1}).sort("_id", -1).limit(1).to_list(1)
                    last[database] = newest[0]["_id"] if newest else ""
                async for doc in collection.find({"_id": {"$gt": last[database]}}).sort("_id", 1):
                    last[database] = doc["_id"]
                    self._publish(RecordEvent(doc["_id"], database, doc))
            await asyncio.sleep(self.poll_seconds)

    def _publish(self, event: RecordEvent) -> None:
        self.recent.append(event)
        for subscriber in self.subscribers:
            if subscriber.database == event.database:
                subscriber.offer(event)

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._watcher
        for subscriber in self.subscribers:
            subscriber.closed = "the server is shutting down"
            subscriber.ready.set()


class Feed:
    """One subscriber's (position, timeline activity) pairs: those it missed, then live ones.
    `close()` unregisters it; a subscriber that falls too far behind ends with SubscriberClosed."""

    def __init__(self, hub: Hub, subscriber: _Subscriber, since: str | None, recent: list[RecordEvent]) -> None:
        self.hub, self.subscriber, self.since, self.recent = hub, subscriber, since, recent

    async def __aiter__(self) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        delivered: set[str] = set()
        if self.since is not None:
            async for event in self.hub._missed(self.subscriber.database, self.since, self.recent, self.subscriber):
                delivered.add(event.position)
                yield event.position, event.doc
        while True:
            event = await self.subscriber.next()
            if event.position not in delivered:
                yield event.position, event.doc

    def close(self) -> None:
        self.hub.subscribers.discard(self.subscriber)


_PIPELINE = [{"$match": {"operationType": "insert", "ns.coll": TIMELINE}}]
# What the watcher follows: record events, and changes to event streams' queries.
_FOLLOW = [{"$match": {"$or": [{"operationType": "insert", "ns.coll": TIMELINE}, {"ns.coll": EVENT_STREAMS}]}}]


def _event(change: dict[str, Any]) -> RecordEvent:
    return RecordEvent(change["_id"]["_data"], change["ns"]["db"], change["fullDocument"])
