"""The data Twenty's specs take for granted: their constants and its dev workspace's seed.

Twenty's integration specs run against a workspace seeded by its dev seeder: custom fields
on person and company (`intro`, `whatsapp`, `workPreference`, `performanceRating`,
`tagline`, `introVideo`, `workPolicy`, `visaSponsorship`), the custom object `rocket`, and
fixed ids from `test/integration/constants/*`. docgate has no seeder of the sort, so the
ports create the equivalent data themselves, through the public Metadata API, with the
inputs of Twenty's seed (`getDevSeedPeopleCustomFields`, `getDevSeedCompanyCustomFields`).
"""

from __future__ import annotations

from typing import Any

from tests.conformance.twenty import Operation, make_metadata_api_request
from tests.conftest import GatewayUnderTest

# test/integration/constants/test-person-ids.constants.ts (41d2425)
TEST_PERSON_1_ID = "777a8457-eb2d-40ac-a707-551b615b6980"
TEST_PERSON_2_ID = "777a8457-eb2d-40ac-a707-551b615b6981"
TEST_PERSON_3_ID = "777a8457-eb2d-40ac-a707-551b615b6982"
TEST_PERSON_4_ID = "777a8457-eb2d-40ac-a707-551b615b6983"
TEST_PERSON_5_ID = "777a8457-eb2d-40ac-a707-551b615b6984"
NOT_EXISTING_TEST_PERSON_ID = "777a8457-eb2d-40ac-a707-551b615b6990"

# test/integration/constants/test-company-ids.constants.ts (41d2425)
TEST_COMPANY_1_ID = "525c282e-030a-4a3e-90a0-d8aad0d33a93"
TEST_COMPANY_2_ID = "2fd9a9ea-04a5-483b-846d-2819dd658fc1"

# test/integration/constants/test-primary-link-url.constant.ts (41d2425)
TEST_PRIMARY_LINK_URL = "https://test.com/"
TEST_PRIMARY_LINK_URL_WITHOUT_TRAILING_SLASH = "https://test.com"

# test/integration/constants/person-gql-fields.constants.ts: the stored version whose fields
# the specs of 41d2425 assert (`avatarFile`, `additionalPhones` as objects); the constant
# itself is not stored at 41d2425.
PERSON_GQL_FIELDS = """
    id
    jobTitle
    avatarUrl
    avatarFile {
      fileId
      label
      extension
      url
    }
    intro
    searchVector
    name {
      firstName
      lastName
    }
    emails {
      primaryEmail
      additionalEmails
    }
    phones {
      primaryPhoneNumber
      primaryPhoneCountryCode
      primaryPhoneCallingCode
      additionalPhones {
        number
        callingCode
        countryCode
      }
    }
    whatsapp {
      primaryPhoneNumber
      primaryPhoneCountryCode
      primaryPhoneCallingCode
      additionalPhones {
        number
        callingCode
        countryCode
      }
    }
    createdAt
    deletedAt
"""


def generate_record_name(uuid: str) -> str:
    """`generateRecordName` (test/integration/utils/generate-record-name.ts)."""
    return f"test_record_-{uuid}"


_RATINGS = [{"label": str(i), "value": f"RATING_{i}", "position": i - 1} for i in range(1, 6)]
_WORK_OPTIONS = [
    {"color": "green", "label": "On-Site", "position": 0, "value": "ON_SITE"},
    {"color": "turquoise", "label": "Hybrid", "position": 1, "value": "HYBRID"},
    {"color": "sky", "label": "Remote Work", "position": 2, "value": "REMOTE_WORK"},
]

