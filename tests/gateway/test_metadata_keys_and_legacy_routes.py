"""Twenty's API-key flow (createApiKey, generateApiKeyToken, updateApiKey with `String`
dates) and its legacy REST routes for API keys and webhooks, through the real app."""

from __future__ import annotations

import uuid
from typing import Any

from tests.gateway.test_metadata_graphql import fails, ok

# A Twenty client's documents, variables typed as Twenty types them.
CREATE = """mutation CreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) {
  id name expiresAt revokedAt } }"""
TOKEN = """mutation GenerateApiKeyToken($apiKeyId: UUID!, $expiresAt: String!) {
  generateApiKeyToken(apiKeyId: $apiKeyId, expiresAt: $expiresAt) { token } }"""
UPDATE = """mutation UpdateApiKey($input: UpdateApiKeyInput!) { updateApiKey(input: $input) {
  id name expiresAt revokedAt } }"""
WHO = "{ currentWorkspace { id } }"


async def _status(gateway: Any, token: str) -> int:
    """What a token is answered, as an HTTP status: under JSON GraphQL answers a refused token
    200 with its error (as Twenty), so the error's code says it."""
    response = await gateway.client.post("/metadata", json={"query": WHO}, headers={"Authorization": f"Bearer {token}"})
    errors = response.json().get("errors") if response.status_code == 200 else None
    if not errors:
        return int(response.status_code)
    return {"UNAUTHENTICATED": 401, "FORBIDDEN": 403}.get(errors[0]["extensions"]["code"], 400)


async def test_a_twenty_client_creates_a_key_then_generates_its_token(gateway: Any) -> None:
    roles = (await ok(gateway, "{ getApiKeyRoles { id label } }"))["getApiKeyRoles"]
    member = next(r["id"] for r in roles if r["label"] == "Member")
    key = (await ok(gateway, CREATE, {"input": {"name": "zapier", "expiresAt": "2099-12-31T00:00:00.000Z",
                                                "roleId": member}}))["createApiKey"]
    assert key["expiresAt"] == "2099-12-31T00:00:00.000Z" and key["revokedAt"] is None
    token = (await ok(gateway, TOKEN, {"apiKeyId": key["id"], "expiresAt": "2098-01-01T00:00:00Z"}))
    first = token["generateApiKeyToken"]["token"]
    assert await _status(gateway, first) == 200
    listed = (await ok(gateway, "{ apiKeys { id expiresAt } }"))["apiKeys"]
    assert {"id": key["id"], "expiresAt": "2098-01-01T00:00:00.000Z"} in listed
    # docgate keeps one token per key: a new one replaces it.
    second = (await ok(gateway, TOKEN, {"apiKeyId": key["id"], "expiresAt": "2098-01-01T00:00:00Z"}))
    assert await _status(gateway, second["generateApiKeyToken"]["token"]) == 200
    assert await _status(gateway, first) == 401

    code, message = await fails(gateway, TOKEN, {"apiKeyId": key["id"], "expiresAt": "2001-01-01T00:00:00Z"})
    assert code == "BAD_USER_INPUT" and "expiresAt must be in the future" in message
    code, message = await fails(gateway, TOKEN, {"apiKeyId": key["id"], "expiresAt": "tomorrow"})
    assert code == "BAD_USER_INPUT" and "expiresAt must be an ISO date" in message
    code, _ = await fails(gateway, TOKEN, {"apiKeyId": str(uuid.uuid4()), "expiresAt": "2098-01-01T00:00:00Z"})
    assert code == "NOT_FOUND"


async def test_update_api_key_renames_and_revokes(gateway: Any) -> None:
    created = await ok(gateway, "mutation { createApiKey(input: {name: \"ci\"}) { id token } }")
    key = created["createApiKey"]
    renamed = (await ok(gateway, UPDATE, {"input": {"id": key["id"], "name": "  build  "}}))["updateApiKey"]
    assert renamed["name"] == "build" and renamed["revokedAt"] is None
    assert await _status(gateway, key["token"]) == 200
    revoked = (await ok(gateway, UPDATE, {"input": {"id": key["id"], "revokedAt": "2024-01-01T00:00:00Z"}}))
    assert revoked["updateApiKey"]["revokedAt"] == "2024-01-01T00:00:00.000Z"
    assert await _status(gateway, key["token"]) == 403  # at once, on this replica too (Twenty's 403)
    code, _ = await fails(gateway, UPDATE, {"input": {"id": key["id"], "name": " "}})
    assert code == "BAD_USER_INPUT"
    assert (await ok(gateway, UPDATE, {"input": {"id": str(uuid.uuid4()), "name": "x"}}))["updateApiKey"] is None
    code, _ = await fails(gateway, TOKEN, {"apiKeyId": key["id"], "expiresAt": "2098-01-01T00:00:00Z"})
    assert code == "BAD_USER_INPUT"  # a revoked key gets no new token


