"""Webhooks end to end: management (GraphQL and REST), every event kind, batches, operation
matching and signatures, received by a real HTTP server on loopback."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from gateway.workspaces import create_workspace
from tests.gateway.test_webhooks_support import Client, Receiver, http_client, running_app, verify_as_receiver

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
HOOK_FIELDS = "id targetUrl operations description secret createdAt updatedAt"


@pytest.fixture(scope="module")
async def app(mongo_uri: str, db_prefix: str) -> AsyncIterator[tuple[Any, Any]]:
    async with running_app(mongo_uri, db_prefix) as (application, db), http_client(application) as http:
        yield http, db


@pytest.fixture
async def ws(app: tuple[Any, Any]) -> Client:
    """A fresh workspace per test, so one test's webhooks never see another's events."""
    http, db = app
    workspace, token = await create_workspace(db, f"hooks-{uuid.uuid4().hex[:8]}")
    return Client(http, token, workspace["_id"])


@pytest.fixture
def receiver(httpserver: HTTPServer) -> Receiver:
    return Receiver(httpserver)


async def create_company(ws: Client, name: str = "Acme", **extra: Any) -> dict[str, Any]:
    data = await ws.data(
        "mutation($d: CompanyCreateInput!) { createCompany(data: $d) { id name } }", {"d": {"name": name, **extra}}
    )
    created: dict[str, Any] = data["createCompany"]
    return created


def names(received: list[Any]) -> list[str]:
    return [r.json["eventName"] for r in received]


# ---- management ----------------------------------------------------------------------------


async def test_manage_webhooks_with_graphql(ws: Client) -> None:
    created = (await ws.meta(
        f"mutation {{ createWebhook(input: {{targetUrl: \"https://hooks.example.com/in\"}}) {{ {HOOK_FIELDS} }} }}"
    ))["createWebhook"]
    assert re.fullmatch(r"[0-9a-f]{64}", created["secret"]), "a secret is generated when none is given"
    assert created["operations"] == ["*.*"] and created["description"] is None
    hook_id = created["id"]
    listed = (await ws.meta(f"{{ webhooks {{ {HOOK_FIELDS} }} }}"))["webhooks"]
    assert listed == [created]
    assert (await ws.meta(f'{{ webhook(id: "{hook_id}") {{ {HOOK_FIELDS} }} }}'))["webhook"] == created

    update = {"operations": ["company.created", "*.deleted"], "description": "CRM sync", "secret": "rotated"}
    updated = (await ws.meta(
        f"mutation($i: UpdateWebhookInput!) {{ updateWebhook(input: $i) {{ {HOOK_FIELDS} }} }}",
        {"i": {"id": hook_id, "update": update}},
    ))["updateWebhook"]
    assert {k: updated[k] for k in update} == update
    assert updated["targetUrl"] == created["targetUrl"] and updated["updatedAt"] >= created["updatedAt"]
    cleared = (await ws.meta(
        "mutation($i: UpdateWebhookInput!) { updateWebhook(input: $i) { description secret } }",
        {"i": {"id": hook_id, "update": {"description": None, "secret": None}}},
    ))["updateWebhook"]
    assert cleared == {"description": None, "secret": "rotated"}, "null clears the description only"

    deleted = (await ws.meta(f'mutation {{ deleteWebhook(id: "{hook_id}") {{ id targetUrl }} }}'))["deleteWebhook"]
    assert deleted == {"id": hook_id, "targetUrl": "https://hooks.example.com/in"}
    assert (await ws.meta(f'{{ webhook(id: "{hook_id}") {{ id }} }}'))["webhook"] is None
    assert (await ws.meta("{ webhooks { id } }"))["webhooks"] == []
    again = await ws.graphql(f'mutation {{ deleteWebhook(id: "{hook_id}") {{ id }} }}', path="/metadata")
    assert again["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"targetUrl": "ftp://hooks.example.com/"}, "http or https"),
        ({"targetUrl": "hooks.example.com/in"}, "http or https"),
        ({"targetUrl": "https://user:pw@hooks.example.com/"}, "password"),
        ({"targetUrl": "https://hooks.example.com/", "operations": ["person"]}, "<object>.<action>"),
        ({"targetUrl": "https://hooks.example.com/", "operations": ["person.renamed"]}, "<object>.<action>"),
        ({"targetUrl": "https://hooks.example.com/", "operations": []}, "non-empty"),
        ({"targetUrl": "https://hooks.example.com/", "secret": ""}, "secret"),
    ],
)
async def test_webhook_input_is_validated(ws: Client, given: dict[str, Any], message: str) -> None:
    body = await ws.graphql(
        "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { id } }", {"i": given}, path="/metadata"
    )
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and message in error["message"], error
    assert (await ws.meta("{ webhooks { id } }"))["webhooks"] == []


async def test_manage_webhooks_with_rest(ws: Client) -> None:
    response = await ws.rest(
        "POST", "/rest/metadata/webhooks", {"targetUrl": "https://hooks.example.com/r", "operations": ["*.created"]}
    )
    assert response.status_code == 201, response.text
    created = response.json()["data"]["createWebhook"]
    assert created["operations"] == ["*.created"] and len(created["secret"]) == 64
    hook_id = created["id"]

    listed = (await ws.rest("GET", "/rest/metadata/webhooks")).json()
    page_info = {"hasNextPage": False, "hasPreviousPage": False,
                 "startCursor": created["id"], "endCursor": created["id"]}
    assert listed == {"data": {"webhooks": [created]}, "pageInfo": page_info, "totalCount": 1}
    one = await ws.rest("GET", f"/rest/metadata/webhooks/{hook_id}")
    assert one.json() == {"data": {"webhook": created}}

    patched = await ws.rest("PATCH", f"/rest/metadata/webhooks/{hook_id}", {"description": "via REST"})
    assert patched.status_code == 200 and patched.json()["data"]["updateWebhook"]["description"] == "via REST"

    removed = await ws.rest("DELETE", f"/rest/metadata/webhooks/{hook_id}")
    assert removed.status_code == 200 and removed.json() == {"data": {"deleteWebhook": {"id": hook_id}}}
    gone = await ws.rest("GET", f"/rest/metadata/webhooks/{hook_id}")
    assert gone.status_code == 404 and gone.json()["messages"] == [f"webhook '{hook_id}' not found"]
    assert (await ws.rest("PATCH", f"/rest/metadata/webhooks/{hook_id}", {"description": "x"})).status_code == 404

    bad = await ws.rest("POST", "/rest/metadata/webhooks", {"targetUrl": "gopher://x"})
    assert bad.status_code == 400 and "http or https" in bad.json()["messages"][0]


async def test_webhooks_belong_to_one_workspace(app: tuple[Any, Any], ws: Client, receiver: Receiver) -> None:
    http, db = app
    other_ws, other_token = await create_workspace(db, f"other-{uuid.uuid4().hex[:8]}")
    other = Client(http, other_token, other_ws["_id"])
    hook = await ws.webhook(receiver.route("/mine"))
    assert (await other.meta("{ webhooks { id } }"))["webhooks"] == []
    assert (await other.meta(f'{{ webhook(id: "{hook["id"]}") {{ id }} }}'))["webhook"] is None
    await create_company(other, "Theirs")
    await create_company(ws, "Mine")
    got = await receiver.quiet("/mine", 1, 0.4)
    assert got[0].json["record"]["name"] == "Mine" and got[0].json["workspaceId"] == ws.workspace_id


# ---- events --------------------------------------------------------------------------------


async def test_every_event_kind_from_graphql(ws: Client, receiver: Receiver) -> None:
    hook = await ws.webhook(receiver.route("/all"))
    company = await create_company(ws, "Acme", employees=10)
    cid = company["id"]
    steps = [
        ("company.created", None),
        ("company.updated", f'mutation {{ updateCompany(id: "{cid}", data: {{employees: 11}}) {{ id }} }}'),
        ("company.deleted", f'mutation {{ deleteCompany(id: "{cid}") {{ id }} }}'),
        ("company.restored", f'mutation {{ restoreCompany(id: "{cid}") {{ id }} }}'),
        ("company.upserted",
         f'mutation {{ createCompany(data: {{id: "{cid}", name: "Acme 2"}}, upsert: true) {{ id }} }}'),
        ("company.destroyed", f'mutation {{ destroyCompany(id: "{cid}") {{ id }} }}'),
    ]
    for n, (event, mutation) in enumerate(steps, start=1):
        if mutation is not None:
            await ws.data(mutation)
        got = await receiver.wait("/all", n)
        assert got[-1].json["eventName"] == event
    await receiver.quiet("/all", len(steps), 0.2)

    bodies = [r.json for r in receiver.at("/all")]
    company_meta = bodies[0]["objectMetadata"]
    assert company_meta["nameSingular"] == "company" and uuid.UUID(company_meta["id"])
    for body in bodies:
        assert list(body)[:6] == ["targetUrl", "eventName", "objectMetadata", "workspaceId", "webhookId", "eventDate"]
        assert body["targetUrl"] == hook["targetUrl"] and body["webhookId"] == hook["id"]
        assert body["workspaceId"] == ws.workspace_id and body["objectMetadata"] == company_meta
        assert ISO_Z.match(body["eventDate"]) and ISO_Z.match(body["record"]["createdAt"])
        assert body["record"]["id"] == cid and "_id" not in body["record"] and "secret" not in body
    created, updated, deleted, restored, upserted, destroyed = bodies
    assert created["record"]["name"] == "Acme" and created["record"]["employees"] == 10
    assert "updatedFields" not in created
    assert updated["record"]["employees"] == 11 and updated["updatedFields"] == ["employees"]
    assert deleted["record"]["deletedAt"] is not None and restored["record"]["deletedAt"] is None
    assert upserted["record"]["name"] == "Acme 2" and upserted["updatedFields"] == ["name"]
    assert destroyed["record"]["name"] == "Acme 2", "a destroyed record is sent as it was"


async def test_batch_mutations_send_one_event_per_record(ws: Client, receiver: Receiver) -> None:
    await ws.webhook(receiver.route("/batch"))
    batch = [{"name": f"Batch {i}", "employees": i} for i in range(3)]
    ids = [c["id"] for c in (await ws.data(
        "mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }", {"d": batch}
    ))["createCompanies"]]
    flt = '{name: {like: "Batch%"}}'
    mutations = [
        f"mutation {{ updateCompanies(filter: {flt}, data: {{employees: 99}}) {{ id }} }}",
        f"mutation {{ deleteCompanies(filter: {flt}) {{ id }} }}",
        f"mutation {{ restoreCompanies(filter: {flt}) {{ id }} }}",
        f"mutation {{ destroyCompanies(filter: {flt}) {{ id }} }}",
    ]
    got = await receiver.wait("/batch", 3)
    for mutation in mutations:
        await ws.data(mutation)
        got = await receiver.wait("/batch", len(got) + 3)
    upsert = [{"id": ids[0], "name": "Batch again"}, {"name": "Batch new"}]
    await ws.data(
        "mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d, upsert: true) { id } }", {"d": upsert}
    )
    got = await receiver.quiet("/batch", 17, 0.3)
    by_event: dict[str, list[str]] = {}
    for r in got:
        by_event.setdefault(r.json["eventName"], []).append(r.json["record"]["id"])
    for action in ("created", "updated", "deleted", "restored", "destroyed"):
        assert sorted(by_event[f"company.{action}"]) == sorted(ids), action
    assert len(by_event["company.upserted"]) == 2 and ids[0] in by_event["company.upserted"]
    updated = [r.json for r in got if r.json["eventName"] == "company.updated"]
    assert all(b["updatedFields"] == ["employees"] and b["record"]["employees"] == 99 for b in updated)


async def test_operations_choose_the_events(ws: Client, receiver: Receiver) -> None:
    routes = {"/created": ["company.created"], "/updated": ["*.updated"], "/person": ["person.*"], "/any": ["*.*"]}
    for path, operations in routes.items():
        hook = await ws.webhook(receiver.route(path), operations)
        assert hook["operations"] == operations
    company = await create_company(ws)
    await ws.data(f'mutation {{ updateCompany(id: "{company["id"]}", data: {{name: "Renamed"}}) {{ id }} }}')
    await ws.data('mutation { createPerson(data: {name: {firstName: "Ada"}}) { id } }')
    await receiver.wait("/any", 3)
    assert sorted(names(await receiver.quiet("/any", 3, 0.2))) == [
        "company.created", "company.updated", "person.created"
    ]
    assert names(receiver.at("/created")) == ["company.created"]
    assert names(receiver.at("/updated")) == ["company.updated"]
    assert names(receiver.at("/person")) == ["person.created"]


async def test_signature_verifies_as_a_receiver_would(ws: Client, receiver: Receiver) -> None:
    given = await ws.webhook(receiver.route("/given"), ["company.created"], secret="whsec-given")
    generated = await ws.webhook(receiver.route("/generated"), ["company.created"])
    await create_company(ws, "Signed")
    (one,) = await receiver.wait("/given", 1)
    (two,) = await receiver.wait("/generated", 1)
    assert given["secret"] == "whsec-given"
    assert verify_as_receiver("whsec-given", one) and verify_as_receiver(generated["secret"], two)
    assert not verify_as_receiver(generated["secret"], one)
    tampered = type(one)(one.path, one.headers, one.body.replace(b"Signed", b"Sig ned"))
    assert not verify_as_receiver("whsec-given", tampered)
    assert one.headers["Content-Type"] == "application/json"
    assert re.fullmatch(r"[0-9a-f]{32}", one.headers["X-Twenty-Webhook-Nonce"])
    assert one.headers["X-Twenty-Webhook-Nonce"] != two.headers["X-Twenty-Webhook-Nonce"]
    assert b": " not in one.body, "compact JSON, like JSON.stringify"


async def test_a_slow_receiver_never_slows_the_api(ws: Client, receiver: Receiver) -> None:
    await ws.webhook(receiver.route("/slow", delay=0.6))
    started = time.monotonic()
    for i in range(3):
        await create_company(ws, f"Quick {i}")
    assert time.monotonic() - started < 0.6, "three writes took longer than one delivery"
    await receiver.wait("/slow", 3)


async def test_deliveries_are_queryable(ws: Client, receiver: Receiver) -> None:
    hook = await ws.webhook(receiver.route("/q"))
    company = await create_company(ws, "Queried")
    (received,) = await receiver.wait("/q", 1)

    async def delivered() -> list[dict[str, Any]]:
        found = await ws.deliveries(webhook_id=hook["id"])
        return found if found and found[0]["status"] == "DELIVERED" else []

    from tests.gateway.test_webhooks_support import eventually

    (delivery,) = await eventually(delivered)
    assert delivery["eventName"] == "company.created" and delivery["recordId"] == company["id"]
    assert delivery["attempts"] == 1 and delivery["lastStatusCode"] == 200 and delivery["lastError"] is None
    assert delivery["nextAttemptAt"] is None and delivery["deliveredAt"] is not None
    assert delivery["payload"] == received.json
    assert received.headers["X-Docgate-Delivery-Id"] == delivery["id"]
    assert [a["statusCode"] for a in delivery["attemptLog"]] == [200]
    one = await ws.meta(f'{{ webhookDelivery(id: "{delivery["id"]}") {{ id status }} }}')
    assert one["webhookDelivery"] == {"id": delivery["id"], "status": "DELIVERED"}
    assert await ws.deliveries(status="DEAD") == []


async def core_rest_mounted(ws: Client) -> bool:
    response = await ws.rest("GET", "/rest/companies", limit=1)
    return response.headers.get("content-type", "").startswith("application/json") and response.status_code == 200


async def test_every_event_kind_from_rest(ws: Client, receiver: Receiver) -> None:
    if not await core_rest_mounted(ws):
        pytest.skip("the Core REST routes are not mounted in this build")
    await ws.webhook(receiver.route("/rest"))
    created = await ws.rest("POST", "/rest/companies", {"name": "Rest Co", "employees": 1})
    assert created.status_code == 201, created.text
    cid = created.json()["data"]["createCompany"]["id"]
    count = 1
    await receiver.wait("/rest", count)

    async def step(method: str, path: str, body: Any = None, expect: int = 1, **params: Any) -> None:
        nonlocal count
        response = await ws.rest(method, path, body, **params)
        assert response.status_code in (200, 201), response.text
        count += expect
        await receiver.wait("/rest", count)

    await step("PATCH", f"/rest/companies/{cid}", {"employees": 2})
    await step("DELETE", f"/rest/companies/{cid}", soft_delete="true")
    await step("PATCH", f"/rest/restore/companies/{cid}")
    await step("POST", "/rest/companies", {"id": cid, "name": "Rest Co 2"}, upsert="true")
    await step("DELETE", f"/rest/companies/{cid}")
    await step("POST", "/rest/batch/companies", [{"name": "Rest A"}, {"name": "Rest B"}], expect=2)
    got = await receiver.quiet("/rest", count, 0.2)
    assert names(got) == [
        "company.created", "company.updated", "company.deleted", "company.restored", "company.upserted",
        "company.destroyed", "company.created", "company.created",
    ]
    assert got[1].json["updatedFields"] == ["employees"] and got[1].json["record"]["employees"] == 2
