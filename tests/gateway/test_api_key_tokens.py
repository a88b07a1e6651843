"""API key tokens as Twenty's: signed JWTs (`type: API_KEY`, `sub`, `jti`, `exp`), verified
against the stored key on every request; keys of earlier releases keep working as Admin keys."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import jwt

from gateway.apikey_tokens import signing_secret, workspace_key
from gateway.apikeys import API_KEYS, hash_token
from gateway.migrations.standard_roles import ensure_all_standard_roles
from tests.conformance.role_factories import api_key_with_role, create_api_key, find_one_role_by_label
from tests.conftest import GatewayUnderTest

PEOPLE = "{ people { totalCount } }"


async def status(gateway: GatewayUnderTest, token: str) -> tuple[int, Any]:
    response = await gateway.client.get("/rest/people", headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.json()


async def test_a_token_is_a_jwt_shaped_as_twentys(gateway: GatewayUnderTest) -> None:
    data, _ = await create_api_key(gateway, {"name": "decoded", "expiresAt": "2031-05-01T00:00:00Z"}, "id token")
    token = data["createApiKey"]["token"]
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert header["alg"] == "HS256" and header["typ"] == "JWT"
    assert claims["type"] == "API_KEY" and claims["sub"] == claims["workspaceId"] == gateway.workspace_id
    assert claims["jti"] == data["createApiKey"]["id"]
    assert claims["exp"] == int(dt.datetime(2031, 5, 1, tzinfo=dt.UTC).timestamp())
    assert (await status(gateway, token))[0] == 200
    stored = await gateway.db.control[API_KEYS].find_one({"_id": claims["jti"]})
    assert stored["tokenHash"] == hash_token(token) and token not in str(stored)  # only its hash is kept


async def test_tampered_forged_and_foreign_tokens_are_refused(gateway: GatewayUnderTest) -> None:
    data, _ = await create_api_key(gateway, {"name": "victim"}, "id token")
    token = data["createApiKey"]["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    secret = await signing_secret(gateway.db.control)
    other_workspace, _ = await gateway.new_workspace(f"other-{uuid.uuid4().hex[:6]}")
    forged = [
        jwt.encode({**claims, "exp": claims["exp"] + 1}, "wrong secret at least 32 bytes long!!", algorithm="HS256"),
        token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),  # its signature tampered with
        # signed right, but for another workspace than the key's
        jwt.encode({**claims, "sub": other_workspace, "workspaceId": other_workspace},
                   workspace_key(secret, other_workspace), algorithm="HS256"),
        # signed right, but for no key
        jwt.encode({**claims, "jti": str(uuid.uuid4())}, workspace_key(secret, gateway.workspace_id),
                   algorithm="HS256"),
        jwt.encode({**claims, "type": "ACCESS"}, workspace_key(secret, gateway.workspace_id), algorithm="HS256"),
        "eyJhbGciOiJub25lIn0." + token.split(".")[1] + ".",  # alg none
        "not a token at all",
    ]
    for bad in forged:
        code, body = await status(gateway, bad)
        assert code == 401, (bad, body)


async def test_revoked_expired_and_replaced_tokens_stop_at_once(gateway: GatewayUnderTest) -> None:
    data, _ = await create_api_key(gateway, {"name": "short lived"}, "id token")
    key_id, token = data["createApiKey"]["id"], data["createApiKey"]["token"]
    assert (await status(gateway, token))[0] == 200  # now cached as verified on this replica
    replaced = await gateway.metadata(
        "mutation($id: UUID!) { generateApiKeyToken(apiKeyId: $id, expiresAt: \"2090-01-01T00:00:00Z\") { token } }",
        {"id": key_id})
    fresh = replaced["data"]["generateApiKeyToken"]["token"]
    code, body = await status(gateway, token)
    assert code == 401 and "newer token" in body["messages"][0]
    assert (await status(gateway, fresh))[0] == 200
    await gateway.metadata("mutation($id: UUID!) { revokeApiKey(input: {id: $id}) { id } }", {"id": key_id})
    code, body = await status(gateway, fresh)  # the cache does not delay a revocation here
    assert code == 403 and body["messages"] == ["This API Key is revoked"]  # Twenty: 403 FORBIDDEN_EXCEPTION
    # a token whose `exp` has passed is refused by its signature's checks, before any look-up
    secret = await signing_secret(gateway.db.control)
    claims = {**jwt.decode(fresh, options={"verify_signature": False}), "exp": 1_000_000_000}
    expired = jwt.encode(claims, workspace_key(secret, gateway.workspace_id), algorithm="HS256")
    code, body = await status(gateway, expired)
    assert code == 401 and body["messages"] == ["Token has expired."]


async def test_keys_of_an_earlier_release_keep_working_and_become_admin_keys(gateway: GatewayUnderTest) -> None:
    legacy = "dg_" + uuid.uuid4().hex
    key_id = str(uuid.uuid4())
    stamp = dt.datetime.now(dt.UTC)
    await gateway.db.control[API_KEYS].insert_one({
        "_id": key_id, "workspaceId": gateway.workspace_id, "name": "old", "tokenHash": hash_token(legacy),
        "expiresAt": None, "revokedAt": None, "createdAt": stamp, "updatedAt": stamp})
    assert (await status(gateway, legacy))[0] == 200  # no role yet: an Admin key
    created = await gateway.metadata("mutation { createOneObject(input: {object: {nameSingular: \"relic\", "
                                     "namePlural: \"relics\", labelSingular: \"Relic\", labelPlural: \"Relics\"}}) "
                                     "{ id } }")
    assert "errors" not in created
    await ensure_all_standard_roles(gateway.db)  # the start-up migration
    admin = await find_one_role_by_label(gateway, "Admin")
    assert (await gateway.db.control[API_KEYS].find_one({"_id": key_id}))["roleId"] == admin["id"]
    listed = await gateway.metadata("{ apiKeys { id role { label } } }")
    assert {"id": key_id, "role": {"label": "Admin"}} in listed["data"]["apiKeys"]
    response = await gateway.client.post("/metadata", json={"query": "{ getRoles { label } }"},
                                         headers={"Authorization": f"Bearer {legacy}"})
    assert "errors" not in response.json()


async def test_a_keys_role_changes_what_it_may_do_at_once(gateway: GatewayUnderTest) -> None:
    member = await find_one_role_by_label(gateway, "Member")
    token = await api_key_with_role(gateway, member["id"], "promoted")
    key_id = jwt.decode(token, options={"verify_signature": False})["jti"]
    query = {"query": "{ getRoles { label } }"}
    headers = {"Authorization": f"Bearer {token}"}
    assert (await gateway.client.post("/metadata", json=query, headers=headers)).json()["errors"]
    admin = await find_one_role_by_label(gateway, "Admin")
    assigned = await gateway.metadata("mutation($k: UUID!, $r: UUID!) { assignRoleToApiKey(apiKeyId: $k, roleId: $r) }",
                                      {"k": key_id, "r": admin["id"]})
    assert assigned["data"]["assignRoleToApiKey"] is True
    assert "errors" not in (await gateway.client.post("/metadata", json=query, headers=headers)).json()
