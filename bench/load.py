"""A bounded, closed-loop load generator: raw asyncio HTTP/1.1 keep-alive clients.

`concurrency` connections each send one request, wait for its response, then send the
next, until the run has lasted `duration` seconds *and* sent `min_requests`, or has sent
`max_requests`. In-flight requests are always drained, so the CPU measured over the window
belongs exactly to the requests counted. The client is a few dozen lines over asyncio
streams (no httpx), so it costs tens of microseconds per request, next to milliseconds
for the servers under test.

`run_ops` runs in-process coroutines (the raw driver baseline) with the same accounting.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .procs import CpuWindow

Check = Callable[[int, bytes], str | None]  # (status, body) -> an error text, or None


@dataclass
class HttpRequest:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.body is not None:
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + (self.body or b"")


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=2**24)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except Exception:
                pass
            self.writer = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0].strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body


async def fetch(base: str, req: HttpRequest) -> tuple[int, bytes]:
    """One request on a fresh connection (set-up and checks, not measured)."""
    url = urlsplit(base)
    conn = Connection(url.hostname or "127.0.0.1", url.port or 80)
    try:
        return await conn.request(req.encode(url.netloc))
    finally:
        await conn.close()


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class LoadResult:
    requests: int
    errors: int
    concurrency: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    cpu_ms_per_req: dict[str, float]  # process name -> CPU ms per request
    foreign_cpu_share: float  # CPU used by other processes on the machine, in cores
    first_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _result(
    latencies: list[float], errors: int, concurrency: int, cpu: dict[str, float], first_error: str | None
) -> LoadResult:
    latencies.sort()
    n = len(latencies)
    wall = cpu.pop("_wall")
    machine = cpu.pop("_machine")
    cpu.pop("_self", None)
    ours = sum(cpu.values())
    per_req = {k: (v / n * 1000 if n else math.nan) for k, v in cpu.items()}
    return LoadResult(
        requests=n,
        errors=errors,
        concurrency=concurrency,
        seconds=round(wall, 3),
        rps=n / wall if wall else math.nan,
        p50_ms=percentile(latencies, 50) * 1000,
        p90_ms=percentile(latencies, 90) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        mean_ms=(sum(latencies) / n * 1000) if n else math.nan,
        cpu_ms_per_req=per_req,
        foreign_cpu_share=max(0.0, machine - ours) / wall if wall else math.nan,
        first_error=first_error,
    )


@dataclass
class Budget:
    """How long a measurement lasts: at least `duration` s and `min_requests`, at most `max_requests`."""

    duration: float
    min_requests: int
    max_requests: int
    warmup: int = 3


async def run_http(
    base: str,
    make: Callable[[int], HttpRequest] | HttpRequest,
    concurrency: int,
    budget: Budget,
    *,
    cpu_pids: dict[str, int],
    check: Check | None = None,
) -> LoadResult:
    """Closed-loop load on `base`; `make(i)` gives the i-th request (or one fixed request)."""
    url = urlsplit(base)
    host, port, netloc = url.hostname or "127.0.0.1", url.port or 80, url.netloc
    fixed = make.encode(netloc) if isinstance(make, HttpRequest) else None

    def raw(i: int) -> bytes:
        if fixed is not None:
            return fixed
        assert not isinstance(make, HttpRequest)
        return make(i).encode(netloc)

    conns = [Connection(host, port) for _ in range(concurrency)]
    await asyncio.gather(*(c.open() for c in conns))
    latencies: list[float] = []
    errors = 0
    first_error: str | None = None
    for i in range(budget.warmup):  # warm caches (schema, documents, keys); not measured
        try:
            status, body = await conns[0].request(raw(-1 - i))
            problem = check(status, body) if check else None
        except Exception as exc:
            problem = f"warm-up: {type(exc).__name__}: {exc}"
            await conns[0].close()
        first_error = first_error or problem
    issued = 0
    window = CpuWindow.open({**cpu_pids, "client": os.getpid()})
    start = time.perf_counter()

    async def worker(conn: Connection) -> None:
        nonlocal issued, errors, first_error
        while issued < budget.max_requests and (
            time.perf_counter() - start < budget.duration or issued < budget.min_requests
        ):
            i = issued
            issued += 1
            data = raw(i)
            t0 = time.perf_counter()
            try:
                status, body = await conn.request(data)
                problem = check(status, body) if check else (None if status < 400 else f"HTTP {status}")
            except Exception as exc:  # a broken connection counts as an error, then reconnect
                problem = f"{type(exc).__name__}: {exc}"
                await conn.close()
            latencies.append(time.perf_counter() - t0)
            if problem is not None:
                errors += 1
                first_error = first_error or problem[:300]

    await asyncio.gather(*(worker(c) for c in conns))
    cpu = window.close()
    await asyncio.gather(*(c.close() for c in conns))
    return _result(latencies, errors, concurrency, cpu, first_error)


async def run_ops(
    op: Callable[[int], Awaitable[Any]], concurrency: int, budget: Budget, *, cpu_pids: dict[str, int]
) -> LoadResult:
    """The same closed loop over in-process coroutines (this process's CPU is `self`)."""
    latencies: list[float] = []
    errors = 0
    first_error: str | None = None
    for i in range(budget.warmup):
        try:
            await op(-1 - i)
        except Exception as exc:
            first_error = first_error or f"warm-up: {type(exc).__name__}: {exc}"[:300]
    issued = 0
    window = CpuWindow.open({"self": os.getpid(), **cpu_pids})
    start = time.perf_counter()

    async def worker() -> None:
        nonlocal issued, errors, first_error
        while issued < budget.max_requests and (
            time.perf_counter() - start < budget.duration or issued < budget.min_requests
        ):
            i = issued
            issued += 1
            t0 = time.perf_counter()
            try:
                await op(i)
            except Exception as exc:
                errors += 1
                first_error = first_error or f"{type(exc).__name__}: {exc}"[:300]
            latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    cpu = window.close()
    return _result(latencies, errors, concurrency, cpu, first_error)
