"""Replicas hear of each other's metadata changes: a change stream, or polling without one."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from gateway.app import create_app
from gateway.db import open_database
from gateway.workspaces import create_workspace
from tests.conftest import GatewayUnderTest, gateway_settings
from tests.integration.helpers import create_object, data

SLOW_POLL = 30.0  # seconds: a change seen well before this came through the change stream


@pytest.fixture
async def replicas(
    request: pytest.FixtureRequest, mongo_uri: str, db_prefix: str
) -> AsyncIterator[list[GatewayUnderTest]]:
    """Two gateways on one database, each with its own schema cache, that poll rarely."""
    uri = request.param if isinstance(getattr(request, "param", None), str) else mongo_uri
    # Without change streams (the in-memory backend) polling is all there is: poll fast there.
    poll = 0.2 if uri == "memory://" else SLOW_POLL
    settings = gateway_settings(uri, db_prefix + "r").with_overrides(metadata_poll_seconds=poll)
    db = open_database(settings)
    workspace, token = await create_workspace(db, "replicated")
    apps = [create_app(settings, db=db), create_app(settings, db=db)]
    async with apps[0].router.lifespan_context(apps[0]), apps[1].router.lifespan_context(apps[1]):
        clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://docgate") for a in apps]
        try:
            yield [GatewayUnderTest(c, a, db, workspace["_id"], token) for c, a in zip(clients, apps, strict=True)]
        finally:
            for c in clients:
                await c.aclose()
    await db.close()


async def seen_within(replica: GatewayUnderTest, query: str, seconds: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if "errors" not in await replica.graphql(query):
            return time.monotonic() - started
        await asyncio.sleep(0.05)
    return None


async def test_another_replica_sees_a_change_at_once_through_the_change_stream(
    replicas: list[GatewayUnderTest],
) -> None:
    first, second = replicas
    assert "errors" in await second.graphql("{ sprockets { totalCount } }")  # its schema is now cached
    await create_object(first, "sprocket", "sprockets")
    delay = await seen_within(second, "{ sprockets { totalCount } }", 10)
    assert delay is not None and delay < 5, f"not seen within 5 s (the poll interval is {SLOW_POLL} s)"
    assert data(await second.graphql("{ sprockets { totalCount } }")) == {"sprockets": {"totalCount": 0}}


@pytest.mark.parametrize("replicas", ["memory://"], indirect=True)
async def test_without_change_streams_replicas_poll(replicas: list[GatewayUnderTest]) -> None:
    first, second = replicas
    assert "errors" in await second.graphql("{ cogs { totalCount } }")
    await create_object(first, "cog", "cogs")
    assert await seen_within(second, "{ cogs { totalCount } }", 5) is not None
