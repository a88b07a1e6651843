"""The values of the fields Twenty's metadata types have and docgate derives, through the real
app: identifiers, applications, UI flags, indexes, duplicate criteria, record counts, filters
and paging defaults, names following labels, what standard metadata lets change, defaults."""

from __future__ import annotations

import uuid
from typing import Any

from tests.gateway.test_metadata_graphql import (
    CREATE_FIELD,
    CREATE_OBJECT,
    UPDATE_FIELD,
    UPDATE_OBJECT,
    create_field,
    create_object,
    fails,
    ok,
    standard_object,
    unique,
)

OBJECT_VALUES = """id universalIdentifier applicationId isCustom isUIEditable isUICreatable isUIReadOnly isSearchable
openRecordIn duplicateCriteria standardOverrides { labelSingular } isLabelSyncedWithName"""
FIELD_VALUES = """id name universalIdentifier applicationId isUIEditable isUIReadOnly morphId morphRelations { type }
standardOverrides { label } object { id nameSingular }"""
ALL = f"""{{ objects(paging: {{first: 100}}) {{ edges {{ node {{ {OBJECT_VALUES} nameSingular
  fieldsList {{ {FIELD_VALUES} }} }} }} }} }}"""


async def _objects(gateway: Any, token: str | None = None) -> dict[str, dict[str, Any]]:
    data = await ok(gateway, ALL, token=token)
    return {e["node"]["nameSingular"]: e["node"] for e in data["objects"]["edges"]}


async def test_identifiers_and_applications(gateway: Any) -> None:
    custom = await create_object(gateway, "gadget")
    objects = await _objects(gateway)
    person, gadget = objects["person"], objects[custom["nameSingular"]]
    # A custom object is known by its id; a standard one by the same identifier everywhere.
    assert gadget["universalIdentifier"] == gadget["id"]
    _, other = await gateway.new_workspace(unique("ids"))
    their_person = (await _objects(gateway, other))["person"]
    assert their_person["id"] != person["id"]
    assert their_person["universalIdentifier"] == person["universalIdentifier"]
    their_fields = {f["name"]: f["universalIdentifier"] for f in their_person["fieldsList"]}
    assert {f["name"]: f["universalIdentifier"] for f in person["fieldsList"]} == their_fields
    # The system fields of a custom object are derived from the object's identifier.
    system = {f["name"]: f for f in gadget["fieldsList"]}
    assert system["createdAt"]["universalIdentifier"] != system["createdAt"]["id"]
    title = await create_field(gateway, custom["id"], type="TEXT", name="title", label="Title")
    fields = {f["name"]: f for f in (await _objects(gateway))[custom["nameSingular"]]["fieldsList"]}
    assert fields["title"]["universalIdentifier"] == title["id"]

    # Twenty's standard application owns the standard model; the workspace's own the rest.
    assert person["applicationId"] != gadget["applicationId"]
    assert {o["applicationId"] for n, o in objects.items() if o["isCustom"] is False} == {person["applicationId"]}
    assert fields["title"]["applicationId"] == gadget["applicationId"]
    assert their_person["applicationId"] != person["applicationId"]  # applications are per workspace
    for field in fields.values():
        assert field["object"] == {"id": custom["id"], "nameSingular": custom["nameSingular"]}
        assert field["morphRelations"] is None and field["morphId"] is None and field["standardOverrides"] is None


async def test_ui_flags_duplicate_criteria_and_open_record_in(gateway: Any) -> None:
    objects = await _objects(gateway)
    for obj in objects.values():
        assert obj["isUIEditable"] is True and obj["isUIReadOnly"] is False and obj["isUICreatable"] is True
        assert obj["openRecordIn"] == "SIDE_PANEL" and obj["standardOverrides"] is None
    assert objects["person"]["duplicateCriteria"] == [["nameFirstName", "nameLastName"], ["emailsPrimaryEmail"],
                                                   ["linkedinLinkPrimaryLinkUrl"]]
    assert objects["company"]["duplicateCriteria"] == [["name"], ["domainNamePrimaryLinkUrl"]]
    assert objects["task"]["duplicateCriteria"] is None
    created_at = next(f for f in objects["person"]["fieldsList"] if f["name"] == "createdAt")
    assert created_at["isUIEditable"] is False and created_at["isUIReadOnly"] is True

    custom = await create_object(gateway, "board")
    data = await ok(gateway, UPDATE_OBJECT, {"input": {"id": custom["id"], "update": {"openRecordIn": "RECORD_PAGE"}}})
    assert data["updateOneObject"]["id"] == custom["id"]
    assert (await _objects(gateway))[custom["nameSingular"]]["openRecordIn"] == "RECORD_PAGE"


