"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/relation/
failing-field-metadata-relation-creation.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): the relation fields that cannot be made.

The spec compares each error with a Jest snapshot (Twenty's wording) or checks, with
`expectOneNotInternalServerErrorSnapshot`, that there is one error and not a fault of the
server; the port checks the latter for both. As in the spec, the cases listed before `beforeAll`
read `sourceObjectId` while it is still '' (a JavaScript closure over the initial value): their
target is '' here too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_object_metadata,
    delete_one_object_metadata,
    get_mock_create_object_input,
    update_one_object_metadata,
)
from tests.conformance.twenty import expect_one_not_internal_server_error
from tests.conftest import GatewayUnderTest

COLLISION_FIELD_LABEL = "Field Name"
COLLISION_FIELD_NAME = "fieldName"
COLLISION_FIELD_NAME_WITH_ID = "fieldNameBisId"
COLLISION_FIELD_LABEL_WITH_ID = "Field Name Bis Id"
UNKNOWN_ID = "4e0b6f5a-1c2d-4e8f-9a0b-1c2d3e4f5a6b"  # faker.string.uuid(): no object has it
UNSET_SOURCE_ID = ""  # globalTestContext.objectMetadataIds.sourceObjectId when the cases are built


@pytest.fixture(scope="module")
async def context(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, str]]:
    data, _ = await create_one_object_metadata(gateway, get_mock_create_object_input(
        namePlural="sourceObjects", nameSingular="sourceObject"))
    source = data["createOneObject"]["id"]
    data, _ = await create_one_object_metadata(gateway, get_mock_create_object_input(
        namePlural="targetObjects", nameSingular="targetObject"))
    target = data["createOneObject"]["id"]
    for object_id in (target, source):
        for name in (COLLISION_FIELD_NAME, COLLISION_FIELD_NAME_WITH_ID):
            data, errors = await create_one_field_metadata(gateway, {
                "objectMetadataId": object_id, "name": name, "label": "LabelThatCouldBeAnything",
                "isLabelSyncedWithName": False, "type": "TEXT"})
            assert data is not None, errors
    yield {"sourceObjectId": source, "targetObjectId": target}
    for object_id in (source, target):
        await update_one_object_metadata(gateway, object_id, {"isActive": False})
        await delete_one_object_metadata(gateway, object_id)


CASES = [
    pytest.param(lambda c: {"relationCreationPayload": {"targetFieldLabel": ""}},
                 id="(relationCreationPayload) when targetFieldLabel is empty"),
    pytest.param(lambda c: {"relationCreationPayload": {"targetFieldLabel": "A" * 64}},
                 id="(relationCreationPayload) when targetFieldLabel exceeds maximum length"),
    pytest.param(lambda c: {"relationCreationPayload": {"targetObjectMetadataId": UNKNOWN_ID}},
                 id="(relationCreationPayload) when targetObjectMetadataId is unknown"),
    pytest.param(lambda c: {"relationCreationPayload": {"targetFieldLabel": "   "}},
                 id="(relationCreationPayload) when targetFieldLabel contains only whitespace"),
    pytest.param(lambda c: {"relationCreationPayload": {"targetObjectMetadataId": c["targetObjectId"],
                                                        "targetFieldLabel": COLLISION_FIELD_LABEL}},
                 id="(relationCreationPayload) when targetFieldLabel conflicts with an existing field on target "
                    "object metadata id"),
    pytest.param(lambda c: {"relationCreationPayload": {"targetObjectMetadataId": c["targetObjectId"],
                                                        "targetFieldLabel": COLLISION_FIELD_LABEL_WITH_ID}},
                 id="(relationCreationPayload) when targetFieldLabel conflicts with an existing {name}Id on target "
                    "object metadata id"),
    pytest.param(lambda c: {"relationCreationPayload": {"type": None}},
                 id="(relationCreationPayload) when type is not provided"),
    pytest.param(lambda c: {"relationCreationPayload": {"type": "wrong"}},
                 id="(relationCreationPayload) when type is a wrong value"),
    pytest.param(lambda c: {"name": COLLISION_FIELD_NAME_WITH_ID, "relationCreationPayload": {"targetFieldIcon": ""}},
                 id="when {name}Id is already used"),
    pytest.param(lambda c: {"name": "relationName", "relationCreationPayload": {
        "targetObjectMetadataId": UNSET_SOURCE_ID, "targetFieldLabel": "Relation Name"}},
        id="when target and source are the same object and name are the same"),
    pytest.param(lambda c: {"relationCreationPayload": {"targetObjectMetadataId": "not-a-valid-uuid"}},
                 id="(relationCreationPayload) when targetObjectMetadataId is not a valid uuid format"),
    pytest.param(lambda c: {"name": COLLISION_FIELD_NAME,
                            "relationCreationPayload": {"targetFieldLabel": "Unique Target Label"}},
                 id="when source field name conflicts with existing field name"),
    pytest.param(lambda c: {"name": "parent", "relationCreationPayload": {
        "targetObjectMetadataId": UNSET_SOURCE_ID, "targetFieldLabel": "Parent Id"}},
        id="when self-relation source field join column would conflict with target field name"),
    pytest.param(lambda c: {"name": "childrenId", "relationCreationPayload": {
        "targetObjectMetadataId": UNSET_SOURCE_ID, "targetFieldLabel": "Children"}},
        id="when self-relation target join column would conflict with source field name"),
]


