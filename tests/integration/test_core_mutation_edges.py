"""Edge cases of mutations found by fuzzing /graphql: an empty batch, relation filters in
every many-record mutation, and numbers too large to store."""

from __future__ import annotations

import pytest

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data, error
from tests.rest_shim.core_rest_helpers import fails

INT64_MAX = 2**63 - 1


async def test_an_empty_batch_creates_nothing(gateway: GatewayUnderTest) -> None:
    for upsert in ("false", "true"):
        body = await gateway.graphql(f"mutation {{ createPeople(data: [], upsert: {upsert}) {{ id }} }}")
        assert data(body) == {"createPeople": []}
    body = await gateway.graphql("mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }", {"d": []})
    assert data(body) == {"createCompanies": []}


async def test_a_null_item_in_a_batch_is_refused_and_nothing_is_created(gateway: GatewayUnderTest) -> None:
    # Twenty declares `data: [XCreateInput]!`: the items may be null, so a client may send one.
    body = await gateway.graphql(
        "mutation($d: [PersonCreateInput]!) { createPeople(data: $d) { id } }",
        {"d": [{"jobTitle": "null-batch"}, None]},
    )
    assert body["data"] == {"createPeople": None}
    assert "record 1 of the batch is null" in error(body)["message"]
    found = await gateway.graphql('{ people(filter: {jobTitle: {eq: "null-batch"}}) { totalCount } }')
    assert data(found)["people"]["totalCount"] == 0


@pytest.fixture(scope="module")
async def staffed(gateway: GatewayUnderTest) -> str:
    """A company named Relfilter with three people; returns the company's id."""
    company = data(await gateway.graphql('mutation { createCompany(data: {name: "Relfilter"}) { id } }'))
    company_id: str = company["createCompany"]["id"]
    people = [{"jobTitle": f"relfilter {i}", "companyId": company_id} for i in range(3)]
    await gateway.graphql("mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }", {"d": people})
    return company_id


BY_COMPANY = '{company: {name: {eq: "Relfilter"}}}'


async def test_relation_filters_work_in_every_many_record_mutation(gateway: GatewayUnderTest, staffed: str) -> None:
    updated = await gateway.graphql(
        f'mutation {{ updatePeople(filter: {BY_COMPANY}, data: {{city: "Lyon"}}) {{ id }} }}'
    )
    assert len(data(updated)["updatePeople"]) == 3
    deleted = await gateway.graphql(f"mutation {{ deletePeople(filter: {BY_COMPANY}) {{ id deletedAt }} }}")
    assert len(data(deleted)["deletePeople"]) == 3
    restored = await gateway.graphql(f"mutation {{ restorePeople(filter: {BY_COMPANY}) {{ id deletedAt city }} }}")
    assert [(p["deletedAt"], p["city"]) for p in data(restored)["restorePeople"]] == [(None, "Lyon")] * 3
    nested = await gateway.graphql(
        'mutation { restorePeople(filter: {and: [{company: {name: {eq: "Relfilter"}}}, '
        '{not: {company: {name: {eq: "Other"}}}}]}) { id } }'
    )
    assert data(nested)["restorePeople"] == []  # none is in the trash any more
    destroyed = await gateway.graphql(f"mutation {{ destroyPeople(filter: {BY_COMPANY}) {{ id }} }}")
    assert len(data(destroyed)["destroyPeople"]) == 3


@pytest.mark.parametrize(
    "document",
    [
        "mutation { createOpportunity(data: {amount: {amountMicros: 123456789012345678901234567890}}) { id } }",
        "mutation { createCompany(data: {position: 99999999999999999999}) { id } }",
        "{ opportunities(filter: {amount: {amountMicros: {gt: 99999999999999999999}}}) { totalCount } }",
    ],
)
async def test_an_integer_beyond_64_bits_is_refused_naming_the_limit(gateway: GatewayUnderTest, document: str) -> None:
    first = error(await gateway.graphql(document))
    assert first["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED" and first["locations"], first
    assert str(INT64_MAX) in first["message"] and "64 bits" in first["message"], first


async def test_an_integer_beyond_64_bits_in_variables_names_the_field(gateway: GatewayUnderTest) -> None:
    body = await gateway.graphql(
        "mutation($d: OpportunityCreateInput!) { createOpportunity(data: $d) { id } }",
        {"d": {"name": "huge", "amount": {"amountMicros": INT64_MAX + 1}}},
    )
    first = error(body)
    assert first["extensions"]["code"] == "BAD_USER_INPUT"
    assert "amount.amountMicros" in first["message"] and str(INT64_MAX) in first["message"], first
    status, message = await fails(gateway, "POST", "opportunities", {"amount": {"amountMicros": INT64_MAX + 1}})
    assert status == 400 and "amountMicros" in message and "64 bits" in message, message
    count = await gateway.graphql('{ opportunities(filter: {name: {eq: "huge"}}) { totalCount } }')
    assert data(count)["opportunities"]["totalCount"] == 0


async def test_large_numbers_that_fit_are_stored(gateway: GatewayUnderTest) -> None:
    body = await gateway.graphql(
        "mutation { createOpportunity(data: {amount: {amountMicros: 9223372036854775807}}) "
        "{ amount { amountMicros } } }"
    )
    assert data(body)["createOpportunity"]["amount"]["amountMicros"] == INT64_MAX
    body = await gateway.graphql("mutation { createOpportunity(data: {amount: {amountMicros: 1.5e30}}) "
                                 "{ amount { amountMicros } } }")
    assert data(body)["createOpportunity"]["amount"]["amountMicros"] == 1.5e30