async def test_filters_on_twenty_flags(gateway: Any) -> None:
    custom = await create_object(gateway, "hidden")
    await ok(gateway, UPDATE_OBJECT, {"input": {"id": custom["id"], "update": {"isSearchable": False}}})
    query = """query($f: ObjectFilter!) { objects(filter: $f, paging: {first: 100}) {
        edges { node { id nameSingular isSearchable } } } }"""
    unsearchable = await ok(gateway, query, {"f": {"isSearchable": {"is": False}}})
    # Twenty's timeline is the one standard object search leaves out
    named = {e["node"]["nameSingular"]: e["node"]["id"] for e in unsearchable["objects"]["edges"]}
    assert named == {custom["nameSingular"]: custom["id"], "timelineActivity": named.get("timelineActivity")}
    assert named["timelineActivity"]
    editable = await ok(gateway, query, {"f": {"isUIEditable": {"is": True}, "isUIReadOnly": {"isNot": True}}})
    assert custom["id"] in {e["node"]["id"] for e in editable["objects"]["edges"]}
    everything = await ok(gateway, query, {"f": {}})
    ids = sorted(e["node"]["id"] for e in everything["objects"]["edges"])
    after = await ok(gateway, query, {"f": {"id": {"gt": ids[2]}}})
    assert sorted(e["node"]["id"] for e in after["objects"]["edges"]) == ids[3:]
    between = await ok(gateway, query, {"f": {"id": {"gte": ids[1], "lt": ids[3]}}})
    assert sorted(e["node"]["id"] for e in between["objects"]["edges"]) == ids[1:3]

    fields = """query($f: FieldFilter!) { fields(filter: $f, paging: {first: 1000}) { edges { node { name } } } }"""
    mine = {"objectMetadataId": {"eq": custom["id"]}, "isUIReadOnly": {"is": True}}
    read_only = await ok(gateway, fields, {"f": mine})
    assert {e["node"]["name"] for e in read_only["fields"]["edges"]} == {
        "id", "createdAt", "updatedAt", "deletedAt", "position", "createdBy", "updatedBy", "searchVector"}


async def test_paging_defaults_to_ten_as_twenty(gateway: Any) -> None:
    for i in range(3):
        await create_object(gateway, f"page{i}")
    data = await ok(gateway, "{ objects { edges { node { id } } pageInfo { hasNextPage } totalCount } }")
    assert len(data["objects"]["edges"]) == 10 < data["objects"]["totalCount"]
    assert data["objects"]["pageInfo"]["hasNextPage"] is True
    person = await standard_object(gateway, "person")
    nested = await ok(gateway, "query($id: UUID!) { object(id: $id) { fields { edges { node { id } } } } }",
                      {"id": person["id"]})
    assert len(nested["object"]["fields"]["edges"]) == 10


