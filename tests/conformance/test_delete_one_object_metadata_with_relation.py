"""Port of packages/twenty-server/test/integration/metadata/suites/object-metadata/relation/
delete-one-object-metadata-with-relation.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): deleting either side of a relation removes it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.metadata_factories import (
    create_one_object_metadata,
    create_relation_between_objects,
    delete_one_object_metadata,
    find_many_fields_metadata_query_factory,
    update_one_object_metadata,
)
from tests.conformance.twenty import make_metadata_api_request
from tests.conftest import GatewayUnderTest


@pytest.fixture
async def objects(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, Any]]:
    data, _ = await create_one_object_metadata(gateway, {
        "nameSingular": "personForRelation", "namePlural": "peopleForRelation",
        "labelSingular": "Person For Relation", "labelPlural": "People For Relation", "icon": "IconPerson"})
    person_id = data["createOneObject"]["id"]
    data, _ = await create_one_object_metadata(gateway, {
        "nameSingular": "opportunityForRelation", "namePlural": "opportunitiesForRelation",
        "labelSingular": "Opportunity For Relation", "labelPlural": "Opportunities For Relation",
        "icon": "IconOpportunity"})
    opportunity_id = data["createOneObject"]["id"]
    relation_field = await create_relation_between_objects(
        gateway, opportunity_id, person_id, "RELATION", "MANY_TO_ONE")
    state: dict[str, Any] = {"person": person_id, "opportunity": opportunity_id, "relationField": relation_field}
    yield state
    for key in ("person", "opportunity"):  # afterEach: what the case did not delete
        if state[key] is not None:
            await update_one_object_metadata(gateway, state[key], {"isActive": False})
            await delete_one_object_metadata(gateway, state[key])


async def find_field_metadata(gateway: GatewayUnderTest, field_metadata_id: str) -> Any:
    operation = find_many_fields_metadata_query_factory(
        {"id": {"eq": field_metadata_id}}, {"first": 1}, """
        id name object { id nameSingular }
        relation { type targetFieldMetadata { id } targetObjectMetadata { id } }
        settings""")
    response = await make_metadata_api_request(gateway, operation)
    edges = response.body["data"]["fields"]["edges"]
    return edges[0]["node"] if edges else None


@pytest.mark.parametrize(
    "side",
    [
        pytest.param("person", id="When deleting source object, the relation on the target should be deleted"),
        pytest.param("opportunity", id="When deleting target object, the relation on the source should be deleted"),
    ],
)
async def test_delete_object_metadata_with_relation_should_succeed(
    gateway: GatewayUnderTest, objects: dict[str, Any], side: str
) -> None:
    to_delete = objects[side]
    _, errors = await update_one_object_metadata(gateway, to_delete, {"isActive": False})
    assert errors is None
    _, errors = await delete_one_object_metadata(gateway, to_delete)
    assert errors is None
    objects[side] = None
    assert await find_field_metadata(gateway, objects["relationField"]["id"]) is None
