"""`createdBy` and `updatedBy` (ACTOR) as Twenty maintains them.

On create both name the caller (an API key: source API, the key's name); a client may give
`createdBy` — its source alone, or who created the record (name, workspace member) when
importing — and never `updatedBy`. Each update sets `updatedBy` to the caller; an upsert that
updates keeps the record's `createdBy`.
"""

from __future__ import annotations

from gateway.apikeys import create_api_key
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data, error
from tests.rest_shim.core_rest_helpers import ok

ACTORS = "createdBy { source name workspaceMemberId context } updatedBy { source name workspaceMemberId }"
KEY = {"source": "API", "name": "default", "workspaceMemberId": None}


async def test_a_new_record_is_created_and_updated_by_the_calling_key(gateway: GatewayUnderTest) -> None:
    person = data(await gateway.graphql(f'mutation {{ createPerson(data: {{jobTitle: "a"}}) {{ {ACTORS} }} }}'))
    assert person["createPerson"]["createdBy"] == {**KEY, "context": {}}
    assert person["createPerson"]["updatedBy"] == KEY


async def test_created_by_given_on_create(gateway: GatewayUnderTest) -> None:
    source_only = data(await gateway.graphql(
        f"mutation {{ createPerson(data: {{createdBy: {{source: IMPORT}}}}) {{ {ACTORS} }} }}"
    ))["createPerson"]
    assert source_only["createdBy"] == {**KEY, "source": "IMPORT", "context": {}}  # the caller, with that source
    member = data(await gateway.graphql(
        'mutation { createWorkspaceMember(data: {name: {firstName: "Grace"}}) { id } }'
    ))
    member_id = member["createWorkspaceMember"]["id"]
    named = data(await gateway.graphql(
        f"mutation($m: UUID) {{ createPerson(data: {{createdBy: {{source: MANUAL, name: \"Grace Hopper\", "
        f"workspaceMemberId: $m}}}}) {{ {ACTORS} }} }}", {"m": member_id},
    ))["createPerson"]
    assert named["createdBy"] == {"source": "MANUAL", "name": "Grace Hopper", "workspaceMemberId": member_id,
                                  "context": {}}
    assert named["updatedBy"] == KEY  # updatedBy is always the caller
    rest = await ok(gateway, "POST", "people", {"createdBy": {"source": "IMPORT", "name": "CSV import"}})
    assert rest["data"]["createPerson"]["createdBy"]["name"] == "CSV import"
    assert rest["data"]["createPerson"]["createdBy"]["source"] == "IMPORT"


async def test_updates_record_who_updated_and_keep_who_created(gateway: GatewayUnderTest) -> None:
    created = data(await gateway.graphql(
        'mutation { createPerson(data: {emails: {primaryEmail: "actor@example.com"}}) { id } }'
    ))["createPerson"]
    _, robot = await create_api_key(gateway.db.control, gateway.workspace_id, "robot")
    updated = data(await gateway.graphql(
        f'mutation($i: UUID!) {{ updatePerson(id: $i, data: {{jobTitle: "b"}}) {{ {ACTORS} }} }}',
        {"i": created["id"]}, token=robot,
    ))["updatePerson"]
    assert updated["createdBy"]["name"] == "default" and updated["updatedBy"]["name"] == "robot"
    upserted = data(await gateway.graphql(
        f"mutation {{ createPerson(upsert: true, data: {{emails: {{primaryEmail: \"actor@example.com\"}}, "
        f"createdBy: {{source: IMPORT, name: \"someone else\"}}}}) {{ id {ACTORS} }} }}"
    ))["createPerson"]
    assert upserted["id"] == created["id"]
    assert upserted["createdBy"]["name"] == "default" and upserted["updatedBy"]["name"] == "default"


async def test_actor_fields_are_not_written_otherwise(gateway: GatewayUnderTest) -> None:
    for mutation in ('mutation { createPerson(data: {updatedBy: {source: API}}) { id } }',
                     'mutation { updatePeople(filter: {jobTitle: {eq: "x"}}, data: {createdBy: {source: API}}) '
                     "{ id } }"):
        assert error(await gateway.graphql(mutation))["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_created_by_context_must_be_storable(gateway: GatewayUnderTest) -> None:
    refused = error(await gateway.graphql(
        'mutation($c: JSON) { createPerson(data: {createdBy: {source: API, name: "x", context: $c}}) { id } }',
        {"c": {"$set": {"deletedAt": None}}},
    ))
    assert refused["extensions"]["code"] == "BAD_USER_INPUT" and "createdBy.context" in refused["message"]
