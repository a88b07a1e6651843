"""A gateway whose webhook events stay in the outbox (no dispatcher), and how to read them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.db import open_database
from gateway.workspaces import create_workspace
from tests.conftest import GatewayUnderTest, gateway_settings

DELIVERIES = "webhookDeliveries"


@pytest.fixture(scope="module")
async def quiet(mongo_uri: str, db_prefix: str) -> AsyncIterator[GatewayUnderTest]:
    """The real app, a fresh workspace, and a webhook on every event whose deliveries are
    recorded in the outbox but not sent (the dispatcher is off)."""
    settings = gateway_settings(mongo_uri, db_prefix, webhook_dispatcher=False)
    db = open_database(settings)
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        workspace, token = await create_workspace(db, "events")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://docgate") as client:
            under_test = GatewayUnderTest(client, app, db, workspace["_id"], token)
            hook = await under_test.metadata(
                'mutation { createWebhook(input: {targetUrl: "https://hooks.example.com/events"}) { id } }'
            )
            assert "errors" not in hook, hook
            yield under_test
    await db.close()


class Events:
    """The events recorded since `mark()`: (eventName, record, updatedFields) in order."""

    def __init__(self, gateway: GatewayUnderTest) -> None:
        self.gateway = gateway
        self.seen: set[str] = set()

    async def _all(self) -> list[dict[str, Any]]:
        query = {"workspaceId": self.gateway.workspace_id}
        docs: list[dict[str, Any]] = await self.gateway.db.control[DELIVERIES].find(query).to_list(None)
        return docs

    async def mark(self) -> None:
        self.seen = {d["_id"] for d in await self._all()}

    async def since_mark(self) -> list[dict[str, Any]]:
        new = [d for d in await self._all() if d["_id"] not in self.seen]
        self.seen |= {d["_id"] for d in new}
        return [json.loads(d["body"]) for d in new]


def summary(events: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(eventName, record id) of each event."""
    return {(e["eventName"], e["record"]["id"]) for e in events}
