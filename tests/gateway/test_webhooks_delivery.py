"""Webhook delivery: retries with backoff, dead letters and replay, timeouts, refused private
targets, atomicity with the change, no loss across a restart, and exactly one send per
delivery with two dispatchers on one database."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from gateway.webhooks import Dispatcher, DispatchPolicy, Outbox
from gateway.webhooks.deliveries import DELIVERIES
from gateway.webhooks.store import WEBHOOKS
from gateway.workspaces import create_workspace
from tests.gateway.test_webhooks_support import Client, Receiver, eventually, http_client, running_app


@dataclass
class App:
    http: Any
    db: Any
    app: Any


@pytest.fixture(scope="module")
async def app(mongo_uri: str, db_prefix: str) -> AsyncIterator[App]:
    async with running_app(mongo_uri, db_prefix) as (application, db), http_client(application) as http:
        yield App(http, db, application)


async def new_client(http: Any, db: Any) -> Client:
    workspace, token = await create_workspace(db, f"deliver-{uuid.uuid4().hex[:8]}")
    return Client(http, token, workspace["_id"])


@pytest.fixture
async def ws(app: App) -> Client:
    return await new_client(app.http, app.db)


@pytest.fixture
def receiver(httpserver: HTTPServer) -> Receiver:
    return Receiver(httpserver)


async def create_company(ws: Client, name: str) -> str:
    data = await ws.data("mutation($n: String) { createCompany(data: {name: $n}) { id } }", {"n": name})
    company_id: str = data["createCompany"]["id"]
    return company_id


async def only_delivery(ws: Client, status: str, webhook_id: str | None = None) -> dict[str, Any]:
    async def check() -> list[dict[str, Any]]:
        found = await ws.deliveries(webhook_id=webhook_id)
        return found if len(found) == 1 and found[0]["status"] == status else []

    found: list[dict[str, Any]] = await eventually(check)
    return found[0]


async def test_retries_with_backoff_until_the_receiver_succeeds(ws: Client, receiver: Receiver) -> None:
    hook = await ws.webhook(receiver.route("/flaky", [500, 503]))
    await create_company(ws, "Flaky")
    got = await receiver.wait("/flaky", 3)
    await receiver.quiet("/flaky", 3, 0.3)
    assert got[0].body == got[1].body == got[2].body, "a retry sends the same event"
    assert len({r.headers["X-Twenty-Webhook-Nonce"] for r in got}) == 3
    # Backoff: base 0.05 s then 0.1 s, each ±20%.
    assert got[1].at - got[0].at >= 0.04 and got[2].at - got[1].at >= 0.08
    delivery = await only_delivery(ws, "DELIVERED", hook["id"])
    assert delivery["attempts"] == 3 and delivery["lastStatusCode"] == 200 and delivery["lastError"] is None
    log = delivery["attemptLog"]
    assert [(a["attempt"], a["statusCode"]) for a in log] == [(1, 500), (2, 503), (3, 200)]
    assert log[0]["error"] == "HTTP 500: ok" and all(a["durationMs"] >= 0 for a in log)


async def test_dead_letter_then_replay(ws: Client, receiver: Receiver) -> None:
    failing = {"on": True}
    hook = await ws.webhook(receiver.route("/dead", lambda n: 500 if failing["on"] else 204))
    await create_company(ws, "Doomed")
    await receiver.wait("/dead", 3)
    await receiver.quiet("/dead", 3, 0.4)  # max attempts is 3: nothing after the third
    dead = await only_delivery(ws, "DEAD", hook["id"])
    assert dead["attempts"] == 3 and dead["lastStatusCode"] == 500 and dead["nextAttemptAt"] is None
    assert [d["id"] for d in await ws.deliveries(status="DEAD")] == [dead["id"]]

    failing["on"] = False
    replayed = (await ws.meta(
        f'mutation {{ replayWebhookDelivery(id: "{dead["id"]}") {{ id status attempts replays }} }}'
    ))["replayWebhookDelivery"]
    assert replayed == {"id": dead["id"], "status": "PENDING", "attempts": 0, "replays": 1}
    await receiver.wait("/dead", 4)
    done = await only_delivery(ws, "DELIVERED", hook["id"])
    assert done["attempts"] == 1 and done["replays"] == 1 and done["lastStatusCode"] == 204
    assert [a["statusCode"] for a in done["attemptLog"]] == [500, 500, 500, 204], "the history is kept"
    assert receiver.at("/dead")[3].body == receiver.at("/dead")[0].body

    unknown = await ws.graphql(f'mutation {{ replayWebhookDelivery(id: "{uuid.uuid4()}") {{ id }} }}', path="/metadata")
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_replay_every_dead_delivery_of_a_webhook(ws: Client, receiver: Receiver) -> None:
    failing = {"on": True}
    hook = await ws.webhook(receiver.route("/many-dead", lambda n: 502 if failing["on"] else 200))
    await ws.data('mutation { createCompanies(data: [{name: "D1"}, {name: "D2"}]) { id } }')
    await receiver.wait("/many-dead", 6)

    async def all_dead() -> bool:
        return len(await ws.deliveries(webhook_id=hook["id"], status="DEAD")) == 2

    await eventually(all_dead)
    failing["on"] = False
    count = await ws.meta(f'mutation {{ replayDeadWebhookDeliveries(webhookId: "{hook["id"]}") }}')
    assert count == {"replayDeadWebhookDeliveries": 2}
    await receiver.wait("/many-dead", 8)

    async def all_delivered() -> bool:
        return len(await ws.deliveries(webhook_id=hook["id"], status="DELIVERED")) == 2

    await eventually(all_delivered)


async def test_a_change_and_its_events_commit_together(app: App, ws: Client, receiver: Receiver) -> None:
    """The outbox write shares the mutation's transaction: if it fails, the change is undone."""
    if not await app.db.supports_transactions():
        pytest.skip("this server has no transactions")

    class FailingOutbox(Outbox):
        async def __call__(self, *args: Any) -> None:
            await super().__call__(*args)
            raise RuntimeError("the process died after writing the deliveries")

    await ws.webhook(receiver.route("/atomic"))
    gateway = app.app.state.gateway
    original = gateway.webhooks
    gateway.webhooks = FailingOutbox(allow_private=True, retention_seconds=60)
    try:
        body = await ws.graphql('mutation { createCompany(data: {name: "Ghost"}) { id } }')
    finally:
        gateway.webhooks = original
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    found = await ws.data('{ companies(filter: {name: {eq: "Ghost"}}) { edges { node { id } } } }')
    assert found["companies"]["edges"] == []
    assert await app.db.control[DELIVERIES].count_documents({"workspaceId": ws.workspace_id}) == 0
    await receiver.quiet("/atomic", 0, 0.2)


