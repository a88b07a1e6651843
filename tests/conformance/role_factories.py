"""The helpers of Twenty's role and permission specs, for their ports.

Python equals of `test/integration/metadata/suites/role/utils/*` (createOneRole, updateOneRole,
deleteOneRole, findOneRoleByLabel), `…/row-level-permission-predicate/utils/*`,
`test/integration/graphql/utils/{upsert-field-permissions,create-custom-role-with-object-permissions}.util.ts`
and `…/developers/utils/{create-api-key,assign-role-to-api-key}.util.ts` (revision
41d242555963991041c474c5267df7d174c6a972). Each util returns `(data, errors)` as Twenty's do.

Twenty's specs give a role to a seed user (`updateWorkspaceMemberRole` on Jony, then requests
with `APPLE_JONY_MEMBER_ACCESS_TOKEN`); docgate has no users, so a port gives the role to an
API key instead (`api_key_with_role`) and sends the same requests with that key's token.
"""

from __future__ import annotations

from typing import Any

from tests.conformance.metadata_factories import Result
from tests.conformance.twenty import Operation, make_metadata_api_request
from tests.conftest import GatewayUnderTest

ROLE_FIELDS = """
  id label description icon isEditable canUpdateAllSettings canAccessAllTools canReadAllObjectRecords
  canUpdateAllObjectRecords canSoftDeleteAllObjectRecords canDestroyAllObjectRecords canBeAssignedToUsers
  canBeAssignedToAgents canBeAssignedToApiKeys
"""
PREDICATE_FIELDS = """
  predicates { id fieldMetadataId objectMetadataId operand subFieldName workspaceMemberFieldMetadataId
               workspaceMemberSubFieldName rowLevelPermissionPredicateGroupId
               positionInRowLevelPermissionPredicateGroup roleId value }
  predicateGroups { id parentRowLevelPermissionPredicateGroupId logicalOperator
                    positionInRowLevelPermissionPredicateGroup roleId objectMetadataId }
"""


async def _perform(gateway: GatewayUnderTest, operation: Operation, token: str | None = "default") -> Result:
    response = await make_metadata_api_request(gateway, operation, token)
    return response.body.get("data"), response.body.get("errors")


async def create_one_role(
    gateway: GatewayUnderTest, input: dict[str, Any], gql_fields: str = ROLE_FIELDS, token: str | None = "default"
) -> Result:
    query = f"""
      mutation CreateOneRole($createRoleInput: CreateRoleInput!) {{
        createOneRole(createRoleInput: $createRoleInput) {{ {gql_fields} }}
      }}"""
    return await _perform(gateway, Operation(query, {"createRoleInput": input}), token)


async def update_one_role(
    gateway: GatewayUnderTest, id_to_update: str, update_payload: dict[str, Any], gql_fields: str = ROLE_FIELDS
) -> Result:
    query = f"""
      mutation UpdateOneRole($updateRoleInput: UpdateRoleInput!) {{
        updateOneRole(updateRoleInput: $updateRoleInput) {{ {gql_fields} }}
      }}"""
    return await _perform(gateway, Operation(query, {"updateRoleInput": {"id": id_to_update,
                                                                         "update": update_payload}}))


async def delete_one_role(gateway: GatewayUnderTest, id_to_delete: str) -> Result:
    query = "mutation DeleteOneRole($roleId: UUID!) { deleteOneRole(roleId: $roleId) }"
    return await _perform(gateway, Operation(query, {"roleId": id_to_delete}))


async def find_roles(gateway: GatewayUnderTest, gql_fields: str = "id label") -> list[dict[str, Any]]:
    data, errors = await _perform(gateway, Operation(f"query GetRoles {{ getRoles {{ {gql_fields} }} }}", {}))
    assert errors is None, errors
    roles: list[dict[str, Any]] = data["getRoles"]
    return roles


async def find_one_role_by_label(gateway: GatewayUnderTest, label: str) -> dict[str, Any]:
    """`findOneRoleByLabel`: raises as Twenty's util does when no role has the label."""
    role = next((r for r in await find_roles(gateway) if r["label"] == label), None)
    if role is None:
        raise LookupError(f'Role with label "{label}" not found')
    return role


async def upsert_field_permissions(
    gateway: GatewayUnderTest, role_id: str, field_permissions: list[dict[str, Any]]
) -> Result:
    query = """
      mutation UpsertFieldPermissions($upsertFieldPermissionsInput: UpsertFieldPermissionsInput!) {
        upsertFieldPermissions(upsertFieldPermissionsInput: $upsertFieldPermissionsInput) {
          id objectMetadataId fieldMetadataId roleId canReadFieldValue canUpdateFieldValue
        }
      }"""
    variables = {"upsertFieldPermissionsInput": {"roleId": role_id, "fieldPermissions": field_permissions}}
    data, errors = await _perform(gateway, Operation(query, variables))
    assert errors is None, errors
    return data, errors


async def upsert_object_permissions(
    gateway: GatewayUnderTest, role_id: str, object_permissions: list[dict[str, Any]], token: str | None = "default"
) -> Result:
    query = """
      mutation UpsertObjectPermissions($roleId: UUID!, $objectPermissions: [ObjectPermissionInput!]!) {
        upsertObjectPermissions(
          upsertObjectPermissionsInput: {roleId: $roleId, objectPermissions: $objectPermissions}
        ) {
          objectMetadataId canReadObjectRecords canUpdateObjectRecords canSoftDeleteObjectRecords
          canDestroyObjectRecords
        }
      }"""
    return await _perform(gateway, Operation(query, {"roleId": role_id, "objectPermissions": object_permissions}),
                          token)