async def test_indexes_are_the_ones_docgate_keeps(gateway: Any) -> None:
    custom = await create_object(gateway, "account")
    code = await create_field(gateway, custom["id"], type="TEXT", name="code", label="Code", isUnique=True)
    emails = await create_field(gateway, custom["id"], type="EMAILS", name="contact", label="Contact", isUnique=True)
    company = await standard_object(gateway, "company")
    owner = await create_field(
        gateway, custom["id"], type="RELATION", name="company", label="Company",
        relationCreationPayload={"type": "MANY_TO_ONE", "targetObjectMetadataId": company["id"],
                                 "targetFieldLabel": "Accounts", "targetFieldName": unique("accounts")},
    )
    query = """query($id: UUID!) { object(id: $id) {
        indexMetadataList { id name isUnique isCustom indexType indexWhereClause
          indexFieldMetadataList { fieldMetadataId subFieldName order } }
        indexMetadatas(filter: {isCustom: {is: true}}, paging: {first: 1}) {
          edges { node { id } } pageInfo { hasNextPage } }
    } }"""
    data = (await ok(gateway, query, {"id": custom["id"]}))["object"]
    by_field = {i["indexFieldMetadataList"][0]["fieldMetadataId"]: i for i in data["indexMetadataList"]}
    assert by_field[code["id"]]["isUnique"] is True and by_field[code["id"]]["name"].startswith("IDX_UNIQUE_")
    assert by_field[code["id"]]["indexFieldMetadataList"] == [
        {"fieldMetadataId": code["id"], "subFieldName": None, "order": 0.0}]
    assert [f["subFieldName"] for f in by_field[emails["id"]]["indexFieldMetadataList"]] == ["primaryEmail"]
    assert by_field[owner["id"]]["isUnique"] is False and by_field[owner["id"]]["indexType"] == "BTREE"
    # The fields' indexes are the workspace's own; the searchVector's (a system field) is docgate's.
    assert all(i["isCustom"] == (i["indexType"] != "GIN") for i in data["indexMetadataList"])
    assert len(data["indexMetadatas"]["edges"]) == 1 and data["indexMetadatas"]["pageInfo"]["hasNextPage"] is True
    again = (await ok(gateway, query, {"id": custom["id"]}))["object"]["indexMetadataList"]
    assert again == data["indexMetadataList"]  # stable ids and names


async def test_object_record_counts(gateway: Any) -> None:
    await gateway.graphql('mutation { createCompany(data: {name: "Counted"}) { id } }')
    deleted = await gateway.graphql('mutation { createCompany(data: {name: "Gone"}) { id } }')
    await gateway.graphql("mutation($id: UUID!) { deleteCompany(id: $id) { id } }",
                          {"id": deleted["data"]["createCompany"]["id"]})
    counts = (await ok(gateway, "{ objectRecordCounts { objectNamePlural totalCount } }"))["objectRecordCounts"]
    by_name = {c["objectNamePlural"]: c["totalCount"] for c in counts}
    expected = (await gateway.graphql("{ companies { totalCount } }"))["data"]["companies"]["totalCount"]
    assert by_name["companies"] == expected >= 1
    assert {"people", "opportunities"} <= set(by_name)


async def test_names_follow_labels_while_synced(gateway: Any) -> None:
    name = unique("synced")
    spec = {"nameSingular": name, "namePlural": name + "s", "labelSingular": "Synced", "labelPlural": "Synceds",
            "isLabelSyncedWithName": True}
    code, message = await fails(gateway, CREATE_OBJECT, {"input": {"object": spec}})
    assert code == "METADATA_VALIDATION_FAILED"
    assert f'Name is not synced with label. Expected name: "synced", got {name}' in message
    word = "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:6])  # letters only
    spec = {**spec, "labelSingular": f"Fruit {word}", "labelPlural": f"Fruits {word}",
            "nameSingular": f"fruit{word.title()}", "namePlural": f"fruits{word.title()}"}
    created = (await ok(gateway, CREATE_OBJECT, {"input": {"object": spec}}))["createOneObject"]
    update = {"labelSingular": f"Vegetable {word}", "labelPlural": f"Vegetable {word} items"}
    updated = (await ok(gateway, UPDATE_OBJECT, {"input": {"id": created["id"], "update": update}}))["updateOneObject"]
    assert updated["nameSingular"] == f"vegetable{word.title()}"
    assert updated["namePlural"] == f"vegetable{word.title()}Items"
    # Names differing from the labels are refused while synced.
    code, message = await fails(gateway, UPDATE_OBJECT, {"input": {"id": created["id"], "update": {
        "nameSingular": "somethingElse"}}})
    assert code == "METADATA_VALIDATION_FAILED" and "Name is not synced with label" in message

    field = await create_field(gateway, created["id"], type="TEXT", name="testField", label="Test Field",
                               isLabelSyncedWithName=True)
    renamed = await ok(gateway, UPDATE_FIELD, {"input": {"id": field["id"], "update": {"label": "Best Field"}}})
    assert renamed["updateOneField"]["name"] == "bestField"
    code, message = await fails(gateway, CREATE_FIELD, {"input": {"field": {
        "objectMetadataId": created["id"], "type": "TEXT", "name": "testField", "label": "Different Label",
        "isLabelSyncedWithName": True}}})
    assert code == "METADATA_VALIDATION_FAILED"
    assert 'Expected name: "differentLabel", got testField' in message


