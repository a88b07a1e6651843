"""Port of
`packages/twenty-server/test/integration/rest/suites/rest-api-core-field-projection.integration-spec.ts`
at a154815b98d236a0b0c358dd027d0a743aa81500: the spec is not stored at
41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.twenty import delete_all_records, make_rest_api_request
from tests.conformance.twenty_data import TEST_PERSON_1_ID
from tests.conftest import GatewayUnderTest


@pytest.fixture(autouse=True)
async def before_each(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await delete_all_records(gateway, "person")
    yield


@pytest.mark.parametrize("batch", [False, True])
async def test_projects_create_and_restore_responses_while_preserving_stored_fields(
    gateway: GatewayUnderTest, batch: bool
) -> None:
    person = {"id": TEST_PERSON_1_ID, "jobTitle": "Projection test"}
    created = await make_rest_api_request(
        gateway, "post", f"{'/batch/people' if batch else '/people'}?fields=id", [person] if batch else person
    )
    assert created.status == 201
    created_records = created.body["data"]["createPeople"] if batch else [created.body["data"]["createPerson"]]
    assert created_records == [{"id": TEST_PERSON_1_ID}]

    deleted = await make_rest_api_request(gateway, "delete", f"/people/{TEST_PERSON_1_ID}?soft_delete=true")
    assert deleted.status == 200

    restore_path = (
        f"/people/restore?filter=id[eq]:{TEST_PERSON_1_ID}&fields=id" if batch
        else f"/people/{TEST_PERSON_1_ID}/restore?fields=id"
    )
    restored = await make_rest_api_request(gateway, "patch", restore_path)
    assert restored.status == 200
    restored_records = restored.body["data"]["restorePeople"] if batch else [restored.body["data"]["restorePerson"]]
    assert restored_records == [{"id": TEST_PERSON_1_ID}]

    fetched = await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_1_ID}")
    assert fetched.status == 200
    assert person.items() <= fetched.body["data"]["person"].items()
