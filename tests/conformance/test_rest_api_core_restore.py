"""Port of
`packages/twenty-server/test/integration/rest/suites/rest-api-core-restore.integration-spec.ts`
at ad4d7ca9690d5ba59c423ca6103d787fea3b8c3f: the spec is not stored at
41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.twenty import delete_all_records, make_rest_api_request
from tests.conformance.twenty_data import TEST_PERSON_1_ID
from tests.conftest import GatewayUnderTest

PERSON = {"id": TEST_PERSON_1_ID, "jobTitle": "Selected fields test"}


@pytest.fixture(autouse=True)
async def before_each(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await delete_all_records(gateway, "person")
    assert (await make_rest_api_request(gateway, "post", "/people", PERSON)).status == 201
    deleted = await make_rest_api_request(gateway, "delete", f"/people/{TEST_PERSON_1_ID}?soft_delete=true")
    assert deleted.status == 200
    yield


async def _fetched(gateway: GatewayUnderTest) -> dict[str, object]:
    response = await make_rest_api_request(gateway, "get", f"/people/{TEST_PERSON_1_ID}")
    assert response.status == 200
    person: dict[str, object] = response.body["data"]["person"]
    return person


async def test_should_return_only_selected_fields_when_restoring_one_person(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "patch", f"/people/{TEST_PERSON_1_ID}/restore?fields=id")
    assert response.status == 200
    assert response.body["data"]["restorePerson"] == {"id": TEST_PERSON_1_ID}
    assert PERSON.items() <= (await _fetched(gateway)).items()


async def test_should_return_only_selected_fields_when_restoring_many_people(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(
        gateway, "patch", f"/people/restore?filter=id[eq]:{TEST_PERSON_1_ID}&fields=id"
    )
    assert response.status == 200
    assert response.body["data"]["restorePeople"] == [{"id": TEST_PERSON_1_ID}]
    assert PERSON.items() <= (await _fetched(gateway)).items()
