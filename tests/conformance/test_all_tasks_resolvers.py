"""Port of
`packages/twenty-server/test/integration/graphql/suites/all-tasks-resolvers.integration-spec.ts`
at f091618cfa9e10ccd0dc24968d5b44f57f5725e6: the spec is not stored at 41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.lifecycle import Lifecycle, expect_equal, lifecycle_tests
from tests.conformance.twenty_data import generate_record_name

TASK_1_ID = "777a8457-eb2d-40ac-a707-551b615b6987"
TASK_2_ID = "777a8457-eb2d-40ac-a707-551b615b6988"
TASK_3_ID = "777a8457-eb2d-40ac-a707-551b615b6989"
TASK_GQL_FIELDS = """
    id
    title
    createdAt
    updatedAt
    deletedAt
    body
    position
"""

pytestmark = pytest.mark.xfail(
    strict=True,
    reason="std-model: task.body (the field of Twenty before bodyV2) is missing; the spec selects it",
)


def _created(record: dict[str, Any], ids: list[str]) -> None:
    assert record["title"] in [generate_record_name(i) for i in ids]


SPEC = Lifecycle(
    singular="task",
    plural="tasks",
    gql_fields=TASK_GQL_FIELDS,
    ids=(TASK_1_ID, TASK_2_ID, TASK_3_ID),
    properties=("id", "createdAt", "updatedAt", "deletedAt", "body", "position"),
    create_data=lambda i: {"id": i, "title": generate_record_name(i)},
    created_check=_created,
    update_many_data={"title": "Updated Title"},
    update_many_check=lambda r: expect_equal(r["title"], "Updated Title"),
    update_one_data={"title": "New Title"},
    update_one_check=lambda r: expect_equal(r["title"], "New Title"),
    find_updated_many_filter={"title": {"eq": "Updated Title"}},
    find_updated_one_filter={"title": {"eq": "New Title"}},
    find_updated_one_check=lambda r: expect_equal(r["title"], "New Title"),
)

globals().update(lifecycle_tests(SPEC))