async def upsert_permission_flags(gateway: GatewayUnderTest, role_id: str, keys: list[str]) -> Result:
    query = """
      mutation UpsertPermissionFlags($input: UpsertPermissionFlagsInput!) {
        upsertPermissionFlags(upsertPermissionFlagsInput: $input) { id roleId flag }
      }"""
    return await _perform(gateway, Operation(query, {"input": {"roleId": role_id, "permissionFlagKeys": keys}}))


async def upsert_row_level_permission_predicates(gateway: GatewayUnderTest, input: dict[str, Any]) -> Result:
    query = f"""
      mutation UpsertRowLevelPermissionPredicates($input: UpsertRowLevelPermissionPredicatesInput!) {{
        upsertRowLevelPermissionPredicates(input: $input) {{ {PREDICATE_FIELDS} }}
      }}"""
    return await _perform(gateway, Operation(query, {"input": input}))


async def object_ids(gateway: GatewayUnderTest) -> dict[str, str]:
    """Object ids by singular name (the specs' `objects(paging: {first: 1000})` look-up)."""
    query = "query { objects(paging: {first: 1000}) { edges { node { id nameSingular } } } }"
    data, _ = await _perform(gateway, Operation(query, {}))
    return {e["node"]["nameSingular"]: e["node"]["id"] for e in data["objects"]["edges"]}


async def field_id(gateway: GatewayUnderTest, object_singular: str, field_name: str) -> str:
    """A field's id (the specs' `fields(paging: {first: 1000})` look-up)."""
    query = "query { fields(paging: {first: 1000}) { edges { node { id name object { nameSingular } } } } }"
    data, _ = await _perform(gateway, Operation(query, {}))
    return next(
        e["node"]["id"] for e in data["fields"]["edges"]
        if e["node"]["name"] == field_name and e["node"]["object"]["nameSingular"] == object_singular
    )


async def create_custom_role_with_object_permissions(
    gateway: GatewayUnderTest, label: str, *, can_read_person: bool | None = None,
    can_read_company: bool | None = None, can_read_opportunities: bool | None = None,
    can_update_person: bool | None = None, can_update_company: bool | None = None,
    can_update_opportunities: bool | None = None, has_all_object_records_read_permission: bool | None = None,
) -> dict[str, str]:
    """`createCustomRoleWithObjectPermissions`: a role with every right (or none, per the last
    option) and per-object read/update for person, company and opportunity."""
    wide = True if has_all_object_records_read_permission is None else has_all_object_records_read_permission
    data, errors = await create_one_role(gateway, {
        "label": label, "description": "Test role for permission testing", "canUpdateAllSettings": wide,
        "canReadAllObjectRecords": wide, "canUpdateAllObjectRecords": wide, "canSoftDeleteAllObjectRecords": wide,
        "canDestroyAllObjectRecords": wide,
    }, "id label")
    assert errors is None, errors
    role_id = data["createOneRole"]["id"]
    ids = await object_ids(gateway)
    permissions = []
    for name, read, update in (("person", can_read_person, can_update_person),
                               ("company", can_read_company, can_update_company),
                               ("opportunity", can_read_opportunities, can_update_opportunities)):
        if read is not None or update is not None:
            permissions.append({"objectMetadataId": ids[name], "canReadObjectRecords": read,
                                "canUpdateObjectRecords": False if update is None else update,
                                "canSoftDeleteObjectRecords": False, "canDestroyObjectRecords": False})
    if permissions:
        _, errors = await upsert_object_permissions(gateway, role_id, permissions)
        assert errors is None, errors
    return {"roleId": role_id, "personObjectId": ids["person"], "companyObjectId": ids["company"],
            "opportunityObjectId": ids["opportunity"]}


async def create_api_key(
    gateway: GatewayUnderTest, input: dict[str, Any], gql_fields: str = "id", token: str | None = "default"
) -> Result:
    query = f"mutation CreateApiKey($input: CreateApiKeyInput!) {{ createApiKey(input: $input) {{ {gql_fields} }} }}"
    return await _perform(gateway, Operation(query, {"input": input}), token)


async def assign_role_to_api_key(
    gateway: GatewayUnderTest, api_key_id: str, role_id: str, token: str | None = "default"
) -> Result:
    query = """
      mutation AssignRoleToApiKey($apiKeyId: UUID!, $roleId: UUID!) {
        assignRoleToApiKey(apiKeyId: $apiKeyId, roleId: $roleId)
      }"""
    return await _perform(gateway, Operation(query, {"apiKeyId": api_key_id, "roleId": role_id}), token)


async def api_key_with_role(gateway: GatewayUnderTest, role_id: str, name: str = "restricted") -> str:
    """A token holding `role_id`: docgate's stand-in for a seed user given that role."""
    data, errors = await create_api_key(gateway, {"name": name, "roleId": role_id}, "id token")
    assert errors is None, errors
    token: str = data["createApiKey"]["token"]
    return token


async def member_token(gateway: GatewayUnderTest) -> str:
    """A key of the standard Member role (Twenty's seed member, Jony)."""
    return await api_key_with_role(gateway, (await find_one_role_by_label(gateway, "Member"))["id"], "member")
