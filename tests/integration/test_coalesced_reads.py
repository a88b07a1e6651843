"""Reads by id arriving together share one command (gateway.coalesced_reads), and each
reader still gets exactly its own answer: through GraphQL and REST, with relations joined,
when the store fails or stalls under them, and when a reader gives up while it waits.

The store is real, and slowed or broken for this module's client alone with SecantusDB's
`failCommand` fail point (scoped by the client's application name).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient, monitoring

from gateway.db import Database
from tests.conftest import GatewayUnderTest, running_gateway
from tests.integration.helpers import data

APP_NAME = "docgate-coalesced-reads"
ONE = "query($id: UUID) { person(filter: {id: {eq: $id}}) { id city } }"
ONE_WITH_COMPANY = "query($id: UUID) { person(filter: {id: {eq: $id}}) { id city company { name } } }"


class Reads(monitoring.CommandListener):
    """The read commands sent to the workspace's people, as (command name, its filter or match)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        command = event.command
        if event.command_name == "find" and command["find"] == "person":
            self.sent.append(("find", command["filter"]))
        elif event.command_name == "aggregate" and command["aggregate"] == "person":
            first = command["pipeline"][0]
            if "$match" in first:  # reads by id; counts and groupings start otherwise
                self.sent.append(("aggregate", first["$match"]))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.fixture(scope="module")
async def gateway(mongo_uri: str, db_prefix: str) -> AsyncIterator[tuple[GatewayUnderTest, Reads]]:
    reads = Reads()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongo_uri, tz_aware=True, uuidRepresentation="standard", appname=APP_NAME, event_listeners=[reads]
    )
    async with running_gateway(mongo_uri, db_prefix + "co", db=Database(client, db_prefix + "co"),
                               request_timeout_seconds=1.0) as running:
        yield running, reads


