"""Rate limits per API key (Twenty's windows and answers), shared by replicas through the
database, and failed authentications limited per client address."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
from pymongo import monitoring

from gateway.app import create_app
from gateway.db import Database, open_database
from gateway.limits.overrides import set_workspace_limits
from gateway.settings import Settings
from gateway.workspaces import create_workspace
from tests.conftest import gateway_settings

LIST = "/rest/metadata/objects?limit=1"


@contextlib.asynccontextmanager
async def app_client(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://docgate") as client:
            yield client


def limited(mongo_uri: str, prefix: str, **limits: Any) -> Settings:
    """The suite's settings with exactly the limits a test names (the rest off)."""
    off = {"api_rate_limiting_short_limit": 0, "api_rate_limiting_long_limit": 0}
    return gateway_settings(mongo_uri, prefix, **{**off, **limits})


async def well_inside_a_minute(margin: float = 10.0) -> None:
    """Counting windows are whole minutes (or seconds): a few requests that must fall in one
    window start at least `margin` seconds before the minute ends."""
    left = 60 - time.time() % 60
    if left < margin:
        await asyncio.sleep(left + 0.05)


async def test_the_defaults_are_twentys() -> None:
    s = Settings()
    assert (s.api_rate_limiting_short_limit, s.api_rate_limiting_short_ttl_in_ms) == (100, 1000)
    assert (s.api_rate_limiting_long_limit, s.api_rate_limiting_long_ttl_in_ms) == (100, 60000)


async def test_default_limits_refuse_the_101st_request_of_a_minute(mongo_uri: str, db_prefix: str) -> None:
    defaults = Settings(mongodb_uri=mongo_uri, control_db=db_prefix + "d", log_level="WARNING")
    db = open_database(defaults)
    _, token = await create_workspace(db, "defaults")
    async with app_client(defaults, db) as client:
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(2):  # windows are whole minutes: sent across a minute's end, send them again
            minute = time.time() // 60
            statuses = [(await client.get(LIST, headers=headers)).status_code for _ in range(101)]
            if time.time() // 60 == minute:
                break
            await asyncio.sleep(60 - time.time() % 60)  # a fresh window, from its start
    await db.close()
    assert statuses[:100] == [200] * 100 and statuses[100] == 429


async def test_short_window_answers_429_in_twentys_shape(mongo_uri: str, db_prefix: str) -> None:
    settings = limited(mongo_uri, db_prefix + "s", api_rate_limiting_short_limit=3,
                       api_rate_limiting_short_ttl_in_ms=60_000)
    db = open_database(settings)
    _, token = await create_workspace(db, "short")
    async with app_client(settings, db) as client:
        headers = {"Authorization": f"Bearer {token}"}
        await well_inside_a_minute()
        for _ in range(3):
            assert (await client.get(LIST, headers=headers)).status_code == 200
        refused = await client.get(LIST, headers=headers)
        graphql = await client.post("/graphql", json={"query": "{ people { totalCount } }"}, headers=headers)
    await db.close()
    assert refused.status_code == 429
    body = refused.json()
    assert body["statusCode"] == 429 and body["error"] == "RATE_LIMITED"
    assert body["messages"] == ["Rate limit exceeded for apiKey: 3 requests per 60s."]
    assert body["limit"] == 3 and body["remaining"] == 0 and body["periodCount"] == 60
    assert body["periodUnit"] == "second" and body["scope"]["spenderType"] == "apiKey"
    assert 1 <= body["retryAfterSeconds"] <= 60
    assert refused.headers["retry-after"] == str(body["retryAfterSeconds"])
    assert refused.headers["x-ratelimit-limit"] == "3" and refused.headers["x-ratelimit-remaining"] == "0"
    assert 0 < int(refused.headers["x-ratelimit-reset"]) - time.time() <= 61
    assert graphql.status_code == 429 and "retry-after" in graphql.headers
    error = graphql.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED" and error["extensions"]["limit"] == 3


async def test_a_zero_turns_a_window_off_and_keys_are_counted_apart(mongo_uri: str, db_prefix: str) -> None:
    settings = limited(mongo_uri, db_prefix + "z", api_rate_limiting_long_limit=2,
                       api_rate_limiting_long_ttl_in_ms=60_000, api_rate_limiting_short_limit=0)
    db = open_database(settings)
    _, first = await create_workspace(db, "first")
    _, second = await create_workspace(db, "second")
    async with app_client(settings, db) as client:
        await well_inside_a_minute()
        one = [(await client.get(LIST, headers={"Authorization": f"Bearer {first}"})).status_code for _ in range(3)]
        two = [(await client.get(LIST, headers={"Authorization": f"Bearer {second}"})).status_code for _ in range(2)]
    await db.close()
    assert one == [200, 200, 429] and two == [200, 200]

    unlimited = limited(mongo_uri, db_prefix + "o")  # both windows off
    db = open_database(unlimited)
    _, token = await create_workspace(db, "open")
    async with app_client(unlimited, db) as client:
        statuses = {(await client.get(LIST, headers={"Authorization": f"Bearer {token}"})).status_code
                    for _ in range(120)}
    await db.close()
    assert statuses == {200}


