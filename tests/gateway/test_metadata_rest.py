"""The Metadata REST API (`/rest/metadata/...`), through the real app on the real daemon."""

from __future__ import annotations

import uuid
from typing import Any

import pytest


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


async def call(
    gateway: Any, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None,
    token: str | None = None,
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else gateway.headers
    response = await gateway.client.request(
        method, f"/rest/metadata/{path}", json=body, params=params, headers=headers
    )
    return response.status_code, response.json()


async def ok(gateway: Any, method: str, path: str, body: Any = None, **kw: Any) -> Any:
    status, data = await call(gateway, method, path, body, **kw)
    assert status == (201 if method == "POST" else 200), data
    return data


async def error(gateway: Any, method: str, path: str, body: Any = None, **kw: Any) -> tuple[int, str]:
    status, data = await call(gateway, method, path, body, **kw)
    assert set(data) - {"requestId"} == {"statusCode", "error", "messages"}, data
    assert data["statusCode"] == status
    # Twenty's exception names (docgate answered GraphQL codes before).
    assert data["error"] == {400: "BadRequestException", 404: "NotFoundException", 401: "UNAUTHENTICATED",
                             403: "FORBIDDEN_EXCEPTION"}[status]
    return status, data["messages"][0]


async def create_object(gateway: Any, prefix: str = "item", token: str | None = None) -> dict[str, Any]:
    name = unique(prefix)
    body = {"nameSingular": name, "namePlural": name + "s", "labelSingular": "Item", "labelPlural": "Items"}
    data = await ok(gateway, "POST", "objects", body, token=token)
    created: dict[str, Any] = data["data"]["createOneObject"]
    return created


async def object_by_name(gateway: Any, name: str) -> dict[str, Any]:
    found: dict[str, Any] = (await ok(gateway, "GET", f"objects/{name}"))["data"]["object"]
    return found


async def version(gateway: Any) -> int:
    response = await gateway.client.post(
        "/metadata", json={"query": "{ currentWorkspace { metadataVersion } }"}, headers=gateway.headers
    )
    return int(response.json()["data"]["currentWorkspace"]["metadataVersion"])


# ---- objects -------------------------------------------------------------------------------


async def test_list_objects_with_fields_and_paging(gateway: Any) -> None:
    everything = await ok(gateway, "GET", "objects")
    objects = everything["data"]["objects"]
    assert everything["totalCount"] == len(objects) >= 8
    assert everything["pageInfo"]["hasNextPage"] is False
    person = next(o for o in objects if o["nameSingular"] == "person")
    assert person["namePlural"] == "people" and "collectionName" not in person
    assert {"id", "name", "emails", "company"} <= {f["name"] for f in person["fields"]}
    company = next(f for f in person["fields"] if f["name"] == "company")
    assert company["relation"]["type"] == "MANY_TO_ONE"
    assert company["relation"]["targetObjectMetadata"]["nameSingular"] == "company"
    assert company["relation"]["targetFieldMetadata"]["name"] == "people"

    page1 = await ok(gateway, "GET", "objects", params={"limit": 2})
    assert [o["id"] for o in page1["data"]["objects"]] == [o["id"] for o in objects[:2]]
    assert page1["pageInfo"]["hasNextPage"] is True and page1["totalCount"] == len(objects)
    page2 = await ok(gateway, "GET", "objects", params={"limit": 2, "starting_after": page1["pageInfo"]["endCursor"]})
    assert [o["id"] for o in page2["data"]["objects"]] == [o["id"] for o in objects[2:4]]
    back = await ok(gateway, "GET", "objects", params={"limit": 1, "ending_before": page2["pageInfo"]["startCursor"]})
    assert [o["id"] for o in back["data"]["objects"]] == [objects[1]["id"]]

    status, message = await error(gateway, "GET", "objects", params={"limit": "many"})
    assert status == 400 and "limit 'many' is invalid" in message
    # As Twenty's, REST cursors are record ids: anything else is refused.
    status, message = await error(gateway, "GET", "objects", params={"starting_after": "nope"})
    assert status == 400 and "'nope' is not a valid cursor" in message
    assert page1["pageInfo"]["endCursor"] == objects[1]["id"]
    status, message = await error(gateway, "GET", "objects", params={"starting_after": "a", "ending_before": "b"})
    assert status == 400 and "either starting_after or ending_before" in message


async def test_get_object_by_id_and_by_name(gateway: Any) -> None:
    person = await object_by_name(gateway, "person")
    assert person["nameSingular"] == "person" and person["fields"]
    assert (await object_by_name(gateway, "people"))["id"] == person["id"]
    by_id = await ok(gateway, "GET", f"objects/{person['id']}")
    assert by_id == {"data": {"object": person}}

    status, message = await error(gateway, "GET", "objects/unicorn")
    assert (status, message) == (404, "object 'unicorn' not found")
    status, message = await error(gateway, "GET", f"objects/{uuid.uuid4()}")
    assert status == 404 and "not found" in message
    status, message = await error(gateway, "GET", "objects/Not-A-Name")
    assert status == 400 and "neither an object id (a UUID) nor an object name" in message


async def test_create_update_delete_object(gateway: Any) -> None:
    before = await version(gateway)
    name = unique("invoice")
    body = {"nameSingular": name, "namePlural": name + "s", "labelSingular": "Invoice", "labelPlural": "Invoices",
            "icon": "IconReceipt", "description": "Bills"}
    status, data = await call(gateway, "POST", "objects", body)
    assert status == 201
    created = data["data"]["createOneObject"]
    assert created["nameSingular"] == name and created["icon"] == "IconReceipt" and created["isCustom"] is True
    assert {"id", "createdAt", "name"} <= {f["name"] for f in created["fields"]}
    assert await version(gateway) == before + 1

    data = await ok(gateway, "PATCH", f"objects/{created['id']}", {"labelPlural": "Bills", "description": None})
    updated = data["data"]["updateOneObject"]
    assert updated["labelPlural"] == "Bills" and updated["description"] is None
    data = await ok(gateway, "PUT", f"objects/{created['id']}", {"icon": "IconCash"})
    assert data["data"]["updateOneObject"]["icon"] == "IconCash"

    data = await ok(gateway, "DELETE", f"objects/{created['id']}")
    assert data == {"data": {"deleteOneObject": {"id": created["id"]}}}
    assert await version(gateway) == before + 4
    status, _ = await error(gateway, "GET", f"objects/{created['id']}")
    assert status == 404


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Twenty's messages (schema_builder/metadata/names.py), with the value at fault.
        ({"nameSingular": "Bad Name", "namePlural": "badNames"},
         "Name is not valid: it must start with lowercase letter and contain only alphanumeric letters ('Bad Name')"),
        ({"nameSingular": "a" * 64, "namePlural": "bs"}, "Name is too long ('aaaa"),
        ({"nameSingular": "workspace", "namePlural": "spaces"},
         "This name is reserved. Use a different name or the system will add \"Custom\" suffix. ('workspace')"),
        ({"nameSingular": "fish", "namePlural": "fish"},
         "The singular and plural names cannot be the same for an object ('fish')"),
        ({"nameSingular": "company", "namePlural": "firms"},
         'Name "company" is not available: object "company" already uses it'),
        ({"nameSingular": "firm", "namePlural": "companies"},
         'Name "companies" is not available: object "company" already uses it'),
        ({"nameSingular": "firm", "namePlural": "firms", "labelSingular": ""}, "labelSingular should not be empty"),
        ({"nameSingular": "firm"}, "invalid request body: Expected value of type 'CreateObjectInput' to include "
                                   "required field 'namePlural'."),
        ({"nameSingular": "firm", "namePlural": "firms", "color": 3},
         "invalid request body at 'color': String cannot represent a non string value: 3"),
        ({"nameSingular": "firm", "namePlural": "firms", "plural": "x"},
         "invalid request body: Expected value of type 'CreateObjectInput' not to include unknown field 'plural'."),
    ],
)
async def test_object_validation(gateway: Any, body: dict[str, Any], expected: str) -> None:
    status, message = await error(gateway, "POST", "objects", {"labelSingular": "L", "labelPlural": "Ls", **body})
    assert status == 400
    assert expected in message


