"""Bounded execution: a deadline on every request, patterns that cannot backtrack, a
budget of records per request, cursors that cannot crash the parser.

The slow database is real: SecantusDB's `failCommand` fail point blocks the commands of
this module's own client (scoped by its application name) for seconds.
"""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from gateway.db import Database
from tests.conftest import GatewayUnderTest, running_gateway
from tests.integration.helpers import data

APP_NAME = "docgate-bounded-execution"


@pytest.fixture(scope="module")
async def bounded(mongo_uri: str, db_prefix: str) -> AsyncIterator[GatewayUnderTest]:
    """A gateway with a 1 s deadline and a budget of 100 records per request, whose client
    names itself so that fail points can slow it alone."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongo_uri, tz_aware=True, uuidRepresentation="standard", appname=APP_NAME
    )
    db = Database(client, db_prefix + "b")
    async with running_gateway(
        mongo_uri, db_prefix + "b", db=db, request_timeout_seconds=1.0, max_records_per_request=100
    ) as running:
        yield running


async def block(mongo_uri: str, commands: list[str], milliseconds: int) -> None:
    """Make the server hold this module's `commands` for `milliseconds` before running them."""
    async with AsyncMongoClient(mongo_uri) as admin:
        mode: Any = "alwaysOn" if milliseconds else "off"
        await admin.admin.command(
            "configureFailPoint", "failCommand", mode=mode,
            data={"failCommands": commands, "blockConnection": True, "blockTimeMS": milliseconds,
                  "appName": APP_NAME},
        )


async def test_a_read_past_its_deadline_answers_504_in_time(bounded: GatewayUnderTest, mongo_uri: str) -> None:
    await bounded.graphql("{ people { totalCount } }")  # warm: key, schema
    await block(mongo_uri, ["find", "aggregate", "count"], 2500)
    try:
        started = time.perf_counter()
        response = await bounded.client.get("/rest/people", headers=bounded.headers)
        assert time.perf_counter() - started < 3
        assert response.status_code == 504, response.text
        body = response.json()
        assert body["statusCode"] == 504 and "time limit" in body["messages"][0]
        started = time.perf_counter()
        answer = await bounded.graphql("{ people { edges { node { id } } } }")
        assert time.perf_counter() - started < 3
        assert answer["errors"][0]["extensions"]["code"] == "TIMEOUT"
    finally:
        await block(mongo_uri, [], 0)


async def test_a_key_looked_up_past_the_deadline_answers_504(bounded: GatewayUnderTest, mongo_uri: str) -> None:
    """The deadline covers authentication too: a key not cached, looked up on a stalled
    database, is a request out of time (504), not an unreachable database (503)."""
    await settled(bounded)
    bounded.app.state.gateway.auth.forget_all()
    await block(mongo_uri, ["find"], 2500)
    try:
        started = time.perf_counter()
        response = await bounded.client.get("/rest/people", headers=bounded.headers)
        assert time.perf_counter() - started < 3
        assert response.status_code == 504, response.text
        assert response.json()["error"] == "TIMEOUT"
    finally:
        await block(mongo_uri, [], 0)


async def settled(gateway: GatewayUnderTest) -> None:
    """Wait until the server answers this client again (held commands end after their block)."""
    for _ in range(50):
        # Records and a count: both kinds of command the blocks above hold (find, aggregate).
        if "errors" not in await gateway.graphql("{ people(first: 1) { totalCount edges { node { id } } } }"):
            return
        time.sleep(0.2)
    raise AssertionError("the store did not recover")


async def test_a_mutation_past_its_deadline_writes_nothing(bounded: GatewayUnderTest, mongo_uri: str) -> None:
    await settled(bounded)
    await block(mongo_uri, ["insert"], 2500)
    try:
        answer = await bounded.graphql('mutation { createPerson(data: {jobTitle: "too late"}) { id } }')
        assert answer["errors"][0]["extensions"]["code"] == "TIMEOUT"
    finally:
        await block(mongo_uri, [], 0)
    time.sleep(3)  # the held insert has run by now, in a transaction that was aborted
    await settled(bounded)
    found = await bounded.graphql('{ people(filter: {jobTitle: {eq: "too late"}}) { totalCount } }')
    assert data(found)["people"]["totalCount"] == 0


