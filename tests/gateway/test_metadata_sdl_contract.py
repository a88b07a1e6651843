"""The `/metadata` schema agrees with Twenty's on every type docgate serves.

`TWENTY` is an excerpt of Twenty's generated metadata schema
(packages/twenty-client-sdk/src/metadata/generated/schema.graphql, revision
41d242555963991041c474c5267df7d174c6a972): the types of the queries and mutations docgate
serves. Every field, argument and input field there must exist here with the same type and
nullability; docgate may add fields (marked in its schema's descriptions), and may accept as
optional an input Twenty requires (harmless to a client, which sends it anyway). The exceptions
are listed, each with its reason.
"""

from __future__ import annotations

from graphql import (
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    print_type,
)

from gateway.metadata_api import build_metadata_schema

TWENTY = """
scalar UUID
scalar DateTime
scalar JSON
scalar ConnectionCursor

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
  fields(paging: CursorPaging! = {first: 10}, filter: FieldFilter! = {}): ObjectFieldsConnection!
  indexMetadatas(paging: CursorPaging! = {first: 10}, filter: IndexFilter! = {}): ObjectIndexMetadatasConnection!
  fieldsList: [Field!]!
  indexMetadataList: [Index!]!
  searchFieldMetadataList: [SearchField!]!
}

enum ObjectOpenRecordIn { SIDE_PANEL RECORD_PAGE USER_CHOICE }

input CursorPaging { before: ConnectionCursor after: ConnectionCursor first: Int last: Int }

input FieldFilter {
  and: [FieldFilter!]
  or: [FieldFilter!]
  id: UUIDFilterComparison
  isActive: BooleanFieldComparison
  isSystem: BooleanFieldComparison
  isUIEditable: BooleanFieldComparison
  isUIReadOnly: BooleanFieldComparison
  objectMetadataId: UUIDFilterComparison
}

input UUIDFilterComparison {
  is: Boolean isNot: Boolean eq: UUID neq: UUID gt: UUID gte: UUID lt: UUID lte: UUID
  like: UUID notLike: UUID iLike: UUID notILike: UUID in: [UUID!] notIn: [UUID!]
}

input BooleanFieldComparison { is: Boolean isNot: Boolean }

input IndexFilter { and: [IndexFilter!] or: [IndexFilter!] id: UUIDFilterComparison isCustom: BooleanFieldComparison }

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
}

type Field {
  id: UUID!
  universalIdentifier: String!
  type: FieldMetadataType!
  name: String!
  label: String!
  description: String
  icon: String
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
  object: Object
  relation: Relation
  morphRelations: [Relation!]
}

enum FieldMetadataType {
  ACTOR ADDRESS ARRAY BOOLEAN CURRENCY DATE DATE_TIME EMAILS FILES FULL_NAME LINKS MORPH_RELATION
  MULTI_SELECT NUMBER NUMERIC PHONES POSITION RATING RAW_JSON RELATION RICH_TEXT SELECT TEXT TS_VECTOR UUID
}

type PageInfo {
  hasNextPage: Boolean
  hasPreviousPage: Boolean
  startCursor: ConnectionCursor
  endCursor: ConnectionCursor
}

type FieldEdge { node: Field! cursor: ConnectionCursor! }
type FieldConnection { pageInfo: PageInfo! edges: [FieldEdge!]! }

type Relation {
  type: RelationType!
  sourceObjectMetadata: Object!
  targetObjectMetadata: Object!
  sourceFieldMetadata: Field!
  targetFieldMetadata: Field!
}

enum RelationType { ONE_TO_MANY MANY_TO_ONE }

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

enum IndexType { BTREE GIN }

type IndexEdge { node: Index! cursor: ConnectionCursor! }
type ObjectEdge { node: Object! cursor: ConnectionCursor! }
type ObjectConnection { pageInfo: PageInfo! edges: [ObjectEdge!]! }
type ObjectFieldsConnection { pageInfo: PageInfo! edges: [FieldEdge!]! }
type ObjectIndexMetadatasConnection { pageInfo: PageInfo! edges: [IndexEdge!]! }
type ObjectRecordCount { objectNamePlural: String! totalCount: Int! }

type SearchField {
  id: UUID!
  fieldMetadataId: UUID!
  tsVectorFieldMetadataId: UUID!
  position: Float!
  createdAt: DateTime!
  updatedAt: DateTime!
}

type Webhook {
  id: UUID!
  targetUrl: String!
  operations: [String!]!
  description: String
  secret: String!
  applicationId: UUID!
  createdAt: DateTime!
  updatedAt: DateTime!
  deletedAt: DateTime
}

type ApiKey {
  id: UUID!
  name: String!
  expiresAt: DateTime!
  revokedAt: DateTime
  createdAt: DateTime!
  updatedAt: DateTime!
}

type ApiKeyToken { token: String! }

type Query {
  apiKeys: [ApiKey!]!
  apiKey(input: GetApiKeyInput!): ApiKey
  objects(paging: CursorPaging! = {first: 10}, filter: ObjectFilter! = {}): ObjectConnection!
  object(id: UUID!): Object!
  objectRecordCounts: [ObjectRecordCount!]!
  fields(paging: CursorPaging! = {first: 10}, filter: FieldFilter! = {}): FieldConnection!
  field(id: UUID!): Field!
  webhooks: [Webhook!]!
  webhook(id: UUID!): Webhook
}

input GetApiKeyInput { id: UUID! }

type Mutation {
  createApiKey(input: CreateApiKeyInput!): ApiKey!
  updateApiKey(input: UpdateApiKeyInput!): ApiKey
  revokeApiKey(input: RevokeApiKeyInput!): ApiKey
  createOneObject(input: CreateOneObjectInput!): Object!
  deleteOneObject(input: DeleteOneObjectInput!): Object!
  updateOneObject(input: UpdateOneObjectInput!): Object!
  createOneField(input: CreateOneFieldMetadataInput!): Field!
  updateOneField(input: UpdateOneFieldMetadataInput!): Field!
  deleteOneField(input: DeleteOneFieldInput!): Field!
  createWebhook(input: CreateWebhookInput!): Webhook!
  updateWebhook(input: UpdateWebhookInput!): Webhook!
  deleteWebhook(id: UUID!): Webhook!
  generateApiKeyToken(apiKeyId: UUID!, expiresAt: String!): ApiKeyToken!
}

input CreateApiKeyInput { name: String! expiresAt: String! revokedAt: String roleId: UUID! }
input UpdateApiKeyInput { id: UUID! name: String expiresAt: String revokedAt: String }
input RevokeApiKeyInput { id: UUID! }
input CreateOneObjectInput { object: CreateObjectInput! }

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

input DeleteOneObjectInput { id: UUID! }
input UpdateOneObjectInput { update: UpdateObjectPayload! id: UUID! }

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
}

input MetadataTranslationOverrideInput { locale: String! property: String! value: String }
input CreateOneFieldMetadataInput { field: CreateFieldInput! }

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

input UpdateOneFieldMetadataInput { id: UUID! update: UpdateFieldInput! }

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

input DeleteOneFieldInput { id: UUID! }
input CreateWebhookInput { id: UUID targetUrl: String! operations: [String!]! description: String secret: String }
input UpdateWebhookInput { id: UUID! update: UpdateWebhookInputUpdates! }
input UpdateWebhookInputUpdates { targetUrl: String operations: [String!] description: String secret: String }
"""

