"""The helpers of Twenty's Metadata API specs, for their ports: operation factories, the
`createOneObjectMetadata`-style utils, and the REST metadata utils and assertions.

Python equals of `test/integration/metadata/suites/{object,field}-metadata/utils/*`,
`test/integration/rest/utils/metadata-rest-api.util.ts` and `rest-test-assertions.util.ts`
(revision 41d242555963991041c474c5267df7d174c6a972), so that a port reads like its spec. Each
util returns `(data, errors)` as Twenty's do (`{data: response.body.data, errors: response.body.errors}`).
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from tests.conformance.twenty import Operation, Response, make_metadata_api_request
from tests.conftest import GatewayUnderTest

NON_EXISTENT_UUID = "00000000-0000-4000-8000-000000000000"
Result = tuple[Any, Any]  # (data, errors)


def unique_suffix() -> str:
    """`Math.random().toString(36).slice(2, 10)`: eight lower-case letters and digits."""
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(8))


async def _perform(gateway: GatewayUnderTest, operation: Operation, token: str | None = "default") -> Result:
    response = await make_metadata_api_request(gateway, operation, token)
    return response.body.get("data"), response.body.get("errors")


# ---- objects ------------------------------------------------------------------------------


def get_mock_create_object_input(**overrides: Any) -> dict[str, Any]:
    """`getMockCreateObjectInput(overrides)`."""
    return {
        "namePlural": "listingas",
        "nameSingular": "listinga",
        "labelPlural": "Listings",
        "labelSingular": "Listing",
        "description": "Listing object",
        "icon": "IconListNumbers",
        "isLabelSyncedWithName": False,
        **overrides,
    }


def create_one_object_metadata_query_factory(input: dict[str, Any], gql_fields: str = "id") -> Operation:
    query = f"""
        mutation CreateOneObjectMetadataItem($input: CreateOneObjectInput!) {{
          createOneObject(input: $input) {{ {gql_fields} }}
        }}"""
    return Operation(query, {"input": {"object": input}})


async def create_one_object_metadata(
    gateway: GatewayUnderTest, input: dict[str, Any], gql_fields: str = "id", token: str | None = "default"
) -> Result:
    return await _perform(gateway, create_one_object_metadata_query_factory(input, gql_fields), token)


def update_one_object_metadata_query_factory(
    id_to_update: str, update_payload: dict[str, Any], gql_fields: str = "id"
) -> Operation:
    query = f"""
        mutation UpdateOneObjectMetadataItem($idToUpdate: UUID!, $updatePayload: UpdateObjectPayload!) {{
          updateOneObject(input: {{id: $idToUpdate, update: $updatePayload}}) {{ {gql_fields} }}
        }}"""
    return Operation(query, {"idToUpdate": id_to_update, "updatePayload": update_payload})


async def update_one_object_metadata(
    gateway: GatewayUnderTest, id_to_update: str, update_payload: dict[str, Any], gql_fields: str = "id"
) -> Result:
    return await _perform(gateway, update_one_object_metadata_query_factory(id_to_update, update_payload, gql_fields))


def delete_one_object_metadata_query_factory(id_to_delete: str, gql_fields: str = "id") -> Operation:
    query = f"""
        mutation DeleteOneObjectMetadataItem($idToDelete: UUID!) {{
          deleteOneObject(input: {{ id: $idToDelete }}) {{ {gql_fields} }}
        }}"""
    return Operation(query, {"idToDelete": id_to_delete})


async def delete_one_object_metadata(gateway: GatewayUnderTest, id_to_delete: str, gql_fields: str = "id") -> Result:
    return await _perform(gateway, delete_one_object_metadata_query_factory(id_to_delete, gql_fields))


def find_many_object_metadata_query_factory(
    filter: dict[str, Any] | None = None, paging: dict[str, Any] | None = None, gql_fields: str = "id"
) -> Operation:
    query = f"""
      query ObjectsMetadata($filter: ObjectFilter!, $paging: CursorPaging!) {{
        objects(filter: $filter, paging: $paging) {{ edges {{ node {{ {gql_fields} }} }} }}
      }}"""
    return Operation(query, {"filter": filter or {}, "paging": paging or {}})


async def find_many_object_metadata(
    gateway: GatewayUnderTest, filter: dict[str, Any] | None = None, paging: dict[str, Any] | None = None,
    gql_fields: str = "id",
) -> list[dict[str, Any]]:
    """`findManyObjectMetadata`: the objects (`edges[].node`)."""
    data, errors = await _perform(gateway, find_many_object_metadata_query_factory(filter, paging, gql_fields))
    assert not errors, errors
    return [edge["node"] for edge in data["objects"]["edges"]]


# ---- fields -------------------------------------------------------------------------------


def create_one_field_metadata_query_factory(input: dict[str, Any], gql_fields: str = "id") -> Operation:
    query = f"""
        mutation CreateOneFieldMetadataItem($input: CreateOneFieldMetadataInput!) {{
          createOneField(input: $input) {{ {gql_fields} }}
        }}"""
    return Operation(query, {"input": {"field": input}})


async def create_one_field_metadata(
    gateway: GatewayUnderTest, input: dict[str, Any], gql_fields: str = "id", token: str | None = "default"
) -> Result:
    return await _perform(gateway, create_one_field_metadata_query_factory(input, gql_fields), token)


def update_one_field_metadata_query_factory(
    id_to_update: str, update_payload: dict[str, Any], gql_fields: str = "id"
) -> Operation:
    query = f"""
        mutation UpdateOneFieldMetadataItem($idToUpdate: UUID!, $updatePayload: UpdateFieldInput!) {{
          updateOneField(input: {{id: $idToUpdate, update: $updatePayload}}) {{ {gql_fields} }}
        }}"""
    return Operation(query, {"idToUpdate": id_to_update, "updatePayload": update_payload})


async def update_one_field_metadata(
    gateway: GatewayUnderTest, id_to_update: str, update_payload: dict[str, Any], gql_fields: str = "id"
) -> Result:
    return await _perform(gateway, update_one_field_metadata_query_factory(id_to_update, update_payload, gql_fields))


def delete_one_field_metadata_query_factory(id_to_delete: str, gql_fields: str = "id") -> Operation:
    query = f"""
        mutation DeleteOneFieldMetadataItem($idToDelete: UUID!) {{
          deleteOneField(input: {{ id: $idToDelete }}) {{ {gql_fields} }}
        }}"""
    return Operation(query, {"idToDelete": id_to_delete})


async def delete_one_field_metadata(gateway: GatewayUnderTest, id_to_delete: str, gql_fields: str = "id") -> Result:
    return await _perform(gateway, delete_one_field_metadata_query_factory(id_to_delete, gql_fields))


def find_many_fields_metadata_query_factory(
    filter: dict[str, Any] | None = None, paging: dict[str, Any] | None = None, gql_fields: str = "id"
) -> Operation:
    query = f"""
      query FieldsMetadata($filter: FieldFilter!, $paging: CursorPaging!) {{
        fields(paging: $paging, filter: $filter) {{ edges {{ node {{ {gql_fields} }} }} }}
      }}"""
    return Operation(query, {"filter": filter or {}, "paging": paging or {}})


# ---- metadata-rest-api.util ---------------------------------------------------------------


def build_unique_object_input() -> dict[str, Any]:
    suffix = unique_suffix()
    return {
        "nameSingular": f"restTest{suffix}",
        "namePlural": f"restTest{suffix}s",
        "labelSingular": f"Rest Test {suffix}",
        "labelPlural": f"Rest Tests {suffix}",
        "icon": "IconTestPipe",
        "isLabelSyncedWithName": False,
    }


async def create_test_object_via_graphql(gateway: GatewayUnderTest, **overrides: Any) -> tuple[str, dict[str, Any]]:
    """`createTestObjectViaGraphql`: (id, input)."""
    input = {**build_unique_object_input(), **overrides}
    data, errors = await create_one_object_metadata(gateway, input)
    assert data and data.get("createOneObject"), f"Failed to create test object: {errors}"
    return data["createOneObject"]["id"], input


async def cleanup_test_object(gateway: GatewayUnderTest, object_id: str) -> None:
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


def build_unique_field_input(object_metadata_id: str) -> dict[str, Any]:
    suffix = unique_suffix()
    return {
        "objectMetadataId": object_metadata_id,
        "type": "TEXT",
        "name": f"restTestField{suffix}",
        "label": f"Rest Test Field {suffix}",
        "isLabelSyncedWithName": False,
    }


async def create_test_field_via_graphql(
    gateway: GatewayUnderTest, object_metadata_id: str, **overrides: Any
) -> tuple[str, dict[str, Any]]:
    input = {**build_unique_field_input(object_metadata_id), **overrides}
    data, errors = await create_one_field_metadata(gateway, input)
    assert data and data.get("createOneField"), f"Failed to create test field: {errors}"
    return data["createOneField"]["id"], input


async def cleanup_test_field(gateway: GatewayUnderTest, field_id: str) -> None:
    await delete_one_field_metadata(gateway, field_id)


def extract_metadata_list_payload(body: dict[str, Any], plural_key: str) -> tuple[list[Any], dict[str, Any], int]:
    """(items, pageInfo, totalCount) of either envelope."""
    data = body["data"]
    items = data if isinstance(data, list) else data.get(plural_key, [])
    return items, body["pageInfo"], body["totalCount"]


def extract_metadata_item_payload(body: dict[str, Any], legacy_key: str) -> Any:
    data = body.get("data")
    if isinstance(data, dict) and legacy_key in data:
        return data[legacy_key]
    return body


# ---- rest-test-assertions.util ------------------------------------------------------------


def assert_rest_api_successful_response(response: Response, expected_status: int = 200) -> None:
    assert response.status == expected_status, f"Expected status {expected_status}, received {response.status}: " \
                                                f"{response.body}"
    assert response.body is not None
    assert not (isinstance(response.body, dict) and (response.body.get("error") or response.body.get("errors"))), \
        f"Expected successful response but got errors: {response.body}"


def assert_metadata_rest_list_response(response: Response) -> list[Any]:
    assert_rest_api_successful_response(response)
    data = response.body["data"]
    assert isinstance(data, list)
    info = response.body["pageInfo"]
    assert set(info) == {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}
    assert isinstance(info["hasNextPage"], bool) and isinstance(info["hasPreviousPage"], bool)
    for key in ("startCursor", "endCursor"):
        assert isinstance(info[key], str) if data else info[key] is None
    assert isinstance(response.body["totalCount"], int)
    return data


def assert_rest_api_error_response(response: Response, expected_status: int = 400, message: str | None = None) -> None:
    assert response.status == expected_status, response.body
    if message and isinstance(response.body, dict) and response.body.get("message"):
        assert message in response.body["message"]


def assert_rest_api_error_not_found_response(response: Response, expected_status: int = 404) -> None:
    assert response.status == expected_status, response.body
    assert response.body["statusCode"] == expected_status


RELATION_FIELDS = """
    id name label isLabelSyncedWithName settings
    relation {
      type
      sourceObjectMetadata { id nameSingular namePlural }
      targetObjectMetadata { id nameSingular namePlural }
      sourceFieldMetadata { id name }
      targetFieldMetadata { id name }
    }
    object { id nameSingular }
