"""Every other surface obeys a key's role: its OpenAPI documents and MCP tools show only what it
may do, record counts count only its rows, delete cascades never change what it could not, and
hostile documents (aliases, fragments, variables, introspection) do not get past the check."""

from __future__ import annotations

from typing import Any

import pytest

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


@pytest.fixture(scope="module")
async def keys(gateway: GatewayUnderTest) -> dict[str, Any]:
    ids = await object_ids(gateway)
    made, _ = await create_one_role(gateway, {"label": "Narrow", **ALL}, "id")
    role = made["createOneRole"]["id"]
    await upsert_object_permissions(gateway, role, [
        {"objectMetadataId": ids["company"], "canReadObjectRecords": False, "canUpdateObjectRecords": False,
         "canSoftDeleteObjectRecords": False, "canDestroyObjectRecords": False},
        {"objectMetadataId": ids["note"], "canUpdateObjectRecords": False, "canSoftDeleteObjectRecords": False,
         "canDestroyObjectRecords": False},
    ])
    await upsert_field_permissions(gateway, role, [
        {"objectMetadataId": ids["person"], "fieldMetadataId": await field_id(gateway, "person", "jobTitle"),
         "canReadFieldValue": False},
        {"objectMetadataId": ids["person"], "fieldMetadataId": await field_id(gateway, "person", "city"),
         "canUpdateFieldValue": False},
    ])
    await upsert_row_level_permission_predicates(gateway, {
        "roleId": role, "objectMetadataId": ids["opportunity"], "predicateGroups": [],
        "predicates": [{"fieldMetadataId": await field_id(gateway, "opportunity", "name"), "operand": "CONTAINS",
                        "value": "mine"}]})
    return {"token": await api_key_with_role(gateway, role, "narrow"), "role": role, "ids": ids}


async def get(gateway: GatewayUnderTest, path: str, token: str) -> Any:
    response = await gateway.client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_openapi_documents_show_only_what_the_role_may_do(gateway: GatewayUnderTest,
                                                                    keys: dict[str, Any]) -> None:
    full = await get(gateway, "/rest/open-api/core", gateway.token)
    mine = await get(gateway, "/rest/open-api/core", keys["token"])
    assert "/companies" in full["paths"] and "/companies" not in mine["paths"]
    assert "CompanyForResponse" not in mine["components"]["schemas"]
    assert set(mine["paths"]["/notes"]) == {"get"} and "/batch/notes" not in mine["paths"]
    assert "/restore/notes" not in mine["paths"] and set(mine["paths"]["/notes/{id}"]) == {"get"}
    person = mine["components"]["schemas"]
    assert "jobTitle" not in person["PersonForResponse"]["properties"]
    assert "city" in person["PersonForResponse"]["properties"]
    assert "city" not in person["Person"]["properties"] and "city" not in person["PersonForUpdate"]["properties"]
    assert "company" not in person["PersonForResponse"]["properties"]  # a relation to an unreadable object
    metadata = await get(gateway, "/rest/open-api/metadata", keys["token"])
    assert "/webhooks" not in metadata["paths"] and "/apiKeys" not in metadata["paths"]
    assert set(metadata["paths"]["/objects"]) == {"get"}
    admin_metadata = await get(gateway, "/rest/open-api/metadata", gateway.token)
    assert "/webhooks" in admin_metadata["paths"]


