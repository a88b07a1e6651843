"""The cross-object `search`: found in the same request cycle as a write, gone after a
delete, blind to case and accents, labels first among equals, served by the index, and
bounded against hostile input."""

from __future__ import annotations

from typing import Any

from tests.conformance.search_factories import encode_cursor_data
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data, error

SEARCH = """query($s: String!, $l: Int!, $a: String, $f: ObjectRecordFilterInput, $i: [String!]) {
  search(searchInput: $s, limit: $l, after: $a, filter: $f, includedObjectNameSingulars: $i) {
    edges { node { recordId objectNameSingular objectLabelSingular label imageUrl tsRank tsRankCD } cursor }
    pageInfo { hasNextPage endCursor } } }"""


async def search(gateway: GatewayUnderTest, text: str, limit: int = 20, **variables: Any) -> Any:
    body = await gateway.graphql(SEARCH, {"s": text, "l": limit, **variables})
    return data(body)["search"]


async def ids(gateway: GatewayUnderTest, text: str, **variables: Any) -> list[str]:
    return [e["node"]["recordId"] for e in (await search(gateway, text, **variables))["edges"]]


async def create(gateway: GatewayUnderTest, mutation: str, variables: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = next(iter(data(await gateway.graphql(mutation, variables)).values()))
    return created


PERSON = "mutation($d: PersonCreateInput!) { createPerson(data: $d) { id } }"
COMPANY = "mutation($d: CompanyCreateInput!) { createCompany(data: $d) { id } }"


async def test_a_record_is_found_at_once_and_gone_after_a_delete(gateway: GatewayUnderTest) -> None:
    person = await create(gateway, PERSON, {"d": {"name": {"firstName": "Zéphyrine", "lastName": "Quartz"}}})
    assert await ids(gateway, "zeph") == [person["id"]]  # the same request cycle: no refresh, no delay
    renamed = 'mutation($i: UUID!) { updatePerson(id: $i, data: {name: {lastName: "Onyx"}}) { id } }'
    data(await gateway.graphql(renamed, {"i": person["id"]}))
    assert await ids(gateway, "onyx") == [person["id"]] and await ids(gateway, "quartz") == []
    data(await gateway.graphql("mutation($i: UUID!) { deletePerson(id: $i) { id } }", {"i": person["id"]}))
    assert await ids(gateway, "zeph") == []  # soft-deleted: out of search
    trash = {"deletedAt": {"is": "NOT_NULL"}}
    assert await ids(gateway, "zeph", f=trash) == [person["id"]]  # unless the filter asks for the trash
    data(await gateway.graphql("mutation($i: UUID!) { destroyPerson(id: $i) { id } }", {"i": person["id"]}))
    assert await ids(gateway, "zeph", f=trash) == []


async def test_case_and_accents_do_not_matter(gateway: GatewayUnderTest) -> None:
    jöhn = await create(gateway, PERSON, {"d": {"name": {"firstName": "Jöhn", "lastName": "Ærøskøbing"}}})
    for text in ("jo", "JO", "jö", "JÖHN", "aeroskobing", "ÆRØ", "john aero"):
        assert jöhn["id"] in await ids(gateway, text), text
    assert jöhn["id"] not in await ids(gateway, "johnny")


async def test_labels_answer_first_among_equal_ranks(gateway: GatewayUnderTest) -> None:
    exact = await create(gateway, COMPANY, {"d": {"name": "Kestrel"}})
    start = await create(gateway, COMPANY, {"d": {"name": "Kestrel Aviation"}})
    other = await create(gateway, COMPANY, {"d": {"name": "Falcon", "domainName": {"primaryLinkUrl": "kestrel.io"}}})
    found = await search(gateway, "kestrel", i=["company"])
    nodes = [e["node"] for e in found["edges"]]
    assert [n["recordId"] for n in nodes] == [exact["id"], start["id"], other["id"]]
    assert {n["tsRankCD"] for n in nodes} == {0.1} and {n["tsRank"] for n in nodes} == {0.06079271}
    assert nodes[0]["label"] == "Kestrel" and nodes[0]["objectLabelSingular"] == "Company"
    assert nodes[2]["imageUrl"] == "https://twenty-icons.com/kestrel.io"  # a company's picture: its site's icon
    first = await search(gateway, "kestrel", 1, i=["company"])  # and pages follow that order
    rest = await search(gateway, "kestrel", 5, i=["company"], a=first["pageInfo"]["endCursor"])
    assert [e["node"]["recordId"] for e in first["edges"] + rest["edges"]] == [n["recordId"] for n in nodes]


async def test_more_matches_rank_higher(gateway: GatewayUnderTest) -> None:
    both = await create(gateway, PERSON, {"d": {"name": {"firstName": "Ulrike", "lastName": "Umbra"},
                                                "emails": {"primaryEmail": "ulrike@umbra.org"}}})
    one = await create(gateway, PERSON, {"d": {"name": {"firstName": "Ulrike", "lastName": "Vogel"}}})
    nodes = [e["node"] for e in (await search(gateway, "ulrike umbra", i=["person"]))["edges"]]
    assert [n["recordId"] for n in nodes] == [both["id"], one["id"]]  # every word, then any word
    assert nodes[1]["tsRankCD"] == 0  # not every word: no cover, as Postgres' ts_rank_cd


async def test_hostile_searches_are_refused_or_literal(gateway: GatewayUnderTest) -> None:
    too_many = error(await gateway.graphql(SEARCH, {"s": "a", "l": 101}))
    assert too_many["message"] == "Limit cannot exceed 100 items"
    assert error(await gateway.graphql(SEARCH, {"s": "a", "l": -1}))["extensions"]["code"] == "BAD_USER_INPUT"
    long = error(await gateway.graphql(SEARCH, {"s": "a " * 300, "l": 5}))
    assert "DOCGATE_MAX_PATTERN_LENGTH" in long["message"]
    for cursor in ("not base64!", encode_cursor_data({"lastRanks": "x"}), encode_cursor_data([1]),
                   encode_cursor_data({"lastRanks": {"tsRank": "1", "tsRankCD": 0}, "lastRecordIdsPerObject": {}})):
        refused = error(await gateway.graphql(SEARCH, {"s": "a", "l": 5, "a": cursor}))
        assert refused["extensions"]["code"] == "BAD_USER_INPUT" and "Invalid cursor" in refused["message"]
    for text in (".*", "$regex", "{'$gt': ''}", "\\", "%", "((((((((", "\x00"):
        assert await ids(gateway, text) == [], text  # no operator, no pattern: words only
    deep = {"and": [{"or": [{"not": {"id": {"is": "NULL"}}}]}]}
    for _ in range(15):
        deep = {"and": [deep]}
    assert "DOCGATE_MAX_FILTER_DEPTH" in error(await gateway.graphql(SEARCH, {"s": "a", "l": 5, "f": deep}))["message"]


async def test_the_index_answers_searches(gateway: GatewayUnderTest) -> None:
    """The search reads the index: SecantusDB and MongoDB both plan an index scan."""
    await gateway.app.state.gateway.search_indexer.idle.wait()  # the collection's indexes exist
    people = gateway.db.records(gateway.workspace_id, "person")
    info = await gateway.db.control.command("buildInfo")
    bounds = {"$gte": "jo", "$lt": "jp"}
    query = {"_searchTokens": bounds if "secantusVersion" in info else {"$elemMatch": bounds}}
    plan = str(await people.find(query).explain())
    assert "IXSCAN" in plan and "_searchTokens" in plan
