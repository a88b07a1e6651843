"""Bulk mutations touch only the records their filter names.

A filter that constrains nothing (`{}`, `{and: []}`, `{field: {}}`, … and any nesting of
them) is refused with Twenty's error and changes nothing, over GraphQL and REST; a filter
that matches more records than MUTATION_MAXIMUM_AFFECTED_RECORDS is refused whole.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conftest import GatewayUnderTest, running_gateway
from tests.integration.helpers import data

# Every shape of a filter that selects every record, as a client might send it.
EMPTY_FILTERS: list[Any] = [
    {},
    {"and": []},
    {"or": []},
    {"and": [{}]},
    {"and": [{}, {}]},
    {"or": [{}]},
    {"and": [{"or": []}, {}]},
    {"jobTitle": {}},
    {"name": {}},
    {"name": {"firstName": {}}},
    {"company": {}},
    {"company": {"name": {}}},
    {"company": {"and": []}},
    {"not": {}},
    {"not": {"and": []}},
    {"and": [{"jobTitle": {}}, {"or": [{"name": {}}]}]},
    # An `or` with a branch that is always true is true for every record: refused too
    # (Twenty lets this one through).
    {"or": [{}, {"jobTitle": {"eq": "nobody has this title"}}]},
]

MUTATIONS = {
    "updatePeople": 'updatePeople(filter: $f, data: {jobTitle: "HACKED"}) { id }',
    "deletePeople": "deletePeople(filter: $f) { id }",
    "restorePeople": "restorePeople(filter: $f) { id }",
    "destroyPeople": "destroyPeople(filter: $f) { id }",
}


async def people_state(gateway: GatewayUnderTest) -> list[tuple[str, str | None, bool]]:
    """(id, job title, in the trash) of every person, trash included."""
    state = []
    for trashed in (False, True):  # two requests: a document may ask for a root field once (as Twenty)
        where = "{deletedAt: {is: NOT_NULL}}" if trashed else "{}"
        query = f"{{ people(first: 200, filter: {where}) {{ edges {{ node {{ id jobTitle }} }} }} }}"
        body = await gateway.graphql(query)
        state += [(e["node"]["id"], e["node"]["jobTitle"], trashed) for e in data(body)["people"]["edges"]]
    return sorted(state)


@pytest.fixture(scope="module")
async def seeded(gateway: GatewayUnderTest) -> list[tuple[str, str | None, bool]]:
    """Three live people (one at a company) and one in the trash."""
    company = data(await gateway.graphql('mutation { createCompany(data: {name: "Guarded"}) { id } }'))
    people = [
        {"jobTitle": "Original", "name": {"firstName": "Ada"}, "companyId": company["createCompany"]["id"]},
        {"jobTitle": "Original", "name": {"firstName": "Alan"}},
        {"jobTitle": "Original"},
        {"jobTitle": "Trashed"},
    ]
    created = data(
        await gateway.graphql("mutation($d: [PersonCreateInput]!) { createPeople(data: $d) { id } }", {"d": people})
    )
    trashed = created["createPeople"][3]["id"]
    data(await gateway.graphql(f'mutation {{ deletePerson(id: "{trashed}") {{ id }} }}'))
    return await people_state(gateway)


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize("empty", EMPTY_FILTERS, ids=[str(f) for f in EMPTY_FILTERS])
async def test_a_bulk_mutation_with_a_filter_that_constrains_nothing_is_refused(
    gateway: GatewayUnderTest, seeded: list[Any], mutation: str, empty: Any
) -> None:
    body = await gateway.graphql(f"mutation($f: PersonFilterInput!) {{ {MUTATIONS[mutation]} }}", {"f": empty})
    assert body["data"] == {mutation: None}
    [error] = body["errors"]
    assert error["message"] == "A non-empty filter is required"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["subCode"] == "INVALID_QUERY_INPUT"
    assert await people_state(gateway) == seeded


@pytest.mark.parametrize("literal", ["{}", "{and: []}", "{or: [{}]}", "{name: {}}", "{company: {}}"])
async def test_the_guard_holds_for_filters_written_in_the_document(
    gateway: GatewayUnderTest, seeded: list[Any], literal: str
) -> None:
    body = await gateway.graphql(f'mutation {{ updatePeople(filter: {literal}, data: {{jobTitle: "X"}}) {{ id }} }}')
    assert body["data"] == {"updatePeople": None}
    assert body["errors"][0]["message"] == "A non-empty filter is required"
    assert await people_state(gateway) == seeded


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("PATCH", "people", {"filter": "and()"}),
        ("PATCH", "people", {}),
        ("DELETE", "people", {"soft_delete": "true"}),
        ("DELETE", "people", {}),
        ("PATCH", "restore/people", {}),
    ],
)
async def test_rest_bulk_calls_without_a_constraining_filter_change_nothing(
    gateway: GatewayUnderTest, seeded: list[Any], method: str, path: str, params: dict[str, str]
) -> None:
    response = await gateway.client.request(
        method, f"/rest/{path}", params=params, json={"jobTitle": "HACKED"}, headers=gateway.headers
    )
    assert response.status_code == 400, response.text
    assert await people_state(gateway) == seeded


async def test_constraining_filters_still_work(gateway: GatewayUnderTest, seeded: list[Any]) -> None:
    ids = [person_id for person_id, _, trashed in seeded if not trashed]
    body = await gateway.graphql(
        'mutation($f: PersonFilterInput!) { updatePeople(filter: $f, data: {jobTitle: "Updated"}) { id } }',
        {"f": {"and": [], "id": {"in": ids[:2]}}},
    )
    assert sorted(p["id"] for p in data(body)["updatePeople"]) == sorted(ids[:2])
    # An `or` whose branches all constrain is a constraint.
    body = await gateway.graphql(
        'mutation($f: PersonFilterInput!) { updatePeople(filter: $f, data: {jobTitle: "Original"}) { id } }',
        {"f": {"or": [{"id": {"eq": ids[0]}}, {"id": {"eq": ids[1]}}]}},
    )
    assert len(data(body)["updatePeople"]) == 2
    assert await people_state(gateway) == seeded


@pytest.fixture(scope="module")
async def capped(mongo_uri: str, db_prefix: str) -> AsyncIterator[GatewayUnderTest]:
    """A gateway whose bulk mutations may change at most 3 records."""
    async with running_gateway(mongo_uri, db_prefix + "c", max_affected_records=3) as running:
        yield running


@pytest.mark.parametrize("mutation", list(MUTATIONS))
async def test_a_bulk_mutation_matching_more_than_the_cap_changes_nothing(
    capped: GatewayUnderTest, mutation: str
) -> None:
    tag = f"cap-{mutation}"
    people = [{"jobTitle": tag} for _ in range(4)]
    created = data(
        await capped.graphql("mutation($d: [PersonCreateInput]!) { createPeople(data: $d) { id } }", {"d": people})
    )
    ids = [p["id"] for p in created["createPeople"]]
    if mutation == "restorePeople":
        data(await capped.graphql("mutation($f: PersonFilterInput!) { deletePeople(filter: $f) { id } }",
                                  {"f": {"id": {"in": ids[:3]}}}))
        data(await capped.graphql("mutation($f: PersonFilterInput!) { deletePeople(filter: $f) { id } }",
                                  {"f": {"id": {"in": ids[3:]}}}))
    before = await people_state(capped)
    filter = {"jobTitle": {"eq": tag}}
    if mutation == "restorePeople":
        filter = {"jobTitle": {"eq": tag}, "deletedAt": {"is": "NOT_NULL"}}
    body = await capped.graphql(f"mutation($f: PersonFilterInput!) {{ {MUTATIONS[mutation]} }}", {"f": filter})
    assert body["data"] == {mutation: None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "more than 3 people" in error["message"] and "MUTATION_MAXIMUM_AFFECTED_RECORDS" in error["message"]
    assert await people_state(capped) == before
    # At the cap exactly, the mutation goes through.
    body = await capped.graphql(
        f"mutation($f: PersonFilterInput!) {{ {MUTATIONS[mutation]} }}", {"f": {**filter, "id": {"in": ids[:3]}}}
    )
    assert len(data(body)[mutation]) == 3


async def test_rest_bulk_delete_over_the_cap_answers_400_and_deletes_nothing(capped: GatewayUnderTest) -> None:
    people = [{"jobTitle": "rest-cap"} for _ in range(5)]
    data(await capped.graphql("mutation($d: [PersonCreateInput]!) { createPeople(data: $d) { id } }", {"d": people}))
    before = await people_state(capped)
    response = await capped.client.delete(
        "/rest/people", params={"filter": 'jobTitle[eq]:"rest-cap"'}, headers=capped.headers
    )
    assert response.status_code == 400
    assert "MUTATION_MAXIMUM_AFFECTED_RECORDS" in response.json()["messages"][0]
    assert await people_state(capped) == before
