"""Every API needs a valid key; a key reaches its own workspace only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gateway.apikeys import create_api_key, revoke_api_key
from tests.conftest import GatewayUnderTest

ENDPOINTS = [
    ("POST", "/graphql", {"query": "{ people { totalCount } }"}),
    ("POST", "/metadata", {"query": "{ currentWorkspace { id } }"}),
    ("GET", "/rest/metadata/objects", None),
    ("GET", "/rest/people", None),
]


async def call(gateway: GatewayUnderTest, method: str, path: str, body: object, headers: dict[str, str]) -> object:
    return await gateway.client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Missing authentication token"),
        ({"Authorization": "Basic abc"}, "Token invalid"),
        ({"Authorization": "Bearer"}, "Token invalid"),
        ({"Authorization": "Bearer dg_not-a-real-key"}, "Token invalid"),
    ],
)
async def test_missing_or_bad_keys_are_401(gateway: GatewayUnderTest, method: str, path: str, body: object,
                                           headers: dict[str, str], message: str) -> None:
    response = await gateway.client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401
    payload = response.json()
    if path in ("/graphql", "/metadata"):
        assert payload["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert message in payload["errors"][0]["message"]
    else:
        assert payload["statusCode"] == 401 and payload["error"] == "UNAUTHENTICATED"
        assert message in payload["messages"][0]


async def test_expired_and_revoked_keys_are_401(gateway: GatewayUnderTest) -> None:
    doc, token = await create_api_key(gateway.db.control, gateway.workspace_id, "short",
                                      datetime.now(UTC) + timedelta(seconds=1))
    headers = {"Authorization": f"Bearer {token}"}
    assert (await gateway.client.get("/rest/metadata/objects", headers=headers)).status_code == 200
    await gateway.db.control["apiKeys"].update_one({"_id": doc["_id"]},
                                                   {"$set": {"expiresAt": datetime.now(UTC) - timedelta(seconds=1)}})
    gateway.app.state.gateway.auth.forget_all()
    response = await gateway.client.get("/rest/metadata/objects", headers=headers)
    assert response.status_code == 401 and "expired" in response.json()["messages"][0]

    doc, token = await create_api_key(gateway.db.control, gateway.workspace_id, "to-revoke")
    headers = {"Authorization": f"Bearer {token}"}
    assert (await gateway.client.get("/rest/metadata/objects", headers=headers)).status_code == 200
    await revoke_api_key(gateway.db.control, doc["_id"])
    gateway.app.state.gateway.auth.forget_all()
    response = await gateway.client.get("/rest/metadata/objects", headers=headers)
    assert response.status_code == 401 and "revoked" in response.json()["messages"][0]


async def test_a_key_never_reaches_another_workspace(gateway: GatewayUnderTest) -> None:
    _, other = await gateway.new_workspace("isolation")
    created = await gateway.graphql('mutation { createPerson(data: {jobTitle: "secret"}) { id } }')
    person_id = created["data"]["createPerson"]["id"]
    body = await gateway.graphql('{ people(filter: {jobTitle: {eq: "secret"}}) { totalCount } }', token=other)
    assert body["data"]["people"]["totalCount"] == 0
    body = await gateway.graphql("mutation($id: UUID!) { destroyPerson(id: $id) { id } }", {"id": person_id},
                                 token=other)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    mine = await gateway.graphql('{ people(filter: {jobTitle: {eq: "secret"}}) { totalCount } }')
    assert mine["data"]["people"]["totalCount"] == 1


async def test_health_endpoints_need_no_key(gateway: GatewayUnderTest) -> None:
    assert (await gateway.client.get("/healthz")).json() == {"status": "ok"}
    ready = await gateway.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "reachable"
    assert ready.headers["x-request-id"]
