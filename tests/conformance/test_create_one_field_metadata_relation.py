"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/relation/
create-one-field-metadata-relation.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): relation fields, their inverse and join columns."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.metadata_factories import (
    create_one_object_metadata,
    create_relation_between_objects,
    delete_one_object_metadata,
    find_many_fields_metadata,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest


@pytest.fixture
async def ids(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, str]]:
    data, _ = await create_one_object_metadata(gateway, {
        "nameSingular": "personForRelation", "namePlural": "peopleForRelation",
        "labelSingular": "Person For Relation", "labelPlural": "People For Relation", "icon": "IconPerson"})
    person = data["createOneObject"]["id"]
    data, _ = await create_one_object_metadata(gateway, {
        "nameSingular": "opportunityForRelation", "namePlural": "opportunitiesForRelation",
        "labelSingular": "Opportunity For Relation", "labelPlural": "Opportunities For Relation",
        "icon": "IconOpportunity"})
    opportunity = data["createOneObject"]["id"]
    yield {"person": person, "opportunity": opportunity}
    for object_id in (person, opportunity):
        await update_one_object_metadata(gateway, object_id, {"isActive": False})
        await delete_one_object_metadata(gateway, object_id)


async def find_field_metadata(gateway: GatewayUnderTest, field_metadata_id: str) -> dict[str, Any]:
    fields = await find_many_fields_metadata(gateway, {"id": {"eq": field_metadata_id}}, {"first": 10}, """
        id name object { id nameSingular }
        relation { type targetFieldMetadata { id } targetObjectMetadata { id } }
        settings""")
    assert len(fields) == 1
    field: dict[str, Any] = fields[0]["node"]
    return field


def matches(actual: Any, expected: Any) -> bool:
    """`toMatchObject`: every expected key, recursively."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(matches(actual.get(k), v) for k, v in expected.items())
    return bool(actual == expected)


async def test_many_to_one_field_relation_creation(gateway: GatewayUnderTest, ids: dict[str, str]) -> None:
    created = await create_relation_between_objects(
        gateway, ids["opportunity"], ids["person"], "RELATION", "MANY_TO_ONE", name="person")
    assert matches(created, {"name": "person", "relation": {"type": "MANY_TO_ONE"},
                             "settings": {"joinColumnName": "personId"}})
    assert created["id"] and created["relation"]["targetFieldMetadata"]["id"]
    inverse = await find_field_metadata(gateway, created["relation"]["targetFieldMetadata"]["id"])
    assert matches(inverse, {"object": {"nameSingular": "personForRelation"}, "relation": {"type": "ONE_TO_MANY"}})
    assert inverse["relation"]["targetFieldMetadata"]["id"] and inverse["relation"]["targetObjectMetadata"]["id"]
    assert (inverse["settings"] or {}).get("joinColumnName") is None


async def test_one_to_many_field_relation_creation(gateway: GatewayUnderTest, ids: dict[str, str]) -> None:
    created = await create_relation_between_objects(
        gateway, ids["opportunity"], ids["person"], "RELATION", "ONE_TO_MANY", name="person")
    assert matches(created, {"name": "person", "relation": {"type": "ONE_TO_MANY"}})
    assert created["id"] and created["relation"]["targetFieldMetadata"]["id"]
    assert (created["settings"] or {}).get("joinColumnName") is None
    inverse = await find_field_metadata(gateway, created["relation"]["targetFieldMetadata"]["id"])
    assert matches(inverse, {"object": {"nameSingular": "personForRelation"}, "relation": {"type": "MANY_TO_ONE"},
                             "settings": {"joinColumnName": "opportunityId"}})
    assert inverse["relation"]["targetFieldMetadata"]["id"] and inverse["relation"]["targetObjectMetadata"]["id"]


async def test_many_to_one_self_relation_field_creation(gateway: GatewayUnderTest, ids: dict[str, str]) -> None:
    created = await create_relation_between_objects(
        gateway, ids["person"], ids["person"], "RELATION", "MANY_TO_ONE", name="manager")
    assert matches(created, {"name": "manager", "relation": {"type": "MANY_TO_ONE",
                                                             "targetObjectMetadata": {"id": ids["person"]}},
                             "settings": {"joinColumnName": "managerId"}})
    reports = await find_field_metadata(gateway, created["relation"]["targetFieldMetadata"]["id"])
    assert matches(reports, {"object": {"nameSingular": "personForRelation", "id": ids["person"]},
                             "relation": {"type": "ONE_TO_MANY", "targetObjectMetadata": {"id": ids["person"]}}})
    assert reports["relation"]["targetFieldMetadata"]["id"]
    assert (reports["settings"] or {}).get("joinColumnName") is None


async def test_one_to_many_self_relation_field_creation(gateway: GatewayUnderTest, ids: dict[str, str]) -> None:
    created = await create_relation_between_objects(
        gateway, ids["person"], ids["person"], "RELATION", "ONE_TO_MANY", name="reports",
        target_field_label="reportTarget")
    assert matches(created, {"name": "reports", "relation": {"type": "ONE_TO_MANY",
                                                             "targetObjectMetadata": {"id": ids["person"]}}})
    assert created["relation"]["targetFieldMetadata"]["id"]
    assert (created["settings"] or {}).get("joinColumnName") is None
    manager = await find_field_metadata(gateway, created["relation"]["targetFieldMetadata"]["id"])
    assert matches(manager, {"object": {"nameSingular": "personForRelation", "id": ids["person"]},
                             "relation": {"type": "MANY_TO_ONE", "targetObjectMetadata": {"id": ids["person"]}},
                             "settings": {"joinColumnName": "reporttargetId"}})
    assert manager["relation"]["targetFieldMetadata"]["id"]
