"""`MONGODB_URI=memory://`: the in-memory backend (mongomock-motor) serves the same API."""

from __future__ import annotations

import httpx

from gateway.app import create_app
from gateway.db import open_database
from gateway.settings import Settings
from gateway.workspaces import create_workspace


async def test_memory_backend_serves_graphql_and_metadata() -> None:
    settings = Settings(mongodb_uri="memory://", log_level="WARNING")
    db = open_database(settings)
    assert db.in_memory and not await db.supports_transactions()
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        _, token = await create_workspace(db, "memory")
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docgate") as client:
            created = await client.post("/graphql", headers=headers, json={
                "query": 'mutation { createPeople(data: [{jobTitle: "a"}, {jobTitle: "b"}]) { id } }'})
            assert "errors" not in created.json()
            listed = await client.post("/graphql", headers=headers, json={
                "query": "{ people(orderBy: [{jobTitle: DescNullsLast}]) { totalCount edges { node { jobTitle } } } }"})
            people = listed.json()["data"]["people"]
            assert people["totalCount"] == 2
            assert [e["node"]["jobTitle"] for e in people["edges"]] == ["b", "a"]
            objects = await client.post("/metadata", headers=headers, json={
                "query": "{ objects(paging: {first: 100}) { edges { node { nameSingular } } } }"})
            assert len(objects.json()["data"]["objects"]["edges"]) == 9  # the standard model, timeline included
    await db.close()
