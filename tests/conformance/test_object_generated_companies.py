"""Port of
`packages/twenty-server/test/integration/graphql/suites/object-generated/companies.integration-spec.ts`
at 29ce763f42ec5ad5020f928e41d8cb886d9c9e70: the spec is not stored at
41d242555963991041c474c5267df7d174c6a972.
The company custom fields `tagline`, `workPolicy` and `visaSponsorship` come from Twenty's dev
seed: the port creates them itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.object_generated import find_many_test
from tests.conformance.twenty_data import seed_dev_custom_fields
from tests.conftest import GatewayUnderTest

FIELDS = """
    name employees position searchVector id createdAt updatedAt deletedAt accountOwnerId tagline
    workPolicy visaSponsorship
"""


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await seed_dev_custom_fields(gateway)
    yield


test_should_find_many_companies = find_many_test("company", "companies", FIELDS, {"name": "Seeded"})
