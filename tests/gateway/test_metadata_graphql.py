"""The `/metadata` GraphQL API, through the real app on the real daemon."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from graphql import GraphQLObjectType, build_schema

from schema_builder.metadata.model import pascal
from schema_builder.metadata.names import INVALID_NAME, RESERVED_NAME
from schema_builder.metadata.store import MetadataStore

OBJECT_PARTS = """
id nameSingular namePlural labelSingular labelPlural description icon isCustom isActive isSystem
isRemote isSearchable isLabelSyncedWithName labelIdentifierFieldMetadataId createdAt updatedAt
"""
RELATION_PARTS = """
relation {
  type
  sourceObjectMetadata { id nameSingular namePlural }
  targetObjectMetadata { id nameSingular namePlural }
  sourceFieldMetadata { id name }
  targetFieldMetadata { id name }
}
"""
FIELD_PARTS = f"""
id type name label description isCustom isActive isSystem isNullable isUnique defaultValue
options settings objectMetadataId createdAt updatedAt {RELATION_PARTS}
"""

CREATE_OBJECT = f"""
mutation($input: CreateOneObjectInput!) {{
  createOneObject(input: $input) {{ {OBJECT_PARTS} fieldsList {{ id name type isSystem }} }}
}}"""
UPDATE_OBJECT = f"mutation($input: UpdateOneObjectInput!) {{ updateOneObject(input: $input) {{ {OBJECT_PARTS} }} }}"
DELETE_OBJECT = "mutation($input: DeleteOneObjectInput!) { deleteOneObject(input: $input) { id fieldsList { name } } }"
CREATE_FIELD = f"mutation($input: CreateOneFieldMetadataInput!) {{ createOneField(input: $input) {{ {FIELD_PARTS} }} }}"
UPDATE_FIELD = f"mutation($input: UpdateOneFieldMetadataInput!) {{ updateOneField(input: $input) {{ {FIELD_PARTS} }} }}"
DELETE_FIELD = "mutation($input: DeleteOneFieldInput!) { deleteOneField(input: $input) { id name } }"
GET_OBJECT = f"query($id: UUID!) {{ object(id: $id) {{ {OBJECT_PARTS} fieldsList {{ {FIELD_PARTS} }} }} }}"
VERSION = "{ currentWorkspace { id displayName metadataVersion } }"


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


async def post(gateway: Any, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else gateway.headers
    response = await gateway.client.post("/metadata", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code in (200, 400, 401), response.text
    return response.json()


async def ok(gateway: Any, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
    body = await post(gateway, query, variables, token)
    assert "errors" not in body, body["errors"]
    return body["data"]


async def fails(
    gateway: Any, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> tuple[str, str]:
    body = await post(gateway, query, variables, token)
    assert body.get("errors"), body
    error = body["errors"][0]
    return error["extensions"]["code"], said(error)


def said(error: dict[str, Any]) -> str:
    """An error's message; for Twenty's METADATA_VALIDATION_FAILED, the messages of its problems
    (`extensions.errors.<kind>[].errors[]`) with the values at fault."""
    if error["extensions"]["code"] != "METADATA_VALIDATION_FAILED":
        return str(error["message"])
    found = [p for kind in error["extensions"]["errors"].values() for entry in kind for p in entry["errors"]]
    assert found, error
    return "; ".join(f"{p['message']} [{p.get('value')}]" for p in found)


async def create_object(gateway: Any, prefix: str = "thing", token: str | None = None, **extra: Any) -> dict[str, Any]:
    name = unique(prefix)
    data = {"nameSingular": name, "namePlural": name + "s", "labelSingular": name.title(),
            "labelPlural": name.title() + "s", **extra}
    result = await ok(gateway, CREATE_OBJECT, {"input": {"object": data}}, token)
    created: dict[str, Any] = result["createOneObject"]
    return created


async def create_field(gateway: Any, object_id: str, token: str | None = None, **data: Any) -> dict[str, Any]:
    spec = {"objectMetadataId": object_id, "label": data.get("name", "x").title(), **data}
    result = await ok(gateway, CREATE_FIELD, {"input": {"field": spec}}, token)
    created: dict[str, Any] = result["createOneField"]
    return created


async def standard_object(gateway: Any, name: str) -> dict[str, Any]:
    query = f"""query($f: ObjectFilter) {{ objects(filter: $f) {{ edges {{ node {{ {OBJECT_PARTS}
        fieldsList {{ {FIELD_PARTS} }} }} }} }} }}"""
    data = await ok(gateway, query, {"f": {"nameSingular": {"eq": name}}})
    node: dict[str, Any] = data["objects"]["edges"][0]["node"]
    return node


async def version(gateway: Any) -> int:
    return int((await ok(gateway, VERSION))["currentWorkspace"]["metadataVersion"])


# ---- reads ---------------------------------------------------------------------------------


async def test_objects_connection_pages_by_cursor(gateway: Any) -> None:
    query = """query($p: CursorPaging, $f: ObjectFilter) { objects(paging: $p, filter: $f) {
        edges { node { id nameSingular } cursor }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }"""
    everything = (await ok(gateway, query, {"f": {"isCustom": {"is": False}}}))["objects"]
    ids = [e["node"]["id"] for e in everything["edges"]]
    assert everything["totalCount"] == len(ids) >= 8
    assert ids == sorted(ids)
    assert {"person", "company", "opportunity"} <= {e["node"]["nameSingular"] for e in everything["edges"]}

    page1 = (await ok(gateway, query, {"p": {"first": 3}, "f": {"isCustom": {"is": False}}}))["objects"]
    assert [e["node"]["id"] for e in page1["edges"]] == ids[:3]
    assert page1["pageInfo"]["hasNextPage"] is True and page1["pageInfo"]["hasPreviousPage"] is False
    assert page1["totalCount"] == len(ids)
    page2 = (await ok(
        gateway, query, {"p": {"first": 3, "after": page1["pageInfo"]["endCursor"]}, "f": {"isCustom": {"is": False}}}
    ))["objects"]
    assert [e["node"]["id"] for e in page2["edges"]] == ids[3:6]
    assert page2["pageInfo"]["hasPreviousPage"] is True
    back = (await ok(
        gateway, query, {"p": {"last": 2, "before": page2["pageInfo"]["startCursor"]}, "f": {"isCustom": {"is": False}}}
    ))["objects"]
    assert [e["node"]["id"] for e in back["edges"]] == ids[1:3]
    assert back["pageInfo"]["hasPreviousPage"] is True and back["pageInfo"]["hasNextPage"] is True

    code, message = await fails(gateway, query, {"p": {"first": 2, "after": "garbage"}})
    assert code == "BAD_USER_INPUT" and "Invalid cursor" in message
    code, message = await fails(gateway, query, {"p": {"first": -1}})
    assert code == "BAD_USER_INPUT" and "paging.first" in message


async def test_object_filters(gateway: Any) -> None:
    query = "query($f: ObjectFilter) { objects(filter: $f) { edges { node { id nameSingular } } totalCount } }"
    person = await standard_object(gateway, "person")
    company = await standard_object(gateway, "company")
    data = await ok(gateway, query, {"f": {"id": {"in": [person["id"], company["id"]]}}})
    assert {e["node"]["nameSingular"] for e in data["objects"]["edges"]} == {"person", "company"}
    data = await ok(gateway, query, {"f": {"or": [{"namePlural": {"eq": "people"}}, {"id": {"eq": company["id"]}}]}})
    assert data["objects"]["totalCount"] == 2
    custom = await create_object(gateway, "filtered")
    data = await ok(gateway, query, {"f": {"isCustom": {"eq": True}, "id": {"eq": custom["id"]}}})
    assert [e["node"]["id"] for e in data["objects"]["edges"]] == [custom["id"]]
    data = await ok(gateway, query, {"f": {"and": [{"isSystem": {"is": False}}, {"id": {"neq": custom["id"]}}]}})
    assert custom["id"] not in {e["node"]["id"] for e in data["objects"]["edges"]}


async def test_object_fields_and_relations_of_a_standard_object(gateway: Any) -> None:
    person = await standard_object(gateway, "person")
    by_name = {f["name"]: f for f in person["fieldsList"]}
    assert {"id", "createdAt", "updatedAt", "deletedAt", "position", "createdBy", "name", "emails"} <= set(by_name)
    assert by_name["id"]["isSystem"] is True and by_name["name"]["type"] == "FULL_NAME"
    assert by_name["name"]["relation"] is None
    company = by_name["company"]
    assert company["type"] == "RELATION"
    relation = company["relation"]
    assert relation["type"] == "MANY_TO_ONE"
    assert relation["sourceObjectMetadata"]["nameSingular"] == "person"
    assert relation["targetObjectMetadata"] == {
        "id": relation["targetObjectMetadata"]["id"], "nameSingular": "company", "namePlural": "companies"
    }
    assert relation["sourceFieldMetadata"] == {"id": company["id"], "name": "company"}
    assert relation["targetFieldMetadata"]["name"] == "people"

    data = await ok(gateway, GET_OBJECT, {"id": person["id"]})
    assert data["object"]["nameSingular"] == "person"
    assert len(data["object"]["fieldsList"]) == len(person["fieldsList"])


async def test_fields_queries_and_object_fields_connection(gateway: Any) -> None:
    person = await standard_object(gateway, "person")
    query = """query($f: FieldFilter, $p: CursorPaging) { fields(filter: $f, paging: $p) {
        edges { node { id name objectMetadataId } } pageInfo { hasNextPage } totalCount } }"""
    data = await ok(gateway, query, {"f": {"objectMetadataId": {"eq": person["id"]}}})
    assert data["fields"]["totalCount"] == len(person["fieldsList"])
    assert {e["node"]["objectMetadataId"] for e in data["fields"]["edges"]} == {person["id"]}
    page = await ok(gateway, query, {"f": {"objectMetadataId": {"eq": person["id"]}}, "p": {"first": 2}})
    assert len(page["fields"]["edges"]) == 2 and page["fields"]["pageInfo"]["hasNextPage"] is True
    data = await ok(gateway, query, {"f": {"type": {"in": ["SELECT", "MULTI_SELECT"]}}})
    assert {"stage", "status"} <= {e["node"]["name"] for e in data["fields"]["edges"]}

    email = next(f for f in person["fieldsList"] if f["name"] == "emails")
    data = await ok(gateway, f"query($id: UUID!) {{ field(id: $id) {{ {FIELD_PARTS} }} }}", {"id": email["id"]})
    assert data["field"]["type"] == "EMAILS" and data["field"]["objectMetadataId"] == person["id"]

    connection = """query($id: UUID!) { object(id: $id) {
        fields(paging: {first: 100}, filter: {isSystem: {is: false}}) {
          edges { node { name isSystem } cursor } totalCount } } }"""
    data = await ok(gateway, connection, {"id": person["id"]})
    fields = data["object"]["fields"]
    assert fields["totalCount"] == len([f for f in person["fieldsList"] if not f["isSystem"]])
    assert not any(e["node"]["isSystem"] for e in fields["edges"])


async def test_one_load_of_metadata_per_request(gateway: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original_objects, original_fields = MetadataStore.list_objects, MetadataStore.list_fields

    async def list_objects(self: MetadataStore) -> Any:
        calls.append("objects")
        return await original_objects(self)

    async def list_fields(self: MetadataStore, object_id: str | None = None) -> Any:
        calls.append("fields")
        return await original_fields(self, object_id)

    monkeypatch.setattr(MetadataStore, "list_objects", list_objects)
    monkeypatch.setattr(MetadataStore, "list_fields", list_fields)
    query = f"""{{ objects {{ edges {{ node {{ id fieldsList {{ {FIELD_PARTS} }}
        fields(paging: {{first: 2}}) {{ totalCount }} }} }} }}
        fields {{ totalCount }} }}"""
    await ok(gateway, query)
    assert sorted(calls) == ["fields", "objects"]


async def test_unknown_ids_are_not_found(gateway: Any) -> None:
    missing = str(uuid.uuid4())
    assert (await fails(gateway, GET_OBJECT, {"id": missing}))[0] == "NOT_FOUND"
    code, message = await fails(gateway, "query($id: UUID!) { field(id: $id) { id } }", {"id": missing})
    assert code == "NOT_FOUND" and missing in message
    code, _ = await fails(gateway, UPDATE_OBJECT, {"input": {"id": missing, "update": {"labelSingular": "X"}}})
    assert code == "NOT_FOUND"
    assert (await fails(gateway, DELETE_FIELD, {"input": {"id": missing}}))[0] == "NOT_FOUND"


# ---- objects -------------------------------------------------------------------------------


async def test_create_update_delete_object_bumps_the_version(gateway: Any) -> None:
    workspace = (await ok(gateway, VERSION))["currentWorkspace"]
    assert workspace["id"] == gateway.workspace_id and workspace["displayName"] == "test"
    before = workspace["metadataVersion"]

    created = await create_object(gateway, "invoice", icon="IconReceipt", description="Bills")
    assert await version(gateway) == before + 1
    assert created["isCustom"] is True and created["isActive"] is True and created["isRemote"] is False
    assert created["icon"] == "IconReceipt" and created["description"] == "Bills"
    names = {f["name"] for f in created["fieldsList"]}
    assert names == {"id", "createdAt", "updatedAt", "deletedAt", "position", "createdBy", "updatedBy", "searchVector",
                     "name"}  # Twenty's system fields of a custom object
    name_field = next(f for f in created["fieldsList"] if f["name"] == "name")
    assert created["labelIdentifierFieldMetadataId"] == name_field["id"]

    bare = await create_object(gateway, "bare", skipNameField=True)
    assert "name" not in {f["name"] for f in bare["fieldsList"]}

    renamed = unique("bill")
    update = {"nameSingular": renamed, "namePlural": renamed + "s", "labelSingular": "Bill", "isSearchable": False}
    data = await ok(gateway, UPDATE_OBJECT, {"input": {"id": created["id"], "update": update}})
    assert data["updateOneObject"]["nameSingular"] == renamed
    assert data["updateOneObject"]["labelSingular"] == "Bill"
    assert data["updateOneObject"]["isSearchable"] is False
    assert await version(gateway) == before + 3

    title = await create_field(gateway, created["id"], type="TEXT", name="title", label="Title")
    update = {"labelIdentifierFieldMetadataId": title["id"]}
    data = await ok(gateway, UPDATE_OBJECT, {"input": {"id": created["id"], "update": update}})
    assert data["updateOneObject"]["labelIdentifierFieldMetadataId"] == title["id"]
    assert await version(gateway) == before + 5
    # As Twenty: a label identifier is a TEXT or FULL_NAME field of the object itself.
    created_at = next(f for f in created["fieldsList"] if f["name"] == "createdAt")
    update = {"labelIdentifierFieldMetadataId": created_at["id"]}
    code, message = await fails(gateway, UPDATE_OBJECT, {"input": {"id": created["id"], "update": update}})
    assert code == "METADATA_VALIDATION_FAILED" and "field type not compatible" in message
    foreign = (await standard_object(gateway, "person"))["fieldsList"][0]["id"]
    update = {"labelIdentifierFieldMetadataId": foreign}
    code, message = await fails(gateway, UPDATE_OBJECT, {"input": {"id": created["id"], "update": update}})
    assert code == "METADATA_VALIDATION_FAILED" and "related field metadata not found" in message
    assert await version(gateway) == before + 5

    data = await ok(gateway, DELETE_OBJECT, {"input": {"id": created["id"]}})
    assert data["deleteOneObject"]["id"] == created["id"]
    assert "name" in {f["name"] for f in data["deleteOneObject"]["fieldsList"]}
    assert await version(gateway) == before + 6
    assert (await fails(gateway, GET_OBJECT, {"id": created["id"]}))[0] == "NOT_FOUND"


async def test_unsupported_object_options_are_refused(gateway: Any) -> None:
    name = unique("remote")
    base = {"nameSingular": name, "namePlural": name + "s", "labelSingular": "R", "labelPlural": "Rs"}
    code, message = await fails(gateway, CREATE_OBJECT, {"input": {"object": {**base, "isRemote": True}}})
    assert code == "BAD_USER_INPUT" and "remote objects are not supported" in message
    serial = {**base, "primaryKeyColumnType": "SERIAL"}
    code, message = await fails(gateway, CREATE_OBJECT, {"input": {"object": serial}})
    assert code == "BAD_USER_INPUT" and "primaryKeyColumnType" in message
    data = await ok(gateway, CREATE_OBJECT, {"input": {"object": {**base, "primaryKeyColumnType": "UUID"}}})
    assert data["createOneObject"]["nameSingular"] == name


@pytest.mark.parametrize(
    ("singular", "plural", "expected"),
    [
        # Twenty's messages (METADATA_VALIDATION_FAILED), with the value at fault.
        ("Invoice", "invoices", f"{INVALID_NAME} [Invoice]"),
        ("my_invoice", "myInvoices", f"{INVALID_NAME} [my_invoice]"),
        ("a" * 64, "bs", "Name is too long"),
        ("user", "userThings", f"{RESERVED_NAME} [user]"),
        ("thingy", "objects", f"{RESERVED_NAME} [objects]"),
        ("sheep", "sheep", "The singular and plural names cannot be the same for an object"),
        ("sheep", "Sheep", f"{INVALID_NAME} [Sheep]"),
        ("person", "persons", 'Name "person" is not available: object "person" already uses it'),
        ("human", "people", 'Name "people" is not available: object "person" already uses it'),
    ],
)
async def test_object_name_validation(gateway: Any, singular: str, plural: str, expected: str) -> None:
    data = {"nameSingular": singular, "namePlural": plural, "labelSingular": "L", "labelPlural": "Ls"}
    code, message = await fails(gateway, CREATE_OBJECT, {"input": {"object": data}})
    assert code == "METADATA_VALIDATION_FAILED"
    assert expected in message


async def test_object_labels_are_required(gateway: Any) -> None:
    name = unique("label")
    data = {"nameSingular": name, "namePlural": name + "s", "labelSingular": " ", "labelPlural": "Ls"}
    code, message = await fails(gateway, CREATE_OBJECT, {"input": {"object": data}})
    assert code == "METADATA_VALIDATION_FAILED" and "Object label is too short" in message
    data["labelSingular"] = ""
    code, message = await fails(gateway, CREATE_OBJECT, {"input": {"object": data}})
    assert code == "BAD_USER_INPUT" and "labelSingular should not be empty" in message
    del data["labelSingular"]
    code, message = await fails(gateway, CREATE_OBJECT, {"input": {"object": data}})
    assert 'required field "labelSingular"' in message  # graphql-js's quotes, as Twenty words it
    obj = await create_object(gateway, "relabel")
    code, message = await fails(gateway, UPDATE_OBJECT, {"input": {"id": obj["id"], "update": {"labelPlural": ""}}})
    assert code == "BAD_USER_INPUT" and "labelPlural should not be empty" in message
    code, message = await fails(
        gateway, UPDATE_OBJECT, {"input": {"id": obj["id"], "update": {"namePlural": "people"}}}
    )
    assert code == "METADATA_VALIDATION_FAILED" and 'object "person" already uses it' in message


# ---- fields --------------------------------------------------------------------------------


async def test_create_update_delete_field(gateway: Any) -> None:
    obj = await create_object(gateway, "ticket")
    before = await version(gateway)
    field = await create_field(
        gateway, obj["id"], type="SELECT", name="status", label="Status", description="Where it is",
        options=[{"label": "Open", "value": "OPEN", "color": "green"},
                 {"label": "Closed", "value": "CLOSED", "color": "gray"}],
        defaultValue="'OPEN'",
    )
    assert await version(gateway) == before + 1
    assert field["type"] == "SELECT" and field["isCustom"] is True and field["isSystem"] is False
    assert field["defaultValue"] == "'OPEN'" and field["objectMetadataId"] == obj["id"]
    assert [o["value"] for o in field["options"]] == ["OPEN", "CLOSED"]
    assert all(o["id"] for o in field["options"]) and [o["position"] for o in field["options"]] == [0, 1]

    update = {"label": "State", "options": [{"label": "Open", "value": "OPEN"}, {"label": "Done", "value": "DONE"}],
              "defaultValue": "'DONE'", "isNullable": False}
    data = await ok(gateway, UPDATE_FIELD, {"input": {"id": field["id"], "update": update}})
    updated = data["updateOneField"]
    assert updated["label"] == "State" and updated["defaultValue"] == "'DONE'" and updated["isNullable"] is False
    assert [o["value"] for o in updated["options"]] == ["OPEN", "DONE"]
    assert await version(gateway) == before + 2

    data = await ok(gateway, DELETE_FIELD, {"input": {"id": field["id"]}})
    assert data["deleteOneField"] == {"id": field["id"], "name": "status"}
    assert await version(gateway) == before + 3
    obj_now = (await ok(gateway, GET_OBJECT, {"id": obj["id"]}))["object"]
    assert "status" not in {f["name"] for f in obj_now["fieldsList"]}

    system = next(f for f in obj["fieldsList"] if f["name"] == "createdAt")
    code, message = await fails(gateway, DELETE_FIELD, {"input": {"id": system["id"]}})
    assert code == "METADATA_VALIDATION_FAILED" and "Standard Fields can't be deleted" in message
    # createdAt is a standard field for Twenty: its name is kept, its activity is the client's.
    code, message = await fails(gateway, UPDATE_FIELD, {"input": {"id": system["id"], "update": {"name": "made"}}})
    assert code == "METADATA_VALIDATION_FAILED" and "Cannot update standard field properties: name" in message
    position = next(f for f in obj["fieldsList"] if f["name"] == "position")
    code, message = await fails(gateway, UPDATE_FIELD, {"input": {"id": position["id"], "update": {"isActive": False}}})
    assert code == "METADATA_VALIDATION_FAILED" and "Cannot update system field properties: isActive" in message


async def test_rich_text_v2_is_an_alias(gateway: Any) -> None:
    obj = await create_object(gateway, "doc")
    field = await create_field(gateway, obj["id"], type="RICH_TEXT_V2", name="body", label="Body")
    assert field["type"] == "RICH_TEXT"


# Twenty's messages (METADATA_VALIDATION_FAILED unless marked), with the value at fault.
FIELD_ERRORS = [
    ({"type": "TEXT", "name": "First Name"}, f"{INVALID_NAME} [First Name]"),
    ({"type": "TEXT", "name": "x" * 64}, "Name is too long"),
    ({"type": "TEXT", "name": "name"}, 'Name "name" is not available as it is already used by another field'),
    ({"type": "TEXT", "name": "createdAt"}, 'Name "createdAt" is not available as it is already used by another field'),
    ({"type": "TEXT", "name": "and"}, f"{RESERVED_NAME} [and]"),
    ({"type": "TEXT", "name": "type"}, f"{RESERVED_NAME} [type]"),
    ({"type": "TEXT", "name": "note", "label": ""}, "BAD_USER_INPUT: label should not be empty"),
    ({"type": "SELECT", "name": "stage"}, "Options are required for enum fields"),
    ({"type": "SELECT", "name": "stage", "options": [{"label": "In progress", "value": "in progress"}]},
     'Value must be in UPPER_CASE and follow snake_case "in progress"'),
    ({"type": "MULTI_SELECT", "name": "tags", "options": [{"label": "A", "value": "A"}, {"label": "A2", "value": "A"}]},
     "Duplicated option value"),
    ({"type": "SELECT", "name": "stage", "options": [{"label": "A", "value": "A"}], "defaultValue": "'B'"},
     "Default value \"'B'\" must be one of the option values"),
    ({"type": "SELECT", "name": "stage", "options": [{"label": "A", "value": "A"}], "defaultValue": "A"},
     "Default value should be as quoted string [A]"),
    ({"type": "MULTI_SELECT", "name": "tags", "options": [{"label": "A", "value": "A"}], "defaultValue": ["'Z'"]},
     "Default value \"'Z'\" must be one of the option values"),
    ({"type": "BOOLEAN", "name": "done", "defaultValue": "yes"}, "Default value of a BOOLEAN field must be a boolean"),
    ({"type": "NUMBER", "name": "amount", "defaultValue": "ten"}, "Default value of a NUMBER field must be a number"),
    ({"type": "TEXT", "name": "note", "options": [{"label": "A", "value": "A"}]},
     "Options are only allowed on SELECT, MULTI_SELECT and RATING fields, not TEXT"),
    ({"type": "POSITION", "name": "rank"}, "Field type POSITION is a system type and cannot be created manually."),
    ({"type": "TS_VECTOR", "name": "words"}, "TS Vector is not supported for field creation"),
    ({"type": "RELATION", "name": "owner"}, "BAD_USER_INPUT: a RELATION field needs relationCreationPayload"),
    ({"type": "RELATION", "name": "owner", "relationCreationPayload": {"type": "ONE_TO_ONE"}},
     "BAD_USER_INPUT: relationCreationPayload.type must be MANY_TO_ONE or ONE_TO_MANY"),
]


@pytest.mark.parametrize(("spec", "expected"), FIELD_ERRORS)
async def test_field_validation(gateway: Any, spec: dict[str, Any], expected: str) -> None:
    obj = await standard_object(gateway, "company") if spec["name"] == "stage" else None
    target = obj["id"] if obj else (await create_object(gateway, "valid"))["id"]
    data = {"objectMetadataId": target, "label": "Label", **spec}
    code, message = await fails(gateway, CREATE_FIELD, {"input": {"field": data}})
    expected_code, _, expected = expected.rpartition(": ") if expected.startswith("BAD_USER_INPUT") else (
        "METADATA_VALIDATION_FAILED", "", expected)
    assert code == expected_code, message
    assert expected in message


async def test_unknown_field_type_is_refused(gateway: Any) -> None:
    obj = await create_object(gateway, "typed")
    data = {"objectMetadataId": obj["id"], "type": "FOO", "name": "foo", "label": "Foo"}
    code, message = await fails(gateway, CREATE_FIELD, {"input": {"field": data}})
    assert code == "BAD_USER_INPUT"
    assert 'Value "FOO" does not exist in "FieldMetadataType" enum' in message  # graphql-js's words
    del data["label"]
    data["type"] = "TEXT"
    _, message = await fails(gateway, CREATE_FIELD, {"input": {"field": data}})
    assert 'required field "label"' in message  # graphql-js's quotes


async def test_many_to_one_relation_creates_the_inverse_on_the_target(gateway: Any) -> None:
    invoice = await create_object(gateway, "invoice")
    company = await standard_object(gateway, "company")
    inverse_name = unique("invoices")
    field = await create_field(
        gateway, invoice["id"], type="RELATION", name="company", label="Company",
        relationCreationPayload={"type": "MANY_TO_ONE", "targetObjectMetadataId": company["id"],
                                 "targetFieldLabel": "Invoices", "targetFieldName": inverse_name,
                                 "targetFieldIcon": "IconReceipt"},
    )
    relation = field["relation"]
    assert relation["type"] == "MANY_TO_ONE"
    assert relation["sourceObjectMetadata"]["id"] == invoice["id"]
    assert relation["targetObjectMetadata"]["nameSingular"] == "company"
    assert relation["targetFieldMetadata"]["name"] == inverse_name
    assert field["settings"]["relationType"] == "MANY_TO_ONE"

    company_now = await standard_object(gateway, "company")
    inverse = next(f for f in company_now["fieldsList"] if f["name"] == inverse_name)
    assert inverse["type"] == "RELATION" and inverse["label"] == "Invoices"
    assert inverse["relation"]["type"] == "ONE_TO_MANY"
    assert inverse["relation"]["targetObjectMetadata"]["id"] == invoice["id"]
    assert inverse["relation"]["targetFieldMetadata"] == {"id": field["id"], "name": "company"}

    code, message = await fails(gateway, CREATE_FIELD, {"input": {"field": {
        "objectMetadataId": invoice["id"], "type": "TEXT", "name": "companyId", "label": "Company id"}}})
    assert code == "METADATA_VALIDATION_FAILED"
    assert 'Name "companyId" is not available as it is already used by another join column name' in message

    # Deleting the relation field removes its inverse too.
    await ok(gateway, DELETE_FIELD, {"input": {"id": field["id"]}})
    company_now = await standard_object(gateway, "company")
    assert inverse_name not in {f["name"] for f in company_now["fieldsList"]}


async def test_a_relation_never_takes_the_name_of_a_field_as_its_join_column(gateway: Any) -> None:
    """`owner` stores its link as `ownerId`: a field already holding that name must not be shadowed."""
    deal = await create_object(gateway, "deal")
    await create_field(gateway, deal["id"], type="TEXT", name="ownerId", label="Owner id")
    relation = {"type": "MANY_TO_ONE", "targetObjectMetadataId": deal["id"], "targetFieldLabel": "Owned"}
    code, message = await fails(gateway, CREATE_FIELD, {"input": {"field": {
        "objectMetadataId": deal["id"], "type": "RELATION", "name": "owner", "label": "Owner",
        "relationCreationPayload": relation}}})
    assert code == "METADATA_VALIDATION_FAILED" and 'Name "ownerId" is not available' in message
    assert "join column" in message
    # The inverse side of a one-to-many relation gets a join column on the target too.
    code, message = await fails(gateway, CREATE_FIELD, {"input": {"field": {
        "objectMetadataId": deal["id"], "type": "RELATION", "name": "owned", "label": "Owned",
        "relationCreationPayload": {"type": "ONE_TO_MANY", "targetObjectMetadataId": deal["id"],
                                    "targetFieldLabel": "Owner", "targetFieldName": "owner"}}}})
    assert code == "METADATA_VALIDATION_FAILED" and "inverse field" in message
    assert 'Name "ownerId" is not available' in message
    # Renaming a relation onto a taken join column is refused as well.
    boss = await create_field(gateway, deal["id"], type="RELATION", name="boss", label="Boss",
                              relationCreationPayload={**relation, "targetFieldLabel": "Bossed"})
    code, message = await fails(gateway, UPDATE_FIELD, {"input": {"id": boss["id"], "update": {"name": "owner"}}})
    assert code == "METADATA_VALIDATION_FAILED" and 'Name "ownerId" is not available' in message
    sdl = await gateway.client.get("/graphql?sdl", headers=gateway.headers)
    assert sdl.status_code == 200
    deal_type = build_schema(sdl.text).get_type(pascal(deal["nameSingular"]))  # raises on a duplicated field
    assert isinstance(deal_type, GraphQLObjectType) and str(deal_type.fields["ownerId"].type) == "String"


async def test_one_to_many_relation_and_deleting_the_target_object(gateway: Any) -> None:
    order = await create_object(gateway, "order")
    line = await create_object(gateway, "line")
    field = await create_field(
        gateway, order["id"], type="RELATION", name="lines", label="Lines",
        relationCreationPayload={"type": "ONE_TO_MANY", "targetObjectMetadataId": line["id"],
                                 "targetFieldLabel": "Order"},
    )
    assert field["relation"]["type"] == "ONE_TO_MANY"
    assert field["relation"]["targetFieldMetadata"]["name"] == "order"
    line_now = (await ok(gateway, GET_OBJECT, {"id": line["id"]}))["object"]
    inverse = next(f for f in line_now["fieldsList"] if f["name"] == "order")
    assert inverse["relation"]["type"] == "MANY_TO_ONE"
    assert inverse["relation"]["targetObjectMetadata"]["id"] == order["id"]

    code, message = await fails(gateway, CREATE_FIELD, {"input": {"field": {
        "objectMetadataId": order["id"], "type": "RELATION", "name": "more", "label": "More",
        "relationCreationPayload": {"type": "ONE_TO_MANY", "targetObjectMetadataId": line["id"],
                                    "targetFieldLabel": "Order"}}}})
    assert code == "METADATA_VALIDATION_FAILED"
    assert "inverse field on '" + line["nameSingular"] + "'" in message
    assert 'Name "order" is not available as it is already used by another field' in message

    await ok(gateway, DELETE_OBJECT, {"input": {"id": line["id"]}})
    order_now = (await ok(gateway, GET_OBJECT, {"id": order["id"]}))["object"]
    assert "lines" not in {f["name"] for f in order_now["fieldsList"]}
    code, _ = await fails(gateway, "query($id: UUID!) { field(id: $id) { id } }", {"id": field["id"]})
    assert code == "NOT_FOUND"


async def _collection(gateway: Any, object_id: str) -> Any:
    doc = await gateway.db.control["objectMetadata"].find_one({"_id": object_id})
    return gateway.db.workspace(gateway.workspace_id)[doc["collectionName"]]


async def test_renaming_a_field_renames_stored_values(gateway: Any) -> None:
    obj = await create_object(gateway, "parcel")
    field = await create_field(gateway, obj["id"], type="TEXT", name="reference", label="Reference")
    collection = await _collection(gateway, obj["id"])
    record_id = str(uuid.uuid4())
    await collection.insert_one({"_id": record_id, "reference": "A-1", "name": "first"})
    data = await ok(gateway, UPDATE_FIELD, {"input": {"id": field["id"], "update": {"name": "code"}}})
    assert data["updateOneField"]["name"] == "code"
    stored = await collection.find_one({"_id": record_id})
    assert stored["code"] == "A-1" and "reference" not in stored

    code, message = await fails(gateway, UPDATE_FIELD, {"input": {"id": field["id"], "update": {"name": "name"}}})
    assert code == "METADATA_VALIDATION_FAILED"
    assert 'Name "name" is not available as it is already used by another field' in message
    code, message = await fails(gateway, UPDATE_FIELD, {"input": {"id": field["id"], "update": {"name": "Bad Name"}}})
    assert code == "METADATA_VALIDATION_FAILED" and INVALID_NAME in message


async def test_unique_is_refused_over_duplicates(gateway: Any) -> None:
    obj = await create_object(gateway, "sku")
    field = await create_field(gateway, obj["id"], type="TEXT", name="code", label="Code")
    collection = await _collection(gateway, obj["id"])
    await collection.insert_many([{"_id": str(uuid.uuid4()), "code": "X"}, {"_id": str(uuid.uuid4()), "code": "X"}])
    code, message = await fails(gateway, UPDATE_FIELD, {"input": {"id": field["id"], "update": {"isUnique": True}}})
    assert code == "BAD_USER_INPUT"
    assert "field 'code' cannot be made unique" in message and "duplicate values" in message
    await collection.delete_many({})
    data = await ok(gateway, UPDATE_FIELD, {"input": {"id": field["id"], "update": {"isUnique": True}}})
    assert data["updateOneField"]["isUnique"] is True


# ---- API keys ------------------------------------------------------------------------------

KEY_PARTS = "id name expiresAt revokedAt createdAt updatedAt token"
CREATE_KEY = f"mutation($input: CreateApiKeyInput!) {{ createApiKey(input: $input) {{ {KEY_PARTS} }} }}"
REVOKE_KEY = f"mutation($input: RevokeApiKeyInput!) {{ revokeApiKey(input: $input) {{ {KEY_PARTS} }} }}"
LIST_KEYS = f"{{ apiKeys {{ {KEY_PARTS} }} }}"
GET_KEY = f"query($input: GetApiKeyInput!) {{ apiKey(input: $input) {{ {KEY_PARTS} }} }}"


async def test_api_keys_lifecycle(gateway: Any) -> None:
    created = (await ok(gateway, CREATE_KEY, {"input": {"name": "ci", "expiresAt": "2099-01-01T00:00:00Z"}}))
    key = created["createApiKey"]
    assert key["name"] == "ci" and key["token"] and key["revokedAt"] is None
    assert key["expiresAt"] == "2099-01-01T00:00:00.000Z"

    listed = (await ok(gateway, LIST_KEYS))["apiKeys"]
    assert key["id"] in {k["id"] for k in listed}
    assert all(k["token"] is None for k in listed)
    fetched = (await ok(gateway, GET_KEY, {"input": {"id": key["id"]}}))["apiKey"]
    assert fetched["name"] == "ci" and fetched["token"] is None
    assert (await ok(gateway, GET_KEY, {"input": {"id": str(uuid.uuid4())}}))["apiKey"] is None

    # The new token works, for this workspace.
    workspace = (await ok(gateway, VERSION, token=key["token"]))["currentWorkspace"]
    assert workspace["id"] == gateway.workspace_id

    revoked = (await ok(gateway, REVOKE_KEY, {"input": {"id": key["id"]}}))["revokeApiKey"]
    assert revoked["revokedAt"] is not None and revoked["token"] is None
    response = await gateway.client.post(
        "/metadata", json={"query": VERSION}, headers={"Authorization": f"Bearer {key['token']}"}
    )
    # Twenty: a revoked key is FORBIDDEN, answered 200 with the error under application/json.
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await ok(gateway, VERSION))["currentWorkspace"]["id"] == gateway.workspace_id

    code, message = await fails(gateway, CREATE_KEY, {"input": {"name": "old", "expiresAt": "2000-01-01T00:00:00Z"}})
    assert code == "BAD_USER_INPUT" and "expiresAt must be in the future" in message
    code, message = await fails(gateway, CREATE_KEY, {"input": {"name": "  "}})
    assert code == "BAD_USER_INPUT" and "non-empty name" in message
    code, _ = await fails(gateway, CREATE_KEY, {"input": {"name": "x", "expiresAt": "next tuesday"}})
    assert code == "BAD_USER_INPUT"
    assert (await fails(gateway, REVOKE_KEY, {"input": {"id": str(uuid.uuid4())}}))[0] == "NOT_FOUND"


# ---- isolation -----------------------------------------------------------------------------


async def test_workspaces_are_isolated(gateway: Any) -> None:
    mine = await create_object(gateway, "secret")
    my_field = await create_field(gateway, mine["id"], type="TEXT", name="code", label="Code")
    my_key = (await ok(gateway, CREATE_KEY, {"input": {"name": "mine"}}))["createApiKey"]
    _, other = await gateway.new_workspace(unique("other"))

    listed = await ok(gateway, "{ objects(paging: {first: 1000}) { edges { node { id } } } "
                               "fields(paging: {first: 1000}) { edges { node { id } } } }", token=other)
    assert mine["id"] not in {e["node"]["id"] for e in listed["objects"]["edges"]}
    assert my_field["id"] not in {e["node"]["id"] for e in listed["fields"]["edges"]}
    their_person = (await ok(
        gateway, "{ objects(filter: {nameSingular: {eq: \"person\"}}) { edges { node { id } } } }", token=other
    ))["objects"]["edges"][0]["node"]["id"]
    assert their_person != (await standard_object(gateway, "person"))["id"]

    assert (await fails(gateway, GET_OBJECT, {"id": mine["id"]}, other))[0] == "NOT_FOUND"
    field_query = "query($id: UUID!) { field(id: $id) { id } }"
    assert (await fails(gateway, field_query, {"id": my_field["id"]}, other))[0] == "NOT_FOUND"
    update = {"input": {"id": mine["id"], "update": {"labelSingular": "Mine now"}}}
    assert (await fails(gateway, UPDATE_OBJECT, update, other))[0] == "NOT_FOUND"
    assert (await fails(gateway, DELETE_OBJECT, {"input": {"id": mine["id"]}}, other))[0] == "NOT_FOUND"
    # As Twenty, a field change naming a field or object it cannot see fails validation.
    field_update = {"input": {"id": my_field["id"], "update": {"label": "Taken"}}}
    code, message = await fails(gateway, UPDATE_FIELD, field_update, other)
    assert (code, message) == ("METADATA_VALIDATION_FAILED", f"field metadata to update not found [{my_field['id']}]")
    assert (await fails(gateway, DELETE_FIELD, {"input": {"id": my_field["id"]}}, other))[0] == "NOT_FOUND"
    spec = {"objectMetadataId": mine["id"], "type": "TEXT", "name": "planted", "label": "Planted"}
    code, message = await fails(gateway, CREATE_FIELD, {"input": {"field": spec}}, other)
    assert (code, message) == ("METADATA_VALIDATION_FAILED", f"Object metadata not found [{mine['id']}]")
    relation = {"objectMetadataId": their_person, "type": "RELATION", "name": "spy", "label": "Spy",
                "relationCreationPayload": {"type": "MANY_TO_ONE", "targetObjectMetadataId": mine["id"],
                                            "targetFieldLabel": "Spied"}}
    assert (await fails(gateway, CREATE_FIELD, {"input": {"field": relation}}, other))[0] == "NOT_FOUND"

    their_keys = (await ok(gateway, LIST_KEYS, token=other))["apiKeys"]
    assert my_key["id"] not in {k["id"] for k in their_keys}
    assert (await ok(gateway, GET_KEY, {"input": {"id": my_key["id"]}}, other))["apiKey"] is None
    assert (await fails(gateway, REVOKE_KEY, {"input": {"id": my_key["id"]}}, other))[0] == "NOT_FOUND"

    # Nothing of mine changed.
    still = (await ok(gateway, GET_OBJECT, {"id": mine["id"]}))["object"]
    assert still["labelSingular"] == mine["labelSingular"]
    assert "code" in {f["name"] for f in still["fieldsList"]}
    assert (await ok(gateway, VERSION, token=my_key["token"]))["currentWorkspace"]["id"] == gateway.workspace_id


async def test_concurrent_requests_never_take_one_name_twice(gateway: Any) -> None:
    """The names are checked, then written: unique indexes settle a race between the two."""
    name = unique("racer")
    spec = {"nameSingular": name, "namePlural": name + "s", "labelSingular": "Racer", "labelPlural": "Racers"}
    bodies = await asyncio.gather(*(post(gateway, CREATE_OBJECT, {"input": {"object": spec}}) for _ in range(4)))
    made = [b["data"]["createOneObject"] for b in bodies if not b.get("errors")]
    refused = [b["errors"][0] for b in bodies if b.get("errors")]
    assert len(made) == 1 and len(refused) == 3
    # Refused by validation (the name is seen taken) or by the unique index (taken meanwhile).
    assert all(said(e).count("already") for e in refused), refused

    field = {"objectMetadataId": made[0]["id"], "type": "TEXT", "name": "code", "label": "Code"}
    bodies = await asyncio.gather(*(post(gateway, CREATE_FIELD, {"input": {"field": field}}) for _ in range(4)))
    assert sum(1 for b in bodies if not b.get("errors")) == 1
    fields = (await ok(gateway, GET_OBJECT, {"id": made[0]["id"]}))["object"]["fieldsList"]
    assert [f["name"] for f in fields].count("code") == 1


async def test_earlier_plain_name_indexes_become_unique(gateway: Any) -> None:
    """A store made by an earlier version (a plain index on the names) gets the unique one."""
    from gateway.workspaces import ensure_control_indexes

    objects = gateway.db.control["objectMetadata"]
    keys = [("workspaceId", 1), ("nameSingular", 1)]
    name = next(n for n, spec in (await objects.index_information()).items() if spec["key"] == keys)
    await objects.drop_index(name)
    await objects.create_index(keys)
    await ensure_control_indexes(gateway.db)
    (spec,) = [s for s in (await objects.index_information()).values() if s["key"] == keys]
    assert spec.get("unique") is True
