"""Compiled query plans answer exactly what graphql-core answers, data and errors alike.

Each query runs twice on the same workspace and data: through its compiled plan and
through graphql-core's executor. The answers must be equal, key order included (clients
and snapshots see the order).
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from graphql import parse

from schema_builder.compile.query_plans import QueryPlan, QueryPlans, Unsupported
from schema_builder.execute.operations import result_to_json, run_operation
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data

PERSON = "id name { firstName lastName } emails { primaryEmail additionalEmails } city createdAt createdBy { source }"
QUERIES: list[tuple[str, dict[str, Any]]] = [
    (f"{{ people(first: 5, orderBy: [{{city: AscNullsLast}}]) {{ totalCount edges {{ cursor node {{ {PERSON} }} }} }}"
     " }", {}),
    ("query($n: Int, $c: String) { people(first: $n, filter: {city: {eq: $c}}) { edges { node { id city } } "
     "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }", {"n": 2, "c": "Paris"}),
    # aliases, the same field twice, fragments, inline fragments, __typename
    ("{ a: people(first: 2) { edges { node { __typename ...P n: name { firstName } ... on Person { city } } } }"
     " b: companies(first: 2) { __typename edges { node { name } } } __typename }"
     " fragment P on Person { id name { lastName } }", {}),
    # relations both ways, with their own arguments, and a related record's relation
    ("{ companies(first: 3, orderBy: [{name: AscNullsFirst}]) { edges { node { name employees "
     "people(first: 2, orderBy: [{city: DescNullsLast}]) { totalCount edges { node { city company { name } } } } }"
     " } } }", {}),
    ("{ people(first: 4) { edges { node { company { name domainName { primaryLinkUrl } } } } } }", {}),
    # root errors: a nullable root field is null, a non-null one nulls `data`
    ('{ person(filter: {id: {eq: "00000000-0000-4000-8000-000000000000"}}) { id } }', {}),
    ("{ people(first: 1, last: 1) { edges { node { id } } } }", {}),
    ('{ ok: people(first: 1) { totalCount } bad: person(filter: {city: {eq: "nowhere"}}) { id } }', {}),
    # arguments coerced by the plan: variables inside literals, in lists, absent, whole inputs
    ('query($c: String, $n: Int) { people(first: $n, filter: {or: [{city: {eq: $c}}, {city: {in: [$c, "Rome"]}}]})'
     " { totalCount edges { node { id city } } } }", {"c": "Paris"}),
    ("query($f: PersonFilterInput, $o: [PersonOrderByInput]) { people(filter: $f, orderBy: $o) "
     "{ edges { node { id } } } }",
     {"f": {"and": [{"city": {"in": ["Paris", "Rome"]}}, {"not": {"name": {"firstName": {"eq": "F0"}}}}]},
      "o": {"city": "DescNullsFirst"}}),
    ("query($c: String) { people(filter: {city: {eq: $c}}) { totalCount } }", {}),
    ("query($c: String) { people(filter: {or: [{city: {eq: $c}}, {city: {eq: \"Rome\"}}]}) { totalCount } }", {}),
]
# Not compiled (directives, introspection) or not run compiled (variables that do not coerce):
# graphql-core answers them, through the same entry point.
FALLBACKS: list[tuple[str, dict[str, Any]]] = [
    ("query($s: Boolean!) { people(first: 2) { edges { node { id city @skip(if: $s) } } } }", {"s": True}),
    ("{ __schema { queryType { name } } }", {}),
    ("query($n: Int) { people(first: $n) { totalCount } }", {"n": "many"}),
    ("query($f: PersonFilterInput) { people(filter: $f) { totalCount } }", {"f": {"nope": {"eq": 1}}}),
    ("query($n: Int = 2) { people(first: $n) { edges { node { id } } } }", {}),
    ("query($c: String) { people(filter: {city: {in: [$c]}}) { totalCount } }", {"c": None}),  # null in [String!]
    ('query($c: String) { people(filter: {city: {in: [$c, "Rome"]}}) { totalCount } }', {}),  # missing, too
]


@pytest.fixture(scope="module")
async def seeded(gateway: GatewayUnderTest) -> GatewayUnderTest:
    companies = data(await gateway.graphql(
        "mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }",
        {"d": [{"name": f"Co {i}", "employees": i * 10, "domainName": {"primaryLinkUrl": f"https://co{i}.example"}}
               for i in range(3)]},
    ))["createCompanies"]
    people = [{"name": {"firstName": f"F{i}", "lastName": f"L{i}"}, "city": ["Paris", "Rome", None][i % 3],
               "emails": {"primaryEmail": f"p{i}@example.com", "additionalEmails": [f"x{i}@example.com"]},
               "companyId": companies[i % 3]["id"] if i % 4 else None} for i in range(8)]
    data(await gateway.graphql("mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }", {"d": people}))
    return gateway


async def answer(gateway: GatewayUnderTest, query: str, variables: dict[str, Any], plans: QueryPlans | None) -> bytes:
    state = gateway.app.state.gateway
    core = await state.registry.get(gateway.workspace_id)
    key = await state.auth.authenticate(gateway.headers["Authorization"])
    result = await run_operation(core.schema, parse(query), variables, state.context(key), plans=plans)
    return orjson.dumps(result_to_json(result))


async def compiled_answer(gateway: GatewayUnderTest, query: str, variables: dict[str, Any]) -> bytes:
    """The answer of the compiled plan itself (no way back to graphql-core)."""
    state = gateway.app.state.gateway
    core = await state.registry.get(gateway.workspace_id)
    key = await state.auth.authenticate(gateway.headers["Authorization"])
    result = await QueryPlan(core.schema, parse(query), None).execute(state.context(key), variables)
    return orjson.dumps(result_to_json(result))


@pytest.mark.parametrize(("query", "variables"), QUERIES)
async def test_compiled_plan_answers_as_graphql_core(
    seeded: GatewayUnderTest, query: str, variables: dict[str, Any]
) -> None:
    expected = await answer(seeded, query, variables, plans=None)
    assert await compiled_answer(seeded, query, variables) == expected


@pytest.mark.parametrize(("query", "variables"), FALLBACKS)
async def test_what_is_not_compiled_is_answered_by_graphql_core(
    seeded: GatewayUnderTest, query: str, variables: dict[str, Any]
) -> None:
    expected = await answer(seeded, query, variables, plans=None)
    assert await answer(seeded, query, variables, plans=QueryPlans()) == expected


async def test_which_operations_are_compiled(seeded: GatewayUnderTest) -> None:
    core = await seeded.app.state.gateway.registry.get(seeded.workspace_id)
    QueryPlan(core.schema, parse("{ people { totalCount } }"), None)
    for query in ("mutation { deletePeople(filter: {}) { id } }", "{ __schema { types { name } } }",
                  "{ people { totalCount @include(if: true) } }"):
        with pytest.raises(Unsupported):
            QueryPlan(core.schema, parse(query), None)
