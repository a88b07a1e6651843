"""Webhook dispatch is fair: one workspace's receiver that hangs holds a few slots, never all,
and another workspace's events go out meanwhile (the issue's scenario: A's 120 deliveries to
a hanging receiver delayed B's 5 deliveries by 7.3 s)."""

from __future__ import annotations

import asyncio
import time
import uuid

from pytest_httpserver import HTTPServer

from gateway.workspaces import create_workspace
from tests.gateway.test_webhooks_support import Client, Receiver, http_client, running_app


class HangingReceiver:
    """Accepts connections and never answers; counts how many are open at once."""

    def __init__(self) -> None:
        self.open = 0
        self.most_open = 0
        self.accepted = 0
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._hang, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/hook"

    async def _hang(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open += 1
        self.accepted += 1
        self.most_open = max(self.most_open, self.open)
        try:
            await reader.read()  # until the client gives up and closes
        finally:
            self.open -= 1
            writer.close()

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()


async def test_a_hanging_receiver_of_one_workspace_does_not_delay_another(
    mongo_uri: str, db_prefix: str, httpserver: HTTPServer
) -> None:
    hanging = HangingReceiver()
    slow_url = await hanging.start()
    fast = Receiver(httpserver)
    fast_url = fast.route("/fast")
    settings = {"webhook_timeout_seconds": 3.0, "webhook_lease_seconds": 10.0, "webhook_concurrency": 32,
                "webhook_concurrency_per_target": 4, "webhook_concurrency_per_workspace": 8}
    try:
        async with running_app(mongo_uri, db_prefix + "f", **settings) as (app, db), http_client(app) as http:
            workspace_a, token_a = await create_workspace(db, f"a-{uuid.uuid4().hex[:6]}")
            workspace_b, token_b = await create_workspace(db, f"b-{uuid.uuid4().hex[:6]}")
            a, b = Client(http, token_a, workspace_a["_id"]), Client(http, token_b, workspace_b["_id"])
            await a.webhook(slow_url, ["company.created"])
            await b.webhook(fast_url, ["company.created"])
            batch = "mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }"
            for round_ in range(2):
                await a.data(batch, {"d": [{"name": f"a{round_}-{i}"} for i in range(60)]})
            await asyncio.sleep(0.3)  # A's deliveries are claimed and hanging now
            assert hanging.open > 0
            started = time.monotonic()
            for i in range(5):
                await b.data("mutation($n: String) { createCompany(data: {name: $n}) { id } }", {"n": f"b{i}"})
            received = await fast.wait("/fast", 5, timeout=10)
            delay = max(r.at for r in received) - started
            most_open = hanging.most_open
    finally:
        await hanging.stop()
    assert delay < 1.5, f"B's deliveries waited {delay:.2f} s behind A's hanging receiver"
    assert most_open <= 4  # A never held more than its target's share of the 32 slots
