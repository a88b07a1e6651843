"""Port of `packages/twenty-server/test/integration/graphql/suites/settings-permissions/
api-key-webhooks.integration-spec.ts` (revision 41d242555963991041c474c5267df7d174c6a972).

Adapted: Twenty's member user is an API key of the Member role; the mutation is sent to
`/metadata`, where docgate serves it (the spec's revision posts it to `/graphql`, whose
schema held the metadata mutations then)."""

from __future__ import annotations

from tests.conformance.permission_checks import PERMISSION_DENIED
from tests.conformance.role_factories import member_token
from tests.conformance.twenty import Operation, make_metadata_api_request
from tests.conftest import GatewayUnderTest


async def test_generate_api_key_token_should_throw_a_permission_error_when_user_does_not_have_permission_member_role(
    gateway: GatewayUnderTest,
) -> None:
    operation = Operation(
        'mutation generateApiKeyToken { generateApiKeyToken(apiKeyId: "test-api-key-id", '
        'expiresAt: "2025-01-01T00:00:00Z") { token } }', {})
    response = await make_metadata_api_request(gateway, operation, await member_token(gateway))
    assert response.status == 200
    assert response.body["data"] is None
    assert response.body["errors"][0]["message"] == PERMISSION_DENIED
    assert response.body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
