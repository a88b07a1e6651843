"""Record data an older workspace lacks once its standard model is up to date: each step
writes only what is missing, so it can run again.

- a field added to an existing object: its default, on records that have no value at all
  (as a column added with a default is filled by Postgres);
- `updatedBy`: the record's `createdBy` (nobody else is known to have changed it);
- `searchVector`: computed from the record's values.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from pymongo import UpdateOne

from schema_builder.execute.records import API_ACTOR, default_value
from schema_builder.metadata.model import WorkspaceModel, field_from_document
from schema_builder.search import index_values
from schema_builder.search.vectors import SEARCH_VECTOR

from .standard_model import AddedField

BATCH = 500
Step = Callable[[], Awaitable[None]]


async def fill_defaults(records: Any, added: Sequence[AddedField]) -> None:
    for item in added:
        value = default_value(field_from_document(item.field))
        if value is not None:
            name = item.field["name"]
            await records[item.collection].update_many({name: {"$exists": False}}, {"$set": {name: value}})


async def fill_system_values(records: Any, model: WorkspaceModel, step: Step) -> int:
    """`updatedBy` and `searchVector` of every record that lacks them; how many were set."""
    done = 0
    for obj in model.objects:
        wanted = [name for name in ("updatedBy", SEARCH_VECTOR) if obj.field(name) is not None]
        if not wanted:
            continue
        collection = records[obj.collection]
        missing = {"$or": [{name: {"$exists": False}} for name in wanted]}
        while docs := await collection.find(missing).limit(BATCH).to_list(None):
            writes = []
            for doc in docs:
                values: dict[str, Any] = {}
                if "updatedBy" in wanted and "updatedBy" not in doc:
                    values["updatedBy"] = doc.get("createdBy") or dict(API_ACTOR)
                if SEARCH_VECTOR in wanted and SEARCH_VECTOR not in doc:
                    values.update(index_values(obj, doc))
                writes.append(UpdateOne({"_id": doc["_id"]}, {"$set": values}))
            await collection.bulk_write(writes, ordered=False)
            done += len(writes)
            await step()
    return done