async def test_the_worst_like_pattern_answers_in_milliseconds(gateway: GatewayUnderTest) -> None:
    data(await gateway.graphql('mutation($t: String) { createPerson(data: {jobTitle: $t}) { id } }', {"t": "a" * 1000}))
    for op in ("like", "ilike"):
        started = time.perf_counter()
        answer = await gateway.graphql(f'{{ people(filter: {{jobTitle: {{{op}: "%a%a%a%b"}}}}) {{ totalCount }} }}')
        assert data(answer)["people"]["totalCount"] == 0
        assert time.perf_counter() - started < 0.5
    answer = await gateway.graphql(f'{{ people(filter: {{jobTitle: {{like: "%{"a%" * 10}"}}}}) {{ totalCount }} }}')
    assert data(answer)["people"]["totalCount"] == 1


async def test_an_overlong_pattern_is_refused_naming_the_limit(gateway: GatewayUnderTest) -> None:
    answer = await gateway.graphql('{ people(filter: {jobTitle: {like: "' + "." * 600 + '"}}) { totalCount } }')
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "DOCGATE_MAX_PATTERN_LENGTH" in error["message"]
    response = await gateway.client.get(
        "/rest/people", params={"filter": f'jobTitle[like]:"{"%" * 30}"'}, headers=gateway.headers
    )
    assert response.status_code == 400 and "DOCGATE_MAX_PATTERN_WILDCARDS" in response.json()["messages"][0]


@pytest.mark.parametrize(
    "cursor",
    [
        base64.b64encode(("[" * 5000 + "]" * 5000).encode()).decode(),  # nested past the JSON parser's recursion
        base64.b64encode(("[" * 1000 + "]" * 1000).encode()).decode(),
        "x" * 10_000,
        "not base64 at all!",
    ],
    ids=["deep-long", "deep", "long", "garbage"],
)
async def test_malformed_cursors_answer_400(gateway: GatewayUnderTest, cursor: str) -> None:
    response = await gateway.client.get("/rest/people", params={"starting_after": cursor}, headers=gateway.headers)
    assert response.status_code == 400, response.text
    answer = await gateway.graphql("query($c: String) { people(after: $c) { totalCount } }", {"c": cursor})
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert answer["errors"][0]["message"].startswith("Invalid cursor")


async def test_a_request_reading_more_records_than_its_budget_is_refused(bounded: GatewayUnderTest) -> None:
    await settled(bounded)
    for name in ("Budget A", "Budget B"):
        company = data(await bounded.graphql("mutation($n: String) { createCompany(data: {name: $n}) { id } }",
                                             {"n": name}))
        people = [{"jobTitle": "budget", "companyId": company["createCompany"]["id"]} for _ in range(60)]
        data(await bounded.graphql("mutation($d: [PersonCreateInput]!) { createPeople(data: $d) { id } }",
                                   {"d": people}))
    query = "query($f: CompanyFilterInput) { companies(filter: $f) { edges { node { people { totalCount } } } } }"
    # Two companies and their 120 people: 122 records read, over a budget of 100.
    answer = await bounded.graphql(query.replace("totalCount", "edges { node { id } }"),
                                   {"f": {"name": {"like": "Budget %"}}})
    [error] = answer["errors"]
    assert "DOCGATE_MAX_RECORDS_PER_REQUEST" in error["message"] and error["extensions"]["code"] == "BAD_USER_INPUT"
    # One company with its 60 people: 61, within the budget; counting reads no records.
    answer = await bounded.graphql(query.replace("totalCount", "totalCount edges { node { id } }"),
                                   {"f": {"name": {"eq": "Budget A"}}})
    assert data(answer)["companies"]["edges"][0]["node"]["people"]["totalCount"] == 60
    answer = await bounded.graphql(query, {"f": {"name": {"like": "Budget %"}}})
    assert [e["node"]["people"]["totalCount"] for e in data(answer)["companies"]["edges"]] == [60, 60]
