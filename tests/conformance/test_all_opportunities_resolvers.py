"""Port of
`packages/twenty-server/test/integration/graphql/suites/all-opportunities-resolvers.integration-spec.ts`
at 19162d040136324035f9153f7b50def6908670a0: the spec is not stored at
41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from typing import Any

from tests.conformance.lifecycle import Lifecycle, expect_equal, lifecycle_tests
from tests.conformance.twenty_data import generate_record_name

OPPORTUNITY_1_ID = "777a8457-eb2d-40ac-a707-551b615b6987"
OPPORTUNITY_2_ID = "777a8457-eb2d-40ac-a707-551b615b6988"
OPPORTUNITY_3_ID = "777a8457-eb2d-40ac-a707-551b615b6989"
OPPORTUNITY_GQL_FIELDS = """
    id
    name
    createdAt
    updatedAt
    deletedAt
    searchVector
    stage
    position
"""



def _created(record: dict[str, Any], ids: list[str]) -> None:
    assert record["name"] in [generate_record_name(i) for i in ids]


SPEC = Lifecycle(
    singular="opportunity",
    plural="opportunities",
    gql_fields=OPPORTUNITY_GQL_FIELDS,
    ids=(OPPORTUNITY_1_ID, OPPORTUNITY_2_ID, OPPORTUNITY_3_ID),
    properties=("id", "createdAt", "updatedAt", "deletedAt", "searchVector", "stage", "position"),
    create_data=lambda i: {"id": i, "name": generate_record_name(i)},
    created_check=_created,
    update_many_data={"name": "Updated Name"},
    update_many_check=lambda r: expect_equal(r["name"], "Updated Name"),
    update_one_data={"name": "New Name"},
    update_one_check=lambda r: expect_equal(r["name"], "New Name"),
    find_updated_many_filter={"name": {"eq": "Updated Name"}},
    find_updated_one_filter={"name": {"eq": "New Name"}},
    find_updated_one_check=lambda r: expect_equal(r["name"], "New Name"),
)

globals().update(lifecycle_tests(SPEC))
