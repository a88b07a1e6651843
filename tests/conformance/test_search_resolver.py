"""Port of
`packages/twenty-server/test/integration/graphql/suites/search/search-resolver.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.

Twenty's dev workspace has a custom object `pet` (label identifier `name`); the port creates
it through the Metadata API. The workspace is fresh, so Twenty's `deleteAllRecords` of the
searchable objects has nothing to do. `tsRank`/`tsRankCD` are Postgres' `ts_rank` and
`ts_rank_cd`, which docgate computes on its own vector: the figures asserted here are Twenty's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.search_factories import (
    TEST_COMPANY_1_ID,
    TEST_COMPANY_2_ID,
    TEST_PERSON_IDS,
    TEST_PET_IDS,
    decode_cursor,
    encode_cursor_data,
    search_operation,
)
from tests.conformance.twenty import Operation, create_many_operation_factory, make_graphql_api_request
from tests.conftest import GatewayUnderTest

P1, P2, P3, JOSE, FRANCOIS, JOSE_NO_ACCENT, FRANCOIS_NO_ACCENT, MULTI_EMAIL, MULTI_PHONE = TEST_PERSON_IDS
CAFE_CORP, NAIVE_CORP = TEST_COMPANY_1_ID, TEST_COMPANY_2_ID
PET1, PET2, CAFE_PET, NAIVE_PET, CJK_PET = TEST_PET_IDS

PERSONS: list[dict[str, Any]] = [
    {"id": P1, "name": {"firstName": "searchInput1"},
     "phones": {"primaryPhoneNumber": "2071234567", "primaryPhoneCallingCode": "+44", "primaryPhoneCountryCode": "GB"}},
    {"id": P2, "name": {"firstName": "searchInput2"},
     "phones": {"primaryPhoneNumber": "5551234567", "primaryPhoneCallingCode": "+1", "primaryPhoneCountryCode": "US",
                "additionalPhones": []}},
    {"id": P3, "name": {"firstName": "searchInput3"}},
    {"id": JOSE, "name": {"firstName": "José", "lastName": "García"}, "jobTitle": "Café Manager",
     "emails": {"primaryEmail": "josé@café.com"},
     "phones": {"primaryPhoneNumber": "123456789", "primaryPhoneCallingCode": "+33", "primaryPhoneCountryCode": "FR"}},
    {"id": FRANCOIS, "name": {"firstName": "François", "lastName": "Müller"}, "jobTitle": "Manager",
     "emails": {"primaryEmail": "françois@naïve.com"}},
    {"id": JOSE_NO_ACCENT, "name": {"firstName": "Jose", "lastName": "Garcia"}, "jobTitle": "Cafe Manager",
     "emails": {"primaryEmail": "jose@cafe.com"}},
    {"id": FRANCOIS_NO_ACCENT, "name": {"firstName": "Francois", "lastName": "Muller"}, "jobTitle": "Manager",
     "emails": {"primaryEmail": "francois@naive.com"}},
    {"id": MULTI_EMAIL, "name": {"firstName": "MultiEmail", "lastName": "Person"},
     "emails": {"primaryEmail": "primary@example.com", "additionalEmails": ["secondary@example.com",
                                                                           "work@company.org"]}},
    {"id": MULTI_PHONE, "name": {"firstName": "MultiPhone", "lastName": "Person"},
     "emails": {"primaryEmail": "empty@arrays.com", "additionalEmails": []},
     "phones": {"primaryPhoneNumber": "9998887777", "primaryPhoneCallingCode": "+1", "primaryPhoneCountryCode": "US",
                "additionalPhones": [{"number": "1112223333", "countryCode": "US", "callingCode": "+1"},
                                     {"number": "4445556666", "countryCode": "GB", "callingCode": "+44"}]}},
]
COMPANIES: list[dict[str, Any]] = [
    {"id": CAFE_CORP, "name": "Café Corp",
     "domainName": {"primaryLinkLabel": "Main Site", "primaryLinkUrl": "https://links.example.com",
                    "secondaryLinks": [{"label": "DocsPortal", "url": "docs.links.example.com"},
                                       {"label": "SupportHub", "url": "support.links.example.com"}]}},
    {"id": NAIVE_CORP, "name": "Naïve Solutions",
     "domainName": {"primaryLinkLabel": "NaivePortal", "primaryLinkUrl": "https://naive.portal.example",
                    "secondaryLinks": []}},
]
PETS = [{"id": PET1, "name": "searchInput1"}, {"id": PET2, "name": "searchInput2"}, {"id": CAFE_PET, "name": "Café"},
        {"id": NAIVE_PET, "name": "Naïve"}, {"id": CJK_PET, "name": "示例商业线索"}]

EXCLUDED = ["workspaceMember", "employmentHistory", "petCareAgreement"]
ZERO = {"tsRank": 0, "tsRankCD": 0}
ONE = {"tsRank": 0.06079271, "tsRankCD": 0.1}
TWO = {"tsRank": 0.12158542, "tsRankCD": 0.2}


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    pet = {"nameSingular": "pet", "namePlural": "pets", "labelSingular": "Pet", "labelPlural": "Pets"}
    create = "mutation($o: CreateObjectInput!) { createOneObject(input: {object: $o}) { id } }"
    made = await make_graphql_api_request(gateway, Operation(create, {"o": pet}), path="/metadata")
    assert "errors" not in made.body, made.body
    for singular, plural, data in (("pet", "pets", PETS), ("person", "people", PERSONS),
                                   ("company", "companies", COMPANIES)):
        created = await make_graphql_api_request(gateway, create_many_operation_factory(singular, plural, "id", data))
        assert "errors" not in created.body, created.body
    yield


def case(title: str, search_input: str, limit: int, ids: list[str], has_next: bool, ranks: dict[str, Any] | None,
         last_ids: dict[str, str] | None, *, excluded: list[str] | None = None, included: list[str] | None = None,
         filter: Any = None, after: dict[str, Any] | None = None) -> Any:
    cursor = None if ranks is None else {"lastRanks": ranks, "lastRecordIdsPerObject": last_ids}
    return pytest.param(search_input, limit, excluded if excluded is not None else EXCLUDED, included, filter, after,
                        ids, has_next, cursor, id=title)


ALL_PEOPLE = [P1, P2, P3, JOSE, FRANCOIS, JOSE_NO_ACCENT, FRANCOIS_NO_ACCENT, MULTI_EMAIL, MULTI_PHONE]
ALL_PETS = [PET1, PET2, CJK_PET, CAFE_PET, NAIVE_PET]
CASES = [
    case('should return all records for "isSearchable:true" objects when no search input is provided', "", 50,
         [*ALL_PEOPLE, NAIVE_CORP, CAFE_CORP, *ALL_PETS], False, ZERO,
         {"person": MULTI_PHONE, "company": CAFE_CORP, "pet": NAIVE_PET}, excluded=[*EXCLUDED, "workflow"]),
    case("should return filtered records when search input is provided", "searchInput1", 50, [P1, PET1], False, ONE,
         {"person": P1, "pet": PET1}),
    case("should return record from included Objects only", "", 50, ALL_PETS, False, ZERO, {"pet": NAIVE_PET},
         included=["pet"]),
    case("should not return record from excludedObject", "", 50, [NAIVE_CORP, CAFE_CORP, *ALL_PETS], False, ZERO,
         {"company": CAFE_CORP, "pet": NAIVE_PET}, excluded=["workspaceMember", "person", "employmentHistory",
                                                             "petCareAgreement", "workflow"]),
    case("should return filtered records when filter is provided", "", 50, [PET1], False, ZERO, {"pet": PET1},
         filter={"id": {"eq": PET1}}),
    case("should limit records number with limit", "", 4, [P1, P2, P3, JOSE], True, ZERO, {"person": JOSE}),
    case("should return endCursor when paginating", "", 2, [P1, P2], True, ZERO, {"person": P2}),
    case("should return endCursor when paginating with Cursor", "", 2, [P3, JOSE], True, ZERO, {"person": JOSE},
         after={"lastRanks": ZERO, "lastRecordIdsPerObject": {"person": P2}}),
    case("should limit records number with limit and searchInput", "searchInput", 4, [P1, P2, P3, PET1], True, ONE,
         {"pet": PET1, "person": P3}),
    case("should return endCursor when paginating with searchInput", "searchInput", 2, [P1, P2], True, ONE,
         {"person": P2}),
    case("should return endCursor when paginating with searchInput with Cursor", "searchInput", 2, [P3, PET1], True,
         ONE, {"pet": PET1, "person": P3}, after={"lastRanks": ONE, "lastRecordIdsPerObject": {"person": P2}}),
    case("should return endCursor when paginating with searchInput with Cursor and filter", "searchInput", 2,
         [P3, PET2], False, ONE, {"person": P3, "pet": PET2},
         after={"lastRanks": ONE, "lastRecordIdsPerObject": {"person": P2}}, filter={"id": {"neq": PET1}}),
    case("should paginate properly with excludedObject", "", 1, [NAIVE_CORP], True, ZERO, {"company": NAIVE_CORP},
         excluded=["workspaceMember", "person", "employmentHistory", "petCareAgreement"]),
    case("should paginate properly with included Objects only", "", 1, [PET1], True, ZERO, {"pet": PET1},
         included=["pet"]),
    case("should paginate properly when no records are returned", "", 0, [], True, None, None),
    case('should find both "José" and "Jose" when searching for "jose" (bidirectional accent-insensitive)', "jose",
         50, [JOSE, JOSE_NO_ACCENT], False, TWO, {"person": JOSE_NO_ACCENT}),
    case('should find both "García" and "Garcia" when searching for "garcia" (bidirectional accent-insensitive)',
         "garcia", 50, [JOSE, JOSE_NO_ACCENT], False, ONE, {"person": JOSE_NO_ACCENT}),
    case('should find both accented and non-accented "Café"/"Cafe" records when searching for "cafe" '
         "(bidirectional accent-insensitive)", "cafe", 50, [JOSE, JOSE_NO_ACCENT, CAFE_CORP, CAFE_PET], False, ONE,
         {"person": JOSE_NO_ACCENT, "company": CAFE_CORP, "pet": CAFE_PET}),
    case('should find both accented and non-accented "Naïve"/"Naive" records when searching for "naive" '
         "(bidirectional accent-insensitive)", "naive", 50, [NAIVE_CORP, FRANCOIS, FRANCOIS_NO_ACCENT, NAIVE_PET],
         False, ONE, {"person": FRANCOIS_NO_ACCENT, "company": NAIVE_CORP, "pet": NAIVE_PET}),
    case('should find both "Müller" and "Muller" when searching for "muller" (bidirectional accent-insensitive)',
         "muller", 50, [FRANCOIS, FRANCOIS_NO_ACCENT], False, ONE, {"person": FRANCOIS_NO_ACCENT}),
    case('should find both "François" and "Francois" when searching for "francois" (bidirectional '
         "accent-insensitive)", "francois", 50, [FRANCOIS, FRANCOIS_NO_ACCENT], False, TWO,
         {"person": FRANCOIS_NO_ACCENT}),
    case("should find person by raw phone number", "2071234567", 50, [P1], False, ONE, {"person": P1}),
    case("should find person by international phone number with plus", "+442071234567", 50, [P1], False, ONE,
         {"person": P1}),
    case("should find person by international phone number without plus", "442071234567", 50, [P1], False, ONE,
         {"person": P1}),
    case("should find person by trunk prefix phone number (UK)", "02071234567", 50, [P1], False, ONE, {"person": P1}),
    case("should find person by trunk prefix phone number (France)", "0123456789", 50, [JOSE], False, ONE,
         {"person": JOSE}),
    case("should find person by US phone number (raw national)", "5551234567", 50, [P2], False, ONE, {"person": P2}),
    case("should find person by partial phone number", "555123", 50, [P2], False, ONE, {"person": P2}),
    case("should find multiple persons when phone search matches multiple records", "123456789", 50, [JOSE], False,
         ONE, {"person": JOSE}),
    case("should rank phone search results appropriately vs other field matches", "searchInput1", 50, [P1, PET1],
         False, ONE, {"person": P1, "pet": PET1}),
    case("should find person by additional email (secondary email)", "secondary@example.com", 50, [MULTI_EMAIL],
         False, ONE, {"person": MULTI_EMAIL}, excluded=["workspaceMember"]),
    case("should find person by additional email (work email)", "work@company.org", 50, [MULTI_EMAIL], False, ONE,
         {"person": MULTI_EMAIL}, excluded=["workspaceMember"]),
    case("should find person by partial additional email", "company.org", 50, [MULTI_EMAIL], False, ONE,
         {"person": MULTI_EMAIL}, excluded=["workspaceMember"]),
    case("should find person by additional phone number", "1112223333", 50, [MULTI_PHONE], False, ONE,
         {"person": MULTI_PHONE}, excluded=["workspaceMember"]),
    case("should find person by second additional phone number", "4445556666", 50, [MULTI_PHONE], False, ONE,
         {"person": MULTI_PHONE}, excluded=["workspaceMember"]),
    case("should find company by secondary link url", "docs.links.example.com", 50, [CAFE_CORP], False, ONE,
         {"company": CAFE_CORP}, excluded=["workspaceMember"]),
    case("should find company by secondary link label", "DocsPortal", 50, [CAFE_CORP], False, ONE,
         {"company": CAFE_CORP}, excluded=["workspaceMember"]),
    case("should handle empty additional emails array", "empty@arrays.com", 50, [MULTI_PHONE], False, ONE,
         {"person": MULTI_PHONE}, excluded=["workspaceMember"]),
    case("should handle empty additional phones array", "5551234567", 50, [P2], False, ONE, {"person": P2},
         excluded=["workspaceMember"]),
    case("should handle empty secondary links array", "NaivePortal", 50, [NAIVE_CORP], False, ONE,
         {"company": NAIVE_CORP}, excluded=["workspaceMember"]),
    case("should find CJK records via ILIKE fallback when tsvector tokenization fails", "商业", 50, [CJK_PET], False,
         ZERO, {"pet": CJK_PET}, included=["pet"]),
]


async def search(gateway: GatewayUnderTest, search_input: str, limit: int, *, excluded: list[str] | None = None,
                 included: list[str] | None = None, filter: Any = None, after: str | None = None) -> Any:
    response = await make_graphql_api_request(
        gateway, search_operation(search_input, limit, after, included, excluded, filter)
    )
    assert "errors" not in response.body, response.body  # expectToFail: false
    return response.body["data"]["search"]


@pytest.mark.parametrize(("search_input", "limit", "excluded", "included", "filter", "after", "ids", "has_next",
                          "cursor"), CASES)
async def test_search(
    gateway: GatewayUnderTest, search_input: str, limit: int, excluded: list[str], included: list[str] | None,
    filter: Any, after: dict[str, Any] | None, ids: list[str], has_next: bool, cursor: dict[str, Any] | None,
) -> None:
    result = await search(gateway, search_input, limit, excluded=excluded, included=included, filter=filter,
                          after=encode_cursor_data(after) if after else None)
    edges, page_info = result["edges"], result["pageInfo"]
    assert (len(edges) > 0) == (len(ids) > 0)
    assert [edge["node"]["recordId"] for edge in edges] == ids
    assert page_info["hasNextPage"] == has_next
    end = page_info["endCursor"]
    assert (decode_cursor(end) if end else end) == cursor


async def test_should_return_cursor_for_each_search_edge(gateway: GatewayUnderTest) -> None:
    result = await search(gateway, "searchInput", 2, excluded=EXCLUDED)
    first = encode_cursor_data({"lastRanks": {"tsRankCD": 0.1, "tsRank": 0.06079271},
                                "lastRecordIdsPerObject": {"person": P1}})
    second = encode_cursor_data({"lastRanks": {"tsRankCD": 0.1, "tsRank": 0.06079271},
                                 "lastRecordIdsPerObject": {"person": P2}})
    assert {**result, "edges": [{"cursor": e["cursor"]} for e in result["edges"]]} == {
        "edges": [{"cursor": first}, {"cursor": second}],
        "pageInfo": {"hasNextPage": True, "endCursor": second},
    }


async def test_should_return_cursor_for_each_search_edge_with_after_cursor_input(gateway: GatewayUnderTest) -> None:
    after = encode_cursor_data({"lastRanks": {"tsRank": 0.06079271, "tsRankCD": 0.1},
                                "lastRecordIdsPerObject": {"person": P2}})
    result = await search(gateway, "searchInput", 2, excluded=EXCLUDED, after=after)
    first = encode_cursor_data({"lastRanks": {"tsRankCD": 0.1, "tsRank": 0.06079271},
                                "lastRecordIdsPerObject": {"person": P3}})
    second = encode_cursor_data({"lastRanks": {"tsRankCD": 0.1, "tsRank": 0.06079271},
                                 "lastRecordIdsPerObject": {"person": P3, "pet": PET1}})
    assert {**result, "edges": [{"cursor": e["cursor"]} for e in result["edges"]]} == {
        "edges": [{"cursor": first}, {"cursor": second}],
        "pageInfo": {"hasNextPage": True, "endCursor": second},
    }
