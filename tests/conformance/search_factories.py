"""Twenty's operation factories of search, find-duplicates and merge, for their ports.

`search.util.ts`/`search-factory.util.ts`, `find-duplicates`-style requests and
`merge-many-operation-factory.util.ts`, as `twenty.py` has the others; plus Twenty's cursor
helpers (`encodeCursorData`/`decodeCursor`: base64 of the JSON text).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from tests.conformance.twenty import Operation, capitalize


def encode_cursor_data(data: dict[str, Any]) -> str:
    """`encodeCursorData`: `Buffer.from(JSON.stringify(data)).toString('base64')`."""
    return base64.b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str) -> Any:
    return json.loads(base64.b64decode(cursor))


def search_operation(
    search_input: str, limit: int, after: str | None = None, included: list[str] | None = None,
    excluded: list[str] | None = None, filter: Any = None,
) -> Operation:
    query = """
    query Search($searchInput: String!, $limit: Int!, $after: String, $excludedObjectNameSingulars: [String!],
                 $includedObjectNameSingulars: [String!], $filter: ObjectRecordFilterInput) {
      search(searchInput: $searchInput, limit: $limit, after: $after,
             excludedObjectNameSingulars: $excludedObjectNameSingulars,
             includedObjectNameSingulars: $includedObjectNameSingulars, filter: $filter) {
        edges { node { recordId objectNameSingular label imageUrl tsRankCD tsRank } cursor }
        pageInfo { hasNextPage endCursor }
      }
    }"""
    return Operation(query, {"searchInput": search_input, "limit": limit, "after": after,
                             "excludedObjectNameSingulars": excluded, "includedObjectNameSingulars": included,
                             "filter": filter})


def find_duplicates_operation_factory(
    object_metadata_singular_name: str, gql_fields: str, ids: list[str] | None = None, data: Any = None
) -> Operation:
    s = capitalize(object_metadata_singular_name)
    query = f"""
    query {s}Duplicates($ids: [UUID], $data: [{s}CreateInput]) {{
      {object_metadata_singular_name}Duplicates(ids: $ids, data: $data) {{
        edges {{ node {{ {gql_fields} }} cursor }}
        totalCount
        pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
      }}
    }}"""
    return Operation(query, {"ids": ids, "data": data})


def merge_many_operation_factory(
    object_metadata_plural_name: str, gql_fields: str, ids: list[str], conflict_priority_index: int,
    dry_run: bool | None = None,
) -> Operation:
    p = capitalize(object_metadata_plural_name)
    query = f"""
    mutation Merge{p}($ids: [UUID]!, $conflictPriorityIndex: Int!, $dryRun: Boolean) {{
      merge{p}(ids: $ids, conflictPriorityIndex: $conflictPriorityIndex, dryRun: $dryRun) {{ {gql_fields} }}
    }}"""
    return Operation(query, {"ids": ids, "conflictPriorityIndex": conflict_priority_index, "dryRun": dry_run})


# Twenty's test ids (`test/integration/constants/test-*-ids.constants.ts`).
TEST_PERSON_IDS = [f"777a8457-eb2d-40ac-a707-551b615b698{i}" for i in range(9)]
TEST_COMPANY_1_ID = "525c282e-030a-4a3e-90a0-d8aad0d33a93"
TEST_COMPANY_2_ID = "2fd9a9ea-04a5-483b-846d-2819dd658fc1"
TEST_PET_IDS = [
    "a4907cff-a582-4daf-8635-ad6c782c7c25",
    "c4e97187-9b9b-4e1f-a3c5-b7883c590332",
    "e4907cff-a582-4aaf-8635-ad6c782c7c26",
    "f4907cff-a582-4aaf-8635-ad6c782c7c27",
    "d4907cff-a582-4aaf-8635-ad6c782c7c28",
]
TEST_PRIMARY_LINK_URL = "https://test.com/"  # test-primary-link-url.constant.ts

# person-gql-fields.constants.ts (the version the merge specs of 41d2425 read: with the dev
# seed's `intro` and `whatsapp`) and company-gql-fields.constants.ts.
PERSON_GQL_FIELDS = """
    id jobTitle avatarUrl avatarFile { fileId label extension url } intro searchVector
    name { firstName lastName }
    emails { primaryEmail additionalEmails }
    phones { primaryPhoneNumber primaryPhoneCountryCode primaryPhoneCallingCode
             additionalPhones { number callingCode countryCode } }
    whatsapp { primaryPhoneNumber primaryPhoneCountryCode primaryPhoneCallingCode
               additionalPhones { number callingCode countryCode } }
    createdAt deletedAt
"""
COMPANY_GQL_FIELDS = """
    id name
    domainName { primaryLinkLabel primaryLinkUrl secondaryLinks }
    linkedinLink { primaryLinkLabel primaryLinkUrl secondaryLinks }
    createdAt deletedAt
"""


async def seed_person_dev_fields(gateway: Any) -> None:
    """The dev seed's `intro` (TEXT) and `whatsapp` (PHONES) on person, which PERSON_GQL_FIELDS reads."""
    from tests.conformance.twenty import make_metadata_api_request

    objects = await make_metadata_api_request(gateway, Operation(
        "{ objects(paging: {first: 100}) { edges { node { id nameSingular } } } }", {}))
    person = next(e["node"]["id"] for e in objects.body["data"]["objects"]["edges"]
                  if e["node"]["nameSingular"] == "person")
    for field in (
        {"type": "TEXT", "name": "intro", "label": "Intro"},
        {"type": "PHONES", "name": "whatsapp", "label": "Whatsapp"},
    ):
        made = await make_metadata_api_request(gateway, Operation(
            "mutation($f: CreateFieldInput!) { createOneField(input: {field: $f}) { id } }",
            {"f": {**field, "objectMetadataId": person}}))
        assert "errors" not in made.body, made.body
