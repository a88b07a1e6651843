"""The synthesised schema: SDL endpoint, introspection, hot reload after a metadata change."""

from __future__ import annotations

import asyncio

from graphql import build_client_schema, get_introspection_query

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_field, create_object, data, error


async def test_sdl_is_served_with_twenty_names(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/graphql?sdl", headers=gateway.headers)
    assert response.status_code == 200
    sdl = response.text
    for name in ("type Person {", "type PersonConnection {", "type PersonEdge {", "input PersonFilterInput {",
                 "input PersonOrderByInput {", "input PersonCreateInput {", "input PersonUpdateInput {",
                 "enum OpportunityStageEnum {", "type FullName {", "type Emails {", "type Links {",
                 "type Currency {", "type Address {", "type Phones {", "type Actor {", "type RichText {",
                 "scalar UUID", "scalar DateTime", "scalar BigFloat", "scalar Cursor",
                 "createPeople(data: [PersonCreateInput]!, upsert: Boolean): [Person!]"):
        assert name in sdl, name


async def test_introspection_loads_in_standard_tooling(gateway: GatewayUnderTest) -> None:
    body = await gateway.graphql(get_introspection_query())
    schema = build_client_schema(data(body))
    assert "people" in schema.query_type.fields  # type: ignore[union-attr]
    assert "createPerson" in schema.mutation_type.fields  # type: ignore[union-attr]


async def test_metadata_change_is_visible_on_the_next_request(gateway: GatewayUnderTest) -> None:
    missing = await gateway.graphql("{ gadgets { totalCount } }")
    assert error(missing)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    gadget = await create_object(gateway, "gadget", "gadgets")
    assert data(await gateway.graphql("{ gadgets { totalCount } }")) == {"gadgets": {"totalCount": 0}}
    await create_field(gateway, gadget, name="weight", type="NUMBER")
    created = await gateway.graphql("mutation { createGadget(data: {weight: 1.5}) { weight } }")
    assert data(created) == {"createGadget": {"weight": 1.5}}


async def test_other_replicas_see_changes_through_polling(gateway: GatewayUnderTest) -> None:
    """A change written straight to the store (as another replica would) is picked up."""
    from schema_builder.metadata.store import MetadataStore

    store = MetadataStore(gateway.db.control, gateway.db.workspace(gateway.workspace_id), gateway.workspace_id)
    await store.create_object({"nameSingular": "widget", "namePlural": "widgets",
                               "labelSingular": "Widget", "labelPlural": "Widgets"})
    for _ in range(50):
        body = await gateway.graphql("{ widgets { totalCount } }")
        if "errors" not in body:
            break
        await asyncio.sleep(0.1)
    assert data(body) == {"widgets": {"totalCount": 0}}


async def test_schemas_of_workspaces_are_separate(gateway: GatewayUnderTest) -> None:
    _, other_token = await gateway.new_workspace("other-schema")
    await create_object(gateway, "secretThing", "secretThings")
    body = await gateway.graphql("{ secretThings { totalCount } }", token=other_token)
    assert error(body)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
