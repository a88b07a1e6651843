"""Settings updates of relation fields: the relation's own settings are kept, onDelete belongs to
many-to-one relations alone (as Twenty's validateMorphOrRelationFlatFieldOnDelete)."""

from __future__ import annotations

from typing import Any

import pytest

from schema_builder.errors import MetadataValidationFailed
from schema_builder.metadata.checks import checked_field_update


def _relation(relation_type: str, name: str = "employer") -> dict[str, Any]:
    settings: dict[str, Any] = {"relationType": relation_type}
    if relation_type == "MANY_TO_ONE":
        settings |= {"onDelete": "SET_NULL", "joinColumnName": f"{name}Id"}
    return {"_id": "f1", "name": name, "label": "Employer", "type": "RELATION", "isCustom": True,
            "isLabelSyncedWithName": False, "objectMetadataId": "o1", "settings": settings}


def _messages(error: MetadataValidationFailed) -> list[str]:
    return [p["message"] for p in error.problems]


def test_on_delete_is_refused_on_one_to_many() -> None:
    with pytest.raises(MetadataValidationFailed) as raised:
        checked_field_update(_relation("ONE_TO_MANY"), {"settings": {"relationType": "ONE_TO_MANY",
                                                                    "onDelete": "SET_NULL"}}, [])
    assert _messages(raised.value) == ["On delete action is only supported for many to one relations"]


def test_on_delete_of_many_to_one_changes_and_the_relation_is_kept() -> None:
    changes = checked_field_update(_relation("MANY_TO_ONE"), {"settings": {"onDelete": "CASCADE"}}, [])
    assert changes["settings"] == {"relationType": "MANY_TO_ONE", "onDelete": "CASCADE", "joinColumnName": "employerId"}


def test_join_column_follows_a_new_name() -> None:
    changes = checked_field_update(_relation("MANY_TO_ONE"), {"name": "boss", "settings": {"onDelete": "CASCADE"}}, [])
    assert changes["settings"]["joinColumnName"] == "bossId"


@pytest.mark.parametrize(("update", "message"), [
    ({"relationType": "ONE_TO_MANY"}, "The relation type of a relation field cannot be changed"),
    ({"joinColumnName": "otherId"},
     "The join column of this relation field is employerId: it follows the field's name"),
])
def test_the_relation_itself_cannot_change(update: dict[str, Any], message: str) -> None:
    with pytest.raises(MetadataValidationFailed) as raised:
        checked_field_update(_relation("MANY_TO_ONE"), {"settings": update}, [])
    assert message in _messages(raised.value)
