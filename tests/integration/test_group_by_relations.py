"""groupBy by a relation's join column (`companyId: true`, Twenty's shorthand for the related
record's id) and groups ordered by other fields of the related record they are of — the way
Twenty orders a kanban of people by company name while grouping by company id."""

from __future__ import annotations

from typing import Any

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data, error

PEOPLE = """query($groupBy: [PersonGroupByInput!]!, $orderBy: [PersonOrderByWithGroupByInput!],
                 $filter: PersonFilterInput) {
  peopleGroupBy(groupBy: $groupBy, orderBy: $orderBy, filter: $filter) { groupByDimensionValues totalCount } }"""


async def _made(gateway: GatewayUnderTest, mutation: str) -> list[str]:
    return [r["id"] for r in next(iter(data(await gateway.graphql(mutation)).values()))]


async def test_groups_by_company_id_ordered_by_company_name(gateway: GatewayUnderTest) -> None:
    zebra, aardvark, mango = await _made(gateway, """mutation { createCompanies(data: [
        {name: "Zebra rel"}, {name: "Aardvark rel"}, {name: "Mango rel"}]) { id } }""")
    people = await _made(gateway, f"""mutation {{ createPeople(data: [
        {{jobTitle: "grp rel", companyId: "{zebra}"}}, {{jobTitle: "grp rel", companyId: "{mango}"}},
        {{jobTitle: "grp rel", companyId: "{aardvark}"}}, {{jobTitle: "grp rel", companyId: "{aardvark}"}},
        {{jobTitle: "grp rel"}}]) {{ id }} }}""")
    assert len(people) == 5
    variables: dict[str, Any] = {
        "groupBy": [{"companyId": True}], "filter": {"jobTitle": {"eq": "grp rel"}},
        "orderBy": [{"company": {"name": "AscNullsLast"}}, {"company": {"id": "AscNullsLast"}}]}
    groups = data(await gateway.graphql(PEOPLE, variables))["peopleGroupBy"]
    assert [(g["groupByDimensionValues"], g["totalCount"]) for g in groups] == [
        ([aardvark], 2), ([mango], 1), ([zebra], 1), ([None], 1)]
    variables["orderBy"] = [{"company": {"name": "DescNullsLast"}}]
    groups = data(await gateway.graphql(PEOPLE, variables))["peopleGroupBy"]
    assert [g["groupByDimensionValues"][0] for g in groups] == [zebra, mango, aardvark, None]


async def test_groups_ordered_by_a_related_full_name_part_by_part(gateway: GatewayUnderTest) -> None:
    bob, alice = await _made(gateway, """mutation { createPeople(data: [
        {name: {firstName: "Bob", lastName: "Zed"}}, {name: {firstName: "Alice", lastName: "Young"}}]) { id } }""")
    await _made(gateway, f"""mutation {{ createOpportunities(data: [
        {{name: "grp opp", pointOfContactId: "{bob}"}},
        {{name: "grp opp", pointOfContactId: "{alice}"}}]) {{ id }} }}""")
    query = """query($orderBy: [OpportunityOrderByWithGroupByInput!]) {
      opportunitiesGroupBy(groupBy: [{pointOfContactId: true}], filter: {name: {eq: "grp opp"}}, orderBy: $orderBy) {
        groupByDimensionValues } }"""
    order = [{"pointOfContact": {"name": {"firstName": "AscNullsLast"}}},
             {"pointOfContact": {"name": {"lastName": "AscNullsLast"}}}, {"pointOfContact": {"id": "AscNullsLast"}}]
    groups = data(await gateway.graphql(query, {"orderBy": order}))["opportunitiesGroupBy"]
    assert [g["groupByDimensionValues"] for g in groups] == [[alice], [bob]]


async def test_ordering_by_a_relation_not_grouped_by_is_refused(gateway: GatewayUnderTest) -> None:
    body = await gateway.graphql(
        PEOPLE, {"groupBy": [{"jobTitle": True}], "orderBy": [{"company": {"name": "AscNullsLast"}}]})
    assert error(body)["message"] == "Cannot order by a relation field that is not in groupBy criteria: company.name"
    wrong = await gateway.graphql(PEOPLE, {"groupBy": [{"companyId": {"name": True}}]})
    assert "errors" in wrong  # a join column groups by the id only
