"""Helpers shared by the integration tests: metadata set-up and GraphQL assertions."""

from __future__ import annotations

from typing import Any

from tests.conftest import GatewayUnderTest


def data(body: dict[str, Any]) -> Any:
    """The `data` of a GraphQL answer that must have no errors."""
    assert "errors" not in body, body["errors"]
    return body["data"]


def error(body: dict[str, Any]) -> dict[str, Any]:
    """The single error of a GraphQL answer that must have failed."""
    assert body.get("errors"), body
    first: dict[str, Any] = body["errors"][0]
    return first


async def object_id(gateway: GatewayUnderTest, name: str) -> str:
    body = await gateway.metadata("{ objects(paging: {first: 1000}) { edges { node { id nameSingular } } } }")
    for edge in data(body)["objects"]["edges"]:
        if edge["node"]["nameSingular"] == name:
            return str(edge["node"]["id"])
    raise AssertionError(f"no object {name}")


async def create_object(gateway: GatewayUnderTest, singular: str, plural: str) -> str:
    body = await gateway.metadata(
        "mutation($o: CreateObjectInput!) { createOneObject(input: {object: $o}) { id } }",
        {"o": {"nameSingular": singular, "namePlural": plural, "labelSingular": singular.title(),
               "labelPlural": plural.title()}},
    )
    return str(data(body)["createOneObject"]["id"])


# Types Twenty keeps from clients' createOneField (NUMERIC: "use NUMBER"; POSITION: a system
# type), but which its own objects hold: tests that need one make it as docgate makes its own.
INTERNAL_TYPES = ("NUMERIC", "POSITION")


async def create_internal_field(gateway: GatewayUnderTest, object_metadata_id: str, **field: Any) -> dict[str, Any]:
    from schema_builder.metadata.store import MetadataStore

    store = MetadataStore(gateway.db.control, gateway.db.workspace(gateway.workspace_id), gateway.workspace_id,
                          gateway.app.state.gateway.on_metadata_change)
    doc = await store.create_field({"objectMetadataId": object_metadata_id, **field}, internal=True)
    return {"id": doc["_id"], "name": doc["name"], "type": doc["type"]}


async def create_field(gateway: GatewayUnderTest, object_metadata_id: str, **field: Any) -> dict[str, Any]:
    field.setdefault("label", field["name"].title())
    if field["type"] == "FILES":  # Twenty asks FILES fields for their limit
        field.setdefault("settings", {"maxNumberOfValues": 10})
    if field["type"] in INTERNAL_TYPES:
        return await create_internal_field(gateway, object_metadata_id, **field)
    body = await gateway.metadata(
        "mutation($f: CreateFieldInput!) { createOneField(input: {field: $f}) { id name type } }",
        {"f": {"objectMetadataId": object_metadata_id, **field}},
    )
    created: dict[str, Any] = data(body)["createOneField"]
    return created
