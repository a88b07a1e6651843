"""`searchVector` (TS_VECTOR) as Twenty exposes it: read-only, selectable as `TSVector`,
filtered with `TSVectorFilter { search }`, kept up to date on every write."""

from __future__ import annotations

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_object, data, error

SEARCH = "query($s: String) { people(filter: {searchVector: {search: $s}}) { edges { node { id } } } }"


async def found(gateway: GatewayUnderTest, text: str) -> list[str]:
    return [e["node"]["id"] for e in data(await gateway.graphql(SEARCH, {"s": text}))["people"]["edges"]]


async def test_the_vector_holds_the_searchable_fields_and_follows_updates(gateway: GatewayUnderTest) -> None:
    ada = data(await gateway.graphql(
        'mutation { createPerson(data: {name: {firstName: "Ada", lastName: "Lovelace"}, '
        'emails: {primaryEmail: "ada@example.com"}, jobTitle: "Analyst", city: "London"}) { id searchVector } }'
    ))["createPerson"]
    # Twenty's vector: the e-mail also by its domain; city is not searched
    assert ada["searchVector"] == "'ada':1 'ada@example.com':3 'analyst':5 'example.com':4 'lovelace':2"
    grace = data(await gateway.graphql(
        'mutation { createPerson(data: {name: {firstName: "Grace", lastName: "Hopper"}}) { id } }'
    ))["createPerson"]["id"]
    assert await found(gateway, "lov") == [ada["id"]]  # a word's start
    assert await found(gateway, "Ada LOVE") == [ada["id"]]  # every word, any case
    assert await found(gateway, "ada hopper") == []
    assert await found(gateway, "example.com") == [ada["id"]]  # the e-mail's domain is a word too
    assert sorted(await found(gateway, "")) == sorted([ada["id"], grace])
    renamed = data(await gateway.graphql(
        'mutation($i: UUID!) { updatePerson(id: $i, data: {name: {lastName: "King"}}) { searchVector } }',
        {"i": ada["id"]},
    ))["updatePerson"]
    assert "'king':" in renamed["searchVector"] and "lovelace" not in renamed["searchVector"]
    assert await found(gateway, "lovelace") == []
    negated = data(await gateway.graphql(
        '{ people(filter: {not: {searchVector: {search: "king"}}}) { edges { node { id } } } }'
    ))["people"]["edges"]
    assert [e["node"]["id"] for e in negated] == [grace]


async def test_the_vector_is_typed_and_read_only(gateway: GatewayUnderTest) -> None:
    field = data(await gateway.graphql(
        '{ __type(name: "Person") { fields { name type { name kind } } } }'
    ))["__type"]["fields"]
    assert {"name": "searchVector", "type": {"name": "TSVector", "kind": "SCALAR"}} in field
    refused = error(await gateway.graphql('mutation { createPerson(data: {searchVector: "x"}) { id } }'))
    assert refused["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_custom_objects_search_their_name(gateway: GatewayUnderTest) -> None:
    await create_object(gateway, "gizmo", "gizmos")
    made = data(await gateway.graphql('mutation { createGizmo(data: {name: "Flux capacitor"}) { id searchVector } }'))
    assert made["createGizmo"]["searchVector"] == "'capacitor':2 'flux':1"
    hits = data(await gateway.graphql('{ gizmos(filter: {searchVector: {search: "flu"}}) { totalCount } }'))
    assert hits["gizmos"]["totalCount"] == 1


async def test_hostile_searches_are_literal_and_bounded(gateway: GatewayUnderTest) -> None:
    for text in (".*", "[", "\\", "$where", "a{99999}", "^", "%"):
        assert await found(gateway, text) == [], text  # no pattern: punctuation separates words
    everyone = await found(gateway, "")
    assert sorted(await found(gateway, "(A")) == sorted(await found(gateway, "a")) and everyone  # "(a" is the word "a"
    too_long = error(await gateway.graphql(SEARCH, {"s": "a" * 501}))
    assert "DOCGATE_MAX_PATTERN_LENGTH" in too_long["message"]
