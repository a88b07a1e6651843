"""Names and labels as Twenty checks them, and the name a label stands for (pure)."""

from __future__ import annotations

import pytest

from schema_builder.metadata.names import (
    INVALID_NAME,
    RESERVED_NAME,
    camel_case,
    label_problems,
    name_from_label,
    name_problems,
    synced_name_problems,
    universal_identifier,
)


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Test Field", "testField"),
        ("My Test Object", "myTestObject"),
        ("Different Label", "differentLabel"),
        ("  spaced   out  ", "spacedOut"),
        ("Café crème", "cafeCreme"),
        ("2nd place", "n2ndPlace"),
        ("House 12345678", "house12345678"),
        ("e-mail / phone", "eMailPhone"),
        ("ALL CAPS", "allCaps"),
        ("!!!", ""),
    ],
)
def test_name_from_label_as_twenty_computes_it(label: str, name: str) -> None:
    assert name_from_label(label) == name


def test_camel_case_splits_words_and_digits_as_lodash() -> None:
    assert camel_case("custom_object_1234") == "customObject1234"
    assert camel_case("abc123def") == "abc123Def"
    assert camel_case("house_2nd") == "house2nd"


def messages(found: list[dict[str, object]]) -> list[object]:
    return [p["message"] for p in found]


def test_name_rules() -> None:
    assert name_problems("invoice", "X") == []
    assert messages(name_problems("a" * 64, "X")) == ["Name is too long"]
    assert messages(name_problems("", "X")) == ["Name is too short", INVALID_NAME]
    assert messages(name_problems("Not_Camel_Case", "X")) == [INVALID_NAME]
    assert messages(name_problems("μ", "X")) == [INVALID_NAME]
    for reserved in ("user", "users", "type", "address", "currencies", "search", "and", "query"):
        assert messages(name_problems(reserved, "X")) == [RESERVED_NAME], reserved
    # Twenty's own data model uses some of them (company.address): standard names may.
    assert name_problems("address", "X", standard=True) == []
    assert name_problems("user", "X")[0] == {"code": "X", "message": RESERVED_NAME,
                                             "userFriendlyMessage": RESERVED_NAME, "value": "user"}


def test_label_rules() -> None:
    assert label_problems("Invoice", "Object", "X") == []
    assert messages(label_problems("A" * 64, "Object", "X")) == ["Object label is too long"]
    assert messages(label_problems("   ", "Object", "X")) == ["Object label is too short"]


def test_synced_names() -> None:
    assert synced_name_problems("testField", "Test Field", "X") == []
    (found,) = synced_name_problems("testField", "Different Label", "X")
    assert found["message"] == 'Name is not synced with label. Expected name: "differentLabel", got testField'
    assert found["value"] == "Different Label"


def test_universal_identifiers() -> None:
    assert universal_identifier(True, "own-id", "anything") == "own-id"
    standard = universal_identifier(False, "id-1", "person")
    assert standard == universal_identifier(False, "id-2", "person") != universal_identifier(False, "id-1", "company")
