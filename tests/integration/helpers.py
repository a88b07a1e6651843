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


async def create_field(gateway: GatewayUnderTest, object_metadata_id: str, **field: Any) -> dict[str, Any]:
    field.setdefault("label", field["name"].title())
    body = await gateway.metadata(
        "mutation($f: CreateFieldInput!) { createOneField(input: {field: $f}) { id name type } }",
        {"f": {"objectMetadataId": object_metadata_id, **field}},
    )
    created: dict[str, Any] = data(body)["createOneField"]
    return created
