"""The SDL of the static `/metadata` schema, with Twenty's type and argument names.

Twenty's clients are generated from these names, so they are kept exactly: `objects`,
`createOneObject(input: CreateOneObjectInput!)`, `CursorPaging`, `ObjectConnection`, …
"""

from __future__ import annotations

from schema_builder.metadata.field_types import ALIASES, ALL_TYPES

from .permissions.sdl import SDL as PERMISSIONS_SDL
from .realtime.event_streams import SDL as EVENT_STREAM_SDL
from .webhooks.api import SDL as WEBHOOK_SDL

# Twenty's whole enum (a client may name any of its types, and be told which docgate refuses),
# plus the older RICH_TEXT_V2.
TWENTY_FIELD_TYPES = frozenset({"MORPH_RELATION", "TS_VECTOR"})
FIELD_TYPES = tuple(sorted(ALL_TYPES | set(ALIASES) | TWENTY_FIELD_TYPES))

_COMPARISONS = """
input UUIDFilterComparison {
  is: Boolean
  isNot: Boolean
  eq: UUID
  neq: UUID
  gt: UUID
  gte: UUID
  lt: UUID
  lte: UUID
  like: UUID
  notLike: UUID
  iLike: UUID
  notILike: UUID
  in: [UUID!]
  notIn: [UUID!]
}

input BooleanFieldComparison {
  is: Boolean
  isNot: Boolean
  "docgate's addition: equal to"
  eq: Boolean
  "docgate's addition: not equal to"
  neq: Boolean
}

"docgate's addition: comparisons of names."
input StringFieldComparison {
  eq: String
  neq: String
  in: [String!]
  notIn: [String!]
  is: Boolean
  isNot: Boolean
}

"docgate's addition: comparisons of field types."
input FieldMetadataTypeFilterComparison {
  eq: FieldMetadataType
  neq: FieldMetadataType
  in: [FieldMetadataType!]
  notIn: [FieldMetadataType!]
}
"""

