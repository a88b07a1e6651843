"""Faults injected with SecantusDB's `failCommand` fail point (its test commands on): transient
write errors are retried, a failed write leaves nothing half-written, a lost connection is
retried or answered 503, and a metadata change that fails half-way is undone and can be
sent again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from gateway.app import create_app
from gateway.db import open_database
from gateway.embedded import EmbeddedServer
from gateway.workspaces import create_workspace
from tests.conftest import gateway_settings


@pytest.fixture(scope="module")
def fault_store() -> Iterator[str]:
    """A store of its own that accepts configureFailPoint (never the suite's shared one),
    reached as a MongoDB server is by default: with retryable writes (docgate reaches its
    embedded store without them)."""
    with EmbeddedServer(None, test_commands=True) as server:
        yield server.uri.replace("retryWrites=false", "retryWrites=true")


class Faulty:
    def __init__(self, http: httpx.AsyncClient, admin: Any, token: str) -> None:
        self.http = http
        self.admin = admin
        self.headers = {"Authorization": f"Bearer {token}"}

    async def fail(self, commands: list[str], mode: Any = None, **data: Any) -> None:
        await self.admin.command({"configureFailPoint": "failCommand", "mode": mode or {"times": 1},
                                  "data": {"failCommands": commands, **data}})

    async def off(self) -> None:
        await self.admin.command({"configureFailPoint": "failCommand", "mode": "off"})

    async def graphql(self, query: str, variables: dict[str, Any] | None = None, path: str = "/graphql") -> Any:
        response = await self.http.post(path, json={"query": query, "variables": variables}, headers=self.headers)
        return response.status_code, response.json()

    async def count(self, city: str) -> int:
        _, body = await self.graphql("query($c: String) { people(filter: {city: {eq: $c}}) { totalCount } }",
                                     {"c": city})
        total: int = body["data"]["people"]["totalCount"]
        return total


@pytest.fixture(scope="module")
async def faulty(fault_store: str, db_prefix: str) -> AsyncIterator[Faulty]:
    settings = gateway_settings(fault_store, db_prefix, request_timeout_seconds=4.0)
    db = open_database(settings)
    admin: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(fault_store)
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        _, token = await create_workspace(db, "faults")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docgate") as http:
            yield Faulty(http, admin.admin, token)
    await admin.close()
    await db.close()


@pytest.fixture(autouse=True)
async def no_fail_point_left(faulty: Faulty) -> AsyncIterator[None]:
    yield
    await faulty.off()


CREATE = "mutation($c: String) { createPerson(data: {city: $c}) { id } }"
BATCH = "mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }"


async def test_a_transient_write_conflict_is_retried(faulty: Faulty) -> None:
    await faulty.fail(["insert"], errorCode=112, errorLabels=["TransientTransactionError"])
    status, body = await faulty.graphql(CREATE, {"c": "transient"})
    assert status == 200 and "errors" not in body, body
    assert await faulty.count("transient") == 1


async def test_an_unknown_commit_result_is_committed_once(faulty: Faulty) -> None:
    await faulty.fail(["commitTransaction"], errorCode=50, errorLabels=["UnknownTransactionCommitResult"])
    status, body = await faulty.graphql(CREATE, {"c": "commit"})
    assert status == 200 and "errors" not in body, body
    assert await faulty.count("commit") == 1


async def test_a_batch_failing_half_way_writes_nothing_and_can_be_sent_again(faulty: Faulty) -> None:
    await faulty.graphql("mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { id } }",
                         {"i": {"targetUrl": "http://127.0.0.1:9/hook", "operations": ["person.created"]}},
                         path="/metadata")
    records = [{"city": "half"} for _ in range(60)]
    # The records' insert passes; the second insert of the transaction (the webhook events) fails.
    await faulty.fail(["insert"], {"skip": 1, "times": 1}, errorCode=2)
    status, body = await faulty.graphql(BATCH, {"d": records})
    assert "errors" in body and not (body.get("data") or {}).get("createPeople"), body
    assert await faulty.count("half") == 0
    status, body = await faulty.graphql(BATCH, {"d": records})
    assert "errors" not in body and len(body["data"]["createPeople"]) == 60
    assert await faulty.count("half") == 60


async def test_a_retryable_write_outside_a_transaction_is_retried_once(faulty: Faulty) -> None:
    """The rate-limit counter's `$inc` (findAndModify) and a webhook's insert run outside
    transactions: PyMongo's retryable writes send them again, once.

    (Code 262 rather than a step-down code: after a step-down PyMongo waits for its monitor
    to see a primary again, which against the single embedded node takes its heartbeat, 10 s.)
    """
    await faulty.fail(["findAndModify"], errorCode=262, errorLabels=["RetryableWriteError"])
    response = await faulty.http.get("/rest/people?limit=1", headers=faulty.headers)
    assert response.status_code == 200, response.text
    await faulty.fail(["insert"], errorCode=262, errorLabels=["RetryableWriteError"])
    url = f"http://127.0.0.1:9/{uuid.uuid4().hex}"
    _, body = await faulty.graphql(
        "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { id } }", {"i": {"targetUrl": url}},
        path="/metadata",
    )
    assert "errors" not in body, body
    _, listed = await faulty.graphql("{ webhooks { targetUrl } }", path="/metadata")
    assert [w["targetUrl"] for w in listed["data"]["webhooks"]].count(url) == 1


async def test_a_closed_connection_on_a_read_is_retried(faulty: Faulty) -> None:
    await faulty.fail(["find", "aggregate"], closeConnection=True)
    response = await faulty.http.get("/rest/people?limit=1", headers=faulty.headers)
    assert response.status_code == 200, response.text


async def test_reads_that_keep_failing_answer_503_or_504_never_500(faulty: Faulty) -> None:
    """The driver retries a closed connection until the request's deadline: then 504 TIMEOUT
    (503 when no server could be selected at all), in the error envelope either way."""
    await faulty.fail(["find", "aggregate"], "alwaysOn", closeConnection=True)
    rest = await faulty.http.get("/rest/people?limit=1", headers=faulty.headers)
    status, body = await faulty.graphql("{ people { totalCount } }")
    await faulty.off()
    answers = {503: "SERVICE_UNAVAILABLE", 504: "TIMEOUT"}
    assert answers.get(rest.status_code) == rest.json()["error"], rest.text
    assert answers.get(status) == body["errors"][0]["extensions"]["code"], body
    assert (await faulty.http.get("/rest/people?limit=1", headers=faulty.headers)).status_code == 200


async def test_a_failed_index_build_leaves_no_half_created_object_and_the_request_can_be_retried(
    faulty: Faulty,
) -> None:
    create = ('mutation { createOneObject(input: {object: {nameSingular: "gadget", namePlural: "gadgets", '
              'labelSingular: "Gadget", labelPlural: "Gadgets"}}) { id nameSingular } }')
    await faulty.fail(["createIndexes"], errorCode=2)
    status, body = await faulty.graphql(create, path="/metadata")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE" and "nothing was changed" in error["message"]
    _, objects = await faulty.graphql("{ objects(paging: {first: 100}) { edges { node { nameSingular } } } }",
                                      path="/metadata")
    assert "gadget" not in {e["node"]["nameSingular"] for e in objects["data"]["objects"]["edges"]}
    status, body = await faulty.graphql(create, path="/metadata")
    assert "errors" not in body and body["data"]["createOneObject"]["nameSingular"] == "gadget", body
    _, made = await faulty.graphql('mutation { createGadget(data: {name: "g"}) { id name } }')
    assert made["data"]["createGadget"]["name"] == "g"