async def rpc(gateway: GatewayUnderTest, token: str, method: str, params: dict[str, Any] | None = None,
              mode: str = "direct") -> Any:
    response = await gateway.client.post(
        "/mcp?mode=direct" if mode == "direct" else "/mcp",
        json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()["result"]


async def test_mcp_lists_and_runs_only_what_the_role_may_do(gateway: GatewayUnderTest, keys: dict[str, Any]) -> None:
    names = {t["name"] for t in (await rpc(gateway, keys["token"], "tools/list"))["tools"]}
    assert "find_many_people" in names and "update_one_person" in names
    assert not any(n.endswith(("_companies", "_company")) for n in names)
    assert "find_many_notes" in names and "create_one_note" not in names and "delete_many_notes" not in names
    data(await gateway.graphql('mutation { createPerson(data: {jobTitle: "Hidden title", city: "Oslo"}) { id } }'))
    result = await rpc(gateway, keys["token"], "tools/call", {"name": "find_many_people", "arguments": {"limit": 5}})
    assert not result.get("isError"), result
    text = result["content"][0]["text"]
    assert "Hidden title" not in text and "Oslo" in text  # the unreadable field is not selected
    described = await rpc(gateway, keys["token"], "tools/call",
                          {"name": "get_object_metadata", "arguments": {"objectNameSingular": "person"}})
    assert '"jobTitle"' not in described["content"][0]["text"]
    listing = await rpc(gateway, keys["token"], "tools/call", {"name": "list_object_metadata_names", "arguments": {}})
    assert '"company"' not in listing["content"][0]["text"]
    refused = await rpc(gateway, keys["token"], "tools/call", {
        "name": "execute_tool", "arguments": {"toolName": "create_one_company", "arguments": {"name": "x"}}},
        mode="catalog")
    assert refused.get("isError")


async def test_record_counts_count_only_the_roles_objects_and_rows(gateway: GatewayUnderTest,
                                                                   keys: dict[str, Any]) -> None:
    for name in ("mine one", "mine two", "theirs"):
        data(await gateway.graphql("mutation($n: String) { createOpportunity(data: {name: $n}) { id } }", {"n": name}))
    query = {"query": "{ objectRecordCounts { objectNamePlural totalCount } }"}
    response = await gateway.client.post("/metadata", json=query, headers={"Authorization": f"Bearer {keys['token']}"})
    counts = {c["objectNamePlural"]: c["totalCount"] for c in response.json()["data"]["objectRecordCounts"]}
    assert "companies" not in counts and counts["opportunities"] == 2


async def test_a_delete_cascade_never_changes_what_the_role_could_not(gateway: GatewayUnderTest) -> None:
    ids = await object_ids(gateway)
    made, _ = await create_one_role(gateway, {"label": "NoteKeeper", **ALL}, "id")
    role = made["createOneRole"]["id"]
    await upsert_row_level_permission_predicates(gateway, {
        "roleId": role, "objectMetadataId": ids["noteTarget"], "predicateGroups": [],
        "predicates": [{"fieldMetadataId": await field_id(gateway, "noteTarget", "targetPerson"),
                        "operand": "IS_NOT_EMPTY"}]})
    token = await api_key_with_role(gateway, role, "note keeper")
    note = data(await gateway.graphql('mutation { createNote(data: {title: "shared"}) { id } }'))["createNote"]["id"]
    target = data(await gateway.graphql("mutation($n: UUID!) { createNoteTarget(data: {noteId: $n}) { id } }",
                                        {"n": note}))["createNoteTarget"]["id"]
    # the note's target (no person) is outside the role's rows: trashing or destroying the note
    # would change it too (the cascade), so neither is done
    for mutation in ("deleteNote", "destroyNote"):
        body = await gateway.graphql(f"mutation($id: UUID!) {{ {mutation}(id: $id) {{ id }} }}", {"id": note},
                                     token=token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    kept = data(await gateway.graphql("query($id: UUID!) { noteTarget(filter: {id: {eq: $id}}) { id deletedAt } }",
                                      {"id": target}))
    assert kept["noteTarget"] == {"id": target, "deletedAt": None}
    still = data(await gateway.graphql("query($id: UUID!) { note(filter: {id: {eq: $id}}) { deletedAt } }",
                                       {"id": note}))
    assert still["note"]["deletedAt"] is None


HOSTILE = [
    # the unreadable field behind an alias, a fragment, an inline fragment, a nested relation
    "{ people { edges { node { id title: jobTitle } } } }",
    "{ people { edges { node { ...P } } } } fragment P on Person { jobTitle }",
    "{ people { edges { node { ... on Person { jobTitle } } } } }",
    "{ opportunities { edges { node { id pointOfContact { jobTitle } } } } }",
    # the unreadable object through a relation from a readable one, and directly
    "{ people { edges { node { id company { id } } } } }",
    "{ companies { totalCount } }",
    '{ company(filter: {id: {eq: "00000000-0000-4000-8000-000000000000"}}) { id } }',
    # writing what the role may not, hidden among allowed root fields
    '{ people { totalCount } } mutation M { createCompany(data: {name: "x"}) { id } }',
]


@pytest.mark.parametrize("query", HOSTILE)
async def test_hostile_documents_are_refused_before_anything_runs(
    gateway: GatewayUnderTest, keys: dict[str, Any], query: str
) -> None:
    before = await gateway.db.records(gateway.workspace_id, "company").count_documents({})
    body = await gateway.graphql(query, token=keys["token"])
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    assert await gateway.db.records(gateway.workspace_id, "company").count_documents({}) == before


async def test_variables_cannot_smuggle_an_unreadable_field_into_a_filter(gateway: GatewayUnderTest,
                                                                         keys: dict[str, Any]) -> None:
    for variables in ({"f": {"jobTitle": {"eq": "x"}}},
                      {"f": {"or": [{"id": {"is": "NULL"}}, {"jobTitle": {"eq": "x"}}]}},
                      {"f": {"not": {"jobTitle": {"is": "NULL"}}}}, {"f": {"company": {"name": {"eq": "x"}}}}):
        body = await gateway.graphql("query($f: PersonFilterInput) { people(filter: $f) { totalCount } }", variables,
                                     token=keys["token"])
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (variables, body)
    ordered = await gateway.graphql("query($o: [PersonOrderByInput]) { people(orderBy: $o) { totalCount } }",
                                    {"o": [{"jobTitle": "AscNullsLast"}]}, token=keys["token"])
    assert ordered["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    allowed = await gateway.graphql("query($f: PersonFilterInput) { people(filter: $f) { totalCount } }",
                                    {"f": {"city": {"eq": "x"}}}, token=keys["token"])
    assert "errors" not in allowed


async def test_introspection_is_the_same_for_every_key(gateway: GatewayUnderTest, keys: dict[str, Any]) -> None:
    query = '{ __type(name: "Person") { fields { name } } }'
    mine = await gateway.graphql(query, token=keys["token"])
    assert data(mine) == data(await gateway.graphql(query))
