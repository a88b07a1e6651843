"""`/mcp`: the MCP SDK's own client lists tools, creates, finds and updates records; raw
JSON-RPC calls get Twenty's answers; every tool call goes through the compile step."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_object, data

DIRECT = "http://docgate/mcp?mode=direct"


@contextlib.asynccontextmanager
async def sdk_client(gateway: GatewayUnderTest) -> AsyncIterator[Client]:
    """The SDK's client, in direct mode, over HTTP to the in-process app. (A context manager,
    not a fixture: its task group must be left in the task that entered it.)"""
    http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=gateway.app), headers=gateway.headers)
    async with http, Client(streamable_http_client(DIRECT, http_client=http), mode="legacy") as mcp:
        yield mcp


def payload(result: Any) -> Any:
    return json.loads(result.content[0].text)


async def test_the_sdk_client_creates_finds_and_updates_a_person(gateway: GatewayUnderTest) -> None:
    async with sdk_client(gateway) as client:
        names = {t.name for t in (await client.list_tools()).tools}
        assert {"find_many_people", "find_one_person", "create_one_person", "update_one_person",
                "create_many_people", "delete_many_people", "list_object_metadata_names"} <= names
        created = await client.call_tool(
            "create_one_person", {"name": {"firstName": "Ada", "lastName": "Lovelace"}, "jobTitle": "Analyst"}
        )
        assert not created.is_error, created
        person = payload(created)
        found = payload(await client.call_tool(
            "find_many_people", {"name": {"firstName": {"eq": "Ada"}}, "limit": 5, "select": ["jobTitle"]}
        ))
        assert found == {"records": [{"id": person["id"], "jobTitle": "Analyst"}], "count": 1, "hasNextPage": False}
        updated = payload(await client.call_tool("update_one_person", {"id": person["id"], "jobTitle": "Countess"}))
        assert updated["jobTitle"] == "Countess"
        one = payload(await client.call_tool("find_one_person", {"id": person["id"], "select": ["jobTitle"]}))
        assert one == {"id": person["id"], "jobTitle": "Countess"}


async def test_every_tool_has_an_object_schema(gateway: GatewayUnderTest) -> None:
    async with sdk_client(gateway) as client:
        tools = (await client.list_tools()).tools
        assert tools and all(t.input_schema.get("type") == "object" for t in tools)
        find = next(t for t in tools if t.name == "find_many_companies")
        assert "and" in find.input_schema["properties"] and "limit" in find.input_schema["properties"]
        assert find.input_schema["$defs"]["CompanyFilterInput"]["type"] == "object"


async def test_a_new_custom_object_is_a_tool_at_once(gateway: GatewayUnderTest) -> None:
    async with sdk_client(gateway) as client:
        await create_object(gateway, "invoice", "invoices")
        names = {t.name for t in (await client.list_tools()).tools}
        assert {"find_many_invoices", "create_one_invoice", "upsert_many_invoices"} <= names
        created = payload(await client.call_tool("create_one_invoice", {"name": "INV-1"}))
        found = payload(await client.call_tool("find_many_invoices", {"id": {"eq": created["id"]}}))
        assert found["count"] == 1


async def test_bulk_tools_keep_the_safety_rules(gateway: GatewayUnderTest) -> None:
    async with sdk_client(gateway) as client:
        refused = await client.call_tool("delete_many_people", {"filter": {}})
        assert refused.is_error
        assert payload(refused)["message"] == "A non-empty filter is required"
        too_big = await client.call_tool("find_many_people", {"limit": 100_000})
        assert too_big.is_error and "page holds at most" in payload(too_big)["message"]


async def test_resources_are_the_openapi_documents(gateway: GatewayUnderTest) -> None:
    async with sdk_client(gateway) as client:
        uris = {str(r.uri) for r in (await client.list_resources()).resources}
        assert uris == {"docgate://openapi/core", "docgate://openapi/metadata"}
        document = json.loads((await client.read_resource("docgate://openapi/core")).contents[0].text)
        assert "/people" in document["paths"]


async def rpc(gateway: GatewayUnderTest, body: Any, *, path: str = "/mcp", accept: str = "application/json",
              token: str | None = "default") -> Any:
    headers = {"Content-Type": "application/json", "Accept": accept}
    if token is not None:
        headers["Authorization"] = f"Bearer {gateway.token if token == 'default' else token}"
    return await gateway.client.post(path, content=json.dumps(body), headers=headers)


async def test_meta_mode_lists_the_meta_tools_and_runs_tools_through_execute_tool(gateway: GatewayUnderTest) -> None:
    listed = (await rpc(gateway, {"jsonrpc": "2.0", "method": "tools/list", "id": 1})).json()
    assert sorted(t["name"] for t in listed["result"]["tools"]) == [
        "execute_tool", "get_tool_catalog", "learn_tools", "list_object_metadata_names"]
    catalog = await rpc(gateway, {"jsonrpc": "2.0", "method": "tools/call", "id": 2,
                                  "params": {"name": "get_tool_catalog", "arguments": {}}})
    categories = json.loads(catalog.json()["result"]["content"][0]["text"])["catalog"]
    assert "find_many_companies" in {t["name"] for t in categories["DATABASE_CRUD"]}
    ran = await rpc(gateway, {"jsonrpc": "2.0", "method": "tools/call", "id": 3, "params": {
        "name": "execute_tool", "arguments": {"toolName": "find_many_companies", "arguments": {"limit": 1}}}})
    assert ran.json()["result"]["isError"] is False
    unknown = await rpc(gateway, {"jsonrpc": "2.0", "method": "tools/call", "id": 4, "params": {
        "name": "execute_tool", "arguments": {"toolName": "definitely_not_a_tool", "arguments": {}}}})
    result = unknown.json()["result"]
    assert result["isError"] is True
    assert json.loads(result["content"][0]["text"]) == {"success": False,
                                                        "message": 'Tool "definitely_not_a_tool" not found'}
    direct_name = await rpc(gateway, {"jsonrpc": "2.0", "method": "tools/call", "id": 5,
                                      "params": {"name": "find_many_companies", "arguments": {}}})
    assert direct_name.json()["error"]["message"] == "Unknown tool: find_many_companies"


async def test_transport_answers_as_twenty(gateway: GatewayUnderTest) -> None:
    for method in ("GET", "DELETE"):
        response = await gateway.client.request(method, "/mcp", headers=gateway.headers)
        assert response.status_code == 405 and response.headers["allow"] == "POST"
        assert response.json()["error"]["code"] == -32600 and response.json()["id"] is None
    ping = await rpc(gateway, {"jsonrpc": "2.0", "method": "ping", "id": "1"})
    assert ping.status_code == 200 and ping.json() == {"jsonrpc": "2.0", "id": "1", "result": {}}
    both = "application/json, text/event-stream"
    sse = await rpc(gateway, {"jsonrpc": "2.0", "method": "ping", "id": "s"}, accept=both)
    assert sse.headers["content-type"].startswith("text/event-stream") and '"id":"s"' in sse.text
    bad = await rpc(gateway, {})
    assert bad.status_code == 400
    no_params = await rpc(gateway, {"jsonrpc": "2.0", "method": "tools/call", "id": "x"})
    assert no_params.json()["error"]["code"] == -32602
    missing = await rpc(gateway, {"jsonrpc": "2.0", "method": "ping", "id": 1}, token=None)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    wrong = await rpc(gateway, {"jsonrpc": "2.0", "method": "ping", "id": 1}, token="dg_not_a_key")
    assert wrong.status_code == 401


async def test_a_key_sees_only_its_own_workspace(gateway: GatewayUnderTest) -> None:
    _, other = await gateway.new_workspace("other-mcp")
    data(await gateway.graphql('mutation { createCompany(data: {name: "Mine only"}) { id } }'))
    found = await rpc(gateway, {"jsonrpc": "2.0", "method": "tools/call", "id": 1, "params": {
        "name": "find_many_companies", "arguments": {"name": {"eq": "Mine only"}}}}, path="/mcp?mode=direct",
        token=other)
    assert json.loads(found.json()["result"]["content"][0]["text"])["count"] == 0


async def test_hostile_calls_get_bounded_answers(gateway: GatewayUnderTest) -> None:
    """Deep, huge and repeated input: each gets a clear answer, nothing crashes."""
    deep: Any = {"jobTitle": {"eq": "x"}}
    for _ in range(40):
        deep = {"and": [deep]}
    call = {"jsonrpc": "2.0", "method": "tools/call", "id": 1,
            "params": {"name": "find_many_people", "arguments": deep}}
    answer = (await rpc(gateway, call, path="/mcp?mode=direct")).json()["result"]
    assert answer["isError"] and "DOCGATE_MAX_FILTER_DEPTH" in json.loads(answer["content"][0]["text"])["message"]
    learn = {"jsonrpc": "2.0", "method": "tools/call", "id": 2,
             "params": {"name": "learn_tools", "arguments": {"toolNames": [f"t{i}" for i in range(10_000)]}}}
    learned = json.loads((await rpc(gateway, learn)).json()["result"]["content"][0]["text"])
    assert learned["tools"] == [] and len(learned["unknown"]) == 50
    nested = "[" * 5000 + "]" * 5000
    response = await gateway.client.post("/mcp", content=nested, headers={**gateway.headers,
                                         "Content-Type": "application/json", "Accept": "application/json"})
    assert response.status_code == 400
    batch = [{"jsonrpc": "2.0", "method": "ping", "id": i} for i in range(3)]
    assert (await rpc(gateway, batch)).status_code in (200, 400)  # answered either way, never a crash


async def test_the_search_tool_finds_records_across_objects(gateway: GatewayUnderTest) -> None:
    data(await gateway.graphql('mutation { createCompany(data: {name: "Lovelace Engines"}) { id } }'))
    async with sdk_client(gateway) as client:
        tool = next(t for t in (await client.list_tools()).tools if t.name == "search")
        assert tool.input_schema["required"] == ["searchInput"]
        found = payload(await client.call_tool("search", {"searchInput": "LOVÉLACE", "limit": 5}))
        objects = {r["objectNameSingular"] for r in found["records"]}
        assert "company" in objects and all(r["tsRank"] > 0 for r in found["records"])
        refused = await client.call_tool("search", {"searchInput": "a", "limit": 500})
        assert refused.is_error


async def test_the_group_by_tool_counts_and_sums_per_group(gateway: GatewayUnderTest) -> None:
    data(await gateway.graphql("""mutation { createOpportunities(data: [
        {name: "mcp a", stage: NEW, amount: {amountMicros: 1000000, currencyCode: "EUR"}},
        {name: "mcp b", stage: NEW, amount: {amountMicros: 2500000, currencyCode: "EUR"}},
        {name: "mcp c", stage: MEETING, amount: {amountMicros: 4000000, currencyCode: "EUR"}}]) { id } }"""))
    async with sdk_client(gateway) as client:
        tool = next(t for t in (await client.list_tools()).tools if t.name == "group_by_opportunities")
        assert "sumAmountAmountMicros" in tool.input_schema["properties"]["aggregates"]["items"]["enum"]
        found = payload(await client.call_tool("group_by_opportunities", {
            "groupBy": [{"stage": True}], "aggregates": ["totalCount", "sumAmountAmountMicros"],
            "filter": {"name": {"like": "mcp %"}}, "orderBy": [{"stage": "AscNullsFirst"}]}))
        by_stage = {tuple(g["dimensions"]): (g["totalCount"], g["sumAmountAmountMicros"]) for g in found["groups"]}
        assert by_stage == {("NEW",): (2, 3500000), ("MEETING",): (1, 4000000)}
        refused = await client.call_tool("group_by_opportunities", {"groupBy": [], "aggregates": ["nope"]})
        assert refused.is_error
        too_many = await client.call_tool("group_by_opportunities", {"groupBy": [{"stage": True}], "limit": 10**6})
        assert too_many.is_error  # past DOCGATE_MAX_GROUPS: refused, as the schema says