# Where docgate differs on purpose, and why.
EXCEPTIONS = {
    # docgate's keys may never expire (Twenty's always do): null then.
    "ApiKey.expiresAt": "DateTime",
}


def _ours_and_theirs() -> tuple[GraphQLSchema, GraphQLSchema]:
    return build_metadata_schema(), build_schema(TWENTY)


def _loosened(theirs: str, ours: str) -> bool:
    """An input docgate takes optional where Twenty requires it."""
    return theirs.endswith("!") and theirs[:-1] == ours


def test_every_type_field_and_argument_agrees_with_twenty() -> None:
    ours, theirs = _ours_and_theirs()
    problems = []
    for name, their_type in theirs.type_map.items():
        if name.startswith("__") or name in ("String", "Boolean", "Int", "Float", "ID"):
            continue
        our_type = ours.get_type(name)
        if our_type is None:
            problems.append(f"{name} is missing")
            continue
        if isinstance(their_type, GraphQLObjectType | GraphQLInterfaceType):
            assert isinstance(our_type, GraphQLObjectType | GraphQLInterfaceType), name
            for field_name, field in their_type.fields.items():
                mine = our_type.fields.get(field_name)
                where = f"{name}.{field_name}"
                if mine is None:
                    problems.append(f"{where} is missing")
                    continue
                if str(mine.type) != EXCEPTIONS.get(where, str(field.type)):
                    problems.append(f"{where}: {mine.type}, Twenty {field.type}")
                if mine.deprecation_reason != field.deprecation_reason:
                    problems.append(f"{where}: deprecated {mine.deprecation_reason!r}, Twenty "
                                    f"{field.deprecation_reason!r}")
                for arg_name, arg in field.args.items():
                    our_arg = mine.args.get(arg_name)
                    same = our_arg is not None and str(our_arg.type) == str(arg.type)
                    if not same or our_arg is None or our_arg.default_value != arg.default_value:
                        problems.append(f"{where}({arg_name}): differs from Twenty's {arg.type}")
        elif isinstance(their_type, GraphQLInputObjectType):
            assert isinstance(our_type, GraphQLInputObjectType), name
            for field_name, field in their_type.fields.items():
                mine_input = our_type.fields.get(field_name)
                if mine_input is None:
                    problems.append(f"{name}.{field_name} is missing")
                elif str(mine_input.type) != str(field.type) and not _loosened(str(field.type), str(mine_input.type)):
                    problems.append(f"{name}.{field_name}: {mine_input.type}, Twenty {field.type}")
            for field_name, mine_input in our_type.fields.items():
                if field_name not in their_type.fields and isinstance(mine_input.type, GraphQLNonNull):
                    problems.append(f"{name}.{field_name}: docgate requires an input Twenty does not have")
        else:
            their_values = set(getattr(their_type, "values", {}) or ())
            our_values = set(getattr(our_type, "values", {}) or ())
            if not their_values <= our_values:
                problems.append(f"{name} lacks {sorted(their_values - our_values)}")
    assert not problems, "\n".join(problems)


def test_docgate_additions_are_said_so() -> None:
    """A field Twenty's Object and Field do not have is either an older Twenty field or marked."""
    ours, theirs = _ours_and_theirs()
    older_twenty = {"isCustom", "standardOverrides", "totalCount"}
    for name in ("Object", "Field", "ObjectConnection", "FieldConnection"):
        our_type, their_type = ours.get_type(name), theirs.get_type(name)
        assert isinstance(our_type, GraphQLObjectType) and isinstance(their_type, GraphQLObjectType)
        extra = set(our_type.fields) - set(their_type.fields)
        for field_name in extra - older_twenty:
            assert "docgate" in (our_type.fields[field_name].description or ""), print_type(our_type)
