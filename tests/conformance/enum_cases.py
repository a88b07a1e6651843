"""The SELECT and MULTI_SELECT test cases of Twenty's field metadata specs, for their ports.

Python equals of test/integration/metadata/suites/field-metadata/enum/common/*.ts and
test/constants/basic-failing-string-edge-case-inputs.constant.ts (revision
41d242555963991041c474c5267df7d174c6a972). A case is (title, input, expectedOptions); an input
key whose value is `UNDEFINED` is left out of the request, as JavaScript's `undefined` is.
"""

from __future__ import annotations

import uuid
from typing import Any

UNDEFINED = object()
Case = tuple[str, dict[str, Any], list[dict[str, Any]] | None]

BASIC_FAILING_STRING_EDGE_CASE_INPUTS: list[tuple[Any, str]] = [
    ("          ", "only white spaces"),
    ("", "empty string"),
    (None, "null"),
    (22222, "not a string"),
    ("a" * 64, "too long"),
]


def option(**overrides: Any) -> dict[str, Any]:
    return {"label": "Option 1", "value": "OPTION_1", "color": "green", "position": 1, **overrides}


def request_input(input: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in input.items() if v is not UNDEFINED}


def _fuzzed_options() -> list[Case]:
    return [
        (f"should fail with {label} {field}", {"options": [option(**{field: value})]}, None)
        for field in ("id", "label", "value")
        for value, label in BASIC_FAILING_STRING_EDGE_CASE_INPUTS
    ]


SELECT_AND_MULTI_SELECT_FAILING: list[Case] = [
    *_fuzzed_options(),
    ("should fail with invalid option id", {"options": [option(id="not a uuid")]}, None),
    ("should fail with empty options", {"options": []}, None),
    ("should fail with invalid option value format",
     {"options": [option(value="Option 1 and some other things, /")]}, None),
    ("should fail with comma in option label", {"options": [option(label="Option ,1")]}, None),
    ("should fail with duplicated option values",
     {"options": [option(position=0), option(position=1)]}, None),
    ("should fail with duplicated option ids",
     {"options": [option(id="fd1f11fd-3f05-4a33-bddf-800c3412ce98"),
                  option(label="Option 2", value="OPTION_2", position=2, id="fd1f11fd-3f05-4a33-bddf-800c3412ce98")]},
     None),
    ("should fail with duplicated option positions",
     {"options": [option(), option(label="Option 2", value="OPTION_2")]}, None),
    ("should fail with duplicated trimmed option values",
     {"options": [option(value="         OPTION_1                   "),
                  option(label="Option 2", value="   OPTION_1        ", position=2)]}, None),
    ("should fail with undefined option label", {"options": [{k: v for k, v in option().items() if k != "label"}]},
     None),
    ("should fail with an invalid default value", {"defaultValue": "invalid", "options": [option()]}, None),
    ("should fail with an unknown default value", {"defaultValue": "'OPTION_424242'", "options": [option()]}, None),
    ("should fail with undefined option value", {"options": [{k: v for k, v in option().items() if k != "value"}]},
     None),
]

SELECT_AND_MULTI_SELECT_SUCCESSFUL: list[Case] = [
    ("should succeed with provided option id", {"options": [option(id="26c602c3-cba9-4d83-92d4-4ba7dbae2f31")]}, None),
    ("should succeed with various options id", {"options": [
        {"label": f"Option {i}", "value": f"OPTION_{i}", "color": "green", "position": i,
         **({"id": str(uuid.uuid4())} if i % 2 == 0 else {})}
        for i in range(42)]}, None),
    ("should succeed without option id", {"options": [option()]}, None),
    ("should trim option values",
     {"options": [option(label="       Option        1       ", value="        OPTION_1        ")]},
     [option()]),
]

_defined_edge_cases = [(v, label) for v, label in BASIC_FAILING_STRING_EDGE_CASE_INPUTS if v is not None]