async def test_standard_metadata_changes_only_what_twenty_lets_change(gateway: Any) -> None:
    company = await standard_object(gateway, "company")
    for update, refused in [
        ({"nameSingular": "newCompany"}, "nameSingular"),
        ({"namePlural": "newCompanies"}, "namePlural"),
        ({"shortcut": "whatever"}, "shortcut"),
        ({"isLabelSyncedWithName": True}, "isLabelSyncedWithName"),
    ]:
        code, message = await fails(gateway, UPDATE_OBJECT, {"input": {"id": company["id"], "update": update}})
        assert code == "METADATA_VALIDATION_FAILED"
        assert f"Cannot update standard object properties: {refused}" in message
    changed = {"labelSingular": "Business", "labelPlural": "Businesses", "color": "red", "icon": "IconBuilding"}
    data = await ok(gateway, UPDATE_OBJECT, {"input": {"id": company["id"], "update": changed}})
    assert data["updateOneObject"]["labelSingular"] == "Business"
    restore = {"labelSingular": company["labelSingular"], "labelPlural": company["labelPlural"]}
    await ok(gateway, UPDATE_OBJECT, {"input": {"id": company["id"], "update": restore}})

    name_field = next(f for f in company["fieldsList"] if f["name"] == "name")
    for update in ({"name": "newName"}, {"isLabelSyncedWithName": True}):
        code, message = await fails(gateway, UPDATE_FIELD, {"input": {"id": name_field["id"], "update": update}})
        assert code == "METADATA_VALIDATION_FAILED" and "Cannot update standard field properties" in message
    data = await ok(gateway, UPDATE_FIELD, {"input": {"id": name_field["id"], "update": {"description": "Its name"}}})
    assert data["updateOneField"]["description"] == "Its name"
    code, message = await fails(gateway, "mutation($id: UUID!) { deleteOneField(input: {id: $id}) { id } }",
                                {"id": name_field["id"]})
    assert code == "METADATA_VALIDATION_FAILED" and "Standard Fields can't be deleted" in message
    code, message = await fails(gateway, "mutation($id: UUID!) { deleteOneObject(input: {id: $id}) { id } }",
                                {"id": company["id"]})
    assert code == "METADATA_VALIDATION_FAILED" and "Standard objects cannot be deleted" in message


async def test_sql_quoted_defaults_give_records_the_values_they_quote(gateway: Any) -> None:
    custom = await create_object(gateway, "shipment")
    specs: list[dict[str, Any]] = [
        {"type": "TEXT", "name": "country", "defaultValue": "'FR'"},
        {"type": "TEXT", "name": "note", "defaultValue": "''"},
        {"type": "NUMBER", "name": "boxes", "defaultValue": 2},
        {"type": "BOOLEAN", "name": "fragile", "defaultValue": False},
        {"type": "SELECT", "name": "stage", "defaultValue": "'PACKED'",
         "options": [{"label": "Packed", "value": "PACKED"}, {"label": "Sent", "value": "SENT"}]},
        {"type": "MULTI_SELECT", "name": "flags", "defaultValue": ["'COLD'"],
         "options": [{"label": "Cold", "value": "COLD"}, {"label": "Heavy", "value": "HEAVY"}]},
        {"type": "CURRENCY", "name": "value", "defaultValue": {"amountMicros": None, "currencyCode": "'EUR'"}},
        {"type": "ADDRESS", "name": "destination", "defaultValue": {"addressCountry": "'France'"}},
        {"type": "UUID", "name": "tracking", "defaultValue": "uuid"},
        {"type": "DATE", "name": "shippedOn", "defaultValue": "'2025-05-01'"},
    ]
    for spec in specs:
        field = await create_field(gateway, custom["id"], label=spec["name"].title(), **spec)
        assert field["defaultValue"] == spec["defaultValue"]  # read back as written
    singular = custom["nameSingular"]
    mutation = f"""mutation {{ create{singular[:1].upper()}{singular[1:]}(data: {{}}) {{ country note boxes fragile
        stage flags value {{ amountMicros currencyCode }} destination {{ addressCountry addressCity }} tracking
        shippedOn }} }}"""
    body = await gateway.graphql(mutation)
    assert "errors" not in body, body
    record = next(iter(body["data"].values()))
    assert record["country"] == "FR" and record["note"] == "" and record["boxes"] == 2 and record["fragile"] is False
    assert record["stage"] == "PACKED" and record["flags"] == ["COLD"]
    assert record["value"] == {"amountMicros": None, "currencyCode": "EUR"}
    assert record["destination"] == {"addressCountry": "France", "addressCity": None}
    assert uuid.UUID(record["tracking"]) and record["shippedOn"] == "2025-05-01"


