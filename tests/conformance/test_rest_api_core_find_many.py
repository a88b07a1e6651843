"""Port of
`packages/twenty-server/test/integration/rest/suites/rest-api-core-find-many.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.twenty import delete_all_records, make_rest_api_request
from tests.conformance.twenty_data import (
    TEST_COMPANY_1_ID,
    TEST_PERSON_1_ID,
    TEST_PERSON_2_ID,
    TEST_PERSON_3_ID,
    TEST_PERSON_4_ID,
    TEST_PRIMARY_LINK_URL,
    TEST_PRIMARY_LINK_URL_WITHOUT_TRAILING_SLASH,
    generate_record_name,
)
from tests.conftest import GatewayUnderTest

TEST_PERSON_IDS = [TEST_PERSON_1_ID, TEST_PERSON_2_ID, TEST_PERSON_3_ID, TEST_PERSON_4_ID]
TEST_PERSON_JOB_TITLES = {i: generate_record_name(i) for i in TEST_PERSON_IDS}


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await delete_all_records(gateway, "person")
    company = {"id": TEST_COMPANY_1_ID, "domainName": {"primaryLinkUrl": TEST_PRIMARY_LINK_URL}}
    await make_rest_api_request(gateway, "post", "/companies", company)
    for index, person_id in enumerate(TEST_PERSON_IDS):
        body = {"id": person_id, "jobTitle": TEST_PERSON_JOB_TITLES[person_id], "position": index,
                "companyId": TEST_COMPANY_1_ID}
        await make_rest_api_request(gateway, "post", "/people", body)
    yield


async def test_should_retrieve_all_people_with_pagination_metadata(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people")
    assert response.status == 200
    people = response.body["data"]["people"]
    assert isinstance(people, list)
    assert len(people) >= len(TEST_PERSON_IDS)
    for person_id in TEST_PERSON_IDS:
        person = next(p for p in people if p["id"] == person_id)
        assert person["jobTitle"] == TEST_PERSON_JOB_TITLES[person_id]
    page_info = response.body["pageInfo"]
    assert "startCursor" in page_info and "endCursor" in page_info
    assert response.body["totalCount"] == len(TEST_PERSON_IDS)
    assert page_info["hasNextPage"] is False
    assert page_info["hasPreviousPage"] is False


async def test_should_limit_results_based_on_the_limit_parameter(gateway: GatewayUnderTest) -> None:
    limit = len(TEST_PERSON_IDS) - 1
    response = await make_rest_api_request(gateway, "get", f"/people?limit={limit}")
    assert response.status == 200
    assert len(response.body["data"]["people"]) == limit
    assert response.body["totalCount"] == len(TEST_PERSON_IDS)
    assert response.body["pageInfo"]["hasNextPage"] is True


async def test_should_return_filtered_total_count(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people?filter=position[lte]:1")
    assert response.status == 200
    assert len(response.body["data"]["people"]) == 2
    assert response.body["totalCount"] == 2
    assert response.body["pageInfo"]["hasNextPage"] is False


async def test_should_filter_results_based_on_filter_parameters(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people?filter=position[lt]:2")
    assert response.status == 200
    assert len(response.body["data"]["people"]) == 2


async def test_should_support_cursor_based_pagination_with_starting_after(gateway: GatewayUnderTest) -> None:
    initial = await make_rest_api_request(gateway, "get", "/people?limit=2")
    assert initial.status == 200
    people = initial.body["data"]["people"]
    start_cursor = initial.body["pageInfo"]["startCursor"]
    assert len(people) == 2 and start_cursor
    next_page = await make_rest_api_request(gateway, "get", f"/people?starting_after={start_cursor}&limit=1")
    assert next_page.status == 200
    next_people = next_page.body["data"]["people"]
    assert len(next_people) == 1
    assert next_people[0]["id"] == people[1]["id"]
    assert next_page.body["pageInfo"]["hasPreviousPage"] is True


async def test_should_support_cursor_based_pagination_with_ending_before(gateway: GatewayUnderTest) -> None:
    initial = await make_rest_api_request(gateway, "get", "/people?limit=4")
    assert initial.status == 200
    people = initial.body["data"]["people"]
    end_cursor = initial.body["pageInfo"]["endCursor"]
    assert len(people) == 4 and end_cursor
    previous = await make_rest_api_request(gateway, "get", f"/people?ending_before={end_cursor}&limit=2")
    assert previous.status == 200
    previous_people = previous.body["data"]["people"]
    assert len(previous_people) == 2
    assert previous_people[0]["id"] == people[1]["id"]
    assert previous_people[1]["id"] == people[2]["id"]
    assert previous.body["pageInfo"]["hasNextPage"] is True


async def test_should_support_ordering_asc_of_results(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people?order_by=position[AscNullsLast]")
    assert response.status == 200
    people = response.body["data"]["people"]
    assert people == sorted(people, key=lambda p: p["position"])


async def test_should_support_filtering_on_a_relation_field_id(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", f'/people?filter=companyId[in]:["{TEST_COMPANY_1_ID}"]')
    assert response.status == 200
    assert len(response.body["data"]["people"]) > 0


async def test_should_support_ordering_desc_of_results(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people?order_by=position[DescNullsLast]")
    assert response.status == 200
    people = response.body["data"]["people"]
    assert people == sorted(people, key=lambda p: -p["position"])


async def test_should_support_pagination_with_ordering(gateway: GatewayUnderTest) -> None:
    first = await make_rest_api_request(gateway, "get", "/people?order_by=position[DescNullsLast]&limit=2")
    assert first.status == 200
    people = first.body["data"]["people"]
    ending_before = first.body["pageInfo"]["endCursor"]
    last_position = people[-1]["position"]
    assert first.body["pageInfo"]["hasNextPage"] is True
    assert len(people) == 2
    assert last_position == 2
    second = await make_rest_api_request(
        gateway, "get", f"/people?order_by=position[DescNullsLast]&limit=2&starting_after={ending_before}"
    )
    assert second.status == 200
    assert len(second.body["data"]["people"]) == 2
    assert second.body["data"]["people"][0]["position"] == last_position - 1


async def test_should_handle_invalid_cursor_gracefully(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people?starting_after=invalid-cursor")
    assert response.body["error"] == "BadRequestException"
    assert "Invalid cursor" in response.body["messages"][0]


async def test_should_combine_filtering_ordering_and_pagination(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(
        gateway, "get", "/people?filter=position[gt]:0&order_by=jobTitle[AscNullsFirst]&limit=2"
    )
    assert response.status == 200
    people = response.body["data"]["people"]
    assert len(people) <= 2
    assert "pageInfo" in response.body
    assert people == sorted(people, key=lambda p: p["jobTitle"])


async def test_should_throw_an_error_when_trying_to_order_by_a_composite_field(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people?order_by=name[AscNullsLast]")
    assert response.status == 400


async def test_should_support_depth_0_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people?depth=0")
    assert response.status == 200
    person = response.body["data"]["people"][0]
    assert "companyId" in person
    assert "company" not in person


async def test_should_support_depth_1_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people?depth=1")
    assert response.status == 200
    person = response.body["data"]["people"][0]
    assert person["company"]["domainName"]["primaryLinkUrl"] == TEST_PRIMARY_LINK_URL_WITHOUT_TRAILING_SLASH
    assert "people" not in person["company"]


async def test_should_not_support_depth_2_parameter(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", "/people?depth=2")
    assert response.status == 400


async def _page_through(gateway: GatewayUnderTest, path: str, key: str) -> list[str]:
    ids: list[str] = []
    starting_after: str | None = None
    for _ in range(10):
        suffix = f"&starting_after={starting_after}" if starting_after else ""
        response = await make_rest_api_request(gateway, "get", path + suffix)
        assert response.status == 200, response.body
        ids += [record["id"] for record in response.body["data"][key]]
        if not response.body["pageInfo"]["hasNextPage"]:
            break
        starting_after = response.body["pageInfo"]["endCursor"]
    return ids


async def test_cursor_pagination_ordered_by_a_relation_field_should_continue_past_the_first_page_when_depth_loads_it(
    gateway: GatewayUnderTest,
) -> None:
    ids = await _page_through(gateway, "/people?order_by=company.name[AscNullsLast]&limit=2&depth=1", "people")
    assert len(ids) == len(TEST_PERSON_IDS)
    assert len(set(ids)) == len(TEST_PERSON_IDS)


async def test_cursor_pagination_ordered_by_a_relation_field_should_continue_past_the_first_page_at_depth_0(
    gateway: GatewayUnderTest,
) -> None:
    ids = await _page_through(gateway, "/people?order_by=company.name[AscNullsLast]&limit=2&depth=0", "people")
    assert len(ids) == len(TEST_PERSON_IDS)
    assert len(set(ids)) == len(TEST_PERSON_IDS)


DATED_OPPORTUNITY_CLOSE_DATES = ["2026-03-01T00:00:00.000Z", "2026-03-02T00:00:00.000Z", "2026-03-03T00:00:00.000Z"]
OPPORTUNITY_COUNT = len(DATED_OPPORTUNITY_CLOSE_DATES) + 2


@pytest.fixture
async def opportunities(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    """The `beforeAll`/`afterAll` of the describe block 'cursor pagination ordered by a nullable field'."""
    await delete_all_records(gateway, "opportunity")
    for index, close_date in enumerate(DATED_OPPORTUNITY_CLOSE_DATES):
        body = {"name": f"REST dated opportunity {index + 1}", "closeDate": close_date}
        await make_rest_api_request(gateway, "post", "/opportunities", body)
    for index in (1, 2):
        await make_rest_api_request(gateway, "post", "/opportunities", {"name": f"REST undated opportunity {index}"})
    yield
    await delete_all_records(gateway, "opportunity")


async def test_cursor_pagination_ordered_by_a_nullable_field_should_return_every_record_with_starting_after(
    gateway: GatewayUnderTest, opportunities: None
) -> None:
    ids = await _page_through(gateway, "/opportunities?order_by=closeDate[AscNullsLast]&limit=2", "opportunities")
    assert len(ids) == OPPORTUNITY_COUNT
    assert len(set(ids)) == OPPORTUNITY_COUNT
