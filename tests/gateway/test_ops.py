"""Ops endpoints and request ids."""

from __future__ import annotations

import httpx

from gateway.app import create_app
from gateway.db import open_database
from gateway.embedded import free_port
from gateway.settings import Settings
from tests.conftest import GatewayUnderTest


async def test_readyz_is_503_and_api_calls_are_503_when_the_database_is_down() -> None:
    settings = Settings(mongodb_uri=f"mongodb://127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=300",
                        log_level="ERROR")
    db = open_database(settings)
    app = create_app(settings, db=db)
    transport = httpx.ASGITransport(app=app)
    app.state.gateway = None
    async with httpx.AsyncClient(transport=transport, base_url="http://docgate") as client:
        # The lifespan would fail to create indexes on a dead server: wire the state by hand.
        from gateway.app import Gateway
        from gateway.auth import Authenticator

        app.state.gateway = Gateway(settings=settings, db=db, auth=Authenticator(db.control, 1.0),
                                    registry=None, metadata_schema=None)  # type: ignore[arg-type]
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["database"] == "unreachable"
        response = await client.get("/rest/metadata/objects", headers={"Authorization": "Bearer dg_x"})
        assert response.status_code == 503
        assert response.json()["error"] == "SERVICE_UNAVAILABLE"
        assert "database" in response.json()["messages"][0]
    await db.close()


async def test_request_id_is_echoed_or_made(gateway: GatewayUnderTest) -> None:
    mine = await gateway.client.get("/healthz", headers={"X-Request-Id": "abc123"})
    assert mine.headers["x-request-id"] == "abc123"
    made = await gateway.client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