async def test_relation_settings_as_twenty(gateway: Any) -> None:
    """onDelete and the join column belong to the many-to-one side alone; a settings update keeps the
    relation (its type, its join column) and refuses onDelete on the one-to-many side."""
    owner = await create_object(gateway, "crew")
    target = await create_object(gateway, "ship")
    created = await ok(gateway, """mutation($input: CreateOneFieldMetadataInput!) {
      createOneField(input: $input) { id settings relation { targetFieldMetadata { id settings } } } }""",
        {"input": {"field": {"objectMetadataId": owner["id"], "type": "RELATION", "name": "vessel",
                             "label": "Vessel", "relationCreationPayload": {
                                 "type": "MANY_TO_ONE", "targetObjectMetadataId": target["id"],
                                 "targetFieldLabel": "Crew members", "targetFieldIcon": "IconUsers"}}}})
    field = created["createOneField"]
    assert field["settings"] == {"relationType": "MANY_TO_ONE", "onDelete": "SET_NULL", "joinColumnName": "vesselId"}
    inverse = field["relation"]["targetFieldMetadata"]
    assert inverse["settings"] == {"relationType": "ONE_TO_MANY"}

    updated = await ok(gateway, UPDATE_FIELD, {"input": {"id": field["id"], "update": {
        "settings": {"onDelete": "CASCADE"}}}})
    assert updated["updateOneField"]["settings"] == {"relationType": "MANY_TO_ONE", "onDelete": "CASCADE",
                                                     "joinColumnName": "vesselId"}

    code, said = await fails(gateway, UPDATE_FIELD, {"input": {"id": inverse["id"], "update": {
        "settings": {"relationType": "ONE_TO_MANY", "onDelete": "SET_NULL"}}}})
    assert code == "METADATA_VALIDATION_FAILED"
    assert "On delete action is only supported for many to one relations" in said


async def test_records_follow_their_options(gateway: Any) -> None:
    """Swapped option values (A↔B) move each record once; a removed SELECT option leaves null."""
    obj = await create_object(gateway, "crate")
    options = [{"value": v, "label": v.title(), "color": "red", "position": i} for i, v in enumerate(["A", "B", "C"])]
    field = await create_field(gateway, obj["id"], type="SELECT", name="grade", label="Grade", options=options)
    singular = obj["nameSingular"]
    kind = singular[0].upper() + singular[1:]
    ids = []
    for value in ("A", "B", "C"):
        body = await gateway.graphql(f"mutation($d: {kind}CreateInput!) {{ create{kind}(data: $d) {{ id }} }}",
                                     {"d": {"grade": value}})
        ids.append(body["data"][f"create{kind}"]["id"])
    by_value = {o["value"]: o["id"] for o in field["options"]}
    swapped = [{"id": by_value["A"], "value": "B", "label": "A", "color": "red", "position": 0},
               {"id": by_value["B"], "value": "A", "label": "B", "color": "red", "position": 1}]
    await ok(gateway, UPDATE_FIELD, {"input": {"id": field["id"], "update": {"options": swapped}}})
    body = await gateway.graphql(f"{{ {obj['namePlural']}(orderBy: [{{createdAt: AscNullsFirst}}]) "
                                 "{ edges { node { id grade } } } }")
    grades = {e["node"]["id"]: e["node"]["grade"] for e in body["data"][obj["namePlural"]]["edges"]}
    assert [grades[i] for i in ids] == ["B", "A", None]
