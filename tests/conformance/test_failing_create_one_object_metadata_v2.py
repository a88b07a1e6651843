"""Port of packages/twenty-server/test/integration/metadata/suites/object-metadata/
failing-create-one-object-metadata-v2.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972), with its cases from common/object-metadata-names-
failing-tests-cases.ts and common/object-metadata-label-failing-tests-cases.ts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.metadata_factories import create_one_object_metadata, get_mock_create_object_input
from tests.conftest import GatewayUnderTest

INVALID_NAME_MESSAGE = "Name is not valid: it must start with lowercase letter and contain only alphanumeric letters"
RESERVED_NAME_MESSAGE = 'This name is reserved. Use a different name or the system will add "Custom" suffix.'
IDENTICAL_NAMES_MESSAGE = "The singular and plural names cannot be the same for an object"
LABEL_TOO_LONG_MESSAGE = "Object label is too long"
LABEL_TOO_SHORT_MESSAGE = "Object label is too short"


def failing(title: str, input: dict[str, Any], *messages: str, contains: str | None = None) -> Any:
    expected: dict[str, Any] = (
        {"errorCode": "BAD_USER_INPUT", "messageContains": contains}
        if contains else {"errorCode": "METADATA_VALIDATION_FAILED", "objectValidationMessages": list(messages)}
    )
    return pytest.param(input, expected, id=title)


OBJECT_METADATA_NAMES_FAILING_TEST_CASES = [
    failing("when nameSingular has invalid characters", {"nameSingular": "μ"}, INVALID_NAME_MESSAGE),
    failing("when namePlural has invalid characters", {"namePlural": "μ"}, INVALID_NAME_MESSAGE),
    failing("when nameSingular is a reserved keyword", {"nameSingular": "user"}, RESERVED_NAME_MESSAGE),
    failing("when namePlural is a reserved keyword", {"namePlural": "users"}, RESERVED_NAME_MESSAGE),
    failing("when nameSingular is not camelCased", {"nameSingular": "Not_Camel_Case"}, INVALID_NAME_MESSAGE),
    failing("when namePlural is not camelCased", {"namePlural": "Not_Camel_Case"}, INVALID_NAME_MESSAGE),
    failing("when namePlural is an empty string", {"namePlural": ""}, contains="namePlural should not be empty"),
    failing("when nameSingular is an empty string", {"nameSingular": ""}, contains="nameSingular should not be empty"),
    failing("when nameSingular contains only whitespaces", {"nameSingular": "                 "},
            "Name is too short", INVALID_NAME_MESSAGE),
    failing("when nameSingular contains only one char and whitespaces", {"nameSingular": "     a        a    "},
            INVALID_NAME_MESSAGE),
    failing("when name exceeds maximum length", {"nameSingular": "a" * 64}, "Name is too long"),
    failing("when names are identical", {"nameSingular": "fooBar", "namePlural": "fooBar"}, IDENTICAL_NAMES_MESSAGE),
    failing("when names with whitespaces result to be identical",
            {"nameSingular": "      fooBar               ", "namePlural": "fooBar"}, IDENTICAL_NAMES_MESSAGE),
]

OBJECT_METADATA_LABEL_FAILING_TEST_CASES = [
    failing("when labelSingular is empty", {"labelSingular": ""}, contains="labelSingular should not be empty"),
    failing("when labelPlural is empty", {"labelPlural": ""}, contains="labelPlural should not be empty"),
    failing("when labelSingular exceeds maximum length", {"labelSingular": "A" * 64}, LABEL_TOO_LONG_MESSAGE),
    failing("when labelPlural exceeds maximum length", {"labelPlural": "A" * 64}, LABEL_TOO_LONG_MESSAGE),
    failing("when labelSingular contains only whitespace", {"labelSingular": "   "}, LABEL_TOO_SHORT_MESSAGE),
    failing("when labelPlural contains only whitespace", {"labelPlural": "   "}, LABEL_TOO_SHORT_MESSAGE),
]


@pytest.mark.parametrize(("input", "expected"),
                         OBJECT_METADATA_NAMES_FAILING_TEST_CASES + OBJECT_METADATA_LABEL_FAILING_TEST_CASES)
async def test_object_metadata_creation_should_fail_v2(
    gateway: GatewayUnderTest, input: dict[str, Any], expected: dict[str, Any]
) -> None:
    _, errors = await create_one_object_metadata(gateway, get_mock_create_object_input(**input))
    assert len(errors) == 1
    (error,) = errors
    assert error["extensions"]["code"] == expected["errorCode"]
    if expected["errorCode"] == "BAD_USER_INPUT":
        assert expected["messageContains"] in error["message"]
        return
    object_metadata_failures = error["extensions"]["errors"]["objectMetadata"]
    assert len(object_metadata_failures) == 1
    found = [e["message"] for e in object_metadata_failures[0]["errors"]]
    for message in expected["objectValidationMessages"]:
        assert message in found, found