"""


async def create_relation_between_objects(
    gateway: GatewayUnderTest, object_metadata_id: str, target_object_metadata_id: str, type: str,
    relation_type: str, name: str | None = None, label: str | None = None,
    is_label_synced_with_name: bool | None = None, target_field_label: str | None = None,
    target_field_icon: str | None = None,
) -> dict[str, Any]:
    """`createRelationBetweenObjects`: the created field, with its relation."""
    data, errors = await create_one_field_metadata(gateway, {
        "name": name or "person",
        "label": label or "person field",
        "type": type,
        "objectMetadataId": object_metadata_id,
        "isLabelSyncedWithName": is_label_synced_with_name or False,
        "relationCreationPayload": {
            "targetObjectMetadataId": target_object_metadata_id,
            "targetFieldLabel": target_field_label or "opportunity",
            "targetFieldIcon": target_field_icon or "IconListOpportunity",
            "type": relation_type,
        },
    }, RELATION_FIELDS)
    assert data is not None, errors
    created: dict[str, Any] = data["createOneField"]
    return created


async def find_many_fields_metadata(
    gateway: GatewayUnderTest, filter: dict[str, Any] | None = None, paging: dict[str, Any] | None = None,
    gql_fields: str = "id",
) -> list[dict[str, Any]]:
    """`findManyFieldsMetadata`: the edges (`{node}`), as Twenty's util returns them."""
    data, errors = await _perform(gateway, find_many_fields_metadata_query_factory(filter, paging, gql_fields))
    assert not errors, errors
    edges: list[dict[str, Any]] = data["fields"]["edges"]
    return edges
