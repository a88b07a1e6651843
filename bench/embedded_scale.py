"""How the embedded store scales: a page of 50 people with totalCount at 1k, 10k, 100k people.

    .venv/bin/python -m bench.embedded_scale [--sizes 1000,10000,100000] [--runs 7]

SecantusDB answers a sorted list by scanning the collection (it uses indexes for equality
and range predicates, not for sort + limit), and totalCount counts every match; so the
time of a first page grows with the collection. Records are stored directly (the same
documents docgate writes, built by its own `prepare_values`), then the page is asked
through the real app, in-process, as GraphQL and REST, alongside lookups that use an index.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from gateway.app import create_app
from gateway.db import open_database
from gateway.settings import Settings
from gateway.workspaces import create_workspace
from schema_builder.execute.records import prepare_values
from schema_builder.metadata.store import MetadataStore

PAGE = ("{ people(first: 50, orderBy: [{createdAt: DescNullsLast}]) "
        "{ totalCount edges { node { id name { firstName } } } } }")
FILTERED = '{ people(first: 50, filter: {city: {eq: "City 7"}}) { totalCount edges { node { id } } } }'
BY_ID = "query($id: UUID!) { person(filter: {id: {eq: $id}}) { id name { firstName } } }"


async def fill(db: Any, workspace_id: str, count: int) -> str:
    store = MetadataStore(db.control, db.workspace(workspace_id), workspace_id)
    model = await store.load_model()
    person = model.by_singular("person")
    assert person is not None
    collection = db.records(workspace_id, person.collection)
    existing = await collection.count_documents({})
    last = ""
    for start in range(existing, count, 1000):
        docs = [
            prepare_values(person, {"name": {"firstName": f"P{i}", "lastName": "Bench"}, "city": f"City {i % 100}",
                                    "jobTitle": f"Job {i % 37}"}, creating=True, access=None).values
            for i in range(start, min(count, start + 1000))
        ]
        await collection.insert_many(docs)
        last = docs[-1]["_id"]
    return last or (await collection.find_one({}, {"_id": 1}))["_id"]


async def timed(client: httpx.AsyncClient, runs: int, call: Any) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = await call()
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:300]
    return statistics.median(samples)


async def measure(sizes: list[int], runs: int) -> list[dict[str, Any]]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder) / "data", log_level="ERROR", api_rate_limiting_short_limit=0,
                            api_rate_limiting_long_limit=0, webhook_dispatcher=False)
        db = open_database(settings)
        app = create_app(settings, db=db)
        async with app.router.lifespan_context(app):
            workspace, token = await create_workspace(db, "bench")
            headers = {"Authorization": f"Bearer {token}"}
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docgate",
                                         headers=headers, timeout=600) as client:
                for size in sizes:
                    loading = time.perf_counter()
                    some_id = await fill(db, workspace["_id"], size)
                    loaded = time.perf_counter() - loading

                    def gql(query: str, variables: dict[str, Any] | None = None) -> Any:
                        return lambda: client.post("/graphql", json={"query": query, "variables": variables})

                    row = {
                        "people": size,
                        "load_seconds": round(loaded, 1),
                        "graphql_page_50_totalCount_ms": await timed(client, runs, gql(PAGE)),
                        "rest_page_50_ms": await timed(client, runs, lambda: client.get("/rest/people?limit=50")),
                        "graphql_equality_filter_ms": await timed(client, runs, gql(FILTERED)),
                        "graphql_by_id_ms": await timed(client, runs, gql(BY_ID, {"id": some_id})),
                    }
                    results.append(row)
                    print(row, flush=True)
        await db.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    asyncio.run(measure([int(s) for s in args.sizes.split(",")], args.runs))


if __name__ == "__main__":
    main()
