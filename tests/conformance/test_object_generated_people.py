"""Port of
`packages/twenty-server/test/integration/graphql/suites/object-generated/people.integration-spec.ts`
at 39bb38bebab2ed03f6555eb0795c06f0bdf2245d: the spec is not stored at
41d242555963991041c474c5267df7d174c6a972.
The person custom fields `intro`, `workPreference` and `performanceRating` come from Twenty's
dev seed: the port creates them itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.object_generated import find_many_test
from tests.conformance.twenty_data import seed_dev_custom_fields
from tests.conftest import GatewayUnderTest

FIELDS = """
    jobTitle city avatarUrl position searchVector id createdAt updatedAt deletedAt companyId intro
    workPreference performanceRating
"""


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await seed_dev_custom_fields(gateway)
    yield


test_should_find_many_people = find_many_test("person", "people", FIELDS, {"jobTitle": "Seeded"})
