"""The SDL of roles in `/metadata`: Twenty's types, inputs and fields, with its names
(`packages/twenty-client-sdk/src/metadata/generated/schema.graphql`)."""

from __future__ import annotations

from schema_builder.permissions.model import PERMISSION_FLAGS
from schema_builder.permissions.row_filters import OPERANDS

SDL = '''
type FullName {
  firstName: String!
  lastName: String!
}

"Twenty's workspace member. docgate has no users: roles are held by API keys, and this list is empty."
type WorkspaceMember {
  id: UUID!
  name: FullName!
  userEmail: String!
  colorScheme: String!
  uiScale: String!
  avatarUrl: String
  locale: String
  calendarStartDay: Int
  timeZone: String
  userWorkspaceId: UUID
}

"Twenty's AI agent. docgate has none: the list is empty."
type Agent {
  id: UUID!
  name: String!
  label: String!
  icon: String
  description: String
  prompt: String!
  modelId: String!
  roleId: UUID
  isCustom: Boolean!
  applicationId: UUID
  createdAt: DateTime!
  updatedAt: DateTime!
}

type FieldPermission {
  id: UUID!
  objectMetadataId: UUID!
  fieldMetadataId: UUID!
  roleId: UUID!
  canReadFieldValue: Boolean
  canUpdateFieldValue: Boolean
}

type RowLevelPermissionPredicateGroup {
  id: String!
  parentRowLevelPermissionPredicateGroupId: String
  logicalOperator: RowLevelPermissionPredicateGroupLogicalOperator!
  positionInRowLevelPermissionPredicateGroup: Float
  roleId: String!
  objectMetadataId: String!
}

enum RowLevelPermissionPredicateGroupLogicalOperator {
  AND
  OR
}

type RowLevelPermissionPredicate {
  id: String!
  fieldMetadataId: String!
  objectMetadataId: String!
  operand: RowLevelPermissionPredicateOperand!
  subFieldName: String
  workspaceMemberFieldMetadataId: String
  workspaceMemberSubFieldName: String
  rowLevelPermissionPredicateGroupId: String
  positionInRowLevelPermissionPredicateGroup: Float
  roleId: String!
  value: JSON
}

enum RowLevelPermissionPredicateOperand {
''' + "".join(f"  {o}\n" for o in OPERANDS) + '''}

type ObjectPermission {
  objectMetadataId: UUID!
  canReadObjectRecords: Boolean
  canUpdateObjectRecords: Boolean
  canSoftDeleteObjectRecords: Boolean
  canDestroyObjectRecords: Boolean
  restrictedFields: JSON
  rowLevelPermissionPredicates: [RowLevelPermissionPredicate!]
  rowLevelPermissionPredicateGroups: [RowLevelPermissionPredicateGroup!]
}

type RolePermissionFlag {
  id: UUID!
  roleId: UUID!
  flag: String!
}

type ApiKeyForRole {
  id: UUID!
  name: String!
  "Null for a key that never expires (docgate's: Twenty's keys always expire)."
  expiresAt: DateTime
  revokedAt: DateTime
}

type Role {
  id: UUID!
  universalIdentifier: UUID
  label: String!
  description: String
  icon: String
  isEditable: Boolean!
  canBeAssignedToUsers: Boolean!
  canBeAssignedToAgents: Boolean!
  canBeAssignedToApiKeys: Boolean!
  workspaceMembers: [WorkspaceMember!]!
  agents: [Agent!]!
  apiKeys: [ApiKeyForRole!]!
  canUpdateAllSettings: Boolean!
  canAccessAllTools: Boolean!
  canReadAllObjectRecords: Boolean!
  canUpdateAllObjectRecords: Boolean!
  canSoftDeleteAllObjectRecords: Boolean!
  canDestroyAllObjectRecords: Boolean!
  permissionFlags: [RolePermissionFlag!]
  objectPermissions: [ObjectPermission!]
  fieldPermissions: [FieldPermission!]
  rowLevelPermissionPredicates: [RowLevelPermissionPredicate!]
  rowLevelPermissionPredicateGroups: [RowLevelPermissionPredicateGroup!]
}

enum PermissionFlagType {
''' + "".join(f"  {f}\n" for f in PERMISSION_FLAGS) + '''}

type UpsertRowLevelPermissionPredicatesResult {
  predicates: [RowLevelPermissionPredicate!]!
  predicateGroups: [RowLevelPermissionPredicateGroup!]!
}

input CreateRoleInput {
  id: String
  label: String!
  description: String
  icon: String
  canUpdateAllSettings: Boolean
  canAccessAllTools: Boolean
  canReadAllObjectRecords: Boolean
  canUpdateAllObjectRecords: Boolean
  canSoftDeleteAllObjectRecords: Boolean
  canDestroyAllObjectRecords: Boolean
  canBeAssignedToUsers: Boolean
  canBeAssignedToAgents: Boolean
  canBeAssignedToApiKeys: Boolean
}

input UpdateRoleInput {
  update: UpdateRolePayload!
  "The id of the role to update"
  id: UUID!
}

input UpdateRolePayload {
  label: String
  description: String
  icon: String
  canUpdateAllSettings: Boolean
  canAccessAllTools: Boolean
  canReadAllObjectRecords: Boolean
  canUpdateAllObjectRecords: Boolean
  canSoftDeleteAllObjectRecords: Boolean
  canDestroyAllObjectRecords: Boolean
  canBeAssignedToUsers: Boolean
  canBeAssignedToAgents: Boolean
  canBeAssignedToApiKeys: Boolean
}

input UpsertObjectPermissionsInput {
  roleId: UUID!
  objectPermissions: [ObjectPermissionInput!]!
}

input ObjectPermissionInput {
  objectMetadataId: UUID!
  canReadObjectRecords: Boolean
  canUpdateObjectRecords: Boolean
  canSoftDeleteObjectRecords: Boolean
  canDestroyObjectRecords: Boolean
}

input UpsertPermissionFlagsInput {
  roleId: UUID!
  permissionFlagKeys: [String!]!
}

input UpsertFieldPermissionsInput {
  roleId: UUID!
  fieldPermissions: [FieldPermissionInput!]!
}

input FieldPermissionInput {
  objectMetadataId: UUID!
  fieldMetadataId: UUID!
  canReadFieldValue: Boolean
  canUpdateFieldValue: Boolean
}

input UpsertRowLevelPermissionPredicatesInput {
  roleId: UUID!
  objectMetadataId: UUID!
  predicates: [RowLevelPermissionPredicateInput!]!
  predicateGroups: [RowLevelPermissionPredicateGroupInput!]!
}

input RowLevelPermissionPredicateInput {
  id: UUID
  fieldMetadataId: UUID!
  operand: RowLevelPermissionPredicateOperand!
  value: JSON
  subFieldName: String
  workspaceMemberFieldMetadataId: String
  workspaceMemberSubFieldName: String
  rowLevelPermissionPredicateGroupId: UUID
  positionInRowLevelPermissionPredicateGroup: Float
}

input RowLevelPermissionPredicateGroupInput {
  id: UUID
  objectMetadataId: UUID!
  parentRowLevelPermissionPredicateGroupId: UUID
  logicalOperator: RowLevelPermissionPredicateGroupLogicalOperator!
  positionInRowLevelPermissionPredicateGroup: Float
}

extend type ApiKey {
  "The role the key holds: what it may read and change."
  role: Role!
}

extend type Query {
  getRoles: [Role!]!
  "The roles that may be given to API keys."
  getApiKeyRoles: [Role!]!
}

extend type Mutation {
  createOneRole(createRoleInput: CreateRoleInput!): Role!
  updateOneRole(updateRoleInput: UpdateRoleInput!): Role!
  deleteOneRole(roleId: UUID!): String!
  upsertObjectPermissions(upsertObjectPermissionsInput: UpsertObjectPermissionsInput!): [ObjectPermission!]!
  upsertPermissionFlags(upsertPermissionFlagsInput: UpsertPermissionFlagsInput!): [RolePermissionFlag!]!
  upsertFieldPermissions(upsertFieldPermissionsInput: UpsertFieldPermissionsInput!): [FieldPermission!]!
  upsertRowLevelPermissionPredicates(
    input: UpsertRowLevelPermissionPredicatesInput!
  ): UpsertRowLevelPermissionPredicatesResult!
  assignRoleToApiKey(apiKeyId: UUID!, roleId: UUID!): Boolean!
}
'''
