"""Subscribers and writers for the realtime benchmarks, over raw asyncio streams.

A subscriber is one connection of one of three kinds:

* `graphql-sse`: docgate's per-object `personEvents` on `/graphql` over Server-Sent Events (a
  POST of the subscription with `Accept: text/event-stream`, as `graphql-sse` clients send it);
* `graphql-ws`: the same subscription over WebSocket, `graphql-transport-ws` (the `websockets`
  client uvicorn already brings; the key in `connection_init`'s payload);
* `metadata-stream`: Twenty's `onEventSubscription` event stream on `/metadata` over SSE, with
  its query registered through `addQueryToEventStream`.

SSE over raw asyncio streams rather than httpx: a thousand of them in one client process must
cost the client as little as possible, since the client's own time is inside every latency it
measures. A subscriber does not parse its frames while it runs: it stamps each read with the
clock and finds the record ids in the bytes (`"recordId":"…"` — every subscription selects
it), which is what the latency needs.

The writer creates people (GraphQL `createPerson` or REST `POST /rest/people`) on a
keep-alive connection and notes when each write was sent and when its response was read
(its acknowledgement).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson

from .load import Connection, HttpRequest

PERSON_EVENTS = (
    "subscription Bench($t: String) { personEvents(filter: {jobTitle: {eq: $t}}, operations: [CREATED]) "
    "{ action position recordId record { id jobTitle name { firstName lastName } city } } }"
)
EVENT_STREAM = (
    "subscription OnEventSubscription($eventStreamId: String!) { onEventSubscription(eventStreamId: $eventStreamId) "
    "{ eventStreamId objectRecordEventsWithQueryIds { objectRecordEvent { action objectNameSingular recordId "
    "userId workspaceMemberId properties { updatedFields before after diff } } queryIds } "
    "metadataEventsWithQueryIds { metadataEvent { type metadataName recordId } queryIds } } }"
)
ADD_QUERY = "mutation Add($input: AddQuerySubscriptionInput!) { addQueryToEventStream(input: $input) }"
CREATE_PERSON = "mutation Create($d: PersonCreateInput!) { createPerson(data: $d) { id } }"
KINDS = ("graphql-sse", "graphql-ws", "metadata-stream")
WS_PROTOCOL = "graphql-transport-ws"
_RECORD_ID = re.compile(rb'"recordId":"([0-9a-f-]{36})"')
_TAIL = 160  # bytes kept from one read to the next: a record id split across two reads is still found


class Fanout:
    """How many subscribers have each record's event, and a wake-up when all of them have."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.waiting: dict[str, tuple[int, asyncio.Event]] = {}

    def arrived(self, record_id: str) -> None:
        n = self.counts.get(record_id, 0) + 1
        self.counts[record_id] = n
        wanted = self.waiting.get(record_id)
        if wanted is not None and n >= wanted[0]:
            wanted[1].set()

    async def wait(self, record_id: str, n: int, timeout: float) -> bool:
        if self.counts.get(record_id, 0) >= n:
            return True
        event = asyncio.Event()
        self.waiting[record_id] = (n, event)
        try:
            async with asyncio.timeout(timeout):
                await event.wait()
            return True
        except TimeoutError:
            return False
        finally:
            self.waiting.pop(record_id, None)


