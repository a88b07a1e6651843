"""Twenty's event streams on `/metadata`, over real connections to running replicas:
`onEventSubscription` echoes its id first, `addQueryToEventStream` / `removeQueryFromEventStream`
choose the records whose events arrive, a stream belongs to its key, a client that comes back
with its last position keeps its queries and gets what it missed, and a stream served by one
replica hears of queries registered through another."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets

from gateway.apikeys import create_api_key
from tests.gateway.live_server import LiveServer, SseStream, live_server

STREAM = """subscription OnEventSubscription($eventStreamId: String!) {
  onEventSubscription(eventStreamId: $eventStreamId) {
    eventStreamId
    objectRecordEventsWithQueryIds {
      objectRecordEvent {
        action objectNameSingular recordId userId workspaceMemberId
        properties { updatedFields before after diff }
      }
      queryIds
    }
    metadataEventsWithQueryIds { metadataEvent { type metadataName recordId } queryIds }
  }
}"""
ADD = """mutation($input: AddQuerySubscriptionInput!) { addQueryToEventStream(input: $input) }"""
REMOVE = """mutation($input: RemoveQueryFromEventStreamInput!) { removeQueryFromEventStream(input: $input) }"""


@pytest.fixture(scope="module")
async def server(mongo_uri: str) -> AsyncIterator[LiveServer]:
    async with live_server(mongo_uri) as live:
        yield live


async def metadata(server: LiveServer, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token or server.token}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers) as c:
        response = await c.post("/metadata", json={"query": query, "variables": variables})
        return response.json()


async def add_query(server: LiveServer, stream: str, query_id: str, signature: Any, token: str | None = None) -> Any:
    input = {"eventStreamId": stream, "queryId": query_id, "operationSignature": signature}
    return await metadata(server, ADD, {"input": input}, token)


async def create_person(server: LiveServer, job_title: str) -> str:
    async with httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}) as c:
        response = await c.post("/rest/people", json={"jobTitle": job_title})
        assert response.status_code == 201, response.text
        person: str = response.json()["data"]["createPerson"]["id"]
        return person


@contextlib.asynccontextmanager
async def event_stream(server: LiveServer, stream_id: str, *, since: str | None = None,
                       token: str | None = None) -> AsyncIterator[SseStream]:
    headers = {"Authorization": f"Bearer {token or server.token}", "Accept": "text/event-stream"}
    if since is not None:
        headers["Last-Event-ID"] = since
    body = {"query": STREAM, "variables": {"eventStreamId": stream_id}}
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client, client.stream(
        "POST", "/metadata", json=body, headers=headers
    ) as response:
        assert response.status_code == 200
        yield SseStream(response)


def events(frame: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(action, recordId, queryIds) of each record event of a frame."""
    stream = frame["data"]["onEventSubscription"]
    assert stream["metadataEventsWithQueryIds"] == []
    return [(e["objectRecordEvent"]["action"], e["objectRecordEvent"]["recordId"], e["queryIds"])
            for e in stream["objectRecordEventsWithQueryIds"]]


async def test_first_frame_echoes_the_stream_then_registered_queries_get_their_events(server: LiveServer) -> None:
    async with event_stream(server, "stream-a") as stream:
        _, first = await stream.next()
        assert first == {"data": {"onEventSubscription": {
            "eventStreamId": "stream-a", "objectRecordEventsWithQueryIds": [], "metadataEventsWithQueryIds": []}}}
        signature = {"objectNameSingular": "person", "variables": {"filter": {"jobTitle": {"eq": "Streamed"}}}}
        assert (await add_query(server, "stream-a", "people", signature))["data"] == {"addQueryToEventStream": True}
        everyone = {"objectNameSingular": "person", "variables": {}}
        assert (await add_query(server, "stream-a", "all-people", everyone))["data"]["addQueryToEventStream"]

        other = await create_person(server, "Not streamed")
        assert events((await stream.next())[1]) == [("CREATED", other, ["all-people"])]
        person = await create_person(server, "Streamed")
        _, frame = await stream.next()
        assert events(frame) == [("CREATED", person, ["people", "all-people"])]
        event = frame["data"]["onEventSubscription"]["objectRecordEventsWithQueryIds"][0]["objectRecordEvent"]
        assert event["objectNameSingular"] == "person" and event["properties"]["after"]["jobTitle"] == "Streamed"

        # An update that takes the record out of a query is news to it (its before matched).
        async with httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}) as c:
            await c.patch(f"/rest/people/{person}", json={"jobTitle": "Moved on"})
        _, frame = await stream.next()
        assert events(frame) == [("UPDATED", person, ["people", "all-people"])]
        properties = frame["data"]["onEventSubscription"]["objectRecordEventsWithQueryIds"][0]["objectRecordEvent"][
            "properties"]
        assert properties["updatedFields"] == ["jobTitle"]
        assert properties["diff"] == {"jobTitle": {"before": "Streamed", "after": "Moved on"}}

        removed = await metadata(server, REMOVE, {"input": {"eventStreamId": "stream-a", "queryId": "all-people"}})
        assert removed["data"] == {"removeQueryFromEventStream": True}
        await create_person(server, "Nobody watches")
        with pytest.raises(TimeoutError):
            await stream.next(timeout=1.5)