async def test_bad_bodies_and_paths(gateway: Any) -> None:
    bodies: list[Any] = [None, [], "text", {}]
    for body in bodies:
        status, message = await error(gateway, "POST", "objects", body)
        assert status == 400 and "the request body must be a non-empty JSON object: a CreateObjectInput" in message
    status, message = await error(gateway, "POST", "fields", [1])
    assert status == 400 and "a CreateFieldInput" in message
    person = await object_by_name(gateway, "person")
    status, message = await error(gateway, "PATCH", f"objects/{person['id']}", {})
    assert status == 400 and "the object properties to change" in message
    status, message = await error(gateway, "PATCH", f"objects/{person['id']}", {"isCustom": True})
    assert status == 400 and "unknown field 'isCustom'" in message

    for path in ("views", "objects/a/b", "", "objects//x"):
        status, message = await error(gateway, "GET", path)
        assert status == 404 and message.startswith("unknown metadata path"), path
    status, message = await error(gateway, "DELETE", "objects")
    assert status == 400 and "needs an id" in message
    status, message = await error(gateway, "POST", f"objects/{person['id']}", {"a": 1})
    assert status == 400 and "not allowed" in message
    status, message = await error(gateway, "PATCH", "objects/person", {"icon": "x"})
    assert status == 400 and "'person' is not a valid object id: expected a UUID" in message
    status, message = await error(gateway, "GET", "fields/123")
    assert status == 400 and "'123' is not a valid field id" in message
    status, message = await error(gateway, "DELETE", "fields/zzz")
    assert status == 400 and "not a valid field id" in message
    status, message = await error(gateway, "POST", "picklists", {"a": 1})
    assert status == 400 and "read-only" in message

    response = await gateway.client.get("/rest/metadata/objects")  # Twenty: a missing token is 403
    assert response.status_code == 403 and response.json()["error"] == "FORBIDDEN_EXCEPTION"