@dataclass(eq=False)
class Subscriber:
    base: str
    token: str
    kind: str  # one of KINDS
    tag: str  # the jobTitle its filter (or its stream's query) matches
    index: int
    fanout: Fanout
    arrivals: dict[str, float] = field(default_factory=dict)  # record id -> perf_counter at receipt
    got_data: asyncio.Event = field(default_factory=asyncio.Event)
    error: str | None = None
    _writer: asyncio.StreamWriter | None = None
    _task: asyncio.Task[None] | None = None
    _ws: Any = None  # the graphql-ws kind's websockets ClientConnection

    @property
    def stream_id(self) -> str:
        return f"{self.tag}-{self.index}"

    def request(self) -> bytes:
        if self.kind == "graphql-sse":
            path, body = "/graphql", {"query": PERSON_EVENTS, "variables": {"t": self.tag}}
        else:
            path, body = "/metadata", {"query": EVENT_STREAM, "variables": {"eventStreamId": self.stream_id}}
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream",
                   "Content-Type": "application/json"}
        return HttpRequest("POST", path, orjson.dumps(body), headers).encode(urlsplit(self.base).netloc)

    async def open(self) -> None:
        if self.kind == "graphql-ws":
            await self._open_websocket()
            return
        url = urlsplit(self.base)
        reader, self._writer = await asyncio.open_connection(url.hostname, url.port, limit=2**20)
        self._writer.write(self.request())
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        if status != 200 or b"text/event-stream" not in head.lower():
            body = await asyncio.wait_for(reader.read(2000), 5)
            await self.close()
            raise RuntimeError(f"subscription refused: {head[:200]!r} {body[:300]!r}")
        self._task = asyncio.create_task(self._read(reader))

    async def _open_websocket(self) -> None:
        """connection_init with the key, connection_ack, then one `subscribe`."""
        from websockets.asyncio.client import connect

        url = "ws" + self.base.removeprefix("http") + "/graphql"
        # No compression (the server's cost per frame, and the client's, stay the bare protocol's);
        # no keep-alive pings (a round is short and the client's loop is busy enough).
        self._ws = ws = await connect(url, subprotocols=[WS_PROTOCOL], compression=None,  # type: ignore[list-item]
                                      ping_interval=None, max_size=2**20)
        await ws.send(orjson.dumps({"type": "connection_init",
                                    "payload": {"Authorization": f"Bearer {self.token}"}}).decode())
        ack = await asyncio.wait_for(ws.recv(), 10)
        if b'"connection_ack"' not in (ack if isinstance(ack, bytes) else ack.encode()):
            await self.close()
            raise RuntimeError(f"subscription refused: {ack!r:.300}")
        await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": PERSON_EVENTS, "variables": {"t": self.tag}}}).decode())
        self._task = asyncio.create_task(self._read_websocket())

    async def _read_websocket(self) -> None:
        from websockets.exceptions import ConnectionClosed

        assert self._ws is not None
        try:
            while True:
                message = await self._ws.recv(decode=False)
                self._scan(message, time.perf_counter())
        except ConnectionClosed as closed:
            self.error = self.error or (None if closed.rcvd is None else f"closed {closed.rcvd.code}: "
                                        f"{closed.rcvd.reason}") or "the server closed the stream"

    async def _read(self, reader: asyncio.StreamReader) -> None:
        tail = b""
        while True:
            data = await reader.read(65536)
            now = time.perf_counter()
            if not data:
                self.error = self.error or "the server closed the stream"
                return
            chunk = tail + data
            self._scan(chunk, now)
            tail = chunk[-_TAIL:]

    def _scan(self, chunk: bytes, now: float) -> None:
        for match in _RECORD_ID.finditer(chunk):
            record_id = match.group(1).decode()
            if record_id not in self.arrivals:
                self.arrivals[record_id] = now
                self.fanout.arrived(record_id)
        if b"data" in chunk:
            self.got_data.set()
        if b'"errors"' in chunk and self.error is None:
            self.error = chunk.decode(errors="replace")[:300]

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
            self._ws = None
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(Exception):
                await self._writer.wait_closed()
            self._writer = None