async def test_a_stream_belongs_to_the_key_that_opened_it(server: LiveServer) -> None:
    _, other_key = await create_api_key(server.db.control, server.workspace_id, "other", None)
    async with event_stream(server, "stream-b") as stream:
        await stream.next()
        async with event_stream(server, "stream-b", token=other_key) as taken:
            _, frame = await taken.next()
        assert frame["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert frame["errors"][0]["extensions"]["subCode"] == "EVENT_STREAM_ALREADY_EXISTS"
        refused = await add_query(server, "stream-b", "q", {"objectNameSingular": "person"}, token=other_key)
        assert refused["errors"][0]["extensions"]["subCode"] == "NOT_AUTHORIZED"
    # A stream nobody opened: false, as Twenty answers (the client opens one).
    assert (await add_query(server, "never-opened", "q", {"objectNameSingular": "person"}))["data"] == {
        "addQueryToEventStream": False}


async def test_hostile_queries_are_refused_before_they_are_kept(server: LiveServer) -> None:
    async with event_stream(server, "stream-c") as stream:
        await stream.next()
        unknown_field = {"objectNameSingular": "person", "variables": {"filter": {"salary": {"eq": 1}}}}
        error = (await add_query(server, "stream-c", "q", unknown_field))["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and "salary" in error["message"]
        unknown_object = (await add_query(server, "stream-c", "q", {"objectNameSingular": "spaceship"}))["errors"][0]
        assert "spaceship" in unknown_object["message"]
        huge = {"objectNameSingular": "person", "variables": {"filter": {"jobTitle": {"eq": "x" * 20_000}}}}
        assert "bytes" in (await add_query(server, "stream-c", "q", huge))["errors"][0]["message"]
        deep: dict[str, Any] = {"jobTitle": {"eq": "x"}}
        for _ in range(40):
            deep = {"and": [deep]}
        too_deep = {"objectNameSingular": "person", "variables": {"filter": deep}}
        assert (await add_query(server, "stream-c", "q", too_deep))["errors"][0]["extensions"]["code"] == (
            "BAD_USER_INPUT")
        for i in range(100):
            assert (await add_query(server, "stream-c", f"q{i}", {"objectNameSingular": "person"}))["data"]
        full = await add_query(server, "stream-c", "one more", {"objectNameSingular": "person"})
        assert "at most 100 queries" in full["errors"][0]["message"]
        # Registering a query again replaces it, it does not count twice.
        assert (await add_query(server, "stream-c", "q7", {"objectNameSingular": "company"}))["data"]


async def test_a_client_that_comes_back_keeps_its_queries_and_gets_what_it_missed(server: LiveServer) -> None:
    signature = {"objectNameSingular": "person", "variables": {"filter": {"jobTitle": {"like": "Away %"}}}}
    async with event_stream(server, "stream-d") as stream:
        await stream.next()
        await add_query(server, "stream-d", "away", signature)
        first = await create_person(server, "Away 0")
        last, frame = await stream.next()
        assert events(frame) == [("CREATED", first, ["away"])]
    missed = [await create_person(server, f"Away {i}") for i in (1, 2)]
    async with event_stream(server, "stream-d", since=last) as stream:
        _, echo = await stream.next()
        assert echo["data"]["onEventSubscription"]["eventStreamId"] == "stream-d"
        assert [events((await stream.next())[1])[0][1] for _ in missed] == missed


async def test_a_query_registered_through_another_replica_reaches_the_stream(server: LiveServer,
                                                                            mongo_uri: str) -> None:
    async with live_server(mongo_uri, replica_of=server) as replica, event_stream(server, "stream-e") as stream:
        await stream.next()
        await add_query(server, "stream-e", "here", {"objectNameSingular": "person"})
        first = await create_person(server, "Before")  # the stream has read its queries by now
        assert events((await stream.next())[1]) == [("CREATED", first, ["here"])]
        signature = {"objectNameSingular": "person", "variables": {"filter": {"jobTitle": {"eq": "Replicated"}}}}
        assert (await add_query(replica, "stream-e", "there", signature))["data"]["addQueryToEventStream"]
        person = await create_person(replica, "Replicated")
        assert events((await stream.next())[1]) == [("CREATED", person, ["here", "there"])]


async def test_event_streams_over_websocket(server: LiveServer) -> None:
    url = server.url.replace("http://", "ws://") + "/metadata"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        await socket.send(json.dumps({"type": "connection_init", "payload": {
            "Authorization": f"Bearer {server.token}"}}))
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": STREAM, "variables": {"eventStreamId": "stream-f"}}}))
        first = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert first["payload"]["data"]["onEventSubscription"]["eventStreamId"] == "stream-f"
        await add_query(server, "stream-f", "q", {"objectNameSingular": "person"})
        person = await create_person(server, "Over WS")
        message = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert events(message["payload"]) == [("CREATED", person, ["q"])]
