"""Port of
`packages/twenty-server/test/integration/graphql/suites/all-notes-resolvers.integration-spec.ts`
at f5e1b4acaaaa1971949d00e8b3a1ff555ee8f71a: the spec is not stored at 41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.lifecycle import Lifecycle, expect_equal, lifecycle_tests
from tests.conformance.twenty_data import generate_record_name

NOTE_1_ID = "777a8457-eb2d-40ac-a707-551b615b6987"
NOTE_2_ID = "777a8457-eb2d-40ac-a707-551b615b6988"
NOTE_3_ID = "777a8457-eb2d-40ac-a707-551b615b6989"
NOTE_GQL_FIELDS = """
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
    reason="std-model: note.body (the field of Twenty before bodyV2) is missing; the spec selects it",
)


def _created(record: dict[str, Any], ids: list[str]) -> None:
    assert record["title"] in [generate_record_name(i) for i in ids]


SPEC = Lifecycle(
    singular="note",
    plural="notes",
    gql_fields=NOTE_GQL_FIELDS,
    ids=(NOTE_1_ID, NOTE_2_ID, NOTE_3_ID),
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
