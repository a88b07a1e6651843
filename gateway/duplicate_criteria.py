"""`duplicateCriteria` of objects set through the Metadata API (docgate's addition).

Twenty shows an object's criteria (groups of column names such as `nameFirstName`, shown by
`metadata_types`); docgate also lets `updateOneObject` set them (`[]` turns find-duplicates
and merge off), each column checked against the object's fields. Setting them changes the schema (the object gains or
loses `<singular>Duplicates` and `merge<Plural>`) and, in the background, the duplicate keys
of its records.
"""

from __future__ import annotations

from typing import Any

from schema_builder.errors import BadUserInput
from schema_builder.metadata.store import MetadataStore
from schema_builder.search.duplicate_keys import criterion_problems

KEY = "duplicateCriteria"
MAX_GROUPS, MAX_COLUMNS = 10, 10


async def check_criteria(store: MetadataStore, object_id: str, criteria: Any) -> list[list[str]]:
    """Criteria a client sets, refused with a message naming what is wrong."""
    if not isinstance(criteria, list) or not all(
        isinstance(group, list) and group and all(isinstance(c, str) for c in group) for group in criteria
    ):
        raise BadUserInput("duplicateCriteria must be a list of non-empty lists of column names, "
                           'e.g. [["nameFirstName", "nameLastName"], ["emailsPrimaryEmail"]]')
    if len(criteria) > MAX_GROUPS or any(len(group) > MAX_COLUMNS for group in criteria):
        raise BadUserInput(f"duplicateCriteria takes at most {MAX_GROUPS} groups of {MAX_COLUMNS} columns")
    obj = (await store.load_model()).by_id(object_id)
    if obj is None:
        raise BadUserInput(f"object '{object_id}' is not active: its duplicate criteria cannot be set")
    problems = criterion_problems(obj, criteria)
    if problems:
        raise BadUserInput(f"duplicateCriteria: {problems[0]}")
    return [list(group) for group in criteria]