SELECT_FAILING: list[Case] = [
    *[(f"should fail with {label} defaultValue", {"defaultValue": value, "options": [option()]}, None)
      for value, label in _defined_edge_cases],
    *SELECT_AND_MULTI_SELECT_FAILING,
]
SELECT_SUCCESSFUL: list[Case] = [
    *SELECT_AND_MULTI_SELECT_SUCCESSFUL,
    ("should succeed with valid default value",
     {"defaultValue": "'OPTION_1'", "options": [option(id="26c602c3-cba9-4d83-92d4-4ba7dbae2f31")]}, None),
    ("should succeed with null default value",
     {"defaultValue": None, "options": [option(id="26c602c3-cba9-4d83-92d4-4ba7dbae2f31")]}, None),
]

MULTI_SELECT_FAILING: list[Case] = [
    *[(f"should fail with {label} defaultValue", {"defaultValue": [value], "options": [option()]}, None)
      for value, label in _defined_edge_cases],
    *SELECT_AND_MULTI_SELECT_FAILING,
    ("should fail with non stringified array default value", {"defaultValue": "Option_1", "options": [option()]},
     None),
    ("should fail with empty multi-select default values array", {"defaultValue": [], "options": [option()]}, None),
    ("should fail with unknown multi-select default values",
     {"defaultValue": ["'OPTION_1'", "'UNKNOWN_OPTION'"], "options": [option()]}, None),
    ("should fail with invalid multi-select default value format",
     {"defaultValue": ["invalid", "format"], "options": [option()]}, None),
]
MULTI_SELECT_SUCCESSFUL: list[Case] = [
    *SELECT_AND_MULTI_SELECT_SUCCESSFUL,
    ("should succeed with valid multi-select default values",
     {"defaultValue": ["'OPTION_1'", "'OPTION_2'"],
      "options": [option(), option(label="Option 2", value="OPTION_2", color="blue", position=2)]}, None),
]

_CREATE_ONLY_FAILING: list[Case] = [
    ("should fail with null options", {"options": None}, None),
    ("should fail with undefined options", {"options": UNDEFINED}, None),
]

CREATE_ENUM_FIELD_METADATA_TEST_CASES: dict[str, dict[str, list[Case]]] = {
    "MULTI_SELECT": {"failing": MULTI_SELECT_FAILING + _CREATE_ONLY_FAILING, "successful": MULTI_SELECT_SUCCESSFUL},
    "SELECT": {"failing": SELECT_FAILING + _CREATE_ONLY_FAILING, "successful": SELECT_SUCCESSFUL},
}

_TWO_OPTIONS = [option(), option(label="Option 2", value="OPTION_2", position=2)]
UPDATE_ENUM_FIELD_METADATA_TEST_CASES: dict[str, dict[str, list[Case]]] = {
    "MULTI_SELECT": {
        "failing": [*MULTI_SELECT_FAILING, ("should fail with unknown default value and no options",
                                            {"defaultValue": ["'OPTION_42'"], "options": UNDEFINED}, None)],
        "successful": [*MULTI_SELECT_SUCCESSFUL, ("should succeed with default value and no options",
                                                  {"defaultValue": ["'OPTION_2'"], "options": UNDEFINED},
                                                  _TWO_OPTIONS)],
    },
    "SELECT": {
        "failing": [*SELECT_FAILING, ("should fail with unknown default value and no options",
                                      {"defaultValue": "'OPTION_42'", "options": UNDEFINED}, None)],
        "successful": [*SELECT_SUCCESSFUL, ("should succeed with default value and no options",
                                            {"defaultValue": "'OPTION_2'", "options": UNDEFINED}, _TWO_OPTIONS)],
    },
}

# Twenty's CUSTOM_OBJECT_DISHES (object-metadata/constants/custom-object-dishes.constants.ts).
CUSTOM_OBJECT_DISHES = {"nameSingular": "dish", "namePlural": "dishes", "labelSingular": "Dish",
                        "labelPlural": "Dishes", "description": "Dish description"}


def matches(actual: Any, expected: Any) -> bool:
    """Jest's `toMatchObject`: arrays item by item (same length), objects on the expected keys."""
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            matches(a, e) for a, e in zip(actual, expected, strict=True))
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(matches(actual.get(k), v) for k, v in expected.items())
    return bool(actual == expected)


def params(cases: list[Case]) -> list[Any]:
    import pytest

    return [pytest.param(input, expected, id=title) for title, input, expected in cases]