# ---- fields --------------------------------------------------------------------------------


async def test_field_crud_and_list(gateway: Any) -> None:
    obj = await create_object(gateway, "ticket")
    body = {"objectMetadataId": obj["id"], "type": "SELECT", "name": "priority", "label": "Priority",
            "options": [{"label": "Low", "value": "LOW", "color": "green"}, {"label": "High", "value": "HIGH"}],
            "defaultValue": "'LOW'"}
    status, data = await call(gateway, "POST", "fields", body)
    assert status == 201, data
    field = data["data"]["createOneField"]
    # Twenty's SQL-literal syntax is kept as written (the value it quotes is what records get).
    assert field["type"] == "SELECT" and field["defaultValue"] == "'LOW'" and field["relation"] is None

    assert (await ok(gateway, "GET", f"fields/{field['id']}")) == {"data": {"field": field}}
    listed = await ok(gateway, "GET", "fields", params={"limit": 1000})
    assert field["id"] in {f["id"] for f in listed["data"]["fields"]}
    assert listed["totalCount"] >= len(listed["data"]["fields"])
    page = await ok(gateway, "GET", "fields", params={"limit": 5})
    assert len(page["data"]["fields"]) == 5 and page["pageInfo"]["hasNextPage"] is True

    data = await ok(gateway, "PATCH", f"fields/{field['id']}", {"label": "Urgency", "defaultValue": "'HIGH'"})
    assert data["data"]["updateOneField"]["label"] == "Urgency"
    assert data["data"]["updateOneField"]["defaultValue"] == "'HIGH'"

    data = await ok(gateway, "DELETE", f"fields/{field['id']}")
    assert data == {"data": {"deleteOneField": {"id": field["id"]}}}
    status, message = await error(gateway, "GET", f"fields/{field['id']}")
    assert (status, message) == (404, f"field '{field['id']}' not found")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # Twenty's messages, with the value at fault.
        ({"type": "TEXT", "name": "Bad-Name"}, "Name is not valid: it must start with lowercase letter and contain "
                                               "only alphanumeric letters ('Bad-Name')"),
        ({"type": "TEXT", "name": "name"}, 'Name "name" is not available as it is already used by another field'),
        ({"type": "TEXT", "name": "note", "label": " "}, "Field label is too short"),
        ({"type": "TEXT", "name": "note", "label": ""}, "label should not be empty"),
        ({"type": "FOO", "name": "foo"}, "invalid request body at 'type': Value 'FOO' does not exist in "
                                         "'FieldMetadataType' enum."),
        ({"type": "TEXT", "name": "note", "label": None}, "invalid request body at 'label'"),
        ({"type": "SELECT", "name": "stage", "options": [{"label": "x", "value": "lower case"}]},
         'Value must be in UPPER_CASE and follow snake_case "lower case"'),
        ({"type": "SELECT", "name": "stage", "options": [{"label": "x", "value": "X"}, {"label": "y", "value": "X"}]},
         "Duplicated option value"),
        ({"type": "SELECT", "name": "stage", "options": [{"label": "x", "value": "X"}], "defaultValue": "Y"},
         "Default value should be as quoted string ('Y'); Default value \"Y\" must be one of the option values"),
        ({"type": "TEXT", "name": "note", "defaultValue": 7}, "Default value of a TEXT field must be a quoted string"),
        ({"type": "NUMERIC", "name": "exact"}, "Field type NUMERIC is not supported for field creation. Use NUMBER"),
    ],
)
async def test_field_validation(gateway: Any, spec: dict[str, Any], expected: str) -> None:
    obj = await create_object(gateway, "checked")
    status, message = await error(gateway, "POST", "fields", {"objectMetadataId": obj["id"], "label": "L", **spec})
    assert status == 400
    assert expected in message


