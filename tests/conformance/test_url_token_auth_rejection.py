"""Port of
`packages/twenty-server/test/integration/rest/suites/url-token-auth-rejection.integration-spec.ts`
at ead421a6cf5f45e72a363c3f407a4a1eca7717c6: the spec is not stored at
41d242555963991041c474c5267df7d174c6a972.

Twenty's `APPLE_JANE_ADMIN_ACCESS_TOKEN` (a user session) and `API_KEY_ACCESS_TOKEN` are both
stood in for by the workspace's API key: docgate has no user sessions.
"""

from __future__ import annotations

from tests.conftest import GatewayUnderTest


async def test_rejects_token_query_parameter_on_the_rest_api(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.post(
        f"/rest/people?token={gateway.token}", content=b"{}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 403
    assert response.json()["error"] == "FORBIDDEN_EXCEPTION"
    assert response.json()["messages"][0] == "Missing authentication token"


async def test_rejects_token_query_parameter_on_the_graphql_endpoint(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.post(f"/graphql?token={gateway.token}", json={"query": "{ currentUser { id } }"})
    assert (response.json().get("data") or {}).get("currentUser") is None


async def test_rejects_token_query_parameter_on_the_metadata_endpoint(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.post(f"/metadata?token={gateway.token}", json={"query": "{ currentUser { id } }"})
    assert (response.json().get("data") or {}).get("currentUser") is None


async def test_does_not_honor_token_query_parameter_on_rest_open_api_core(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get(f"/rest/open-api/core?token={gateway.token}")
    assert response.status_code == 200
    assert "/people" not in response.json()["paths"]
