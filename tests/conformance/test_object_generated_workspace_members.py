"""Port of
`packages/twenty-server/test/integration/graphql/suites/object-generated/workspace-members.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from tests.conformance.object_generated import find_many_test

FIELDS = """
    id colorScheme avatarUrl locale timeZone dateFormat timeFormat userEmail userId createdAt
    updatedAt deletedAt
"""


test_should_find_many_workspace_members = find_many_test(
    "workspaceMember", "workspaceMembers", FIELDS, {"userEmail": "seeded@example.com"}
)