async def test_relation_inverse_and_object_deletion(gateway: Any) -> None:
    company = await object_by_name(gateway, "company")
    contract = await create_object(gateway, "contract")
    body = {"objectMetadataId": contract["id"], "type": "RELATION", "name": "company", "label": "Company",
            "relationCreationPayload": {"type": "MANY_TO_ONE", "targetObjectMetadataId": company["id"],
                                        "targetFieldLabel": "Contracts " + contract["nameSingular"][-8:]}}
    field = (await ok(gateway, "POST", "fields", body))["data"]["createOneField"]
    inverse_name = field["relation"]["targetFieldMetadata"]["name"]
    assert inverse_name.startswith("contracts")
    company_now = await object_by_name(gateway, "company")
    inverse = next(f for f in company_now["fields"] if f["name"] == inverse_name)
    assert inverse["relation"]["type"] == "ONE_TO_MANY"
    assert inverse["relation"]["targetObjectMetadata"]["id"] == contract["id"]

    await ok(gateway, "DELETE", f"objects/{contract['id']}")
    company_now = await object_by_name(gateway, "company")
    assert inverse_name not in {f["name"] for f in company_now["fields"]}
    status, _ = await error(gateway, "GET", f"fields/{inverse['id']}")
    assert status == 404


async def test_rename_and_unique_through_rest(gateway: Any) -> None:
    obj = await create_object(gateway, "asset")
    body = {"objectMetadataId": obj["id"], "type": "TEXT", "name": "tag", "label": "Tag"}
    field = (await ok(gateway, "POST", "fields", body))["data"]["createOneField"]
    doc = await gateway.db.control["objectMetadata"].find_one({"_id": obj["id"]})
    collection = gateway.db.workspace(gateway.workspace_id)[doc["collectionName"]]
    await collection.insert_many([{"_id": str(uuid.uuid4()), "tag": "T"}, {"_id": str(uuid.uuid4()), "tag": "T"}])

    await ok(gateway, "PATCH", f"fields/{field['id']}", {"name": "label2"})
    assert await collection.count_documents({"label2": "T"}) == 2
    assert await collection.count_documents({"tag": {"$exists": True}}) == 0
    status, message = await error(gateway, "PATCH", f"fields/{field['id']}", {"isUnique": True})
    assert status == 400 and "field 'label2' cannot be made unique" in message


