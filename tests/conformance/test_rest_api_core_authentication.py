"""Port of
`packages/twenty-server/test/integration/rest/suites/rest-api-core-authentication.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.

Twenty's `INVALID_ACCESS_TOKEN` and `EXPIRED_ACCESS_TOKEN` are JWTs of its seed workspace;
docgate's API keys are opaque tokens, so the port sends a well-formed token no key has, and
the token of a key of this workspace whose expiry has passed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gateway.apikeys import API_KEYS, create_api_key
from tests.conformance.twenty import make_rest_api_request
from tests.conftest import GatewayUnderTest

INVALID_ACCESS_TOKEN = "dg_" + "x" * 43


async def expired_access_token(gateway: GatewayUnderTest) -> str:
    control = gateway.db.control
    doc, token = await create_api_key(control, gateway.workspace_id, "expired", datetime.now(UTC) + timedelta(days=1))
    past = datetime.now(UTC) - timedelta(days=1)
    await control[API_KEYS].update_one({"_id": doc["_id"]}, {"$set": {"expiresAt": past}})
    return token


async def test_should_return_an_unauthorized_exception_when_no_token_is_provided(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people", bearer="")
    assert response.status == 403
    assert response.body["error"] == "FORBIDDEN_EXCEPTION"
    assert response.body["messages"][0] == "Missing authentication token"


async def test_should_return_an_unauthenticated_when_an_invalid_token_is_provided(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people", bearer=INVALID_ACCESS_TOKEN)
    assert response.status == 401
    assert response.body["error"] == "UNAUTHENTICATED"
    assert response.body["messages"][0] == "Token invalid."


async def test_should_return_an_unauthenticated_when_a_malformed_token_is_provided(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people", bearer="invalid-token")
    assert response.status == 401
    assert response.body["error"] == "UNAUTHENTICATED"
    assert response.body["messages"][0] == "Token invalid."


async def test_should_return_an_unauthenticated_when_an_expired_token_is_provided(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "post", "/people", bearer=await expired_access_token(gateway))
    assert response.status == 401
    assert response.body["error"] == "UNAUTHENTICATED"
    assert response.body["messages"][0] == "Token has expired."
