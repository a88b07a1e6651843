"""Port of
`packages/twenty-server/test/integration/graphql/suites/all-people-resolvers.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.

The person custom field `intro` comes from Twenty's dev seed: the port creates it (and the
other seed fields) itself, through the Metadata API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.lifecycle import Lifecycle, expect_equal, lifecycle_tests
from tests.conformance.twenty import delete_all_records
from tests.conformance.twenty_data import (
    PERSON_GQL_FIELDS,
    TEST_PERSON_1_ID,
    TEST_PERSON_2_ID,
    TEST_PERSON_3_ID,
    generate_record_name,
    seed_dev_custom_fields,
)
from tests.conftest import GatewayUnderTest


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await seed_dev_custom_fields(gateway)
    await delete_all_records(gateway, "person")
    yield


def _created(record: dict[str, Any], ids: list[str]) -> None:
    assert record["jobTitle"] in [generate_record_name(i) for i in ids]


SPEC = Lifecycle(
    singular="person",
    plural="people",
    gql_fields=PERSON_GQL_FIELDS,
    ids=(TEST_PERSON_1_ID, TEST_PERSON_2_ID, TEST_PERSON_3_ID),
    properties=("id", "jobTitle", "avatarUrl", "avatarFile", "intro", "searchVector", "name", "createdAt",
                "deletedAt"),
    create_data=lambda i: {"id": i, "jobTitle": generate_record_name(i)},
    created_check=_created,
    update_many_data={"jobTitle": "Updated City"},
    update_many_check=lambda r: expect_equal(r["jobTitle"], "Updated City"),
    update_one_data={"jobTitle": "New City"},
    update_one_check=lambda r: expect_equal(r["jobTitle"], "New City"),
    find_updated_many_filter={"jobTitle": {"eq": "Updated City"}},
    find_updated_one_filter={"jobTitle": {"eq": "New City"}},
    find_updated_one_check=lambda r: expect_equal(r["jobTitle"], "New City"),
)


globals().update(lifecycle_tests(SPEC))