async def test_picklists(gateway: Any) -> None:
    data = (await ok(gateway, "GET", "picklists"))["data"]["picklists"]
    stage = next(p for p in data if p["objectNameSingular"] == "opportunity" and p["fieldName"] == "stage")
    assert stage["type"] == "SELECT" and stage["fieldId"]
    assert all({"value", "label"} <= set(o) for o in stage["options"]) and stage["options"]
    assert {p["type"] for p in data} <= {"SELECT", "MULTI_SELECT"}

    obj = await create_object(gateway, "survey")
    body = {"objectMetadataId": obj["id"], "type": "MULTI_SELECT", "name": "tags", "label": "Tags",
            "options": [{"label": "Red", "value": "RED"}, {"label": "Blue", "value": "BLUE"}]}
    field = (await ok(gateway, "POST", "fields", body))["data"]["createOneField"]
    data = (await ok(gateway, "GET", "picklists"))["data"]["picklists"]
    mine = [p for p in data if p["objectNameSingular"] == obj["nameSingular"]]
    assert len(mine) == 1
    assert mine[0]["fieldId"] == field["id"] and mine[0]["type"] == "MULTI_SELECT"
    assert [o["value"] for o in mine[0]["options"]] == ["RED", "BLUE"]


# ---- API keys ------------------------------------------------------------------------------


async def test_api_keys(gateway: Any) -> None:
    status, data = await call(gateway, "POST", "apiKeys", {"name": "rest key", "expiresAt": "2099-06-01T00:00:00Z"})
    assert status == 201
    key = data["data"]["createApiKey"]
    assert key["name"] == "rest key" and key["token"] and key["expiresAt"] == "2099-06-01T00:00:00.000Z"
    assert "tokenHash" not in key

    listed = (await ok(gateway, "GET", "apiKeys"))
    assert key["id"] in {k["id"] for k in listed["data"]["apiKeys"]}
    assert listed["totalCount"] == len(listed["data"]["apiKeys"])
    assert all("token" not in k and "tokenHash" not in k for k in listed["data"]["apiKeys"])
    one = (await ok(gateway, "GET", f"apiKeys/{key['id']}"))["data"]["apiKey"]
    assert one["name"] == "rest key" and "token" not in one
    status, message = await error(gateway, "GET", f"apiKeys/{uuid.uuid4()}")
    assert status == 404 and "API key" in message

    # The token works until revoked, then answers 403 (Twenty's FORBIDDEN_EXCEPTION; 401 before).
    assert (await ok(gateway, "GET", "objects/person", token=key["token"]))["data"]["object"]
    status, message = await error(gateway, "PATCH", f"apiKeys/{key['id']}", {"name": "renamed"})
    assert status == 400 and "revoke" in message
    revoked = (await ok(gateway, "DELETE", f"apiKeys/{key['id']}"))["data"]["revokeApiKey"]
    assert revoked["id"] == key["id"] and revoked["revokedAt"]
    status, message = await error(gateway, "GET", "objects", token=key["token"])
    assert status == 403 and "revoked" in message

    status, message = await error(gateway, "POST", "apiKeys", {"expiresAt": "2099-01-01T00:00:00Z"})
    assert status == 400 and "required field 'name'" in message
    status, message = await error(gateway, "POST", "apiKeys", {"name": "k", "expiresAt": "soon"})
    assert status == 400 and "expiresAt must be an ISO date" in message


