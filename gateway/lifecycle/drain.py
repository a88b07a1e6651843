"""Graceful shutdown: SIGTERM starts a drain; docgate exits once in-flight requests are done
(at once when idle) or the drain timeout has passed, whichever comes first.

The timeout bounds the whole exit: requests may take it all but a reserve (a third, at
most 4 s), which the shutdown steps share (webhook leases handed back, the connection
closed, the embedded store stopped), each bounded by what is left.

During the drain `/readyz` answers 503 at once (a load balancer stops sending traffic), new
API requests get 503 with `Connection: close` (clients retry elsewhere), requests in flight
finish. A second SIGTERM or SIGINT exits without waiting. A watchdog thread ends the process
if shutting down itself ever hangs past the timeout (the embedded store dies with it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from pymongo.errors import ConnectionFailure
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema_builder.errors import DocgateError, ServiceUnavailable, from_database

log = logging.getLogger("docgate.lifecycle")

OPS_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
SHUTTING_DOWN = "docgate is shutting down: send the request again (another replica, or this one once restarted)"
STORE_RESTARTING = "the database is restarting; try again shortly"
WATCHDOG_GRACE_SECONDS = 5.0  # past the drain timeout, should a shutdown step hang anyway
RESERVE_SECONDS = 4.0  # of the drain timeout, kept for the shutdown steps (a third at most)


@dataclass
class Lifecycle:
    """Shared by the server, the app and the store supervisor."""

    drain_timeout: float
    draining: bool = False
    in_flight: int = 0
    store_down: bool = False  # the embedded store died; the supervisor is restarting it
    _drain_started: float = 0.0
    _exits: list[Callable[[], None]] = field(default_factory=list)

    def begin_drain(self) -> None:
        if self.draining:
            return
        self.draining = True
        self._drain_started = time.monotonic()
        log.info("draining: %d request(s) in flight, at most %g s", self.in_flight, self.drain_timeout)
        threading.Thread(target=self._watchdog, name="docgate-shutdown-watchdog", daemon=True).start()

    def remaining(self) -> float:
        """Seconds left of the drain timeout (all of it before a drain starts)."""
        if not self.draining:
            return self.drain_timeout
        return max(0.0, self.drain_timeout - (time.monotonic() - self._drain_started))

    @property
    def reserve(self) -> float:
        return min(RESERVE_SECONDS, self.drain_timeout / 3)

    def drained(self) -> bool:
        """Time to stop serving: no request in flight, or only the reserve is left."""
        return self.draining and (self.in_flight == 0 or self.remaining() <= self.reserve)

    def _watchdog(self) -> None:
        time.sleep(self.drain_timeout + WATCHDOG_GRACE_SECONDS)
        log.error("shutdown did not finish within %g s of the drain timeout: exiting now", WATCHDOG_GRACE_SECONDS)
        logging.shutdown()
        os._exit(70)


Render = Callable[[str, DocgateError], Response]


class LifecycleMiddleware:
    """Counts requests in flight; answers 503 while draining or while the store restarts, and
    for any lost database connection that escaped a route (never a 500)."""

    def __init__(self, app: ASGIApp, lifecycle: Lifecycle, render: Render) -> None:
        self.app = app
        self.lifecycle = lifecycle
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPS_PATHS:
            await self.app(scope, receive, send)
            return
        lifecycle = self.lifecycle
        if lifecycle.draining or lifecycle.store_down:
            error = ServiceUnavailable(SHUTTING_DOWN if lifecycle.draining else STORE_RESTARTING)
            response = self.render(scope["path"], error)
            response.headers["Retry-After"] = "1"
            if lifecycle.draining:
                response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        lifecycle.in_flight += 1
        try:
            await self.app(scope, receive, tracking_send)
        except ConnectionFailure as exc:
            if started:
                raise
            answer = from_database(exc) or ServiceUnavailable("the database is unreachable; try again shortly")
            await self.render(scope["path"], answer)(scope, receive, send)
        finally:
            lifecycle.in_flight -= 1


def draining_server(config: Any, lifecycle: Lifecycle) -> Any:
    """A uvicorn server whose first SIGTERM/SIGINT drains (see the module) instead of stopping."""
    import uvicorn

    class DrainingServer(uvicorn.Server):
        _wake: Callable[[], object] | None = None

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            if not lifecycle.draining and sig in (signal.SIGTERM, signal.SIGINT):
                lifecycle.begin_drain()
            else:
                self.should_exit = True
                self.force_exit = True  # a second signal: stop waiting for anything
            if self._wake is not None:
                self._wake()

        async def main_loop(self) -> None:
            """uvicorn's loop, waking once a second instead of ten times (and at once on a
            signal; ten times a second while draining, as uvicorn's does): its ticks cost an
            idle server ~1.2 ms of CPU a second, counted in every request that waits on the
            store. `on_tick` refreshes the Date header when `counter % 10 == 0`: every tick."""
            loop = asyncio.get_running_loop()
            wake = asyncio.Event()
            self._wake = lambda: loop.call_soon_threadsafe(wake.set)  # from a signal handler
            counter = 0
            should_exit = await self.on_tick(counter)
            while not should_exit:
                idle = not lifecycle.draining
                counter = (counter + (10 if idle else 1)) % 864000
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), 1.0 if idle else 0.1)
                wake.clear()
                should_exit = await self.on_tick(counter)

        async def on_tick(self, counter: int) -> bool:
            if lifecycle.drained():
                self.should_exit = True
            return await super().on_tick(counter)

        async def _serve(self, sockets: Any = None) -> None:
            await super()._serve(sockets)
            # Uvicorn re-raises the signal after its graceful shutdown, which would end the
            # process before docgate stops its embedded store; finish normally instead.
            self._captured_signals.clear()

    config.timeout_graceful_shutdown = 0.5  # by then requests are done, or out of time
    return DrainingServer(config)
