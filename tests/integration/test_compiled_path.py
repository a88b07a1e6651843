"""The compiled path (query plans with generated result shapers) pinned against graphql-core.

For representative documents — the benchmark's own (a person by id, a page of 50 with its
company, REST `depth=1`'s document), nested connections with and without cursors, aliases,
fragments, variables, errors — run by an Admin key and by a restricted key (a field it may
not read, an object it may not read, a row predicate), the compiled plan's answer and
graphql-core's are the same JSON, key order included. And the documents the benchmark sends
are answered by their compiled plan, over HTTP, with no fall-back to graphql-core: a change
that sends them to the slow path fails here, not only in a benchmark.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from graphql import DocumentNode, parse

from bench.scenarios import Q_LIST, Q_ONE
from rest_shim import operations as ops
from schema_builder.compile.query_plans import QueryPlans
from schema_builder.execute.operations import CompiledPlanDiffers, result_to_json, run_operation
from tests.conformance.role_factories import (
    api_key_with_role,
    create_one_role,
    field_id,
    object_ids,
    upsert_field_permissions,
    upsert_object_permissions,
    upsert_row_level_permission_predicates,
)
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data

ALL = {"canReadAllObjectRecords": True, "canUpdateAllObjectRecords": True, "canSoftDeleteAllObjectRecords": True,
       "canDestroyAllObjectRecords": True}
PERSON = "id name { firstName lastName } city jobTitle createdAt position"
DOCUMENTS: list[tuple[str, str, dict[str, Any]]] = [
    ("page with company", f"{{ people(first: 50) {{ edges {{ node {{ {PERSON} company {{ name }} }} }} }} }}", {}),
    ("cursors and pageInfo", "{ people(first: 3, orderBy: [{position: AscNullsFirst}]) { totalCount edges { cursor "
     "node { id } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }", {}),
    ("pageInfo without edge cursors", "{ people(first: 2) { edges { node { id } } pageInfo { startCursor endCursor } }"
     " }", {}),
    ("nested connections", "{ companies(first: 3, orderBy: [{name: AscNullsFirst}]) { edges { node { name "
     "people(first: 2, orderBy: [{city: DescNullsLast}]) { totalCount edges { cursor node { id city "
     "company { name employees } } } pageInfo { endCursor hasNextPage } } } } } }", {}),
    ("aliases, fragments, __typename", "{ a: people(first: 2) { edges { node { __typename ...P n: name { firstName } "
     "... on Person { city } } } } b: companies(first: 2) { __typename edges { node { name } } } } "
     "fragment P on Person { id name { lastName } }", {}),
    ("variables", "query($c: String, $n: Int) { people(first: $n, filter: {city: {eq: $c}}) { totalCount edges "
     "{ node { id city } } } }", {"c": "Paris", "n": 3}),
    ("a root error", '{ person(filter: {id: {eq: "00000000-0000-4000-8000-000000000000"}}) { id } }', {}),
    ("a refused page", "{ people(first: 1, last: 1) { edges { node { id } } } }", {}),
    ("an unreadable relation", "{ people(first: 3) { edges { node { id company { name } } } } }", {}),
    ("row predicates", "{ opportunities { totalCount edges { node { name } } } }", {}),
    ("older names and files", "{ people(first: 8) { edges { node { id avatarFile { fileId label url } noteTargets "
     "{ edges { node { id personId targetPersonId person { id } targetPerson { city } } } } } } } }", {}),
]


@pytest.fixture(scope="module")
async def seeded(gateway: GatewayUnderTest) -> dict[str, Any]:
    companies = data(await gateway.graphql(
        "mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }",
        {"d": [{"name": f"Co {i}", "employees": i * 10} for i in range(3)]},
    ))["createCompanies"]
    people = [{"name": {"firstName": f"F{i}", "lastName": f"L{i}"}, "city": ["Paris", "Rome", None][i % 3],
               "jobTitle": f"job {i}", "emails": {"primaryEmail": f"p{i}@example.com"},
               "phones": {"primaryPhoneNumber": f"06{i:08d}",
                          "additionalPhones": [{"number": "1", "countryCode": "FR"}]},
               "companyId": companies[i % 3]["id"] if i % 4 else None} for i in range(8)]
    made = data(await gateway.graphql(
        "mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }", {"d": people}))["createPeople"]
    data(await gateway.graphql("mutation($p: UUID!, $f: UUID!) { updatePerson(id: $p, data: {avatarFile: "
                               '[{fileId: $f, label: "ada.png"}]}) { id } }',
                               {"p": made[2]["id"], "f": "0b7e7f2e-1c11-4d2b-9f3a-2f1e0d9c8b7a"}))
    note = data(await gateway.graphql('mutation { createNote(data: {title: "n"}) { id } }'))["createNote"]
    data(await gateway.graphql("mutation($n: UUID!, $p: UUID!) { createNoteTarget(data: {noteId: $n, personId: $p}) "
                               "{ id } }", {"n": note["id"], "p": made[2]["id"]}))
    await gateway.graphql("mutation($d: [OpportunityCreateInput!]!) { createOpportunities(data: $d) { id } }",
                          {"d": [{"name": "mine 1"}, {"name": "theirs"}, {"name": "mine 2"}]})
    ids = await object_ids(gateway)
    role = (await create_one_role(gateway, {"label": "Compiled", **ALL}, "id"))[0]["createOneRole"]["id"]
    await upsert_object_permissions(gateway, role, [
        {"objectMetadataId": ids["company"], "canReadObjectRecords": False, "canUpdateObjectRecords": False,
         "canSoftDeleteObjectRecords": False, "canDestroyObjectRecords": False}])
    await upsert_field_permissions(gateway, role, [
        {"objectMetadataId": ids["person"], "fieldMetadataId": await field_id(gateway, "person", "jobTitle"),
         "canReadFieldValue": False}])
    await upsert_row_level_permission_predicates(gateway, {
        "roleId": role, "objectMetadataId": ids["opportunity"], "predicateGroups": [],
        "predicates": [{"fieldMetadataId": await field_id(gateway, "opportunity", "name"), "operand": "CONTAINS",
                        "value": "mine"}]})
    return {"person": made[1]["id"], "restricted": await api_key_with_role(gateway, role, "compiled")}


async def _context(gateway: GatewayUnderTest, token: str) -> Any:
    state = gateway.app.state.gateway
    key = await state.with_permissions(await state.auth.authenticate(f"Bearer {token}"))
    return state.context(key)


async def both(gateway: GatewayUnderTest, token: str, document: DocumentNode,
               variables: dict[str, Any]) -> tuple[bytes, bytes]:
    """(graphql-core's answer, the compiled path's), as JSON, through the one entry point both
    take (a document the role may not run is refused there, before either); the compiled plan
    may not fall back to graphql-core."""
    core = await gateway.app.state.gateway.registry.get(gateway.workspace_id)
    interpreted = await run_operation(core.schema, document, variables, await _context(gateway, token), plans=None)
    plans = QueryPlans()
    compiled = await run_operation(core.schema, document, variables, await _context(gateway, token), plans=plans)
    assert plans.counts["fallback"] == plans.counts["interpreted"] == 0
    return orjson.dumps(result_to_json(interpreted)), orjson.dumps(result_to_json(compiled))


@pytest.mark.parametrize("who", ["admin", "restricted"])
@pytest.mark.parametrize(("name", "query", "variables"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
async def test_the_compiled_path_answers_as_graphql_core(
    gateway: GatewayUnderTest, seeded: dict[str, Any], who: str, name: str, query: str, variables: dict[str, Any]
) -> None:
    token = gateway.token if who == "admin" else seeded["restricted"]
    interpreted, compiled = await both(gateway, token, parse(query), variables)
    assert compiled == interpreted


@pytest.mark.parametrize("who", ["admin", "restricted"])
async def test_the_benchmark_documents_answer_as_graphql_core(
    gateway: GatewayUnderTest, seeded: dict[str, Any], who: str
) -> None:
    token = gateway.token if who == "admin" else seeded["restricted"]
    core = await gateway.app.state.gateway.registry.get(gateway.workspace_id)
    person = core.model.by_plural("people")
    assert person is not None
    for document, variables in ((parse(Q_ONE), {"id": seeded["person"]}), (parse(Q_LIST), {"n": 50})):
        interpreted, compiled = await both(gateway, token, document, variables)
        assert compiled == interpreted
        assert b'"errors"' not in compiled or who == "restricted"
    permissions = (await _context(gateway, token)).permissions
    for kind, depth, variables in ((ops.FIND_MANY, 1, {"first": 50}), (ops.FIND_MANY, 2, {"first": 5}),
                                   (ops.FIND_ONE, 1, {"filter": {"id": {"eq": seeded["person"]}}})):
        op = ops.operation(core, kind, person, depth, None, permissions)
        interpreted, compiled = await both(gateway, token, op.document, variables)
        assert compiled == interpreted
        assert b'"errors"' not in compiled


@pytest.mark.parametrize("who", ["admin", "restricted"])
async def test_rest_plans_answer_one_to_many_relations_as_lists(
    gateway: GatewayUnderTest, seeded: dict[str, Any], who: str
) -> None:
    """Core REST's plans answer a one-to-many relation as the list of its records (what REST
    makes of the connection anyway); REST's answer stays graphql-core's, flattened."""
    token = gateway.token if who == "admin" else seeded["restricted"]
    core = await gateway.app.state.gateway.registry.get(gateway.workspace_id)
    person = core.model.by_plural("people")
    assert person is not None
    context = await _context(gateway, token)
    for kind, depth, variables in ((ops.FIND_MANY, 1, {"first": 50}), (ops.FIND_MANY, 2, {"first": 5}),
                                   (ops.FIND_ONE, 1, {"filter": {"id": {"eq": seeded["person"]}}})):
        op = ops.operation(core, kind, person, depth, None, context.permissions)
        assert "noteTargets" in op.nested_lists
        interpreted = await run_operation(core.schema, op.document, variables, context, plans=None)
        plans = QueryPlans(verify=True)  # checked against graphql-core's answer, connections taken as lists
        compiled = await run_operation(core.schema, op.document, variables, context, plans=plans, lists=True)
        assert plans.counts["compiled"] == 1 and not compiled.errors and compiled.data is not None
        root = compiled.data[op.root_field]
        records = [e["node"] for e in root["edges"]] if op.connection else [root]
        assert records and all(isinstance(r["noteTargets"], list) for r in records)
        assert any(r["noteTargets"] for r in records) or kind == ops.FIND_ONE
        assert interpreted.data is not None
        expected = ops.reshape(op, interpreted.data[op.root_field])
        assert orjson.dumps(ops.reshape(op, root)) == orjson.dumps(expected)


async def test_the_benchmark_requests_take_the_compiled_path(gateway: GatewayUnderTest, seeded: dict[str, Any]) -> None:
    core = await gateway.app.state.gateway.registry.get(gateway.workspace_id)
    before = dict(core.plans.counts)
    for _ in range(2):
        for query, variables in ((Q_ONE, {"id": seeded["person"]}), (Q_LIST, {"n": 50})):
            data(await gateway.graphql(query, variables))
        for path in (f"/rest/people/{seeded['person']}", "/rest/people?limit=50&depth=1"):
            response = await gateway.client.get(path, headers=gateway.headers)
            assert response.status_code == 200, response.text
    counts = core.plans.counts
    assert counts["compiled"] - before.get("compiled", 0) == 8
    assert counts["fallback"] == before.get("fallback", 0)
    assert counts["interpreted"] == before.get("interpreted", 0)


async def test_verifying_plans_turns_a_differing_answer_into_a_failure(
    gateway: GatewayUnderTest, seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The conformance suite runs with DOCGATE_VERIFY_COMPILED_PLANS: this is what makes a
    # compiled plan that answers differently fail a spec there.
    core = await gateway.app.state.gateway.registry.get(gateway.workspace_id)
    document = parse(Q_ONE)
    plans = QueryPlans(verify=True)
    answer = await run_operation(core.schema, document, {"id": seeded["person"]},
                                 await _context(gateway, gateway.token), plans=plans)
    assert plans.counts["compiled"] == 1 and not answer.errors
    plan = plans.get(core.schema, document, None)
    assert plan is not None
    real = plan.execute

    async def off_by_one_name(context: Any, variables: Any) -> Any:
        result = await real(context, variables)
        result.data["person"]["name"]["firstName"] += "!"
        return result

    monkeypatch.setattr(plan, "execute", off_by_one_name)
    with pytest.raises(CompiledPlanDiffers):
        await run_operation(core.schema, document, {"id": seeded["person"]},
                            await _context(gateway, gateway.token), plans=plans)
