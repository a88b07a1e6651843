"""Merge records: `merge<Plural>(ids, conflictPriorityIndex, dryRun)`, as Twenty merges them.

The record at `conflictPriorityIndex` survives with the merged values (`merge_values`);
every record anywhere that points at one of the others (any many-to-one relation, trash
included) is pointed at the survivor; the others go to the trash (Twenty hard-deletes them:
docgate keeps them restorable, and clears from them the unique values the survivor now
holds, which a trashed record would otherwise keep taking). All of it in the mutation's
transaction, with an event for every record changed, or nothing at all. A dry run writes
nothing and answers the record the merge would make, under a fresh id, as Twenty does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from schema_builder.context import RequestContext
from schema_builder.errors import BadUserInput, NotFound
from schema_builder.execute.events import emit
from schema_builder.execute.merge_values import merged_values
from schema_builder.execute.reads import collection, to_list
from schema_builder.execute.records import key_values, now, to_output, unique_paths
from schema_builder.execute.writes import update_records
from schema_builder.ids import new_id
from schema_builder.metadata.model import MANY_TO_ONE, FieldMeta, ObjectMeta, WorkspaceModel
from schema_builder.search.duplicate_keys import duplicate_criteria

Doc = dict[str, Any]


def _refuse(message: str, friendly: str = "An error occurred.") -> BadUserInput:
    return BadUserInput(message, subCode="INVALID_QUERY_INPUT", userFriendlyMessage=friendly)


def check_arguments(obj: ObjectMeta, ids: Sequence[Any], index: int, limit: int) -> None:
    """Twenty's checks, in Twenty's order and words."""
    if not duplicate_criteria(obj):
        raise _refuse(
            f"Merge is only available for objects with duplicate criteria. Object '{obj.name_singular}' does not "
            "have duplicate criteria defined.", "This type of record cannot be merged.",
        )
    if len(ids) < 2:
        raise _refuse("At least 2 record IDs are required for merge", "Please select at least 2 records to merge.")
    if len(ids) > limit:
        raise _refuse(f"Maximum {limit} records can be merged at once", f"You can merge up to {limit} records at once.")
    if index < 0 or index >= len(ids):
        raise _refuse(f"Invalid conflict priority '{index}'. Valid options for {len(ids)} records: 0-{len(ids) - 1}")


async def _records(ctx: RequestContext, obj: ObjectMeta, ids: Sequence[Any]) -> list[Doc]:
    docs = await to_list(collection(ctx, obj).find({"_id": {"$in": list(ids)}, "deletedAt": None},
                                                   session=ctx.session))
    ctx.charge(len(docs))
    by_id = {doc["_id"]: doc for doc in docs}
    if len(by_id) != len(ids) or any(i not in by_id for i in ids):
        raise NotFound("One or more records not found", subCode="RECORD_NOT_FOUND",
                       userFriendlyMessage="One or more records were not found.")
    return [by_id[i] for i in ids]


def _relations_to(model: WorkspaceModel, obj: ObjectMeta) -> Iterator[tuple[ObjectMeta, FieldMeta]]:
    """Every many-to-one relation pointing at `obj`, the timeline's too: the merged records'
    history follows them to the survivor, as in Twenty (a destroy leaves history be)."""
    for other in model.objects:
        for meta in other.fields:
            if meta.relation_type == MANY_TO_ONE and meta.target_object_id == obj.id and meta.join_column:
                yield other, meta


async def _pointing(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, gone: list[Any]
) -> list[tuple[ObjectMeta, str, list[Doc]]]:
    """Every record pointing at a merged-away record, by relation; more than the cascade
    limit is refused before anything is written."""
    cap = ctx.limits.max_cascade_records
    found: list[tuple[ObjectMeta, str, list[Doc]]] = []
    total = 0
    for other, meta in _relations_to(model, obj):
        column = meta.join_column or ""
        docs = await to_list(collection(ctx, other).find({column: {"$in": gone}}, session=ctx.session).limit(cap + 1))
        total += len(docs)
        if total > cap:
            raise BadUserInput(
                f"Merging these {obj.name_plural} would point more than {cap} related records at the surviving one "
                "(DOCGATE_MAX_CASCADE_RECORDS); nothing was changed"
            )
        if docs:
            found.append((other, column, docs))
    return found


def _released(obj: ObjectMeta, survivor: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """The unique values of a merged-away record that the survivor now holds: cleared."""
    cleared: dict[str, Any] = {}
    for name, paths in unique_paths(obj):
        if name != "id" and (kv := key_values(other, paths)) is not None and kv == key_values(survivor, paths):
            cleared.update(dict.fromkeys(paths, None))
    return cleared


async def merge_many(
    ctx: RequestContext,
    model: WorkspaceModel,
    obj: ObjectMeta,
    ids: Sequence[Any],
    conflict_priority_index: int,
    dry_run: bool | None = False,
) -> Doc:
    check_arguments(obj, ids, conflict_priority_index, ctx.limits.max_merge_records)
    records = await _records(ctx, obj, ids)
    survivor = records[conflict_priority_index]
    gone = [r["_id"] for r in records if r["_id"] != survivor["_id"]]
    merged = merged_values(obj, records, survivor["_id"])
    for key, value in merged.items():  # a relation to one of the merged records: to the survivor
        if value in gone and obj.field_by_join_column(key) is not None:
            merged[key] = survivor["_id"]
    if dry_run:
        preview = {**survivor, **merged, "_id": new_id(), "deletedAt": now()}
        return to_output(preview)
    stamp = now()
    for other, column, docs in await _pointing(ctx, model, obj, gone):
        values = {column: survivor["_id"], "updatedAt": stamp}
        await collection(ctx, other).update_many({"_id": {"$in": [d["_id"] for d in docs]}}, {"$set": values},
                                                 session=ctx.session)
        if other.id == obj.id:  # the merged records themselves may point at one another
            for record in records:
                if record.get(column) in gone:
                    record[column] = survivor["_id"]
        before = [to_output(dict(d)) for d in docs]
        await emit(ctx, model, other, "updated", [to_output({**d, **values}) for d in docs], [[column]] * len(docs),
                   before)
    final = {**survivor, **merged}
    trashed = []
    for record in records[:conflict_priority_index] + records[conflict_priority_index + 1:]:
        values = {"deletedAt": stamp, "updatedAt": stamp, **_released(obj, final, record)}
        await collection(ctx, obj).update_one({"_id": record["_id"]}, {"$set": values}, session=ctx.session)
        trashed.append(to_output(_with_paths(record, values)))
    await emit(ctx, model, obj, "deleted", trashed)
    changes = {k: v for k, v in merged.items() if survivor.get(k) != v}
    return (await update_records(ctx, model, obj, [dict(survivor)], changes))[0]


def _with_paths(record: Mapping[str, Any], values: Mapping[str, Any]) -> Doc:
    """`record` with `values` set, dotted paths (`emails.primaryEmail`) into sub-documents."""
    out: Doc = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in record.items()}
    for path, value in values.items():
        head, _, rest = path.partition(".")
        if rest and isinstance(out.get(head), dict):
            out[head][rest] = value
        else:
            out[path] = value
    return out