@pytest.fixture(scope="module")
async def people(gateway: tuple[GatewayUnderTest, Reads]) -> list[str]:
    """40 people, every other one at a company, the last one in the trash; and an id no one has."""
    running, _ = gateway
    companies = data(await running.graphql(
        'mutation { createCompanies(data: [{name: "Even Co"}, {name: "Third Co"}]) { id } }'))["createCompanies"]
    made = data(await running.graphql(
        "mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }",
        {"d": [{"city": f"city{i:02}", "companyId": companies[i // 2 % 2]["id"] if i % 2 == 0 else None}
               for i in range(40)]}))["createPeople"]
    ids = [p["id"] for p in made]
    data(await running.graphql("mutation($id: UUID!) { deletePerson(id: $id) { id } }", {"id": ids[-1]}))
    return [*ids, "0b7e5a7e-0000-4000-8000-000000000000"]


async def fail_reads(mongo_uri: str, **how: Any) -> None:
    """Make the server fail (or hold) this module's reads of people; no `how` lifts it."""
    async with AsyncMongoClient(mongo_uri) as admin:
        await admin.admin.command(
            "configureFailPoint", "failCommand", mode="alwaysOn" if how else "off",
            data={"failCommands": ["find", "aggregate"], "appName": APP_NAME, **how},
        )


async def answers(running: GatewayUnderTest, ids: list[str]) -> list[Any]:
    """Each id read by GraphQL (alone and with its company) and REST, as the client sees it
    (but for the request's id, which each answer has its own)."""
    async def graphql(query: str, record_id: str) -> Any:
        body = await running.graphql(query, {"id": record_id})
        body.pop("extensions", None)
        return body

    async def rest(record_id: str) -> Any:
        response = await running.client.get(f"/rest/people/{record_id}", headers=running.headers)
        body = response.json()
        body.pop("requestId", None)
        return response.status_code, body

    return [
        *[await graphql(ONE, i) for i in ids],
        *[await graphql(ONE_WITH_COMPANY, i) for i in ids],
        *[await rest(i) for i in ids],
    ]


async def test_reads_arriving_together_share_commands_and_each_gets_its_own_answer(
    gateway: tuple[GatewayUnderTest, Reads], people: list[str]
) -> None:
    running, reads = gateway
    ids = [*people, people[3], people[3], people[-2]]  # a record asked three times, a trashed one twice
    alone = await answers(running, ids)
    assert alone[0] == {"data": {"person": {"id": people[0], "city": "city00"}}}
    assert data(alone[len(ids)])["person"]["company"] == {"name": "Even Co"}
    assert alone[len(ids) + 1]["data"]["person"]["company"] is None
    assert alone[len(ids) + 2]["data"]["person"]["company"] == {"name": "Third Co"}
    assert alone[len(ids) - 4]["errors"][0]["extensions"]["code"] == "NOT_FOUND"  # the id no one has
    assert alone[len(ids) - 5]["errors"][0]["extensions"]["code"] == "NOT_FOUND"  # the trashed one
    assert alone[-1][0] == 404

    reads.sent.clear()
    together = await asyncio.gather(*(answers(running, [i]) for i in ids))
    by_kind = [[answer[kind] for answer in together] for kind in range(3)]
    assert [*by_kind[0], *by_kind[1], *by_kind[2]] == alone
    # REST and GraphQL read the same way: two kinds of command, one without joins, one with.
    batched = [match for _, match in reads.sent if isinstance(match["_id"], dict)]
    assert batched and all(len(match["_id"]["$in"]) > 1 for match in batched)
    assert len(reads.sent) < len(alone) // 2, reads.sent
    assert {name for name, match in reads.sent if isinstance(match["_id"], dict)} == {"find", "aggregate"}


async def test_a_read_alone_is_sent_as_it_always_was(
    gateway: tuple[GatewayUnderTest, Reads], people: list[str]
) -> None:
    running, reads = gateway
    reads.sent.clear()
    data(await running.graphql(ONE, {"id": people[1]}))
    data(await running.graphql(ONE_WITH_COMPANY, {"id": people[2]}))
    assert reads.sent == [("find", {"_id": people[1]}), ("aggregate", {"_id": people[2]})]


async def test_reads_sharing_a_failed_command_each_answer_the_failure_then_reads_work_again(
    gateway: tuple[GatewayUnderTest, Reads], people: list[str], mongo_uri: str
) -> None:
    running, _ = gateway
    await fail_reads(mongo_uri, closeConnection=True)  # the store gone mid-request
    try:
        started = time.perf_counter()
        failed = await asyncio.gather(*(running.graphql(ONE, {"id": i}) for i in people[:20]))
        assert time.perf_counter() - started < 5
        # Unreachable, or out of time: the driver retries a read on a fresh connection for as
        # long as the request's deadline lets it.
        assert {f["errors"][0]["extensions"]["code"] for f in failed} <= {"SERVICE_UNAVAILABLE", "TIMEOUT"}
        assert all(f["data"] == {"person": None} for f in failed)
    finally:
        await fail_reads(mongo_uri)
    again = await asyncio.gather(*(running.graphql(ONE, {"id": i}) for i in people[:20]))
    assert [data(a)["person"]["id"] for a in again] == people[:20]


async def test_reads_sharing_a_command_that_outlives_their_deadline_answer_504_in_time(
    gateway: tuple[GatewayUnderTest, Reads], people: list[str], mongo_uri: str
) -> None:
    running, _ = gateway
    await fail_reads(mongo_uri, blockConnection=True, blockTimeMS=2500)
    try:
        started = time.perf_counter()
        stalled = await asyncio.gather(*(running.client.get(f"/rest/people/{i}", headers=running.headers)
                                         for i in people[:12]))
        assert time.perf_counter() - started < 3
        assert [r.status_code for r in stalled] == [504] * 12, stalled[0].text
    finally:
        await fail_reads(mongo_uri)


async def test_a_reader_that_gives_up_leaves_the_others_their_answers(
    gateway: tuple[GatewayUnderTest, Reads], people: list[str]
) -> None:
    """At the database handle: 200 readers at once of 160 records, 120 of them absent (more
    than one command's worth of ids), one of the waiting readers cancelled."""
    running, reads = gateway
    people_collection = running.db.records(running.workspace_id, "person")
    absent = [str(uuid.UUID(int=n)) for n in range(1, 121)]
    ids = [*people[:39], *absent, *people[:41]]
    reads.sent.clear()
    readers = [asyncio.create_task(running.db.read_by_id(people_collection, i)) for i in ids]
    await asyncio.sleep(0)
    assert not readers[100].done()  # still waiting: only two reads go out at once
    readers[100].cancel()
    found = await asyncio.gather(*readers, return_exceptions=True)
    assert isinstance(found[100], asyncio.CancelledError)
    stored = set(people[:40])  # the last id of `people` is no one's
    expected = [i if i in stored else None for i in ids]
    assert [doc and doc["_id"] for n, doc in enumerate(found) if n != 100] == expected[:100] + expected[101:]
    batches = [len(match["_id"]["$in"]) for _, match in reads.sent if isinstance(match["_id"], dict)]
    assert max(batches) == 100, batches  # 161 ids waited: a command of 100, then the rest
