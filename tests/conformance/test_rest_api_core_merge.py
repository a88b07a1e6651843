"""Port of
`packages/twenty-server/test/integration/rest/suites/rest-api-core-merge.integration-spec.ts`
at 05df4f5e3099ae531ff8e9e0e719e5ab0ae87eff (the spec is not stored at 41d2425).
"""

from __future__ import annotations

import pytest

from tests.conformance.search_factories import TEST_PERSON_IDS
from tests.conformance.twenty import delete_all_records, make_rest_api_request
from tests.conftest import GatewayUnderTest

TEST_PERSON_1_ID, TEST_PERSON_2_ID = TEST_PERSON_IDS[:2]


@pytest.fixture(autouse=True)
async def before_each(gateway: GatewayUnderTest) -> None:
    await delete_all_records(gateway, "person")
    created = await make_rest_api_request(gateway, "post", "/batch/people",
                                          [{"id": TEST_PERSON_1_ID}, {"id": TEST_PERSON_2_ID}])
    assert created.status == 201, created.body


async def test_should_merge_many_people_into_the_priority_record(gateway: GatewayUnderTest) -> None:
    body = {"ids": [TEST_PERSON_1_ID, TEST_PERSON_2_ID], "conflictPriorityIndex": 0, "dryRun": False}
    response = await make_rest_api_request(gateway, "patch", "/people/merge", body)
    assert response.status == 200, response.body
    assert response.body["data"]["mergePerson"]["id"] == TEST_PERSON_1_ID
    assert (await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_1_ID}")).status == 200
    assert (await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_2_ID}")).status == 404


async def test_should_not_delete_records_on_a_dry_run_merge(gateway: GatewayUnderTest) -> None:
    body = {"ids": [TEST_PERSON_1_ID, TEST_PERSON_2_ID], "conflictPriorityIndex": 0, "dryRun": True}
    response = await make_rest_api_request(gateway, "patch", "/people/merge", body)
    assert response.status == 200, response.body
    assert (await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_1_ID}")).status == 200
    assert (await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_2_ID}")).status == 200