async def test_timeouts_are_retried(mongo_uri: str, db_prefix: str, receiver: Receiver) -> None:
    url = receiver.route("/sleepy", delay=lambda n: 0.5 if n == 0 else 0.0)  # the timeout is 0.2 s
    async with running_app(mongo_uri, db_prefix + "t", webhook_timeout_seconds=0.2) as (application, db):
        async with http_client(application) as http:
            ws = await new_client(http, db)
            await ws.webhook(url)
            await create_company(ws, "Sleepy")
            await receiver.wait("/sleepy", 2)
            done = await only_delivery(ws, "DELIVERED")
    log = done["attemptLog"]
    assert log[0]["statusCode"] is None and log[0]["error"] == "no answer within 0.2 s"
    assert log[0]["durationMs"] < 400, "the sender gave up at the timeout, not when the receiver answered"
    # (The receiver serves one request at a time, so a retry may also wait behind the slow one.)
    assert log[-1]["statusCode"] == 200 and done["attempts"] == len(log) >= 2


async def test_private_targets_are_refused_unless_allowed(mongo_uri: str, db_prefix: str, receiver: Receiver) -> None:
    url = receiver.route("/private")
    async with running_app(mongo_uri, db_prefix + "p", webhook_allow_private_targets=False) as (application, db):
        async with http_client(application) as http:
            ws = await new_client(http, db)
            refused = await ws.graphql(
                "mutation($u: String!) { createWebhook(input: {targetUrl: $u}) { id } }", {"u": url}, "/metadata"
            )
            error = refused["errors"][0]
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
            assert "DOCGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS" in error["message"]
            # A name that resolves inward is only found out when sending: refused then, not retried.
            hook = await ws.webhook("https://hooks.example.com/public")
            await db.control[WEBHOOKS].update_one({"id": hook["id"]}, {"$set": {"targetUrl": url}})
            await create_company(ws, "Inward")
            dead = await only_delivery(ws, "DEAD", hook["id"])
    assert dead["attempts"] == 1 and dead["lastStatusCode"] is None
    assert dead["lastError"].startswith("target refused: host 'localhost' resolves to")
    await receiver.quiet("/private", 0, 0.1)