async def test_api_keys_are_listed_in_pages(gateway: Any) -> None:
    for i in range(3):
        await ok(gateway, "POST", "apiKeys", {"name": f"paged {i}"})
    whole = (await ok(gateway, "GET", "apiKeys"))["data"]["apiKeys"]
    ids = [k["id"] for k in whole]
    first = await ok(gateway, "GET", "apiKeys", params={"limit": 2})
    assert [k["id"] for k in first["data"]["apiKeys"]] == ids[:2] and first["totalCount"] == len(ids)
    assert first["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": False,
                                 "startCursor": ids[0], "endCursor": ids[1]}
    rest = await ok(gateway, "GET", "apiKeys", params={"starting_after": first["pageInfo"]["endCursor"], "limit": 60})
    assert [k["id"] for k in rest["data"]["apiKeys"]] == ids[2:]
    assert rest["pageInfo"]["hasPreviousPage"] and not rest["pageInfo"]["hasNextPage"]
    back = await ok(gateway, "GET", "apiKeys", params={"ending_before": ids[2], "limit": 1})
    assert [k["id"] for k in back["data"]["apiKeys"]] == [ids[1]]
    for cursor in ("nope", ""):  # REST cursors are ids (UUIDs), as Twenty's
        status, message = await error(gateway, "GET", "apiKeys", params={"starting_after": cursor})
        assert status == 400 and f"'{cursor}' is not a valid cursor" in message
    status, message = await error(gateway, "GET", "apiKeys", params={"starting_after": str(uuid.uuid4())})
    assert status == 400 and "unknown cursor" in message


# ---- isolation -----------------------------------------------------------------------------


async def test_another_workspace_sees_nothing_of_mine(gateway: Any) -> None:
    mine = await create_object(gateway, "private")
    body = {"objectMetadataId": mine["id"], "type": "TEXT", "name": "code", "label": "Code"}
    my_field = (await ok(gateway, "POST", "fields", body))["data"]["createOneField"]
    my_key = (await ok(gateway, "POST", "apiKeys", {"name": "mine"}))["data"]["createApiKey"]
    _, other = await gateway.new_workspace(unique("rest"))

    theirs = await ok(gateway, "GET", "objects", token=other)
    assert mine["id"] not in {o["id"] for o in theirs["data"]["objects"]}
    assert mine["nameSingular"] not in {o["nameSingular"] for o in theirs["data"]["objects"]}
    their_fields = await ok(gateway, "GET", "fields", token=other)
    assert my_field["id"] not in {f["id"] for f in their_fields["data"]["fields"]}
    assert my_key["id"] not in {k["id"] for k in (await ok(gateway, "GET", "apiKeys", token=other))["data"]["apiKeys"]}

    for method, path, payload in [
        ("GET", f"objects/{mine['id']}", None),
        ("GET", f"objects/{mine['nameSingular']}", None),
        ("PATCH", f"objects/{mine['id']}", {"labelSingular": "Stolen"}),
        ("DELETE", f"objects/{mine['id']}", None),
        ("GET", f"fields/{my_field['id']}", None),
        ("PATCH", f"fields/{my_field['id']}", {"label": "Stolen"}),
        ("DELETE", f"fields/{my_field['id']}", None),
        ("POST", "fields", {"objectMetadataId": mine["id"], "type": "TEXT", "name": "planted", "label": "P"}),
        ("GET", f"apiKeys/{my_key['id']}", None),
        ("DELETE", f"apiKeys/{my_key['id']}", None),
    ]:
        status, _ = await error(gateway, method, path, payload, token=other)
        # As Twenty: a field change naming a field or object it cannot see fails validation (400).
        expected = 400 if (method, path.split("/")[0]) in (("PATCH", "fields"), ("POST", "fields")) else 404
        assert status == expected, (method, path)

    still = await ok(gateway, "GET", f"objects/{mine['id']}")
    assert still["data"]["object"]["labelSingular"] == mine["labelSingular"]
    assert "code" in {f["name"] for f in still["data"]["object"]["fields"]}
    assert (await ok(gateway, "GET", "objects/person", token=my_key["token"]))["data"]["object"]
