"""Batch create and upsert: the limit, the matching rules, the ambiguous case, un-delete."""

from __future__ import annotations

from typing import Any

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_field, create_object, data, error

CREATE_PEOPLE = "mutation($d: [PersonCreateInput!]!, $u: Boolean) { createPeople(data: $d, upsert: $u) {" \
                " id jobTitle deletedAt name { firstName } emails { primaryEmail } } }"


async def count_people(gateway: GatewayUnderTest, filter: dict[str, Any] | None = None) -> int:
    body = await gateway.graphql("query($f: PersonFilterInput) { people(filter: $f) { totalCount } }", {"f": filter})
    return int(data(body)["people"]["totalCount"])


async def test_batch_limit_names_the_limit_and_writes_nothing(gateway: GatewayUnderTest) -> None:
    before = await count_people(gateway)
    body = await gateway.graphql(CREATE_PEOPLE, {"d": [{"jobTitle": f"t{i}"} for i in range(61)]})
    assert error(body)["extensions"]["code"] == "BAD_USER_INPUT"
    assert "60" in error(body)["message"]
    assert await count_people(gateway) == before
    ok = data(await gateway.graphql(CREATE_PEOPLE, {"d": [{"jobTitle": "sixty"} for _ in range(60)]}))
    assert len(ok["createPeople"]) == 60
    await gateway.graphql('mutation { destroyPeople(filter: {jobTitle: {eq: "sixty"}}) { id } }')


async def test_a_batch_that_fails_validation_writes_nothing(gateway: GatewayUnderTest) -> None:
    before = await count_people(gateway)
    taken = data(await gateway.graphql(CREATE_PEOPLE, {"d": [{"emails": {"primaryEmail": "taken@example.com"}}]}))
    assert taken
    for bad in (
        [{"jobTitle": "ok"}, {"emails": {"primaryEmail": "taken@example.com"}}],  # unique value taken
        [{"emails": {"primaryEmail": "twice@example.com"}}, {"emails": {"primaryEmail": "twice@example.com"}}],
        [{"jobTitle": "ok"}, {"companyId": "00000000-0000-4000-8000-000000000000"}],  # dangling relation
    ):
        body = await gateway.graphql(CREATE_PEOPLE, {"d": bad})
        assert error(body)["extensions"]["code"] in ("CONFLICT", "BAD_USER_INPUT"), body
    assert await count_people(gateway) == before + 1
    taken_again = await gateway.graphql(CREATE_PEOPLE, {"d": [{"emails": {"primaryEmail": "taken@example.com"}}]})
    # Twenty's answer to a unique value taken: bad input, 'A duplicate entry was detected' (CONFLICT before).
    assert error(taken_again)["extensions"]["code"] == "BAD_USER_INPUT"
    assert error(taken_again)["message"].startswith("A duplicate entry was detected")
    assert "emails" in error(taken_again)["message"]


async def test_upsert_matches_on_id(gateway: GatewayUnderTest) -> None:
    person = data(await gateway.graphql(CREATE_PEOPLE, {"d": [{"jobTitle": "before"}]}))["createPeople"][0]
    body = await gateway.graphql(CREATE_PEOPLE, {"d": [{"id": person["id"], "jobTitle": "after"}], "u": True})
    assert data(body)["createPeople"][0]["id"] == person["id"]
    assert data(body)["createPeople"][0]["jobTitle"] == "after"


async def test_upsert_matches_on_composite_unique_sub_fields_half_existing(gateway: GatewayUnderTest) -> None:
    existing = data(await gateway.graphql(CREATE_PEOPLE, {"d": [
        {"name": {"firstName": f"old{i}"}, "emails": {"primaryEmail": f"up{i}@example.com"}} for i in range(3)
    ]}))["createPeople"]
    batch = [{"jobTitle": "upserted", "emails": {"primaryEmail": f"up{i}@example.com"}} for i in range(6)]
    result = data(await gateway.graphql(CREATE_PEOPLE, {"d": batch, "u": True}))["createPeople"]
    assert [r["id"] for r in result[:3]] == [p["id"] for p in existing]
    assert [r["name"]["firstName"] for r in result[:3]] == ["old0", "old1", "old2"]  # untouched fields kept
    assert all(r["jobTitle"] == "upserted" for r in result)
    assert await count_people(gateway, {"emails": {"primaryEmail": {"like": "up%@example.com"}}}) == 6


async def test_upsert_matches_company_by_domain(gateway: GatewayUnderTest) -> None:
    query = "mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d, upsert: true) { id employees } }"
    first = data(await gateway.graphql(query, {"d": [{"domainName": {"primaryLinkUrl": "https://up.example"}}]}))
    second = data(await gateway.graphql(query, {"d": [{"domainName": {"primaryLinkUrl": "https://up.example"},
                                                       "employees": 12}]}))
    assert first["createCompanies"][0]["id"] == second["createCompanies"][0]["id"]
    assert second["createCompanies"][0]["employees"] == 12


async def test_upsert_matches_a_custom_unique_field(gateway: GatewayUnderTest) -> None:
    sku_object = await create_object(gateway, "product", "products")
    await create_field(gateway, sku_object, name="sku", type="TEXT", isUnique=True)
    query = "mutation($d: [ProductCreateInput!]!) { createProducts(data: $d, upsert: true) { id name } }"
    a = data(await gateway.graphql(query, {"d": [{"sku": "S-1", "name": "first"}]}))["createProducts"][0]
    b = data(await gateway.graphql(query, {"d": [{"sku": "S-1", "name": "second"}]}))["createProducts"][0]
    assert a["id"] == b["id"] and b["name"] == "second"


async def test_upsert_restores_a_trashed_record(gateway: GatewayUnderTest) -> None:
    person = data(await gateway.graphql(
        CREATE_PEOPLE, {"d": [{"emails": {"primaryEmail": "trashed@example.com"}}]}
    ))["createPeople"][0]
    await gateway.graphql("mutation($id: UUID!) { deletePerson(id: $id) { id } }", {"id": person["id"]})
    body = await gateway.graphql(CREATE_PEOPLE, {"d": [{"emails": {"primaryEmail": "trashed@example.com"},
                                                       "jobTitle": "back"}], "u": True})
    restored = data(body)["createPeople"][0]
    assert restored["id"] == person["id"] and restored["deletedAt"] is None and restored["jobTitle"] == "back"


async def test_upsert_matching_two_records_is_a_conflict(gateway: GatewayUnderTest) -> None:
    a, b = data(await gateway.graphql(CREATE_PEOPLE, {"d": [
        {"emails": {"primaryEmail": "one@example.com"}}, {"emails": {"primaryEmail": "two@example.com"}}
    ]}))["createPeople"]
    body = await gateway.graphql(CREATE_PEOPLE, {"d": [{"id": a["id"], "emails": {"primaryEmail": "two@example.com"}}],
                                                 "u": True})
    assert error(body)["extensions"]["code"] == "CONFLICT"
    assert "Multiple records" in error(body)["message"]


async def test_create_one_with_upsert(gateway: GatewayUnderTest) -> None:
    query = "mutation($d: PersonCreateInput!) { createPerson(data: $d, upsert: true) { id jobTitle } }"
    a = data(await gateway.graphql(query, {"d": {"emails": {"primaryEmail": "single@example.com"}}}))["createPerson"]
    b = data(await gateway.graphql(query, {"d": {"emails": {"primaryEmail": "single@example.com"},
                                                 "jobTitle": "x"}}))["createPerson"]
    assert a["id"] == b["id"] and b["jobTitle"] == "x"
