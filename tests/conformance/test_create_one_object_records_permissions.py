"""Port of `packages/twenty-server/test/integration/graphql/suites/object-records-permissions/
create-one-object-records-permissions.integration-spec.ts` (revision 41d242555963991041c474c5267df7d174c6a972).

Adapted: the guest user of Twenty's seed is an API key holding a Guest role
(`object_records_permissions.guest_token`)."""

from __future__ import annotations

import uuid

from tests.conformance.object_records_permissions import PERSON_GQL_FIELDS, expect_refused, guest_token
from tests.conformance.twenty import (
    create_one_operation_factory,
    make_graphql_api_request,
)
from tests.conftest import GatewayUnderTest


async def test_should_throw_a_permission_error_when_user_does_not_have_permission_guest_role(
    gateway: GatewayUnderTest,
) -> None:
    operation = create_one_operation_factory("person", PERSON_GQL_FIELDS, {"id": str(uuid.uuid4())})
    expect_refused((await make_graphql_api_request(gateway, operation, await guest_token(gateway))).body,
                   "createPerson")


async def test_should_create_an_object_record_when_user_has_permission_admin_role(gateway: GatewayUnderTest) -> None:
    person_id = str(uuid.uuid4())
    body = (await make_graphql_api_request(gateway, create_one_operation_factory(
        "person", PERSON_GQL_FIELDS, {"id": person_id}))).body
    assert body["data"]["createPerson"]["id"] == person_id


async def test_should_create_an_object_record_when_executed_by_api_key(gateway: GatewayUnderTest) -> None:
    person_id = str(uuid.uuid4())  # the workspace's key: an Admin key, as Twenty's test API key
    body = (await make_graphql_api_request(gateway, create_one_operation_factory(
        "person", PERSON_GQL_FIELDS, {"id": person_id}))).body
    assert body["data"]["createPerson"]["id"] == person_id
