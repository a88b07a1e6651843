"""Port of packages/twenty-server/test/integration/rest/suites/rest-api-core-group-by.integration-spec.ts
(twentyhq/twenty, revision 41d242555963991041c474c5267df7d174c6a972): `GET /rest/opportunities/groupBy`
by a date's day of the week and a SELECT, with an aggregate, a filter, a records sample and the
sample's order.

The spec's seed data lives in Twenty's dev workspace; its records are kept apart by dating them
in 2020, which the port does too (in a workspace of its own)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest

from tests.conformance.twenty import (
    create_one_operation_factory,
    destroy_one_operation_factory,
    make_graphql_api_request,
    make_rest_api_request,
)
from tests.conftest import GatewayUnderTest

OPPORTUNITY_GQL_FIELDS = "id stage amount { amountMicros } companyId createdAt closeDate"
COMPANY_GQL_FIELDS = "id name position createdAt"
# used not to mix records with the seeded ones
FILTER_2020 = "createdAt[gte]:'2020-01-01T00:00:00.000Z',createdAt[lte]:'2020-03-03T23:59:59.999Z'"
AGGREGATE_FIELDS = '["maxAmountAmountMicros"]'
GROUP_BY = json.dumps([{"closeDate": {"granularity": "DAY_OF_THE_WEEK"}}, {"stage": True}])

OPPORTUNITY_IDS = [str(uuid.uuid4()) for _ in range(4)]
COMPANY_IDS = [str(uuid.uuid4()) for _ in range(2)]


@pytest.fixture(scope="module", autouse=True)
async def seeded(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    for company_id, name, position in ((COMPANY_IDS[0], "Company 1", 10), (COMPANY_IDS[1], "Company 2", 20)):
        await make_graphql_api_request(gateway, create_one_operation_factory("company", COMPANY_GQL_FIELDS, {
            "id": company_id, "name": name, "position": position, "createdAt": "2020-02-05T08:00:00.000Z"}))
    opportunities: list[tuple[str, str, int, str, str]] = [
        ("NEW", "Opportunity 1", 1000000000000, COMPANY_IDS[0], "2025-02-05T08:00:00.000Z"),  # Wednesday
        ("NEW", "Opportunity 2", 2000000000000, COMPANY_IDS[0], "2025-02-06T08:00:00.000Z"),  # Thursday
        ("NEW", "Opportunity 3", 3000000000000, COMPANY_IDS[1], "2025-02-06T08:00:00.000Z"),  # Thursday
        ("SCREENING", "Opportunity 4", 4000000000000, COMPANY_IDS[1], "2025-02-06T08:00:00.000Z"),  # Thursday
    ]
    for opportunity_id, (stage, name, micros, company_id, close_date) in zip(
        OPPORTUNITY_IDS, opportunities, strict=True
    ):
        response = await make_graphql_api_request(gateway, create_one_operation_factory(
            "opportunity", OPPORTUNITY_GQL_FIELDS, {
                "id": opportunity_id, "stage": stage, "name": name, "amount": {"amountMicros": micros},
                "companyId": company_id, "closeDate": close_date, "createdAt": "2020-02-05T08:00:00.000Z"}))
        assert "errors" not in response.body, response.body
    yield
    for opportunity_id in OPPORTUNITY_IDS:
        await make_graphql_api_request(gateway, destroy_one_operation_factory("opportunity", "id", opportunity_id))
    for company_id in COMPANY_IDS:
        await make_graphql_api_request(gateway, destroy_one_operation_factory("company", "id", company_id))


def _find(groups: list[Any], *values: str) -> Any:
    return next((g for g in groups if all(v in g["groupByDimensionValues"] for v in values)), None)


async def test_groups_by_stage_and_close_date_with_records(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(
        gateway, "get",
        f"/opportunities/groupBy?group_by={quote(GROUP_BY)}&aggregate={quote(AGGREGATE_FIELDS)}"
        f"&filter={quote(FILTER_2020)}&include_records_sample=true&limit=3",
    )
    assert response.status == 200, response.body
    groups = response.body
    assert len(groups) == 3
    for group in groups:
        assert isinstance(group["groupByDimensionValues"], list)
        assert isinstance(group["records"], list)

    wednesday_new = _find(groups, "Wednesday", "NEW")
    assert wednesday_new is not None
    assert wednesday_new["maxAmountAmountMicros"] == "1000000000000"
    assert len(wednesday_new["records"]) == 1
    assert wednesday_new["records"][0]["name"] == "Opportunity 1"
    assert wednesday_new["records"][0]["stage"] == "NEW"

    thursday_new = _find(groups, "Thursday", "NEW")
    assert thursday_new is not None
    assert len(thursday_new["records"]) == 2
    assert thursday_new["maxAmountAmountMicros"] == "3000000000000"
    opportunity2 = next(r for r in thursday_new["records"] if r["name"] == "Opportunity 2")
    opportunity3 = next(r for r in thursday_new["records"] if r["name"] == "Opportunity 3")
    assert opportunity2["stage"] == "NEW" and opportunity2["companyId"] == COMPANY_IDS[0]
    assert opportunity3["stage"] == "NEW" and opportunity3["companyId"] == COMPANY_IDS[1]

    thursday_screening = _find(groups, "Thursday", "SCREENING")
    assert thursday_screening is not None
    assert len(thursday_screening["records"]) == 1
    opportunity4 = thursday_screening["records"][0]
    assert opportunity4["stage"] == "SCREENING" and opportunity4["name"] == "Opportunity 4"
    assert opportunity4["companyId"] == COMPANY_IDS[1]
    assert thursday_screening["maxAmountAmountMicros"] == "4000000000000"


async def test_groups_by_stage_and_close_date_with_records_and_filters(gateway: GatewayUnderTest) -> None:
    filter_query = f"{FILTER_2020},stage[eq]:'NEW'"
    response = await make_rest_api_request(
        gateway, "get",
        f"/opportunities/groupBy?group_by={quote(GROUP_BY)}&aggregate={quote(AGGREGATE_FIELDS)}"
        f"&filter={quote(filter_query)}&include_records_sample=true&limit=2",
    )
    assert response.status == 200, response.body
    groups = response.body
    assert len(groups) == 2
    wednesday_new = _find(groups, "Wednesday", "NEW")
    assert len(wednesday_new["groupByDimensionValues"]) == 2
    assert "NEW" in wednesday_new["groupByDimensionValues"] and "Wednesday" in wednesday_new["groupByDimensionValues"]
    assert len(wednesday_new["records"]) == 1 and wednesday_new["records"][0]["stage"] == "NEW"
    thursday_new = _find(groups, "Thursday", "NEW")
    assert len(thursday_new["groupByDimensionValues"]) == 2
    assert "NEW" in thursday_new["groupByDimensionValues"] and "Thursday" in thursday_new["groupByDimensionValues"]
    assert len(thursday_new["records"]) == 2


def _with_order_by_for_records(direction: str) -> str:
    return (f"/opportunities/groupBy?group_by={quote(GROUP_BY)}&filter={quote(FILTER_2020)}"
            f"&order_by_for_records={quote(f'name[{direction}]')}&include_records_sample=true&limit=5")


async def test_order_by_for_records_sorts_by_name_in_ascending_order(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", _with_order_by_for_records("AscNullsFirst"))
    assert response.status == 200, response.body
    thursday_new = _find(response.body, "Thursday", "NEW")
    assert thursday_new is not None and len(thursday_new["records"]) == 2
    assert [r["name"] for r in thursday_new["records"]] == ["Opportunity 2", "Opportunity 3"]


async def test_order_by_for_records_sorts_by_name_in_descending_order(gateway: GatewayUnderTest) -> None:
    response = await make_rest_api_request(gateway, "get", _with_order_by_for_records("DescNullsFirst"))
    assert response.status == 200, response.body
    thursday_new = _find(response.body, "Thursday", "NEW")
    assert thursday_new is not None and len(thursday_new["records"]) == 2
    assert [r["name"] for r in thursday_new["records"]] == ["Opportunity 3", "Opportunity 2"]
