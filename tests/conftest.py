"""Shared fixtures: one SecantusDB daemon for the whole run, a fresh database per module."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.db import Database, open_database
from gateway.embedded import EmbeddedServer
from gateway.settings import Settings
from gateway.workspaces import create_workspace


@pytest.fixture(scope="session")
def mongo_uri() -> Iterator[str]:
    """The URI of a real MongoDB wire-protocol server (an ephemeral SecantusDB daemon).

    Set DOCGATE_TEST_MONGODB_URI to run the suite against another server instead.
    """
    external = os.environ.get("DOCGATE_TEST_MONGODB_URI")
    if external:
        yield external
        return
    with EmbeddedServer(None, test_commands=True) as server:  # fault tests use `failCommand`
        yield server.uri


@pytest.fixture(scope="module")
def db_prefix() -> str:
    """A name prefix unique to the test module, so modules never see each other's data."""
    return f"t{uuid.uuid4().hex[:10]}"


class GatewayUnderTest:
    """The running app with a workspace and key, as a client sees it."""

    def __init__(self, client: Any, app: Any, db: Database, workspace_id: str, token: str) -> None:
        self.client = client
        self.app = app
        self.db = db
        self.workspace_id = workspace_id
        self.token = token
        self.headers = {"Authorization": f"Bearer {token}"}

    async def new_workspace(self, name: str) -> tuple[str, str]:
        workspace, token = await create_workspace(self.db, name)
        return workspace["_id"], token

    async def graphql(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> Any:
        """POST /graphql; returns the decoded body."""
        headers = {"Authorization": f"Bearer {token}"} if token else self.headers
        response = await self.client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        return response.json()

    async def metadata(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        body = {"query": query, "variables": variables}
        response = await self.client.post("/metadata", json=body, headers=self.headers)
        return response.json()


# The defaults are Twenty's (100 requests per second and 100 per minute per key); a test
# module sends far more than that through one key and one client address, so the suite's
# gateways turn the per-key windows off (0) and raise the per-address one. Off, not high: each
# counted request is two retryable writes, and SecantusDB prunes its record of retryable writes
# by sorting all of them (up to 10,000) on every write, which slowed the whole suite's shared
# store down request after request. Tests of the limits themselves set their own.
SUITE_LIMITS: dict[str, Any] = {
    "api_rate_limiting_short_limit": 0,
    "api_rate_limiting_long_limit": 0,
    "auth_failure_limit": 100_000,
}


def gateway_settings(mongo_uri: str, prefix: str, **overrides: Any) -> Settings:
    return Settings(
        mongodb_uri=mongo_uri,
        control_db=prefix,
        metadata_poll_seconds=0.2,
        webhook_allow_private_targets=True,
        log_level="WARNING",
        **{**SUITE_LIMITS, **overrides},
    )


@contextlib.asynccontextmanager
async def running_gateway(
    mongo_uri: str, prefix: str, *, db: Database | None = None, **overrides: Any
) -> AsyncIterator[GatewayUnderTest]:
    """The real ASGI app on the real daemon with a fresh workspace; `overrides` are settings
    (e.g. a test's own limits), `db` a database handle of the test's own."""
    settings = gateway_settings(mongo_uri, prefix, **overrides)
    db = db or open_database(settings)
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        workspace, token = await create_workspace(db, "test")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://docgate") as client:
            yield GatewayUnderTest(client, app, db, workspace["_id"], token)
    await db.close()


@pytest.fixture(scope="module")
async def gateway(mongo_uri: str, db_prefix: str) -> AsyncIterator[GatewayUnderTest]:
    """The real ASGI app on the real daemon, with a fresh workspace, for one test module."""
    async with running_gateway(mongo_uri, db_prefix) as running:
        yield running