def relation_input(context: dict[str, str], kind: str, case: dict[str, Any]) -> dict[str, Any]:
    payload = {"targetFieldLabel": "defaultTargetFieldLabel", "type": kind,
               "targetObjectMetadataId": context["targetObjectId"], "targetFieldIcon": "IconBuildingSkyscraper",
               **case.get("relationCreationPayload", {})}
    payload = {k: v for k, v in payload.items() if v is not None}  # `type: undefined` is left out
    return {"objectMetadataId": context["sourceObjectId"], "name": case.get("name") or "fieldname",
            "label": "Relation field", "isLabelSyncedWithName": False, "type": "RELATION",
            "relationCreationPayload": payload}


@pytest.mark.parametrize("case", CASES)
async def test_relation_one_to_many(gateway: GatewayUnderTest, context: dict[str, str], case: Any) -> None:
    _, errors = await create_one_field_metadata(gateway, relation_input(context, "ONE_TO_MANY", case(context)))
    assert errors is not None
    expect_one_not_internal_server_error({"errors": errors})


@pytest.mark.parametrize("case", CASES)
async def test_relation_many_to_one(gateway: GatewayUnderTest, context: dict[str, str], case: Any) -> None:
    _, errors = await create_one_field_metadata(gateway, relation_input(context, "MANY_TO_ONE", case(context)))
    expect_one_not_internal_server_error({"errors": errors})


@pytest.mark.parametrize("kind", ["MANY_TO_ONE", "ONE_TO_MANY"])
async def test_should_fail_when_creating_self_relation_with_same_field_name_and_label(
    gateway: GatewayUnderTest, context: dict[str, str], kind: str
) -> None:
    _, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": context["sourceObjectId"], "name": "manager", "label": "Manager",
        "isLabelSyncedWithName": False, "type": "RELATION", "relationCreationPayload": {
            "targetFieldLabel": "Manager", "type": kind, "targetObjectMetadataId": context["sourceObjectId"],
            "targetFieldIcon": "IconUser"}})
    expect_one_not_internal_server_error({"errors": errors})


async def test_should_fail_when_creating_a_relation_field_with_name_that_conflicts_with_existing_field_name(
    gateway: GatewayUnderTest, context: dict[str, str]
) -> None:
    _, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": context["sourceObjectId"], "name": COLLISION_FIELD_NAME, "label": "Duplicate Field",
        "isLabelSyncedWithName": False, "type": "RELATION", "relationCreationPayload": {
            "targetFieldLabel": "Related Object", "type": "MANY_TO_ONE",
            "targetObjectMetadataId": context["targetObjectId"], "targetFieldIcon": "IconLink"}})
    expect_one_not_internal_server_error({"errors": errors})


async def test_should_fail_when_creating_a_relation_field_with_name_that_conflicts_with_existing_join_column_name(
    gateway: GatewayUnderTest, context: dict[str, str]
) -> None:
    data, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": context["sourceObjectId"], "name": "company", "label": "Company",
        "isLabelSyncedWithName": False, "type": "RELATION", "relationCreationPayload": {
            "targetFieldLabel": "company", "type": "MANY_TO_ONE", "targetObjectMetadataId": context["targetObjectId"],
            "targetFieldIcon": "IconBuilding"}})
    assert data is not None, errors
    _, errors = await create_one_field_metadata(gateway, {
        "objectMetadataId": context["sourceObjectId"], "name": "companyId", "label": "Company Id Field",
        "isLabelSyncedWithName": False, "type": "RELATION", "relationCreationPayload": {
            "targetFieldLabel": "Related", "type": "MANY_TO_ONE", "targetObjectMetadataId": context["targetObjectId"],
            "targetFieldIcon": "IconLink"}})
    expect_one_not_internal_server_error({"errors": errors})
