"""Ops endpoints and request ids."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx

from gateway.app import create_app
from gateway.db import open_database
from gateway.embedded import free_port
from gateway.settings import Settings
from tests.conftest import GatewayUnderTest


@contextlib.asynccontextmanager
async def on_a_dead_database(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app whose database cannot be reached (nothing listens on its port)."""
    settings = Settings(log_level="ERROR", **settings)
    db = open_database(settings)
    app = create_app(settings, db=db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://docgate") as client:
        # The lifespan would fail to create indexes on a dead server: wire the state by hand.
        from gateway.app import Gateway
        from gateway.auth import Authenticator

        app.state.gateway = Gateway(settings=settings, db=db, auth=Authenticator(db.control, 1.0),
                                    registry=None, metadata_schema=None)  # type: ignore[arg-type]
        yield client
    await db.close()


async def test_readyz_is_503_and_api_calls_are_503_when_the_database_is_down() -> None:
    dead = f"mongodb://127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=300"
    async with on_a_dead_database(mongodb_uri=dead) as client:
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["database"] == "unreachable"
        started = time.perf_counter()
        response = await client.get("/rest/metadata/objects", headers={"Authorization": "Bearer dg_x"})
        # After the URI's serverSelectionTimeoutMS (0.3 s), not the request's deadline (30 s).
        assert time.perf_counter() - started < 5
        assert response.status_code == 503, response.text
        assert response.json()["error"] == "SERVICE_UNAVAILABLE"
        assert "database" in response.json()["messages"][0]


async def test_a_request_whose_deadline_passes_while_the_database_is_sought_answers_504() -> None:
    """The driver stops looking for a server at the request's deadline: the request ran out of
    time (504, as any other past its deadline), though the database was never found."""
    dead = f"mongodb://127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=5000"
    async with on_a_dead_database(mongodb_uri=dead, request_timeout_seconds=0.3) as client:
        started = time.perf_counter()
        response = await client.get("/rest/metadata/objects", headers={"Authorization": "Bearer dg_x"})
        assert time.perf_counter() - started < 2
        assert response.status_code == 504, response.text
        assert response.json()["error"] == "TIMEOUT" and "time limit" in response.json()["messages"][0]


async def test_request_id_is_echoed_or_made(gateway: GatewayUnderTest) -> None:
    mine = await gateway.client.get("/healthz", headers={"X-Request-Id": "abc123"})
    assert mine.headers["x-request-id"] == "abc123"
    made = await gateway.client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
