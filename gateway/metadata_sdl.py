"""The SDL of the static `/metadata` schema, with Twenty's type and argument names.

Twenty's clients are generated from these names, so they are kept exactly: `objects`,
`createOneObject(input: CreateOneObjectInput!)`, `CursorPaging`, `ObjectConnection`, …
"""

from __future__ import annotations

from schema_builder.metadata.field_types import ALIASES, ALL_TYPES

from .webhooks.api import SDL as WEBHOOK_SDL

FIELD_TYPES = tuple(sorted(ALL_TYPES | set(ALIASES)))

_COMPARISONS = """
input UUIDFilterComparison {
  eq: UUID
  neq: UUID
  in: [UUID!]
  notIn: [UUID!]
  is: Boolean
  isNot: Boolean
}

input BooleanFieldComparison {
  eq: Boolean
  neq: Boolean
  is: Boolean
  isNot: Boolean
}

input StringFieldComparison {
  eq: String
  neq: String
  in: [String!]
  notIn: [String!]
  is: Boolean
  isNot: Boolean
}

input FieldMetadataTypeFilterComparison {
  eq: FieldMetadataType
  neq: FieldMetadataType
  in: [FieldMetadataType!]
  notIn: [FieldMetadataType!]
}
"""

_TYPES = """
scalar UUID
scalar DateTime
scalar JSON
scalar ConnectionCursor

input CursorPaging {
  first: Int
  last: Int
  after: ConnectionCursor
  before: ConnectionCursor
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: ConnectionCursor
  endCursor: ConnectionCursor
}

input ObjectFilter {
  and: [ObjectFilter!]
  or: [ObjectFilter!]
  id: UUIDFilterComparison
  isCustom: BooleanFieldComparison
  isActive: BooleanFieldComparison
  isSystem: BooleanFieldComparison
  isRemote: BooleanFieldComparison
  nameSingular: StringFieldComparison
  namePlural: StringFieldComparison
}

input FieldFilter {
  and: [FieldFilter!]
  or: [FieldFilter!]
  id: UUIDFilterComparison
  isCustom: BooleanFieldComparison
  isActive: BooleanFieldComparison
  isSystem: BooleanFieldComparison
  objectMetadataId: UUIDFilterComparison
  name: StringFieldComparison
  type: FieldMetadataTypeFilterComparison
}

enum RelationType {
  ONE_TO_MANY
  MANY_TO_ONE
}

type Object {
  id: UUID!
  nameSingular: String!
  namePlural: String!
  labelSingular: String!
  labelPlural: String!
  description: String
  icon: String
  shortcut: String
  color: String
  isCustom: Boolean!
  isRemote: Boolean!
  isActive: Boolean!
  isSystem: Boolean!
  isSearchable: Boolean!
  isLabelSyncedWithName: Boolean!
  labelIdentifierFieldMetadataId: UUID
  imageIdentifierFieldMetadataId: UUID
  duplicateCriteria: [[String!]!]
  createdAt: DateTime!
  updatedAt: DateTime!
  fieldsList: [Field!]!
  fields(paging: CursorPaging, filter: FieldFilter): ObjectFieldsConnection!
}

type Field {
  id: UUID!
  type: FieldMetadataType!
  name: String!
  label: String!
  description: String
  icon: String
  isCustom: Boolean
  isActive: Boolean
  isSystem: Boolean
  isNullable: Boolean
  isUnique: Boolean
  isUIEditable: Boolean
  isLabelSyncedWithName: Boolean
  defaultValue: JSON
  options: JSON
  settings: JSON
  objectMetadataId: UUID!
  createdAt: DateTime!
  updatedAt: DateTime!
  relation: Relation
}

type Relation {
  type: RelationType!
  sourceObjectMetadata: Object!
  targetObjectMetadata: Object!
  sourceFieldMetadata: Field!
  targetFieldMetadata: Field!
}

type ObjectEdge {
  node: Object!
  cursor: ConnectionCursor!
}

type ObjectConnection {
  edges: [ObjectEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type FieldEdge {
  node: Field!
  cursor: ConnectionCursor!
}

type FieldConnection {
  edges: [FieldEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type ObjectFieldsConnection {
  edges: [FieldEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type Workspace {
  id: UUID!
  displayName: String
  metadataVersion: Int!
}

type ApiKey {
  id: UUID!
  name: String!
  expiresAt: DateTime
  revokedAt: DateTime
  createdAt: DateTime!
  updatedAt: DateTime!
  "The secret Bearer token: given once, by createApiKey, and null everywhere else."
  token: String
}

input CreateObjectInput {
  nameSingular: String!
  namePlural: String!
  labelSingular: String!
  labelPlural: String!
  description: String
  icon: String
  shortcut: String
  color: String
  skipNameField: Boolean
  isRemote: Boolean
  primaryKeyColumnType: String
  primaryKeyFieldMetadataSettings: JSON
  isLabelSyncedWithName: Boolean
}

input CreateOneObjectInput {
  object: CreateObjectInput!
}

input UpdateObjectPayload {
  labelSingular: String
  labelPlural: String
  nameSingular: String
  namePlural: String
  description: String
  icon: String
  shortcut: String
  color: String
  isActive: Boolean
  labelIdentifierFieldMetadataId: UUID
  imageIdentifierFieldMetadataId: UUID
  isLabelSyncedWithName: Boolean
  isSearchable: Boolean
  "docgate: the groups of columns that make two records duplicates ([] for none)."
  duplicateCriteria: [[String!]!]
}

input UpdateOneObjectInput {
  id: UUID!
  update: UpdateObjectPayload!
}

input DeleteOneObjectInput {
  id: UUID!
}

input CreateFieldInput {
  type: FieldMetadataType!
  name: String!
  label: String!
  description: String
  icon: String
  isNullable: Boolean
  isUnique: Boolean
  defaultValue: JSON
  options: JSON
  settings: JSON
  objectMetadataId: UUID!
  isLabelSyncedWithName: Boolean
  isRemoteCreation: Boolean
  relationCreationPayload: JSON
}

input CreateOneFieldMetadataInput {
  field: CreateFieldInput!
}

input UpdateFieldInput {
  name: String
  label: String
  description: String
  icon: String
  isActive: Boolean
  isNullable: Boolean
  isUnique: Boolean
  isUIEditable: Boolean
  isLabelSyncedWithName: Boolean
  defaultValue: JSON
  options: JSON
  settings: JSON
}

input UpdateOneFieldMetadataInput {
  id: UUID!
  update: UpdateFieldInput!
}

input DeleteOneFieldInput {
  id: UUID!
}

input CreateApiKeyInput {
  name: String!
  expiresAt: DateTime
  "Accepted for compatibility with Twenty's clients; docgate keys have no roles."
  roleId: UUID
}

input GetApiKeyInput {
  id: UUID!
}

input RevokeApiKeyInput {
  id: UUID!
}

type Query {
  objects(paging: CursorPaging, filter: ObjectFilter): ObjectConnection!
  object(id: UUID!): Object!
  fields(paging: CursorPaging, filter: FieldFilter): FieldConnection!
  field(id: UUID!): Field!
  currentWorkspace: Workspace!
  apiKeys: [ApiKey!]!
  apiKey(input: GetApiKeyInput!): ApiKey
}

type Mutation {
  createOneObject(input: CreateOneObjectInput!): Object!
  updateOneObject(input: UpdateOneObjectInput!): Object!
  deleteOneObject(input: DeleteOneObjectInput!): Object!
  createOneField(input: CreateOneFieldMetadataInput!): Field!
  updateOneField(input: UpdateOneFieldMetadataInput!): Field!
  deleteOneField(input: DeleteOneFieldInput!): Field!
  createApiKey(input: CreateApiKeyInput!): ApiKey!
  revokeApiKey(input: RevokeApiKeyInput!): ApiKey
}
"""


def metadata_sdl() -> str:
    enum = "enum FieldMetadataType {\n" + "".join(f"  {t}\n" for t in FIELD_TYPES) + "}\n"
    return _TYPES + _COMPARISONS + "\n" + enum + WEBHOOK_SDL
