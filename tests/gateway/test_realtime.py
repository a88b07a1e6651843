"""Subscriptions over real connections to a running docgate: Server-Sent Events and
graphql-transport-ws WebSocket. Events come from the timeline; a client that comes back with
its last position gets exactly what it missed."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets

from gateway.workspaces import create_workspace
from tests.gateway.live_server import LiveServer, SseStream, live_server

PEOPLE = """subscription($filter: PersonFilterInput, $operations: [DatabaseEventAction!]) {
  personEvents(filter: $filter, operations: $operations) {
    action position recordId updatedFields diff record { id jobTitle name { firstName } }
  }
}"""


@pytest.fixture(scope="module")
async def server(mongo_uri: str) -> AsyncIterator[LiveServer]:
    async with live_server(mongo_uri, max_subscriptions_per_key=3) as live:
        yield live


async def rest(server: LiveServer, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token or server.token}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers) as client:
        response = await client.request(method, f"/rest{path}", json=body)
        assert response.status_code < 300, response.text
        return response.json()["data"]


@contextlib.asynccontextmanager
async def sse(server: LiveServer, variables: dict[str, Any], *, since: str | None = None,
              token: str | None = None) -> AsyncIterator[SseStream]:
    headers = {"Authorization": f"Bearer {token or server.token}", "Accept": "text/event-stream"}
    if since is not None:
        headers["Last-Event-ID"] = since
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        async with client.stream("POST", "/graphql", json={"query": PEOPLE, "variables": variables},
                                 headers=headers) as response:
            assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
            stream = SseStream(response)
            await asyncio.sleep(0.3)  # the subscription is registered before the changes below
            yield stream


async def test_sse_delivers_the_events_that_match(server: LiveServer) -> None:
    variables = {"filter": {"jobTitle": {"eq": "Live SSE"}}}
    async with sse(server, variables) as stream:
        await rest(server, "POST", "/people", {"jobTitle": "Not this one"})
        made = (await rest(server, "POST", "/people", {"jobTitle": "Live SSE", "name": {"firstName": "Ada"}}))
        person = made["createPerson"]["id"]
        await rest(server, "PATCH", f"/people/{person}", {"city": "Paris"})
        await rest(server, "DELETE", f"/people/{person}?soft_delete=true")
        created = (await stream.next())[1]["data"]["personEvents"]
        updated = (await stream.next())[1]["data"]["personEvents"]
        position, deleted_frame = await stream.next()
        deleted = deleted_frame["data"]["personEvents"]
    assert (created["action"], created["recordId"], created["record"]["name"]) == ("CREATED", person,
                                                                                    {"firstName": "Ada"})
    assert updated["action"] == "UPDATED" and updated["updatedFields"] == ["city"]
    assert updated["diff"] == {"city": {"before": None, "after": "Paris"}}
    assert deleted["action"] == "DELETED" and position == deleted["position"]


async def test_a_client_that_comes_back_gets_exactly_what_it_missed(server: LiveServer) -> None:
    variables = {"filter": {"jobTitle": {"like": "Resume %"}}, "operations": ["CREATED"]}
    async with sse(server, variables) as stream:
        await rest(server, "POST", "/people", {"jobTitle": "Resume 0"})
        last, _ = await stream.next()
    assert last is not None
    for i in range(1, 4):  # while it was away
        await rest(server, "POST", "/people", {"jobTitle": f"Resume {i}"})
    async with sse(server, variables, since=last) as stream:
        titles = [(await stream.next())[1]["data"]["personEvents"]["record"]["jobTitle"] for _ in range(3)]
        await rest(server, "POST", "/people", {"jobTitle": "Resume 4"})
        titles.append((await stream.next())[1]["data"]["personEvents"]["record"]["jobTitle"])
    assert titles == ["Resume 1", "Resume 2", "Resume 3", "Resume 4"]


async def test_another_workspace_sees_nothing(server: LiveServer) -> None:
    _, other = await create_workspace(server.db, "other realtime")
    variables = {"filter": {"jobTitle": {"eq": "Private"}}}
    async with sse(server, variables, token=other) as stream:
        await rest(server, "POST", "/people", {"jobTitle": "Private"})
        with pytest.raises(TimeoutError):
            await stream.next(timeout=1.5)


async def test_relation_filters_and_plain_posts_are_refused_clearly(server: LiveServer) -> None:
    headers = {"Authorization": f"Bearer {server.token}", "Accept": "text/event-stream"}
    relation = {"filter": {"company": {"name": {"eq": "Acme"}}}}
    async with httpx.AsyncClient(base_url=server.url) as client, client.stream(
        "POST", "/graphql", json={"query": PEOPLE, "variables": relation}, headers=headers
    ) as response:
        text = (await response.aread()).decode()
    assert "join column" in text and "event: complete" in text
    async with httpx.AsyncClient(base_url=server.url) as client:
        auth = {"Authorization": headers["Authorization"]}
        plain = await client.post("/graphql", json={"query": PEOPLE}, headers=auth)
    assert "text/event-stream" in plain.json()["errors"][0]["message"]


async def ws_connect(server: LiveServer, payload: dict[str, Any]) -> Any:
    url = server.url.replace("http://", "ws://") + "/graphql"
    socket = await websockets.connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
    return socket


async def test_graphql_transport_ws_subscribes_resumes_and_refuses_strangers(server: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {server.token}"}
    socket = await ws_connect(server, auth)
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    await socket.send(json.dumps({"type": "ping"}))
    assert json.loads(await socket.recv()) == {"type": "pong"}
    variables = {"filter": {"jobTitle": {"eq": "Live WS"}}}
    subscribe = {"query": PEOPLE, "variables": variables}
    await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": subscribe}))
    await asyncio.sleep(0.3)
    await rest(server, "POST", "/people", {"jobTitle": "Live WS"})
    message = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert message["type"] == "next" and message["id"] == "1"
    assert message["payload"]["data"]["personEvents"]["action"] == "CREATED"
    position = message["payload"]["extensions"]["position"]
    await socket.send(json.dumps({"id": "1", "type": "complete"}))
    await socket.close()
    await rest(server, "POST", "/people", {"jobTitle": "Live WS"})  # missed
    again = await ws_connect(server, {**auth, "lastEventId": position})
    assert json.loads(await again.recv()) == {"type": "connection_ack"}
    await again.send(json.dumps({"id": "2", "type": "subscribe", "payload": subscribe}))
    missed = json.loads(await asyncio.wait_for(again.recv(), 10))
    assert missed["payload"]["data"]["personEvents"]["action"] == "CREATED"
    assert missed["payload"]["extensions"]["position"] != position
    await again.close()
    stranger = await ws_connect(server, {"Authorization": "Bearer dg_not_a_key"})
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(stranger.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_subscriptions_per_key_are_capped(server: LiveServer) -> None:
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(3):
            await stack.enter_async_context(sse(server, {}))
        headers = {"Authorization": f"Bearer {server.token}", "Accept": "text/event-stream"}
        async with httpx.AsyncClient(base_url=server.url) as client, client.stream(
            "POST", "/graphql", json={"query": PEOPLE}, headers=headers
        ) as response:
            text = (await response.aread()).decode()
    assert "DOCGATE_MAX_SUBSCRIPTIONS_PER_KEY" in text


async def test_a_restricted_key_hears_only_what_its_role_may_read(server: LiveServer) -> None:
    from tests.conformance.role_factories import (
        api_key_with_role,
        create_one_role,
        field_id,
        object_ids,
        upsert_field_permissions,
        upsert_object_permissions,
        upsert_row_level_permission_predicates,
    )
    from tests.conftest import GatewayUnderTest

    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        admin = GatewayUnderTest(client, None, server.db, server.workspace_id, server.token)
        ids = await object_ids(admin)
        made, _ = await create_one_role(admin, {"label": "Listener", "canReadAllObjectRecords": True}, "id")
        role = made["createOneRole"]["id"]
        await upsert_object_permissions(admin, role, [{"objectMetadataId": ids["company"],
                                                       "canReadObjectRecords": False}])
        await upsert_field_permissions(admin, role, [{
            "objectMetadataId": ids["person"], "fieldMetadataId": await field_id(admin, "person", "jobTitle"),
            "canReadFieldValue": False}])
        await upsert_row_level_permission_predicates(admin, {
            "roleId": role, "objectMetadataId": ids["person"], "predicateGroups": [],
            "predicates": [{"fieldMetadataId": await field_id(admin, "person", "city"), "operand": "IS",
                            "value": "Lyon"}]})
        token = await api_key_with_role(admin, role, "listener")

    # An object the role may not read: refused before anything is heard, as a query would be.
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    companies = "subscription { companyEvents { action recordId } }"
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        async with client.stream("POST", "/graphql", json={"query": companies}, headers=headers) as response:
            frame = (await SseStream(response).next())[1]
    assert frame["errors"][0]["extensions"]["code"] == "FORBIDDEN", frame

    # A readable object: only the role's rows, without the fields it may not read.
    everything = """subscription { personEvents { action recordId updatedFields before after diff
                                                  record { id city } } }"""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        async with client.stream("POST", "/graphql", json={"query": everything}, headers=headers) as response:
            stream = SseStream(response)
            await asyncio.sleep(0.3)
            await rest(server, "POST", "/people", {"city": "Paris", "jobTitle": "Hidden elsewhere"})
            mine = (await rest(server, "POST", "/people", {"city": "Lyon", "jobTitle": "Secret"}))["createPerson"]
            await rest(server, "PATCH", f"/people/{mine['id']}", {"jobTitle": "Still secret"})
            created = (await stream.next())[1]["data"]["personEvents"]
            updated = (await stream.next())[1]["data"]["personEvents"]
    assert created["recordId"] == mine["id"] and created["record"] == {"id": mine["id"], "city": "Lyon"}
    assert "jobTitle" not in created["after"] and created["after"]["city"] == "Lyon"
    assert updated["recordId"] == mine["id"] and updated["updatedFields"] == []
    assert "jobTitle" not in updated["before"] and "jobTitle" not in updated["after"]
    assert "jobTitle" not in (updated["diff"] or {})
