"""Hostile documents are refused before they run, quickly and within a memory bound.

Each test sends the shape that motivated a limit (issue 12) and asserts Twenty's answer and
that the gateway's memory (traced allocations while it handles the request) stays bounded.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data

MB = 2**20


async def measured(work: Callable[[], Awaitable[Any]]) -> tuple[Any, float, float]:
    """(result, seconds, peak MB of memory allocated while it ran)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = await work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, time.perf_counter() - started, peak / MB


def refusal(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    return error  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
async def staffed(gateway: GatewayUnderTest) -> None:
    """A company with 30 people, so that a query that ran would have work to do."""
    company = data(await gateway.graphql('mutation { createCompany(data: {name: "Costly"}) { id } }'))
    people = [{"jobTitle": f"p{i}", "companyId": company["createCompany"]["id"]} for i in range(30)]
    data(await gateway.graphql("mutation($d: [PersonCreateInput]!) { createPeople(data: $d) { id } }", {"d": people}))


async def test_a_one_to_many_relation_inside_another_is_refused(gateway: GatewayUnderTest, staffed: None) -> None:
    node = "id"
    for _ in range(3):  # people → company → people → company → …
        node = f"id company {{ id people {{ edges {{ node {{ {node} }} }} }} }}"
    query = f"{{ people(first: 200) {{ edges {{ node {{ {node} }} }} }} }}"
    body, seconds, peak = await measured(lambda: gateway.graphql(query))
    error = refusal(body)
    assert error["message"] == (
        "Query complexity is too high. One-to-Many relation cannot be nested in another One-to-Many relation."
    )
    assert error["extensions"]["subCode"] == "TOO_COMPLEX_QUERY"
    assert seconds < 1 and peak < 20


async def test_one_level_of_one_to_many_under_a_root_list_still_runs(gateway: GatewayUnderTest, staffed: None) -> None:
    body = await gateway.graphql(
        '{ companies(filter: {name: {eq: "Costly"}}) { edges { node { people { totalCount } } } } }'
    )
    assert data(body)["companies"]["edges"][0]["node"]["people"]["totalCount"] == 30


@pytest.mark.parametrize(
    ("aliases", "selection"),
    [(1000, "people(first: 200) { edges { node { id } } }"), (3000, "people { totalCount }")],
)
async def test_aliases_of_a_root_field_are_refused(
    gateway: GatewayUnderTest, staffed: None, aliases: int, selection: str
) -> None:
    query = "{ " + " ".join(f"a{i}: {selection}" for i in range(aliases)) + " }"
    body, seconds, peak = await measured(lambda: gateway.graphql(query))
    assert refusal(body)["message"] == 'Duplicate root resolver: "people"'
    assert seconds < 6 and peak < 100  # traced allocations slow parsing several times over


async def test_root_resolvers_are_capped_at_twenty(gateway: GatewayUnderTest) -> None:
    roots = ["people", "companies", "opportunities", "notes", "tasks", "noteTargets", "taskTargets",
             "workspaceMembers"]
    ok = await gateway.graphql("{ " + " ".join(f"{r} {{ totalCount }}" for r in roots) + " }")
    assert "errors" not in ok
    many = " ".join(f"t{i}: __typename" for i in range(25))
    # __typename is not a resolver (Twenty skips `__` fields): 25 of them are not 25 roots.
    assert "errors" not in await gateway.graphql("{ " + many + " }")


async def test_thousands_of_fields_are_refused_quickly(gateway: GatewayUnderTest) -> None:
    query = "{ " + " ".join("__typename" for _ in range(8000)) + " }"
    body, seconds, peak = await measured(lambda: gateway.graphql(query))
    error = refusal(body)
    assert error["message"] == "Query too complex - Too many fields requested: 8000 - Maximum allowed fields: 2000"
    assert seconds < 3 and peak < 50
    # 20,000 aliases do not even get parsed: the text is too long.
    aliases = "{ " + " ".join(f"t{i}: __typename" for i in range(20_000)) + " }"
    body, seconds, peak = await measured(lambda: gateway.graphql(aliases))
    assert refusal(body)["message"].startswith("Query too large")
    assert seconds < 1 and peak < 20


async def test_a_fragment_bomb_is_measured_without_expanding_it(gateway: GatewayUnderTest) -> None:
    # F0 spreads F1 twice, F1 spreads F2 twice, …: 2^30 fields once expanded.
    fragments = [f"fragment F{i} on Person {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30)]
    fragments.append("fragment F30 on Person { id }")
    query = "{ people { edges { node { ...F0 } } } } " + " ".join(fragments)
    body, seconds, peak = await measured(lambda: gateway.graphql(query))
    assert refusal(body)["message"].startswith("Query too complex - Too many fields requested: 107374")
    assert seconds < 1 and peak < 20


async def test_deep_nesting_is_refused(gateway: GatewayUnderTest) -> None:
    inner = "name"
    for _ in range(25):
        inner = f"ofType {{ {inner} }}"
    body = await gateway.graphql(f'{{ __type(name: "Person") {{ {inner} }} }}')
    assert refusal(body)["message"].startswith("Query too complex - Too many nested fields requested: 27")


async def test_introspection_lists_cannot_nest(gateway: GatewayUnderTest) -> None:
    query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    body, seconds, peak = await measured(lambda: gateway.graphql(query))
    assert body["errors"][0]["message"] == "Maximum introspection depth exceeded"  # graphql-core's own rule
    assert seconds < 1 and peak < 20
    # The introspection query of GraphQL tools still runs.
    full = await gateway.graphql(
        "{ __schema { types { name fields { name args { name type { name ofType { name } } } "
        "type { name ofType { name ofType { name } } } } inputFields { name } enumValues { name } "
        "interfaces { name } possibleTypes { name } } } }"
    )
    assert "errors" not in full


@pytest.mark.parametrize(
    ("query", "start"),
    [
        ("{ " + " ".join(f"a{i}: __typename" for i in range(150)) + " }", "Query too complex - Too many aliases: 150"),
        ("{ people { totalCount } } " + " ".join(f"fragment F{i} on Person {{ id }}" for i in range(150)),
         "Query too complex - Too many fragments defined: 150"),
        ("{ people @include(if: true) { totalCount " + " ".join("__typename @skip(if: false)" for _ in range(60))
         + " } }", "Query too complex - Too many directives: 61"),
    ],
    ids=["aliases", "fragments", "directives"],
)
async def test_aliases_fragments_and_directives_are_capped(gateway: GatewayUnderTest, query: str, start: str) -> None:
    assert refusal(await gateway.graphql(query))["message"].startswith(start)


async def test_a_huge_query_text_is_refused_before_it_is_parsed(gateway: GatewayUnderTest) -> None:
    query = "{ people { totalCount } }" + " " * 200_000
    body, seconds, peak = await measured(lambda: gateway.graphql(query))
    assert refusal(body)["message"].startswith("Query too large - 200025 characters - Maximum allowed: 100000")
    assert seconds < 1


async def test_too_many_tokens_stop_the_parser(gateway: GatewayUnderTest) -> None:
    query = "{ people(filter: {position: {in: [" + ",".join(["1"] * 40_000) + "]}}) { totalCount } }"
    body = await gateway.graphql(query)
    [error] = body["errors"]
    assert "Document contains more than 30000 tokens" in error["message"]


async def test_many_distinct_large_documents_leave_memory_bounded(gateway: GatewayUnderTest) -> None:
    """Sixty different large query texts: the parsed-document cache keeps a bounded share."""

    async def send_all() -> None:
        for n in range(60):
            fields = " ".join(f"a{i}_{n}: id" for i in range(95))
            query = f"{{ people(first: 1) {{ edges {{ node {{ {fields} }} }} }} }}" + " " * 90_000
            assert "errors" not in await gateway.graphql(query)

    _, _, peak = await measured(send_all)
    parsed = gateway.app.state.gateway.parsed
    assert parsed.bytes <= parsed.max_bytes
    assert peak < 150


async def test_the_metadata_api_has_the_same_limits(gateway: GatewayUnderTest) -> None:
    query = "{ " + " ".join(f"t{i}: __typename" for i in range(3000)) + " }"
    body = await gateway.metadata(query)
    assert body["errors"][0]["message"].startswith("Query too complex - Too many fields requested: 3000")
