"""Port of
`packages/twenty-server/test/integration/graphql/suites/all-task-targets-resolvers.integration-spec.ts`
at 2e822ee00618ff481c73071621428b3f9090b398: the spec is not stored at 41d242555963991041c474c5267df7d174c6a972.

The custom object `rocket` (and so `rocketId`) comes from Twenty's dev seed: the port creates it,
with its relation from taskTarget, through the Metadata API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.lifecycle import Lifecycle, expect_equal, lifecycle_tests
from tests.conformance.twenty import (
    create_many_operation_factory,
    destroy_many_operation_factory,
    make_graphql_api_request,
)
from tests.conformance.twenty_data import generate_record_name, seed_rocket
from tests.conftest import GatewayUnderTest

TASK_TARGET_1_ID = "777a8457-eb2d-40ac-a707-551b615b6987"
TASK_TARGET_2_ID = "777a8457-eb2d-40ac-a707-551b615b6988"
TASK_TARGET_3_ID = "777a8457-eb2d-40ac-a707-551b615b6989"
PERSON_1_ID = "777a8457-eb2d-40ac-a707-441b615b6989"
PERSON_2_ID = "777a8457-eb2d-40ac-a707-331b615b6989"
TASK_TARGET_GQL_FIELDS = """
    id
    createdAt
    deletedAt
    rocketId
    personId
    companyId
    opportunityId
    person{
      id
    }
"""


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await seed_rocket(gateway)
    people = [{"id": i, "name": {"firstName": generate_record_name(i), "lastName": generate_record_name(i)}}
              for i in (PERSON_1_ID, PERSON_2_ID)]
    await make_graphql_api_request(gateway, create_many_operation_factory("person", "people", "id", data=people))
    yield
    people_filter = {"id": {"in": [PERSON_1_ID, PERSON_2_ID]}}
    destroy = destroy_many_operation_factory("person", "people", "id", filter=people_filter)
    await make_graphql_api_request(gateway, destroy)


SPEC = Lifecycle(
    singular="taskTarget",
    plural="taskTargets",
    gql_fields=TASK_TARGET_GQL_FIELDS,
    ids=(TASK_TARGET_1_ID, TASK_TARGET_2_ID, TASK_TARGET_3_ID),
    properties=("id", "createdAt", "deletedAt", "rocketId", "personId", "companyId", "opportunityId", "person"),
    create_data=lambda i: {"id": i},
    created_check=lambda record, ids: None,
    update_many_data={"personId": PERSON_1_ID},
    update_many_check=lambda r: expect_equal(r["person"]["id"], PERSON_1_ID),
    update_one_data={"personId": PERSON_2_ID},
    update_one_check=lambda r: expect_equal(r["person"]["id"], PERSON_2_ID),
    find_updated_many_filter={"personId": {"eq": PERSON_1_ID}},
    find_updated_one_filter={"personId": {"eq": PERSON_2_ID}},
    find_updated_one_check=lambda r: expect_equal(r["person"]["id"], PERSON_2_ID),
)

globals().update(lifecycle_tests(SPEC))
