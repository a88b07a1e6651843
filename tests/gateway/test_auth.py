"""Every API needs a valid key; a key reaches its own workspace only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gateway.apikeys import create_api_key, revoke_api_key
from tests.conftest import GatewayUnderTest

MISSING = "Missing authentication token"
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
    ("headers", "missing"),
    [
        ({}, True),
        ({"Authorization": "Basic abc"}, True),  # no bearer token: missing, as Twenty reads it
        ({"Authorization": "Bearer"}, True),
        ({"Authorization": "Bearer dg_not-a-real-key"}, False),
    ],
)
async def test_missing_or_bad_keys_are_refused_as_twenty_refuses_them(
    gateway: GatewayUnderTest, method: str, path: str, body: object, headers: dict[str, str], missing: bool
) -> None:
    """Twenty's answers (they changed from docgate's earlier 401 for every case): REST answers a
    missing token 403 FORBIDDEN_EXCEPTION and a bad one 401 UNAUTHENTICATED; GraphQL answers 200
    with the error in `errors` (under application/json), and `/graphql` without a token serves
    the schema of no workspace, where record queries do not exist."""
    response = await gateway.client.request(method, path, json=body, headers=headers)
    payload = response.json()
    if path == "/graphql" and missing:
        assert response.status_code == 200
        assert payload["errors"][0]["message"] == 'Cannot query field "people" on type "Query".'
        assert "data" not in payload
    elif path in ("/graphql", "/metadata"):
        assert response.status_code == 200
        code, message = ("FORBIDDEN", MISSING) if missing else ("UNAUTHENTICATED", "Token invalid.")
        assert payload["errors"][0]["extensions"]["code"] == code
        assert payload["errors"][0]["message"] == message
        assert "data" not in payload
    elif missing:
        assert response.status_code == 403
        assert payload == {"statusCode": 403, "error": "FORBIDDEN_EXCEPTION", "messages": [MISSING]}
    else:
        assert response.status_code == 401
        assert payload == {"statusCode": 401, "error": "UNAUTHENTICATED", "messages": ["Token invalid."]}


async def test_auth_failures_are_4xx_under_graphql_response_json(gateway: GatewayUnderTest) -> None:
    """GraphQL over HTTP: a client that asks for application/graphql-response+json gets the status."""
    accept = {"Accept": "application/graphql-response+json", "Authorization": "Bearer dg_not-a-real-key"}
    response = await gateway.client.post("/graphql", json={"query": "{ __typename }"}, headers=accept)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_expired_key_is_401_and_revoked_key_is_403(gateway: GatewayUnderTest) -> None:
    """Twenty: an expired token is 401 'Token has expired.', a revoked key 403 FORBIDDEN_EXCEPTION
    (docgate answered 401 for both before)."""
    doc, token = await create_api_key(gateway.db.control, gateway.workspace_id, "short",
                                      datetime.now(UTC) + timedelta(seconds=1))
    headers = {"Authorization": f"Bearer {token}"}
    assert (await gateway.client.get("/rest/metadata/objects", headers=headers)).status_code == 200
    await gateway.db.control["apiKeys"].update_one({"_id": doc["_id"]},
                                                   {"$set": {"expiresAt": datetime.now(UTC) - timedelta(seconds=1)}})
    gateway.app.state.gateway.auth.forget_all()
    response = await gateway.client.get("/rest/metadata/objects", headers=headers)
    assert response.status_code == 401 and response.json()["messages"] == ["Token has expired."]

    doc, token = await create_api_key(gateway.db.control, gateway.workspace_id, "to-revoke")
    headers = {"Authorization": f"Bearer {token}"}
    assert (await gateway.client.get("/rest/metadata/objects", headers=headers)).status_code == 200
    await revoke_api_key(gateway.db.control, doc["_id"])
    gateway.app.state.gateway.auth.forget_all()
    response = await gateway.client.get("/rest/metadata/objects", headers=headers)
    assert response.status_code == 403
    assert response.json()["error"] == "FORBIDDEN_EXCEPTION" and "revoked" in response.json()["messages"][0]


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