async def test_a_host_that_does_not_resolve_is_retried_not_dead_lettered(mongo_uri: str, db_prefix: str) -> None:
    """DNS may be down or a name not yet published: a passing failure, unlike a refused address."""
    async with running_app(mongo_uri, db_prefix + "dns", webhook_allow_private_targets=False) as (application, db):
        async with http_client(application) as http:
            ws = await new_client(http, db)
            hook = await ws.webhook("https://hooks.nowhere.invalid/x")
            await create_company(ws, "Unresolved")

            async def retried() -> dict[str, Any] | None:
                found = await ws.deliveries(webhook_id=hook["id"])
                return found[0] if found and found[0]["attempts"] >= 1 and found[0]["lastError"] else None

            pending = await eventually(retried)
    assert pending["status"] == "PENDING" and pending["lastStatusCode"] is None
    assert pending["lastError"].startswith("cannot resolve host 'hooks.nowhere.invalid'")


async def test_nothing_is_lost_when_the_gateway_stops_before_delivery(
    mongo_uri: str, db_prefix: str, receiver: Receiver
) -> None:
    prefix = db_prefix + "r"
    url = receiver.route("/restart")
    async with running_app(mongo_uri, prefix, webhook_dispatcher=False) as (application, db):
        async with http_client(application) as http:
            ws = await new_client(http, db)
            await ws.webhook(url)
            for name in ("Before stop 1", "Before stop 2", "Before stop 3"):
                await create_company(ws, name)
            pending = await db.control[DELIVERIES].find({"workspaceId": ws.workspace_id}).to_list(None)
            assert [d["status"] for d in pending] == ["PENDING"] * 3
            # A replica that claimed one delivery and died before sending it.
            crashed = Dispatcher(db.control, DispatchPolicy(lease_seconds=0.6), owner="crashed")
            (claimed,) = await crashed.claim(1)
            claimed_at = time.monotonic()
    await receiver.quiet("/restart", 0, 0.1)  # stopped: nothing was sent

    async with running_app(mongo_uri, prefix) as (application, db):
        got = await receiver.wait("/restart", 3)
        await receiver.quiet("/restart", 3, 0.3)
        docs = await db.control[DELIVERIES].find({"workspaceId": ws.workspace_id}).to_list(None)
    assert sorted(r.json["record"]["name"] for r in got) == ["Before stop 1", "Before stop 2", "Before stop 3"]
    assert {d["status"] for d in docs} == {"DELIVERED"}
    late = next(r for r in got if r.headers["X-Docgate-Delivery-Id"] == claimed["_id"])
    assert late.at - claimed_at >= 0.5, "the abandoned claim waited for its lease to run out"
    attempts = {d["_id"]: d["attempts"] for d in docs}
    assert attempts.pop(claimed["_id"]) == 2 and set(attempts.values()) == {1}


async def test_two_dispatchers_send_each_delivery_once(mongo_uri: str, db_prefix: str, receiver: Receiver) -> None:
    prefix = db_prefix + "two"
    url = receiver.route("/two", delay=0.003)
    settings = {"webhook_concurrency": 4}
    async with running_app(mongo_uri, prefix, **settings) as (app_a, db_a), \
            running_app(mongo_uri, prefix, **settings) as (app_b, _db_b), \
            http_client(app_a) as http_a, http_client(app_b) as http_b:
        a = await new_client(http_a, db_a)
        b = Client(http_b, a.headers["Authorization"].removeprefix("Bearer "), a.workspace_id)
        await a.webhook(url)
        for batch in range(8):
            client = a if batch % 2 else b
            names = [{"name": f"Two {batch}-{i}"} for i in range(5)]
            await client.data("mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }", {"d": names})
        got = await receiver.wait("/two", 40)
        await receiver.quiet("/two", 40, 0.5)
        for _ in range(100):  # a receipt is marked delivered a moment after the receiver got it
            docs = await db_a.control[DELIVERIES].find({"workspaceId": a.workspace_id}).to_list(None)
            if {d["status"] for d in docs} == {"DELIVERED"}:
                break
            await asyncio.sleep(0.1)
    assert len({r.headers["X-Docgate-Delivery-Id"] for r in got}) == 40
    assert len({r.json["record"]["id"] for r in got}) == 40
    assert {d["status"] for d in docs} == {"DELIVERED"} and {d["attempts"] for d in docs} == {1}
    assert len({d["leaseOwner"] for d in docs}) == 2, "both dispatchers took part"


async def test_the_in_memory_backend_delivers_too(receiver: Receiver) -> None:
    """No transactions there: the deliveries are written right after the change."""
    url = receiver.route("/memory", [500])
    async with running_app("memory://", f"m{uuid.uuid4().hex[:8]}") as (application, db), \
            http_client(application) as http:
        ws = await new_client(http, db)
        hook = await ws.webhook(url)
        await create_company(ws, "In memory")
        got = await receiver.wait("/memory", 2)
        done = await only_delivery(ws, "DELIVERED", hook["id"])
    assert got[1].json["record"]["name"] == "In memory"
    assert [a["statusCode"] for a in done["attemptLog"]] == [500, 200]
