"""Port of
`packages/twenty-server/test/integration/graphql/suites/object-generated/opportunities.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from tests.conformance.object_generated import find_many_test

FIELDS = """
    name closeDate stage position searchVector id createdAt updatedAt deletedAt pointOfContactId
    companyId
"""


test_should_find_many_opportunities = find_many_test("opportunity", "opportunities", FIELDS, {"name": "Seeded"})
