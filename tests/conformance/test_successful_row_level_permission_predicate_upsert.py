"""Port of `packages/twenty-server/test/integration/metadata/suites/row-level-permission-predicate/
successful-row-level-permission-predicate-upsert.integration-spec.ts` (revision
41d242555963991041c474c5267df7d174c6a972)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.role_factories import (
    create_one_role,
    delete_one_role,
    field_id,
    object_ids,
    upsert_row_level_permission_predicates,
)
from tests.conftest import GatewayUnderTest


@pytest.fixture(scope="module")
async def setup(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, str]]:
    company = (await object_ids(gateway))["company"]
    name = await field_id(gateway, "company", "name")
    data, _ = await create_one_role(gateway, {
        "label": "Test Role For RLS Predicates", "description": "A role for RLS predicate testing",
        "icon": "IconSettings", "canUpdateAllSettings": False, "canAccessAllTools": True,
        "canReadAllObjectRecords": True, "canUpdateAllObjectRecords": False, "canSoftDeleteAllObjectRecords": False,
        "canDestroyAllObjectRecords": False, "canBeAssignedToUsers": True, "canBeAssignedToAgents": False,
        "canBeAssignedToApiKeys": False,
    })
    role_id = data["createOneRole"]["id"]
    yield {"company": company, "name": name, "role": role_id}
    await delete_one_role(gateway, role_id)


async def upsert(gateway: GatewayUnderTest, setup: dict[str, str], predicates: list[dict[str, Any]],
                 groups: list[dict[str, Any]]) -> dict[str, Any]:
    data, errors = await upsert_row_level_permission_predicates(gateway, {
        "roleId": setup["role"], "objectMetadataId": setup["company"], "predicates": predicates,
        "predicateGroups": groups,
    })
    assert errors is None, errors
    result: dict[str, Any] = data["upsertRowLevelPermissionPredicates"]
    return result


def like(actual: dict[str, Any], expected: dict[str, Any]) -> bool:
    return all(actual[k] == v for k, v in expected.items())


async def test_should_upsert_predicates_and_groups_with_minimal_input(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    result = await upsert(gateway, setup, [{"fieldMetadataId": setup["name"], "operand": "CONTAINS"}], [])
    assert len(result["predicates"]) == 1 and len(result["predicateGroups"]) == 0
    assert isinstance(result["predicates"][0]["id"], str)
    assert like(result["predicates"][0], {"fieldMetadataId": setup["name"], "objectMetadataId": setup["company"],
                                          "operand": "CONTAINS", "roleId": setup["role"],
                                          "rowLevelPermissionPredicateGroupId": None})


async def test_should_upsert_predicates_with_all_fields(gateway: GatewayUnderTest, setup: dict[str, str]) -> None:
    result = await upsert(gateway, setup, [{
        "fieldMetadataId": setup["name"], "operand": "IS", "value": "Test Company", "subFieldName": None,
        "workspaceMemberFieldMetadataId": None, "workspaceMemberSubFieldName": None,
        "rowLevelPermissionPredicateGroupId": None, "positionInRowLevelPermissionPredicateGroup": 0,
    }], [])
    assert len(result["predicates"]) == 1
    assert like(result["predicates"][0], {"fieldMetadataId": setup["name"], "objectMetadataId": setup["company"],
                                          "operand": "IS", "value": "Test Company", "roleId": setup["role"]})


async def test_should_upsert_predicate_groups_with_logical_operators(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    result = await upsert(gateway, setup, [], [{
        "objectMetadataId": setup["company"], "logicalOperator": "AND",
        "parentRowLevelPermissionPredicateGroupId": None, "positionInRowLevelPermissionPredicateGroup": 0,
    }])
    assert len(result["predicateGroups"]) == 1
    assert like(result["predicateGroups"][0], {"objectMetadataId": setup["company"], "logicalOperator": "AND",
                                               "roleId": setup["role"],
                                               "parentRowLevelPermissionPredicateGroupId": None})


async def test_should_upsert_nested_predicate_groups(gateway: GatewayUnderTest, setup: dict[str, str]) -> None:
    parent = await upsert(gateway, setup, [], [{"objectMetadataId": setup["company"], "logicalOperator": "AND",
                                                "parentRowLevelPermissionPredicateGroupId": None}])
    parent_id = parent["predicateGroups"][0]["id"]
    nested = await upsert(gateway, setup, [], [
        {"id": parent_id, "objectMetadataId": setup["company"], "logicalOperator": "AND",
         "parentRowLevelPermissionPredicateGroupId": None},
        {"objectMetadataId": setup["company"], "logicalOperator": "OR",
         "parentRowLevelPermissionPredicateGroupId": parent_id},
    ])
    assert len(nested["predicateGroups"]) == 2
    child = next(g for g in nested["predicateGroups"] if g["parentRowLevelPermissionPredicateGroupId"] == parent_id)
    assert child["logicalOperator"] == "OR"


async def test_should_update_existing_predicates_and_groups(gateway: GatewayUnderTest, setup: dict[str, str]) -> None:
    created = await upsert(gateway, setup, [{"fieldMetadataId": setup["name"], "operand": "CONTAINS"}],
                           [{"objectMetadataId": setup["company"], "logicalOperator": "AND"}])
    predicate_id, group_id = created["predicates"][0]["id"], created["predicateGroups"][0]["id"]
    updated = await upsert(
        gateway, setup,
        [{"id": predicate_id, "fieldMetadataId": setup["name"], "operand": "IS", "value": "Updated Value"}],
        [{"id": group_id, "objectMetadataId": setup["company"], "logicalOperator": "OR"}],
    )
    assert len(updated["predicates"]) == 1
    assert like(updated["predicates"][0], {"id": predicate_id, "operand": "IS", "value": "Updated Value"})
    assert len(updated["predicateGroups"]) == 1
    assert like(updated["predicateGroups"][0], {"id": group_id, "logicalOperator": "OR"})


async def test_should_delete_predicates_and_groups_by_not_including_them(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    await upsert(gateway, setup, [{"fieldMetadataId": setup["name"], "operand": "CONTAINS"}],
                 [{"objectMetadataId": setup["company"], "logicalOperator": "AND"}])
    deleted = await upsert(gateway, setup, [], [])
    assert deleted["predicates"] == [] and deleted["predicateGroups"] == []


async def test_should_upsert_predicates_with_predicate_groups(gateway: GatewayUnderTest, setup: dict[str, str]) -> None:
    groups = await upsert(gateway, setup, [], [{"objectMetadataId": setup["company"], "logicalOperator": "AND"}])
    group_id = groups["predicateGroups"][0]["id"]
    result = await upsert(
        gateway, setup,
        [{"fieldMetadataId": setup["name"], "operand": "CONTAINS", "rowLevelPermissionPredicateGroupId": group_id,
          "positionInRowLevelPermissionPredicateGroup": 0}],
        [{"id": group_id, "objectMetadataId": setup["company"], "logicalOperator": "AND"}],
    )
    assert len(result["predicates"]) == 1
    assert like(result["predicates"][0], {"rowLevelPermissionPredicateGroupId": group_id,
                                          "positionInRowLevelPermissionPredicateGroup": 0})


async def test_should_create_groups_and_predicates_referencing_those_groups_in_a_single_call(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    group_id = str(uuid.uuid4())
    result = await upsert(
        gateway, setup,
        [{"fieldMetadataId": setup["name"], "operand": "CONTAINS", "rowLevelPermissionPredicateGroupId": group_id,
          "positionInRowLevelPermissionPredicateGroup": 0}],
        [{"id": group_id, "objectMetadataId": setup["company"], "logicalOperator": "AND"}],
    )
    assert len(result["predicates"]) == 1 and len(result["predicateGroups"]) == 1
    assert like(result["predicateGroups"][0], {"id": group_id, "objectMetadataId": setup["company"],
                                               "logicalOperator": "AND"})
    assert like(result["predicates"][0], {"fieldMetadataId": setup["name"],
                                          "rowLevelPermissionPredicateGroupId": group_id,
                                          "positionInRowLevelPermissionPredicateGroup": 0})


async def test_should_create_nested_parent_child_groups_in_a_single_call(
    gateway: GatewayUnderTest, setup: dict[str, str]
) -> None:
    parent_id, child_id = str(uuid.uuid4()), str(uuid.uuid4())
    result = await upsert(gateway, setup, [], [
        {"id": parent_id, "objectMetadataId": setup["company"], "logicalOperator": "AND",
         "parentRowLevelPermissionPredicateGroupId": None},
        {"id": child_id, "objectMetadataId": setup["company"], "logicalOperator": "OR",
         "parentRowLevelPermissionPredicateGroupId": parent_id},
    ])
    assert len(result["predicateGroups"]) == 2
    parent = next(g for g in result["predicateGroups"] if g["id"] == parent_id)
    child = next(g for g in result["predicateGroups"] if g["id"] == child_id)
    assert parent["parentRowLevelPermissionPredicateGroupId"] is None and parent["logicalOperator"] == "AND"
    assert child["parentRowLevelPermissionPredicateGroupId"] == parent_id and child["logicalOperator"] == "OR"