# getDevSeedPeopleCustomFields / getDevSeedCompanyCustomFields, without the inputs that are
# Twenty's internals (workspaceId, isActive).
DEV_SEED_CUSTOM_FIELDS: dict[str, list[dict[str, Any]]] = {
    "person": [
        {"type": "TEXT", "name": "intro", "label": "Intro", "description": "Contact's Intro", "icon": "IconNote",
         "isNullable": True, "isUnique": False},
        {"type": "PHONES", "name": "whatsapp", "label": "Whatsapp", "description": "Contact's Whatsapp Number",
         "icon": "IconBrandWhatsapp", "isNullable": False, "isUnique": False,
         "defaultValue": {"primaryPhoneNumber": "''", "primaryPhoneCountryCode": "'FR'",
                          "primaryPhoneCallingCode": "'+33'", "additionalPhones": None}},
        {"type": "MULTI_SELECT", "name": "workPreference", "label": "Work Preference",
         "description": "Person's Work Preference", "icon": "IconHome", "isNullable": True, "isUnique": False,
         "options": _WORK_OPTIONS},
        {"type": "RATING", "name": "performanceRating", "label": "Performance Rating",
         "description": "Person's Performance Rating", "icon": "IconStars", "isNullable": True, "isUnique": False,
         "options": _RATINGS},
    ],
    "company": [
        {"type": "TEXT", "name": "tagline", "label": "Tagline", "description": "Company's Tagline",
         "icon": "IconAdCircle", "isNullable": False, "isUnique": False, "defaultValue": "''"},
        {"type": "LINKS", "name": "introVideo", "label": "Intro Video", "description": "Company's Intro Video",
         "icon": "IconVideo", "isNullable": True, "isUnique": False},
        {"type": "MULTI_SELECT", "name": "workPolicy", "label": "Work Policy", "description": "Company's Work Policy",
         "icon": "IconHome", "isNullable": True, "isUnique": False, "options": _WORK_OPTIONS},
        {"type": "BOOLEAN", "name": "visaSponsorship", "label": "Visa Sponsorship",
         "description": "Company's Visa Sponsorship Policy", "icon": "IconBrandVisa", "isNullable": True,
         "isUnique": False, "defaultValue": False},
    ],
}


def _data(body: Any) -> Any:
    assert not body.get("errors"), body.get("errors")
    return body["data"]


async def metadata(gateway: GatewayUnderTest, query: str, variables: dict[str, Any] | None = None) -> Any:
    """A Metadata API operation that must succeed: its `data`."""
    return _data((await make_metadata_api_request(gateway, Operation(query, variables or {}))).body)


async def object_ids(gateway: GatewayUnderTest) -> dict[str, str]:
    """Every object's id, by singular name."""
    body = await metadata(gateway, "{ objects(paging: {first: 1000}) { edges { node { id nameSingular } } } }")
    return {e["node"]["nameSingular"]: e["node"]["id"] for e in body["objects"]["edges"]}


async def create_object(gateway: GatewayUnderTest, singular: str, plural: str) -> str:
    """`createOneObjectMetadata`: the new object's id."""
    body = await metadata(
        gateway,
        "mutation($o: CreateObjectInput!) { createOneObject(input: {object: $o}) { id } }",
        {"o": {"nameSingular": singular, "namePlural": plural, "labelSingular": singular, "labelPlural": plural}},
    )
    return str(body["createOneObject"]["id"])


async def create_field(gateway: GatewayUnderTest, field: dict[str, Any]) -> str:
    """`createOneFieldMetadata`: the new field's id."""
    body = await metadata(
        gateway, "mutation($f: CreateFieldInput!) { createOneField(input: {field: $f}) { id } }", {"f": field}
    )
    return str(body["createOneField"]["id"])


async def seed_dev_custom_fields(gateway: GatewayUnderTest) -> None:
    """The custom fields Twenty's dev seed adds to person and company, in this workspace."""
    ids = await object_ids(gateway)
    for singular, fields in DEV_SEED_CUSTOM_FIELDS.items():
        for field in fields:
            await create_field(gateway, {**field, "objectMetadataId": ids[singular]})


async def seed_rocket(gateway: GatewayUnderTest) -> str:
    """Twenty's dev seed custom object `rocket`, with the relation from taskTarget and
    noteTarget to it (`rocketId`) that Twenty makes for every custom object."""
    rocket = await create_object(gateway, "rocket", "rockets")
    ids = await object_ids(gateway)
    for target, label in (("taskTarget", "Task Targets"), ("noteTarget", "Note Targets")):
        payload = {"type": "MANY_TO_ONE", "targetObjectMetadataId": rocket, "targetFieldLabel": label,
                   "targetFieldIcon": "IconCheckbox"}
        await create_field(gateway, {"type": "RELATION", "name": "rocket", "label": "Rocket",
                                     "objectMetadataId": ids[target], "relationCreationPayload": payload})
    return rocket