async def test_legacy_routes_answer_bare_values_and_point_to_their_successor(gateway: Any) -> None:
    hook = {"targetUrl": "https://hooks.example.com/in", "operations": ["*.*"]}
    created = await gateway.client.post("/rest/webhooks", json=hook, headers=gateway.headers)
    assert created.status_code == 201 and created.json()["targetUrl"] == hook["targetUrl"]
    assert created.headers["Deprecation"] == "@1786320000"
    assert created.headers["Link"] == '</rest/metadata/webhooks>; rel="successor-version"'
    webhook_id = created.json()["id"]

    listed = await gateway.client.get("/rest/webhooks", headers=gateway.headers)
    assert listed.status_code == 200 and webhook_id in {w["id"] for w in listed.json()}
    one = await gateway.client.get(f"/rest/webhooks/{webhook_id}", headers=gateway.headers)
    assert one.json()["id"] == webhook_id
    assert one.headers["Link"] == f'</rest/metadata/webhooks/{webhook_id}>; rel="successor-version"'
    keys = await gateway.client.get("/rest/apiKeys", headers=gateway.headers)
    assert keys.status_code == 200 and isinstance(keys.json(), list) and keys.json()
    assert all("tokenHash" not in k and k.get("token") is None for k in keys.json())

    # Their errors are the REST errors of their successors.
    missing = await gateway.client.get(f"/rest/webhooks/{uuid.uuid4()}", headers=gateway.headers)
    assert missing.status_code == 404 and missing.json()["statusCode"] == 404
    anonymous = await gateway.client.get("/rest/webhooks")
    assert anonymous.status_code == 403  # no token: Twenty's FORBIDDEN_EXCEPTION "Missing authentication token"
    metadata = await gateway.client.get("/rest/metadata/webhooks", headers=gateway.headers)
    assert metadata.json()["data"]["webhooks"] and "Deprecation" not in metadata.headers
    assert {w["applicationId"] for w in metadata.json()["data"]["webhooks"]} == {created.json()["applicationId"]}


async def test_an_object_named_webhooks_keeps_its_core_route(gateway: Any) -> None:
    body = {"nameSingular": "webhook", "namePlural": "webhooks", "labelSingular": "Webhook",
            "labelPlural": "Webhooks"}
    made = await gateway.client.post("/rest/metadata/objects", json=body, headers=gateway.headers)
    assert made.status_code == 201, made.text
    listed = await gateway.client.get("/rest/webhooks", headers=gateway.headers)
    assert listed.status_code == 200 and listed.json()["data"] == {"webhooks": []}
    assert "Deprecation" not in listed.headers


async def test_rest_cursors_of_fields_are_their_ids(gateway: Any) -> None:
    first = await gateway.client.get("/rest/metadata/fields", params={"limit": 3}, headers=gateway.headers)
    page = first.json()
    ids = [f["id"] for f in page["data"]["fields"]]
    assert page["pageInfo"]["startCursor"] == ids[0] and page["pageInfo"]["endCursor"] == ids[-1]
    after = await gateway.client.get("/rest/metadata/fields", headers=gateway.headers,
                                     params={"limit": 3, "starting_after": ids[-1]})
    following = [f["id"] for f in after.json()["data"]["fields"]]
    assert following and not set(following) & set(ids) and min(following) > ids[-1]
    back = await gateway.client.get("/rest/metadata/fields", headers=gateway.headers,
                                    params={"limit": 3, "ending_before": following[0]})
    assert [f["id"] for f in back.json()["data"]["fields"]] == ids
    for bad in ("not-a-uuid", "eyJpZCI6IngifQ=="):
        refused = await gateway.client.get("/rest/metadata/fields", headers=gateway.headers,
                                           params={"starting_after": bad})
        assert refused.status_code == 400 and refused.json()["statusCode"] == 400
    unknown = await gateway.client.patch(f"/rest/metadata/fields/{uuid.uuid4()}", json={"label": "X"},
                                         headers=gateway.headers)
    assert unknown.status_code == 400 and "field metadata to update not found" in unknown.json()["messages"][0]
