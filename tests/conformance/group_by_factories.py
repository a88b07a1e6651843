"""Twenty's groupBy operation factory (`test/integration/graphql/utils/group-by-operation-
factory.util.ts`) and the metadata utils its groupBy spec uses, for the ports of its groupBy
specs; the other factories are in `twenty.py`."""

from __future__ import annotations

from typing import Any

from tests.conformance.twenty import Operation, capitalize, make_metadata_api_request
from tests.conftest import GatewayUnderTest


def group_by_operation_factory(
    object_metadata_singular_name: str,
    object_metadata_plural_name: str,
    group_by: list[Any],
    filter: Any = None,
    order_by: list[Any] | None = None,
    order_by_for_records: list[Any] | None = None,
    view_id: str | None = None,
    gql_fields: str | None = None,
    limit: int | None = None,
    offset_for_records: int | None = None,
) -> Operation:
    s, p = capitalize(object_metadata_singular_name), capitalize(object_metadata_plural_name)
    query = f"""
    query {p}GroupBy($groupBy: [{s}GroupByInput!]!, $filter: {s}FilterInput,
                     $orderBy: [{s}OrderByWithGroupByInput!], $orderByForRecords: [{s}OrderByInput!],
                     $viewId: UUID, $limit: Int, $offsetForRecords: Int) {{
      {object_metadata_plural_name}GroupBy(groupBy: $groupBy, filter: $filter, orderBy: $orderBy,
                                           orderByForRecords: $orderByForRecords, viewId: $viewId,
                                           limit: $limit, offsetForRecords: $offsetForRecords) {{
        {gql_fields or ""}
        groupByDimensionValues
        totalCount
      }}
    }}"""
    variables: dict[str, Any] = {
        "groupBy": group_by,
        "filter": filter if filter is not None else {},
        "orderBy": order_by or [],
        "orderByForRecords": order_by_for_records or [],
        "limit": limit,
        "offsetForRecords": offset_for_records,
    }
    if view_id:
        variables["viewId"] = view_id
    return Operation(query, variables)


# The metadata utils the groupBy spec uses (`test/integration/metadata/suites/object-metadata/
# utils/*.util.ts`), reduced to what it reads back.

async def find_object_metadata_id(gateway: GatewayUnderTest, name_singular: str) -> str:
    response = await make_metadata_api_request(gateway, Operation(
        "{ objects(paging: {first: 100}) { edges { node { id nameSingular } } } }", {}))
    return next(e["node"]["id"] for e in response.body["data"]["objects"]["edges"]
                if e["node"]["nameSingular"] == name_singular)


async def create_one_object_metadata(gateway: GatewayUnderTest, input: dict[str, Any]) -> str:
    response = await make_metadata_api_request(gateway, Operation(
        "mutation($input: CreateOneObjectInput!) { createOneObject(input: $input) { id } }",
        {"input": {"object": input}}))
    assert "errors" not in response.body, response.body
    object_id: str = response.body["data"]["createOneObject"]["id"]
    return object_id


async def create_relation_between_objects(
    gateway: GatewayUnderTest, object_metadata_id: str, target_object_metadata_id: str, relation_type: str,
    name: str,
) -> str:
    """`createRelationBetweenObjects`: a RELATION field and its inverse on the target."""
    field = {
        "objectMetadataId": object_metadata_id, "type": "RELATION", "name": name, "label": capitalize(name),
        "relationCreationPayload": {"type": relation_type, "targetObjectMetadataId": target_object_metadata_id,
                                    "targetFieldLabel": "Field Target", "targetFieldIcon": "IconBuildingSkyscraper"},
    }
    response = await make_metadata_api_request(gateway, Operation(
        "mutation($input: CreateOneFieldMetadataInput!) { createOneField(input: $input) { id } }",
        {"input": {"field": field}}))
    assert "errors" not in response.body, response.body
    field_id: str = response.body["data"]["createOneField"]["id"]
    return field_id


async def deactivate_and_delete_field(gateway: GatewayUnderTest, field_id: str) -> None:
    await make_metadata_api_request(gateway, Operation(
        "mutation($input: UpdateOneFieldMetadataInput!) { updateOneField(input: $input) { id } }",
        {"input": {"id": field_id, "update": {"isActive": False}}}))
    await make_metadata_api_request(gateway, Operation(
        "mutation($input: DeleteOneFieldInput!) { deleteOneField(input: $input) { id } }", {"input": {"id": field_id}}))


async def deactivate_and_delete_object(gateway: GatewayUnderTest, object_id: str) -> None:
    await make_metadata_api_request(gateway, Operation(
        "mutation($input: UpdateOneObjectInput!) { updateOneObject(input: $input) { id } }",
        {"input": {"id": object_id, "update": {"isActive": False}}}))
    await make_metadata_api_request(gateway, Operation(
        "mutation($input: DeleteOneObjectInput!) { deleteOneObject(input: $input) { id } }",
        {"input": {"id": object_id}}))
