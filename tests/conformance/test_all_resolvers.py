"""Port of
`packages/twenty-server/test/integration/graphql/suites/all-resolvers.integration-spec.ts`
(the companies resolvers) at 0228e1ed2534a4e07bfcdd70319ff30eb6e91208: the spec is not stored
at 41d242555963991041c474c5267df7d174c6a972.

The company custom fields `tagline`, `workPolicy` and `visaSponsorship` come from Twenty's dev
seed: the port creates them itself, through the Metadata API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.lifecycle import Lifecycle, expect_equal, lifecycle_tests
from tests.conformance.twenty_data import generate_record_name, seed_dev_custom_fields
from tests.conftest import GatewayUnderTest

COMPANY_1_ID = "777a8457-eb2d-40ac-a707-551b615b6987"
COMPANY_2_ID = "777a8457-eb2d-40ac-a707-551b615b6988"
COMPANY_3_ID = "777a8457-eb2d-40ac-a707-551b615b6989"
COMPANY_GQL_FIELDS = """
    id
    name
    employees
    idealCustomerProfile
    position
    createdAt
    updatedAt
    deletedAt
    accountOwnerId
    tagline
    workPolicy
    visaSponsorship
"""


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await seed_dev_custom_fields(gateway)
    yield


def _created(record: dict[str, Any], ids: list[str]) -> None:
    assert record["name"] in [generate_record_name(i) for i in ids]


SPEC = Lifecycle(
    singular="company",
    plural="companies",
    gql_fields=COMPANY_GQL_FIELDS,
    ids=(COMPANY_1_ID, COMPANY_2_ID, COMPANY_3_ID),
    properties=("name", "employees", "idealCustomerProfile", "position", "id", "createdAt", "updatedAt",
                "deletedAt", "accountOwnerId", "tagline", "workPolicy", "visaSponsorship"),
    create_data=lambda i: {"id": i, "name": generate_record_name(i)},
    created_check=_created,
    update_many_data={"employees": 123},
    update_many_check=lambda r: expect_equal(r["employees"], 123),
    update_one_data={"employees": 122},
    update_one_check=lambda r: expect_equal(r["employees"], 122),
    find_updated_many_filter={"employees": {"eq": 123}},
    find_updated_one_filter={"employees": {"eq": 122}},
    find_updated_one_check=lambda r: expect_equal(r["employees"], 122),
)

globals().update(lifecycle_tests(SPEC))
