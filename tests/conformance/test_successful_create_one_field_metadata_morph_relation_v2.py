"""Port of packages/twenty-server/test/integration/metadata/suites/field-metadata/morph-relation/
successful-create-one-field-metadata-morph-relation-v2.integration-spec.ts (twentyhq/twenty,
revision 41d242555963991041c474c5267df7d174c6a972): MORPH_RELATION fields made by clients.

docgate does not create MORPH_RELATION fields from clients (it refuses the type with a field
validation error): the cases are expected to fail until it does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_object_metadata,
    delete_one_field_metadata,
    delete_one_object_metadata,
    update_one_field_metadata,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest

NO_MORPH = pytest.mark.xfail(strict=True, reason="docgate does not create MORPH_RELATION fields from clients")

GQL_FIELDS = """id name label isLabelSyncedWithName settings object { id nameSingular }
morphRelations { type targetFieldMetadata { id } targetObjectMetadata { id } sourceFieldMetadata { id }
  sourceObjectMetadata { id } }"""


@pytest.fixture(scope="module")
async def ids(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, str]]:
    found = {}
    for key, singular, plural, label in (
        ("person", "personForMorphRelationSecond", "peopleForMorphRelationSecond", "Person For Morph Relation"),
        ("company", "companyForMorphRelationSecond", "companiesForMorphRelationSecond", "Company For Morph Relation"),
        ("opportunity", "opportunityForMorphRelationSecond", "opportunitiesForMorphRelationSecond",
         "Opportunity For Morph Relation"),
    ):
        data, errors = await create_one_object_metadata(gateway, {
            "nameSingular": singular, "namePlural": plural, "labelSingular": label, "labelPlural": f"{label}s",
            "icon": "IconPerson"})
        assert data is not None, errors
        found[key] = data["createOneObject"]["id"]
    yield found
    for object_id in found.values():
        await update_one_object_metadata(gateway, object_id, {"isActive": False})
        await delete_one_object_metadata(gateway, object_id)


def _payload(relation_type: str) -> Callable[[dict[str, str]], dict[str, Any]]:
    return lambda ids: {
        "label": "field label", "name": "fieldName", "objectMetadataId": ids["company"], "type": "MORPH_RELATION",
        "morphRelationsCreationPayload": [
            {"targetFieldIcon": "Icon123", "targetFieldLabel": "toto", "targetObjectMetadataId": ids["opportunity"],
             "type": relation_type},
            {"targetFieldIcon": "Icon123", "targetFieldLabel": "tata", "targetObjectMetadataId": ids["person"],
             "type": relation_type},
        ],
    }


@NO_MORPH
@pytest.mark.parametrize("context", [
    pytest.param(_payload("MANY_TO_ONE"), id="should create a MORPH_RELATION field type MANY_TO_ONE"),
    pytest.param(_payload("ONE_TO_MANY"), id="should create a MORPH_RELATION field type ONE_TO_MANY"),
])
async def test_create(
    gateway: GatewayUnderTest, ids: dict[str, str], context: Callable[[dict[str, str]], dict[str, Any]]
) -> None:
    payload = context(ids)
    data, errors = await create_one_field_metadata(gateway, payload, GQL_FIELDS)
    assert data is not None, errors
    field = data["createOneField"]
    try:
        relations = field["morphRelations"]
        assert [(r["type"], r["sourceObjectMetadata"]["id"], r["targetObjectMetadata"]["id"]) for r in relations] == [
            (p["type"], payload["objectMetadataId"], p["targetObjectMetadataId"])
            for p in payload["morphRelationsCreationPayload"]
        ]
        assert all(isinstance(r["sourceFieldMetadata"]["id"], str) and isinstance(r["targetFieldMetadata"]["id"], str)
                   for r in relations)
    finally:
        await update_one_field_metadata(gateway, field["id"], {"isActive": False})
        await delete_one_field_metadata(gateway, field["id"])
