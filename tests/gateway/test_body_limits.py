"""Request bodies over DOCGATE_MAX_BODY_BYTES answer 413 before they are read whole, on every
route; a text value over DOCGATE_MAX_TEXT_LENGTH is refused naming the field and the limit."""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator

import httpx
import orjson
import pytest

from gateway.app import create_app
from gateway.db import open_database
from gateway.workspaces import create_workspace
from tests.conftest import gateway_settings

LIMIT = 64 * 1024


class Client:
    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.http = client
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


@pytest.fixture(scope="module")
async def small(mongo_uri: str, db_prefix: str) -> AsyncIterator[Client]:
    settings = gateway_settings(mongo_uri, db_prefix, max_body_bytes=LIMIT, max_text_length=1000)
    db = open_database(settings)
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        _, token = await create_workspace(db, "bodies")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docgate") as client:
            yield Client(client, token)
    await db.close()


@pytest.mark.parametrize("path", ["/rest/people", "/rest/batch/people", "/rest/metadata/objects", "/healthz",
                                  "/docs", "/no/such/route"])
async def test_a_declared_length_over_the_limit_is_refused_unread(small: Client, path: str) -> None:
    body = b'{"jobTitle": "' + b"x" * LIMIT + b'"}'
    response = await small.http.post(path, content=body, headers=small.headers)
    assert response.status_code == 413
    body = response.json()
    assert body.pop("requestId") == response.headers["x-request-id"]
    assert body == {
        "statusCode": 413, "error": "PAYLOAD_TOO_LARGE",
        "messages": [f"the request body is larger than {LIMIT} bytes (DOCGATE_MAX_BODY_BYTES): send less at once, "
                     "e.g. a smaller batch"],
    }


async def test_graphql_gets_the_413_in_its_own_shape(small: Client) -> None:
    query = "{ people { totalCount } }" + " " * LIMIT
    response = await small.http.post("/graphql", json={"query": query}, headers=small.headers)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_streamed_body_is_cut_off_at_the_limit_with_bounded_memory(small: Client) -> None:
    sent = 0

    async def fifty_megabytes() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"jobTitle": "'
        for _ in range(200):
            sent += 256 * 1024
            yield b"y" * (256 * 1024)
        yield b'"}'

    tracemalloc.start()
    try:
        response = await small.http.post("/rest/people", content=fifty_megabytes(), headers=small.headers)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 413
    assert sent <= 2 * 256 * 1024  # docgate stopped reading after the first chunk past the limit
    assert peak < 4 * 1024 * 1024, peak  # bound: a few chunks, never the 50 MB body


async def test_a_body_under_the_limit_still_works(small: Client) -> None:
    response = await small.http.post("/rest/people", content=orjson.dumps({"jobTitle": "ok"}), headers=small.headers)
    assert response.status_code == 201, response.text


async def test_text_over_the_maximum_length_is_refused_naming_field_and_limit(small: Client) -> None:
    long = "z" * 1001
    rest = await small.http.post("/rest/people", content=orjson.dumps({"jobTitle": long}), headers=small.headers)
    assert rest.status_code == 400
    assert "field 'jobTitle' of 'person'" in rest.json()["messages"][0]
    assert "at most 1000" in rest.json()["messages"][0]
    composite = await small.http.post(
        "/graphql", headers=small.headers,
        json={"query": "mutation($n: String) { createPerson(data: {name: {firstName: $n}}) { id } }",
              "variables": {"n": long}},
    )
    error = composite.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "name.firstName" in error["message"]
    created = await small.http.post("/rest/people", content=orjson.dumps({"jobTitle": "z" * 1000}),
                                    headers=small.headers)
    assert created.status_code == 201
    person = created.json()["data"]["createPerson"]["id"]
    update = await small.http.patch(f"/rest/people/{person}", content=orjson.dumps({"city": long}),
                                    headers=small.headers)
    assert update.status_code == 400 and "'city'" in update.json()["messages"][0]
    count = await small.http.post("/graphql", headers=small.headers,
                                  json={"query": '{ people(filter: {jobTitle: {eq: "ok"}}) { totalCount } }'})
    assert count.json()["data"]["people"]["totalCount"] == 1  # nothing refused was stored
