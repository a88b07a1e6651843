"""Port of
`packages/twenty-server/test/integration/graphql/suites/object-generated/companies-merge-many.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.

The spec waits for Twenty's timeline activities (`waitForTimelineActivities`, a background
job of Twenty's) before merging; docgate has no such job, so the port has nothing to wait for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.search_factories import COMPANY_GQL_FIELDS, merge_many_operation_factory
from tests.conformance.twenty import (
    create_many_operation_factory,
    destroy_many_operation_factory,
    find_many_operation_factory,
    find_one_operation_factory,
    make_graphql_api_request,
)
from tests.conftest import GatewayUnderTest

created: dict[str, list[str]] = {"company": [], "person": []}
PLURALS = {"company": "companies", "person": "people"}


@pytest.fixture(autouse=True)
async def after_each(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    yield
    for singular, ids in created.items():
        if ids:
            filter = {"id": {"in": list(ids)}}
            await make_graphql_api_request(
                gateway, destroy_many_operation_factory(singular, PLURALS[singular], "id", filter))
            ids.clear()


async def create(gateway: GatewayUnderTest, singular: str, fields: str, data: list[dict[str, Any]]) -> list[Any]:
    response = await make_graphql_api_request(
        gateway, create_many_operation_factory(singular, PLURALS[singular], fields, data))
    assert "errors" not in response.body, response.body
    records: list[Any] = response.body["data"][f"create{PLURALS[singular].capitalize()}"]
    created[singular].extend(r["id"] for r in records)
    return records


async def merge(gateway: GatewayUnderTest, ids: list[str], index: int) -> Any:
    return (await make_graphql_api_request(
        gateway, merge_many_operation_factory("companies", COMPANY_GQL_FIELDS, ids, index))).body


def urls(links: list[dict[str, Any]]) -> list[str]:
    return [link["url"] for link in links]


async def test_should_merge_linkedin_link_composite_field_correctly(gateway: GatewayUnderTest) -> None:
    companies = await create(gateway, "company", COMPANY_GQL_FIELDS, [
        {"name": "Company A", "linkedinLink": {
            "primaryLinkUrl": "https://linkedin.com/company/company-a", "primaryLinkLabel": "Main LinkedIn",
            "secondaryLinks": [{"url": "linkedin.com/company/subsidiary-a1", "label": "Subsidiary A1"},
                               {"url": "linkedin.com/company/subsidiary-a2", "label": "Subsidiary A2"}]}},
        {"name": "Company B", "linkedinLink": {
            "primaryLinkUrl": "https://linkedin.com/company/company-b", "primaryLinkLabel": "Main LinkedIn",
            "secondaryLinks": [{"url": "linkedin.com/company/subsidiary-b1", "label": "Subsidiary B1"},
                               {"url": "linkedin.com/company/subsidiary-b2", "label": "Subsidiary B2"}]}},
    ])
    assert len(companies) == 2
    body = await merge(gateway, [c["id"] for c in companies], 0)
    assert "errors" not in body, body
    link = body["data"]["mergeCompanies"]["linkedinLink"]
    assert link["primaryLinkUrl"] == "https://linkedin.com/company/company-a"
    assert link["primaryLinkLabel"] == "Main LinkedIn"
    assert set(urls(link["secondaryLinks"])) >= {
        "https://linkedin.com/company/company-b", "linkedin.com/company/subsidiary-a1",
        "linkedin.com/company/subsidiary-a2", "linkedin.com/company/subsidiary-b1",
        "linkedin.com/company/subsidiary-b2"}
    assert len(link["secondaryLinks"]) == 5


async def test_should_merge_links_with_deduplication(gateway: GatewayUnderTest) -> None:
    companies = await create(gateway, "company", COMPANY_GQL_FIELDS, [
        {"name": "Tech Corp", "linkedinLink": {
            "primaryLinkUrl": "https://linkedin.com/company/tech-corp", "primaryLinkLabel": "",
            "secondaryLinks": [{"url": "linkedin.com/company/shared-subsidiary", "label": "Shared Sub"},
                               {"url": "linkedin.com/company/tech-division", "label": "Tech Division"}]}},
        {"name": "Corp Tech", "linkedinLink": {
            "primaryLinkUrl": "https://linkedin.com/company/corp-tech", "primaryLinkLabel": "",
            "secondaryLinks": [{"url": "linkedin.com/company/shared-subsidiary", "label": "Shared Sub Different Label"},
                               {"url": "linkedin.com/company/corp-division", "label": "Corp Division"}]}},
    ])
    merged = (await merge(gateway, [c["id"] for c in companies], 0))["data"]["mergeCompanies"]
    assert merged["linkedinLink"]["primaryLinkUrl"] == "https://linkedin.com/company/tech-corp"
    found = urls(merged["linkedinLink"]["secondaryLinks"])
    assert len(found) == 4
    assert set(found) >= {"https://linkedin.com/company/corp-tech", "linkedin.com/company/shared-subsidiary",
                          "linkedin.com/company/tech-division", "linkedin.com/company/corp-division"}
    assert found.count("linkedin.com/company/shared-subsidiary") == 1


async def test_should_respect_priority_index_for_links_unique_constraint(gateway: GatewayUnderTest) -> None:
    companies = await create(gateway, "company", COMPANY_GQL_FIELDS, [
        {"name": "Priority First", "linkedinLink": {
            "primaryLinkUrl": "https://linkedin.com/company/first-priority", "primaryLinkLabel": "First Label",
            "secondaryLinks": [{"url": "linkedin.com/company/first-sub", "label": "First Sub"}]}},
        {"name": "Priority Second", "linkedinLink": {
            "primaryLinkUrl": "https://linkedin.com/company/second-priority", "primaryLinkLabel": "Second Label",
            "secondaryLinks": [{"url": "linkedin.com/company/second-sub", "label": "Second Sub"}]}},
    ])
    merged = (await merge(gateway, [c["id"] for c in companies], 1))["data"]["mergeCompanies"]
    assert merged["linkedinLink"]["primaryLinkUrl"] == "https://linkedin.com/company/second-priority"
    assert merged["linkedinLink"]["primaryLinkLabel"] == "Second Label"
    assert set(urls(merged["linkedinLink"]["secondaryLinks"])) >= {
        "https://linkedin.com/company/first-priority", "linkedin.com/company/first-sub",
        "linkedin.com/company/second-sub"}


PERSON_WITH_COMPANY = "id company { id }"


async def test_should_re_parent_related_records_onto_the_survivor_and_delete_the_duplicate(
    gateway: GatewayUnderTest,
) -> None:
    survivor, duplicate = (c["id"] for c in await create(
        gateway, "company", COMPANY_GQL_FIELDS, [{"name": "Survivor Inc"}, {"name": "Duplicate Inc"}]))
    [related] = await create(gateway, "person", PERSON_WITH_COMPANY,
                             [{"name": {"firstName": "Related", "lastName": "Contact"}, "companyId": duplicate}])
    assert related["company"]["id"] == duplicate
    body = await merge(gateway, [survivor, duplicate], 0)
    assert "errors" not in body, body
    assert body["data"]["mergeCompanies"]["id"] == survivor
    person = await make_graphql_api_request(
        gateway, find_one_operation_factory("person", PERSON_WITH_COMPANY, {"id": {"eq": related["id"]}}))
    assert person.body["data"]["person"] is not None
    assert person.body["data"]["person"]["company"]["id"] == survivor
    gone = await make_graphql_api_request(
        gateway, find_one_operation_factory("company", "id", {"id": {"eq": duplicate}}))
    assert gone.body["data"]["company"] is None


async def test_should_re_parent_children_from_every_duplicate_onto_the_survivor(gateway: GatewayUnderTest) -> None:
    survivor, one, two = (c["id"] for c in await create(gateway, "company", COMPANY_GQL_FIELDS, [
        {"name": "Survivor Multi"}, {"name": "Duplicate One"}, {"name": "Duplicate Two"}]))
    people = await create(gateway, "person", PERSON_WITH_COMPANY, [
        {"name": {"firstName": "Already", "lastName": "OnSurvivor"}, "companyId": survivor},
        {"name": {"firstName": "Child", "lastName": "OfDuplicateOne"}, "companyId": one},
        {"name": {"firstName": "Child", "lastName": "OfDuplicateTwo"}, "companyId": two},
    ])
    body = await merge(gateway, [survivor, one, two], 0)
    assert "errors" not in body, body
    assert body["data"]["mergeCompanies"]["id"] == survivor
    after = await make_graphql_api_request(gateway, find_many_operation_factory(
        "person", "people", PERSON_WITH_COMPANY, filter={"id": {"in": [p["id"] for p in people]}}))
    edges = after.body["data"]["people"]["edges"]
    assert len(edges) == 3
    assert all(edge["node"]["company"]["id"] == survivor for edge in edges)
    remaining = await make_graphql_api_request(gateway, find_many_operation_factory(
        "company", "companies", "id", filter={"id": {"in": [survivor, one, two]}}))
    assert [e["node"]["id"] for e in remaining.body["data"]["companies"]["edges"]] == [survivor]