# The types of Twenty's metadata schema (packages/twenty-client-sdk/src/metadata/generated/
# schema.graphql) that docgate serves, with its names, arguments and nullability. What
# docgate adds is marked so in its description; older Twenty clients' fields (isCustom,
# standardOverrides) stay, as they are harmless.
_TYPES = """
scalar UUID
scalar DateTime
scalar JSON
"Cursor for paging through collections"
scalar ConnectionCursor

input CursorPaging {
  "Paginate before opaque cursor"
  before: ConnectionCursor
  "Paginate after opaque cursor"
  after: ConnectionCursor
  "Paginate first"
  first: Int
  "Paginate last"
  last: Int
}

type PageInfo {
  "true if paging forward and there are more records."
  hasNextPage: Boolean
  "true if paging backwards and there are more records."
  hasPreviousPage: Boolean
  "The cursor of the first returned record."
  startCursor: ConnectionCursor
  "The cursor of the last returned record."
  endCursor: ConnectionCursor
}

input ObjectFilter {
  and: [ObjectFilter!]
  or: [ObjectFilter!]
  id: UUIDFilterComparison
  isActive: BooleanFieldComparison
  isRemote: BooleanFieldComparison
  isSearchable: BooleanFieldComparison
  isSystem: BooleanFieldComparison
  isUICreatable: BooleanFieldComparison
  isUIEditable: BooleanFieldComparison
  isUIReadOnly: BooleanFieldComparison
  isCustom: BooleanFieldComparison
  "docgate's addition"
  nameSingular: StringFieldComparison
  "docgate's addition"
  namePlural: StringFieldComparison
}

input FieldFilter {
  and: [FieldFilter!]
  or: [FieldFilter!]
  id: UUIDFilterComparison
  isActive: BooleanFieldComparison
  isSystem: BooleanFieldComparison
  isUIEditable: BooleanFieldComparison
  isUIReadOnly: BooleanFieldComparison
  objectMetadataId: UUIDFilterComparison
  isCustom: BooleanFieldComparison
  "docgate's addition"
  name: StringFieldComparison
  "docgate's addition"
  type: FieldMetadataTypeFilterComparison
}

input IndexFilter {
  and: [IndexFilter!]
  or: [IndexFilter!]
  id: UUIDFilterComparison
  isCustom: BooleanFieldComparison
}

"Relation type"
enum RelationType {
  ONE_TO_MANY
  MANY_TO_ONE
}

enum ObjectOpenRecordIn {
  SIDE_PANEL
  RECORD_PAGE
  USER_CHOICE
}

"Type of the index"
enum IndexType {
  BTREE
  GIN
}

type ObjectStandardOverrides {
  labelSingular: String
  labelPlural: String
  description: String
  icon: String
  translations: JSON
}

type FieldStandardOverrides {
  label: String
  description: String
  icon: String
  translations: JSON
}

type Object {
  id: UUID!
  universalIdentifier: String!
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
  isUIEditable: Boolean!
  isUICreatable: Boolean!
  isUIReadOnly: Boolean! @deprecated(reason: "Use isUIEditable")
  isSearchable: Boolean!
  openRecordIn: ObjectOpenRecordIn!
  applicationId: UUID!
  createdAt: DateTime!
  updatedAt: DateTime!
  labelIdentifierFieldMetadataId: UUID
  imageIdentifierFieldMetadataId: UUID
  isLabelSyncedWithName: Boolean!
  duplicateCriteria: [[String!]!]
  "Older Twenty clients: the overrides of a standard object's presentation (none in docgate)."
  standardOverrides: ObjectStandardOverrides
  fields(
    "Limit or page results."
    paging: CursorPaging! = {first: 10}
    "Specify to filter the records returned."
    filter: FieldFilter! = {}
  ): ObjectFieldsConnection!
  indexMetadatas(
    "Limit or page results."
    paging: CursorPaging! = {first: 10}
    "Specify to filter the records returned."
    filter: IndexFilter! = {}
  ): ObjectIndexMetadatasConnection!
  fieldsList: [Field!]!
  indexMetadataList: [Index!]!
  searchFieldMetadataList: [SearchField!]!
}

type Field {
  id: UUID!
  universalIdentifier: String!
  type: FieldMetadataType!
  name: String!
  label: String!
  description: String
  icon: String
  isCustom: Boolean
  isActive: Boolean
  isSystem: Boolean
  isUIEditable: Boolean
  isUIReadOnly: Boolean @deprecated(reason: "Use isUIEditable")
  isNullable: Boolean
  isUnique: Boolean
  defaultValue: JSON
  options: JSON
  settings: JSON
  objectMetadataId: UUID!
  isLabelSyncedWithName: Boolean
  morphId: UUID
  createdAt: DateTime!
  updatedAt: DateTime!
  applicationId: UUID!
  "Older Twenty clients: the overrides of a standard field's presentation (none in docgate)."
  standardOverrides: FieldStandardOverrides
  object: Object
  relation: Relation
  morphRelations: [Relation!]
}

type Relation {
  type: RelationType!
  sourceObjectMetadata: Object!
  targetObjectMetadata: Object!
  sourceFieldMetadata: Field!
  targetFieldMetadata: Field!
}

type IndexField {
  id: UUID!
  fieldMetadataId: UUID!
  order: Float!
  subFieldName: String
  createdAt: DateTime!
  updatedAt: DateTime!
}

type Index {
  id: UUID!
  name: String!
  isCustom: Boolean
  isUnique: Boolean!
  indexWhereClause: String
  indexType: IndexType!
  createdAt: DateTime!
  updatedAt: DateTime!
  indexFieldMetadataList: [IndexField!]!
}

type SearchField {
  id: UUID!
  fieldMetadataId: UUID!
  tsVectorFieldMetadataId: UUID!
  position: Float!
  createdAt: DateTime!
  updatedAt: DateTime!
}

type ObjectRecordCount {
  objectNamePlural: String!
  totalCount: Int!
}

type ObjectEdge {
  "The node containing the Object"
  node: Object!
  "Cursor for this node."
  cursor: ConnectionCursor!
}

type ObjectConnection {
  "Paging information"
  pageInfo: PageInfo!
  "Array of edges."
  edges: [ObjectEdge!]!
  "docgate's addition: how many objects match the filter, over all pages."
  totalCount: Int!
}

type FieldEdge {
  "The node containing the Field"
  node: Field!
  "Cursor for this node."
  cursor: ConnectionCursor!
}

type FieldConnection {
  "Paging information"
  pageInfo: PageInfo!
  "Array of edges."
  edges: [FieldEdge!]!
  "docgate's addition: how many fields match the filter, over all pages."
  totalCount: Int!
}

type ObjectFieldsConnection {
  "Paging information"
  pageInfo: PageInfo!
  "Array of edges."
  edges: [FieldEdge!]!
  "docgate's addition: how many fields match the filter, over all pages."
  totalCount: Int!
}

type IndexEdge {
  "The node containing the Index"
  node: Index!
  "Cursor for this node."
  cursor: ConnectionCursor!
}

type ObjectIndexMetadatasConnection {
  "Paging information"
  pageInfo: PageInfo!
  "Array of edges."
  edges: [IndexEdge!]!
  "docgate's addition: how many indexes match the filter, over all pages."
  totalCount: Int!
}

type Workspace {
  id: UUID!
  displayName: String
  metadataVersion: Float! @deprecated(reason: "No longer used for metadata cache invalidation, will be removed")
}

type ApiKey {
  id: UUID!
  name: String!
  "Null for a key that never expires (docgate's: Twenty's keys always expire)."
  expiresAt: DateTime
  revokedAt: DateTime
  createdAt: DateTime!
  updatedAt: DateTime!
  "docgate's addition: the secret Bearer token, given once, by createApiKey, and null everywhere else."
  token: String
}

type ApiKeyToken {
  token: String!
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
  "The object to create"
  object: CreateObjectInput!
}

input MetadataTranslationOverrideInput {
  locale: String!
  property: String!
  value: String
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
  openRecordIn: ObjectOpenRecordIn
  translations: [MetadataTranslationOverrideInput!]
  "docgate: the groups of columns that make two records duplicates ([] for none)."
  duplicateCriteria: [[String!]!]
}

input UpdateOneObjectInput {
  update: UpdateObjectPayload!
  "The id of the object to update"
  id: UUID!
}

input DeleteOneObjectInput {
  "The id of the record to delete."
  id: UUID!
}

input CreateFieldInput {
  type: FieldMetadataType!
  name: String!
  label: String!
  description: String
  icon: String
  isActive: Boolean
  isSystem: Boolean
  isUIEditable: Boolean
  isUIReadOnly: Boolean
  isNullable: Boolean
  isUnique: Boolean
  defaultValue: JSON
  options: JSON
  settings: JSON
  objectMetadataId: UUID!
  isLabelSyncedWithName: Boolean
  isRemoteCreation: Boolean
  relationCreationPayload: JSON
  morphRelationsCreationPayload: [JSON!]
}

input CreateOneFieldMetadataInput {
  "The record to create"
  field: CreateFieldInput!
}

input UpdateFieldInput {
  universalIdentifier: String
  name: String
  label: String
  description: String
  icon: String
  isActive: Boolean
  isSystem: Boolean
  isUIEditable: Boolean
  isUIReadOnly: Boolean
  isNullable: Boolean
  isUnique: Boolean
  defaultValue: JSON
  options: JSON
  settings: JSON
  objectMetadataId: UUID
  isLabelSyncedWithName: Boolean
  morphRelationsUpdatePayload: [JSON!]
  translations: [MetadataTranslationOverrideInput!]
}

input UpdateOneFieldMetadataInput {
  "The id of the record to update"
  id: UUID!
  "The record to update"
  update: UpdateFieldInput!
}

input DeleteOneFieldInput {
  "The id of the field to delete."
  id: UUID!
}

input CreateApiKeyInput {
  name: String!
  "An ISO date; docgate's keys may also never expire (omit it)."
  expiresAt: String
  revokedAt: String
  "The key's role (getApiKeyRoles); one granting nothing the caller lacks. Default: the caller's own role."
  roleId: UUID
}

input UpdateApiKeyInput {
  id: UUID!
  name: String
  expiresAt: String
  revokedAt: String
}

input GetApiKeyInput {
  id: UUID!
}

input RevokeApiKeyInput {
  id: UUID!
}

type Query {
  objects(
    "Limit or page results."
    paging: CursorPaging! = {first: 10}
    "Specify to filter the records returned."
    filter: ObjectFilter! = {}
  ): ObjectConnection!
  object(
    "The id of the record to find."
    id: UUID!
  ): Object!
  fields(
    "Limit or page results."
    paging: CursorPaging! = {first: 10}
    "Specify to filter the records returned."
    filter: FieldFilter! = {}
  ): FieldConnection!
  field(
    "The id of the record to find."
    id: UUID!
  ): Field!
  objectRecordCounts: [ObjectRecordCount!]!
  currentWorkspace: Workspace!
  apiKeys: [ApiKey!]!
  apiKey(input: GetApiKeyInput!): ApiKey
}

type Mutation {
  createOneObject(input: CreateOneObjectInput!): Object!
  deleteOneObject(input: DeleteOneObjectInput!): Object!
  updateOneObject(input: UpdateOneObjectInput!): Object!
  createOneField(input: CreateOneFieldMetadataInput!): Field!
  updateOneField(input: UpdateOneFieldMetadataInput!): Field!
  deleteOneField(input: DeleteOneFieldInput!): Field!
  createApiKey(input: CreateApiKeyInput!): ApiKey!
  updateApiKey(input: UpdateApiKeyInput!): ApiKey
  revokeApiKey(input: RevokeApiKeyInput!): ApiKey
  "Mints a new token for the key (the previous one stops working: docgate keeps one per key)."
  generateApiKeyToken(apiKeyId: UUID!, expiresAt: String!): ApiKeyToken!
}
"""


def metadata_sdl() -> str:
    enum = '"Type of the field"\nenum FieldMetadataType {\n' + "".join(f"  {t}\n" for t in FIELD_TYPES) + "}\n"
    return _TYPES + _COMPARISONS + "\n" + enum + WEBHOOK_SDL + EVENT_STREAM_SDL + PERMISSIONS_SDL
