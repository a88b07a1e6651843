"""Port of `packages/twenty-server/test/integration/graphql/suites/object-records-permissions/
destroy-many-object-records-permissions.integration-spec.ts` (revision 41d242555963991041c474c5267df7d174c6a972).

Adapted: the guest user of Twenty's seed is an API key holding a Guest role
(`object_records_permissions.guest_token`)."""

from __future__ import annotations

import uuid

from tests.conformance.object_records_permissions import PERSON_GQL_FIELDS, expect_refused, guest_token
from tests.conformance.twenty import (
    create_many_operation_factory,
    destroy_many_operation_factory,
    make_graphql_api_request,
)
from tests.conftest import GatewayUnderTest


async def test_should_throw_a_permission_error_when_user_does_not_have_permission_guest_role(
    gateway: GatewayUnderTest,
) -> None:
    operation = destroy_many_operation_factory("person", "people", PERSON_GQL_FIELDS,
                                               {"id": {"in": [str(uuid.uuid4()), str(uuid.uuid4())]}})
    expect_refused((await make_graphql_api_request(gateway, operation, await guest_token(gateway))).body,
                   "destroyPeople")


async def test_should_destroy_multiple_object_records_when_user_has_permission_admin_role(
    gateway: GatewayUnderTest,
) -> None:
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    await make_graphql_api_request(gateway, create_many_operation_factory(
        "person", "people", "id", [{"id": i} for i in ids]))
    body = (await make_graphql_api_request(gateway, destroy_many_operation_factory(
        "person", "people", PERSON_GQL_FIELDS, {"id": {"in": ids}}))).body
    assert sorted(p["id"] for p in body["data"]["destroyPeople"]) == sorted(ids)