async def test_a_workspace_override_replaces_the_defaults(mongo_uri: str, db_prefix: str) -> None:
    settings = limited(mongo_uri, db_prefix + "w", api_rate_limiting_long_limit=50,
                       api_rate_limiting_long_ttl_in_ms=60_000)
    db = open_database(settings)
    workspace, token = await create_workspace(db, "tight")
    assert await set_workspace_limits(db.control, workspace["_id"], {"longLimit": 2}) == {"longLimit": 2}
    async with app_client(settings, db) as client:
        statuses = [(await client.get(LIST, headers={"Authorization": f"Bearer {token}"})).status_code
                    for _ in range(3)]
    await db.close()
    assert statuses == [200, 200, 429]


async def test_two_replicas_over_one_database_share_a_keys_limit(mongo_uri: str, db_prefix: str) -> None:
    settings = limited(mongo_uri, db_prefix + "r", api_rate_limiting_long_limit=6,
                       api_rate_limiting_long_ttl_in_ms=60_000)
    first_db, second_db = open_database(settings), open_database(settings)
    _, token = await create_workspace(first_db, "shared")
    headers = {"Authorization": f"Bearer {token}"}
    async with app_client(settings, first_db) as first, app_client(settings, second_db) as second:
        await well_inside_a_minute()
        statuses = []
        for _ in range(4):
            statuses.append((await first.get(LIST, headers=headers)).status_code)
            statuses.append((await second.get(LIST, headers=headers)).status_code)
    await first_db.close()
    await second_db.close()
    assert statuses == [200] * 6 + [429, 429]


class CountKeyLookups(monitoring.CommandListener):
    def __init__(self) -> None:
        self.lookups = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "find" and event.command.get("find") == "apiKeys":
            self.lookups += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def test_guessing_keys_costs_no_lookup_past_the_limit(mongo_uri: str, db_prefix: str) -> None:
    settings = limited(mongo_uri, db_prefix + "g", auth_failure_limit=5, auth_failure_window_seconds=60.0)
    listener = CountKeyLookups()
    db = open_database(settings, listeners=[listener])
    _, token = await create_workspace(db, "guessed")
    async with app_client(settings, db) as client:
        assert (await client.get(LIST, headers={"Authorization": f"Bearer {token}"})).status_code == 200
        before = listener.lookups
        statuses = [
            (await client.get(LIST, headers={"Authorization": f"Bearer dg_{uuid.uuid4().hex}"})).status_code
            for _ in range(40)
        ]
        lookups = listener.lookups - before
        # A key this replica already verified still works from that address.
        still = await client.get(LIST, headers={"Authorization": f"Bearer {token}"})
        refused = await client.get(LIST, headers={"Authorization": "Bearer dg_guess"})
    await db.close()
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    assert lookups == 5, lookups
    assert still.status_code == 200
    assert refused.json()["error"] == "RATE_LIMITED" and int(refused.headers["retry-after"]) >= 1



class CountCounterCommands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.commands: list[dict[str, Any]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "findAndModify" and event.command["findAndModify"] == "rateLimitCounters":
            self.commands.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def test_counts_on_the_embedded_store_are_not_retryable_writes(mongo_uri: str, db_prefix: str) -> None:
    # Two counts a request. As retryable writes they would each leave a record on the store,
    # which SecantusDB scans (and past 10,000, sorts) on every write: every write got slower.
    settings = limited(mongo_uri, db_prefix + "n", api_rate_limiting_short_limit=3,
                       api_rate_limiting_short_ttl_in_ms=60_000)
    listener = CountCounterCommands()
    db = open_database(settings, listeners=[listener])
    _, token = await create_workspace(db, "counted")
    async with app_client(settings, db) as client:
        headers = {"Authorization": f"Bearer {token}"}
        await well_inside_a_minute()
        statuses = [(await client.get(LIST, headers=headers)).status_code for _ in range(4)]
    await db.close()
    assert statuses == [200, 200, 200, 429]
    assert len(listener.commands) == 4 and not any("txnNumber" in command for command in listener.commands)
