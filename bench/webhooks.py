"""Webhook delivery benchmark: latency from a change to the receiver, and throughput.

    python -m bench.webhooks [--events 2000] [--latency-events 300] [--concurrency 32]

Runs the real gateway app (in-process, over ASGI) on an ephemeral embedded SecantusDB, or on
`MONGODB_URI` when set, with a local receiver (uvicorn, in its own thread and event loop)
that answers 200 at once. Not part of the tests.

* latency: one `createCompany` at a time, with the dispatcher on; from just before the API
  call to the moment the receiver has the POST (p50/p99 over `--latency-events` changes).
* throughput: `--events` changes recorded with the dispatcher off (batches of 60), then one
  dispatcher started; deliveries per second until the receiver has them all.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import orjson
import uvicorn

from gateway.app import create_app
from gateway.db import Database, open_database
from gateway.embedded import EmbeddedServer, free_port
from gateway.settings import Settings
from gateway.webhooks import Dispatcher, DispatchPolicy
from gateway.webhooks.deliveries import DELIVERIES
from gateway.workspaces import create_workspace

BATCH = 60


async def receiver_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The receiver (run in its own process): prints `<record id> <arrival time>` per POST."""
    if scope["type"] == "lifespan":
        while (message := await receive())["type"] != "lifespan.shutdown":
            print("ready", flush=True)  # noqa: T201
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    arrived = time.time()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
    print(orjson.loads(body)["record"]["id"], arrived, flush=True)  # noqa: T201


class Receiver:
    """The receiver process, seen from the benchmark: when each record's event arrived."""

    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.count = 0

    async def follow(self, lines: asyncio.StreamReader) -> None:
        async for line in lines:
            record_id, arrived = line.decode().split()
            self.arrivals.setdefault(record_id, float(arrived))
            self.count += 1


@contextlib.asynccontextmanager
async def receiver_running(receiver: Receiver) -> AsyncIterator[str]:
    """A separate process, so the receiver's work does not share this one's CPU time."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.webhooks", "--serve-receiver", str(port), stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    ready = await asyncio.wait_for(process.stdout.readline(), 20)
    if ready.strip() != b"ready":
        raise RuntimeError(f"the receiver did not start: {ready!r}")
    follower = asyncio.create_task(receiver.follow(process.stdout))
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        process.terminate()
        await process.wait()
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follower


@contextlib.contextmanager
def mongodb() -> Iterator[str]:
    uri = os.environ.get("MONGODB_URI")
    if uri:
        yield uri
        return
    with EmbeddedServer(None) as server:
        yield server.uri


@contextlib.asynccontextmanager
async def gateway(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    db = open_database(settings)
    app = create_app(settings, db=db)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://docgate") as client:
                yield client, db
    finally:
        await db.close()


async def wait_for(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.001)


async def setup_workspace(client: httpx.AsyncClient, db: Database, url: str) -> dict[str, str]:
    workspace, token = await create_workspace(db, f"bench-{uuid.uuid4().hex[:8]}")
    headers = {"Authorization": f"Bearer {token}"}
    query = 'mutation($u: String!) { createWebhook(input: {targetUrl: $u, operations: ["company.created"]}) { id } }'
    response = await client.post("/metadata", json={"query": query, "variables": {"u": url}}, headers=headers)
    assert "errors" not in response.json(), response.text
    return headers


async def measure_latency(settings: Settings, receiver: Receiver, url: str, events: int) -> tuple[list[float], float]:
    """Per change: seconds from the API call to the receiver; and the mean API call time."""
    query = "mutation($d: CompanyCreateInput!) { createCompany(data: $d) { id } }"
    latencies: list[float] = []
    api_times: list[float] = []
    async with gateway(settings) as (client, db):
        headers = await setup_workspace(client, db, url)
        for i in range(events + 10):  # the first ten warm the caches and connections
            record_id = str(uuid.uuid4())
            started = time.time()  # wall clock: the receiver, another process, stamps with it too
            response = await client.post(
                "/graphql", json={"query": query, "variables": {"d": {"id": record_id, "name": f"L{i}"}}},
                headers=headers,
            )
            api_times.append(time.time() - started)
            assert "errors" not in response.json(), response.text
            await wait_for(lambda rid=record_id: rid in receiver.arrivals, 30, "a delivery")
            if i >= 10:
                latencies.append(receiver.arrivals[record_id] - started)
    return latencies, statistics.mean(api_times[10:])


async def measure_throughput(settings: Settings, receiver: Receiver, url: str, events: int) -> tuple[float, float]:
    """(deliveries per second, seconds to record the events) with one dispatcher."""
    query = "mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }"
    quiet = settings.with_overrides(webhook_dispatcher=False)
    async with gateway(quiet) as (client, db):
        headers = await setup_workspace(client, db, url)
        started = time.perf_counter()
        for start in range(0, events, BATCH):
            batch = [{"name": f"T{i}"} for i in range(start, min(events, start + BATCH))]
            response = await client.post("/graphql", json={"query": query, "variables": {"d": batch}}, headers=headers)
            assert "errors" not in response.json(), response.text
        record_seconds = time.perf_counter() - started
        pending = await db.control[DELIVERIES].count_documents({"status": "PENDING"})
        assert pending == events, pending
        before = receiver.count
        dispatcher = Dispatcher(db.control, DispatchPolicy.from_settings(settings))
        started = time.perf_counter()
        await dispatcher.start()
        try:
            await wait_for(lambda: receiver.count - before >= events, 600, "all deliveries")
            seconds = time.perf_counter() - started
        finally:
            await dispatcher.stop()
    return events / seconds, record_seconds


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def main_async(args: argparse.Namespace) -> None:
    receiver = Receiver()
    with mongodb() as uri:
        async with receiver_running(receiver) as url:
            settings = Settings(
                mongodb_uri=uri,
                control_db=f"bench{uuid.uuid4().hex[:8]}",
                webhook_allow_private_targets=True,
                webhook_concurrency=args.concurrency,
                log_level="WARNING",
            )
            latencies, api_mean = await measure_latency(settings, receiver, url, args.latency_events)
            rate, record_seconds = await measure_throughput(settings, receiver, url, args.events)
    rows = [
        ("latency p50, change → receiver", f"{percentile(latencies, 50) * 1000:.1f} ms"),
        ("latency p99, change → receiver", f"{percentile(latencies, 99) * 1000:.1f} ms"),
        ("  (mean API call, included above)", f"{api_mean * 1000:.1f} ms"),
        (f"throughput, {args.events} queued, concurrency {args.concurrency}", f"{rate:.0f} deliveries/s"),
        (f"  (recording {args.events} events, batches of {BATCH})", f"{args.events / record_seconds:.0f} events/s"),
    ]
    store = "MONGODB_URI" if os.environ.get("MONGODB_URI") else "embedded SecantusDB"
    print(f"docgate webhooks — {store}, receiver on loopback, {args.latency_events} latency samples")  # noqa: T201
    width = max(len(name) for name, _ in rows)
    print(f"{'metric'.ljust(width)}  value")  # noqa: T201
    print(f"{'-' * width}  {'-' * 18}")  # noqa: T201
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=2000, help="deliveries queued for the throughput run")
    parser.add_argument("--latency-events", type=int, default=300, help="changes timed one by one")
    parser.add_argument("--concurrency", type=int, default=32, help="DOCGATE_WEBHOOK_CONCURRENCY")
    parser.add_argument("--serve-receiver", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_receiver:
        uvicorn.run(receiver_app, host="127.0.0.1", port=args.serve_receiver, log_level="warning", access_log=False)
        return
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