class Writer:
    """Creates people through one replica, GraphQL and REST in turn, on a keep-alive connection."""

    def __init__(self, base: str, token: str) -> None:
        url = urlsplit(base)
        self.netloc = url.netloc
        self.conn = Connection(url.hostname or "127.0.0.1", url.port or 80)
        self.token = token

    async def call(self, request: HttpRequest) -> tuple[int, bytes]:
        raw = request.encode(self.netloc)
        try:
            return await self.conn.request(raw)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            if isinstance(exc, asyncio.IncompleteReadError) and exc.partial:
                raise
            # The server closed the kept-alive connection while it was idle (uvicorn's 5 s
            # keep-alive) before reading this request: send it again on a new connection.
            await self.conn.close()
            return await self.conn.request(raw)

    async def create(self, api: str, tag: str, i: int) -> tuple[str, float, float]:
        """(record id, sent at, acknowledged at) of one new person whose jobTitle is `tag`."""
        record_id = str(uuid.uuid4())
        data = {"id": record_id, "jobTitle": tag, "name": {"firstName": f"Rt{i}", "lastName": "Bench"},
                "city": "Paris"}
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if api == "graphql":
            request = HttpRequest("POST", "/graphql", orjson.dumps({"query": CREATE_PERSON,
                                                                    "variables": {"d": data}}), headers)
        else:
            request = HttpRequest("POST", "/rest/people", orjson.dumps(data), headers)
        sent = time.perf_counter()
        status, body = await self.call(request)
        acked = time.perf_counter()
        if status >= 300 or b'"errors"' in body:
            raise RuntimeError(f"{api} write failed: {status} {body[:300]!r}")
        return record_id, sent, acked

    async def add_query(self, stream_id: str, tag: str) -> None:
        signature = {"objectNameSingular": "person", "variables": {"filter": {"jobTitle": {"eq": tag}}}}
        body = {"query": ADD_QUERY, "variables": {"input": {"eventStreamId": stream_id, "queryId": "bench",
                                                            "operationSignature": signature}}}
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        status, raw = await self.call(HttpRequest("POST", "/metadata", orjson.dumps(body), headers))
        if status != 200 or b'"addQueryToEventStream":true' not in raw:
            raise RuntimeError(f"addQueryToEventStream failed: {status} {raw[:300]!r}")

    async def close(self) -> None:
        await self.conn.close()


async def open_subscribers(
    base: str, token: str, kind: str, tag: str, n: int, fanout: Fanout, *, parallel: int = 32,
    register: Callable[[], Writer] | None = None,
) -> list[Subscriber]:
    """n subscribers of `kind` on `base`; an event stream also gets its query registered
    (through a writer from `register`, on any replica) once its first frame has come."""
    subscribers = [Subscriber(base, token, kind, tag, i, fanout) for i in range(n)]
    gate = asyncio.Semaphore(parallel)
    writers: list[Writer] = []

    async def one(sub: Subscriber) -> None:
        async with gate:
            await sub.open()
            if kind == "metadata-stream":
                async with asyncio.timeout(30):
                    await sub.got_data.wait()  # the first frame echoes the stream: it exists now
                writer = writers.pop() if writers else (register or (lambda: Writer(base, token)))()
                try:
                    await writer.add_query(sub.stream_id, tag)
                finally:
                    writers.append(writer)

    try:
        await asyncio.gather(*(one(s) for s in subscribers))
    except BaseException:
        await close_all(subscribers)
        raise
    finally:
        for writer in writers:
            await writer.close()
    return subscribers


async def close_all(subscribers: list[Subscriber]) -> None:
    await asyncio.gather(*(s.close() for s in subscribers), return_exceptions=True)


def rss_kb(pid: int) -> int:
    """Resident memory of a process, in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def summary(values: list[float]) -> dict[str, Any]:
    """p50 / p90 / p99 / max in ms of latencies in seconds (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return {"n": 0}

    def rank(q: float) -> float:
        index = min(len(ordered) - 1, max(0, math.ceil(len(ordered) * q / 100) - 1))
        return round(ordered[index] * 1000, 2)

    return {"n": len(ordered), "p50_ms": rank(50), "p90_ms": rank(90), "p99_ms": rank(99),
            "max_ms": round(ordered[-1] * 1000, 2), "min_ms": round(ordered[0] * 1000, 2)}
