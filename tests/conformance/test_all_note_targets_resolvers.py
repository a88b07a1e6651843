"""Port of
`packages/twenty-server/test/integration/graphql/suites/all-note-targets-resolvers.integration-spec.ts`
at 97c44fb060a3b739ce815d40b859820e946cd89a: the spec is not stored at 41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.lifecycle import Lifecycle, expect_equal, lifecycle_tests
from tests.conformance.twenty import (
    create_many_operation_factory,
    destroy_many_operation_factory,
    make_graphql_api_request,
)
from tests.conformance.twenty_data import generate_record_name
from tests.conftest import GatewayUnderTest

NOTE_TARGET_1_ID = "777a8457-eb2d-40ac-a707-551b615b6987"
NOTE_TARGET_2_ID = "777a8457-eb2d-40ac-a707-551b615b6988"
NOTE_TARGET_3_ID = "777a8457-eb2d-40ac-a707-551b615b6989"
PERSON_1_ID = "f875ff46-b881-41ba-973a-b9cd5345e8f0"
PERSON_2_ID = "1fe0f78c-8c59-4ce6-ae02-56571331b252"
NOTE_TARGET_GQL_FIELDS = """
    id
    createdAt
    deletedAt
    noteId
    personId
    companyId
    opportunityId
    person{
      id
    }
"""


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    people = [{"id": i, "name": {"firstName": generate_record_name(i), "lastName": generate_record_name(i)}}
              for i in (PERSON_1_ID, PERSON_2_ID)]
    await make_graphql_api_request(gateway, create_many_operation_factory("person", "people", "id", data=people))
    yield
    people_filter = {"id": {"in": [PERSON_1_ID, PERSON_2_ID]}}
    destroy = destroy_many_operation_factory("person", "people", "id", filter=people_filter)
    await make_graphql_api_request(gateway, destroy)


SPEC = Lifecycle(
    singular="noteTarget",
    plural="noteTargets",
    gql_fields=NOTE_TARGET_GQL_FIELDS,
    ids=(NOTE_TARGET_1_ID, NOTE_TARGET_2_ID, NOTE_TARGET_3_ID),
    properties=("id", "createdAt", "deletedAt", "noteId", "personId", "companyId", "opportunityId", "person"),
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
