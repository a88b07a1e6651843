"""Writing records: create (and batch upsert), update, soft delete, restore, destroy.

Every input of a batch is validated, and every unique key and relation checked, before
anything is written, so a batch that fails writes nothing; then the batch is written in
one round trip.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pymongo import InsertOne, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from schema_builder.compile.filters import all_of, constrains, translate_filter, visible_filter
from schema_builder.context import RequestContext
from schema_builder.errors import BadUserInput, Conflict, NotFound
from schema_builder.execute.cascades import apply_destroy, plan_destroy, restore_dependents, soft_delete_dependents
from schema_builder.execute.events import changed_fields, emit
from schema_builder.execute.reads import collection, resolve_query, to_list
from schema_builder.execute.records import (
    PreparedRecord,
    canonical_input,
    key_values,
    now,
    prepare_values,
    to_output,
    unique_paths,
    where_unique_query,
)
from schema_builder.execute.search_vectors import SEARCH_VECTOR, search_vector
from schema_builder.metadata.model import MANY_TO_ONE, ObjectMeta, WorkspaceModel

DUPLICATE = "A duplicate entry was detected"  # Twenty's words for a unique key taken


def _refresh_search_vectors(
    obj: ObjectMeta, prepared: Sequence[PreparedRecord], final: Sequence[dict[str, Any]]
) -> None:
    """Recompute each record's searchVector from its final values (stored with the write)."""
    if obj.field(SEARCH_VECTOR) is None:
        return
    for record, doc in zip(prepared, final, strict=True):
        doc[SEARCH_VECTOR] = record.values[SEARCH_VECTOR] = search_vector(obj, doc)


async def _holders(ctx: RequestContext, obj: ObjectMeta, docs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored records (trash included) sharing any unique key with `docs`.

    One `$in` query per unique key that the batch sets, on the key's first path (each served
    by an index: the `_id` one or the key's lookup index), rather than one `$or` of them all,
    which some servers answer by scanning the whole collection. A key of several paths
    (PHONES) is matched whole here."""
    found: dict[str, dict[str, Any]] = {}
    for _, paths in unique_paths(obj):
        wanted = {kv for d in docs if (kv := key_values(d, paths)) is not None}
        if not wanted:
            continue
        query = {paths[0]: {"$in": list({kv[0] for kv in wanted})}}
        for doc in await to_list(collection(ctx, obj).find(query, session=ctx.session)):
            if key_values(doc, paths) in wanted:
                found.setdefault(doc["_id"], doc)
    return list(found.values())


def _check_batch_duplicates(obj: ObjectMeta, docs: Sequence[Mapping[str, Any]]) -> None:
    for name, paths in unique_paths(obj):
        seen: dict[tuple[Any, ...], int] = {}
        for i, doc in enumerate(docs):
            kv = key_values(doc, paths)
            if kv is None:
                continue
            if kv in seen:
                raise BadUserInput(
                    f"records {seen[kv]} and {i} of the batch have the same value for unique field '{name}'"
                )
            seen[kv] = i


def _conflict(
    obj: ObjectMeta, doc: Mapping[str, Any], holders: Sequence[Mapping[str, Any]], *, new: bool = False
) -> BadUserInput | None:
    """The conflict of `doc` with a stored record over a unique key; a `new` record's id must be
    free too. Twenty answers it as bad input (REST 400) 'A duplicate entry was detected'."""
    if new:
        taken = next((h for h in holders if h["_id"] == doc["_id"]), None)
        if taken is not None:
            trash = " (in the trash)" if taken.get("deletedAt") is not None else ""
            return BadUserInput(
                f"{DUPLICATE}: a {obj.name_singular} with id '{doc['_id']}' already exists{trash}: ids are unique "
                "(to change that record, update it or create with upsert: true)",
                field="id",
            )
    for name, paths in unique_paths(obj):
        kv = key_values(doc, paths)
        if kv is None:
            continue
        for holder in holders:
            if holder["_id"] != doc.get("_id") and key_values(holder, paths) == kv:
                shown = ", ".join(str(v) for v in kv)
                return BadUserInput(
                    f"{DUPLICATE}: a {obj.name_singular} with {name} '{shown}' already exists "
                    f"(field '{name}' is unique)",
                    field=name,
                )
    return None


async def _resolve_relations(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, prepared: Sequence[PreparedRecord]
) -> None:
    """Turn `connect` inputs into join ids and check every join id names a live record."""
    for record in prepared:
        for meta, where in record.connects:
            target = model.target_of(meta)
            query = all_of(where_unique_query(model, target, where), {"deletedAt": None})
            found = await to_list(collection(ctx, target).find(query, {"_id": 1}, session=ctx.session).limit(2))
            if len(found) != 1:
                what = "no" if not found else "more than one"
                raise BadUserInput(f"'{meta.name}.connect': {what} {target.name_singular} matches {dict(where)}")
            record.values[f"{meta.name}Id"] = found[0]["_id"]
    for meta in obj.fields:
        if meta.relation_type != MANY_TO_ONE:
            continue
        column = f"{meta.name}Id"
        wanted = {r.values[column] for r in prepared if r.values.get(column) is not None}
        if not wanted:
            continue
        target = model.target_of(meta)
        found = await to_list(
            collection(ctx, target).find({"_id": {"$in": list(wanted)}}, {"_id": 1}, session=ctx.session)
        )
        missing = wanted - {d["_id"] for d in found}
        if missing:
            raise BadUserInput(f"'{column}' {sorted(missing)[0]} does not match any {target.name_singular}")


def _duplicate_error(obj: ObjectMeta, exc: Exception) -> BadUserInput:
    text = str(exc)
    for meta in obj.unique_fields:
        if f"unique_{meta.name}" in text:
            return BadUserInput(
                f"{DUPLICATE}: a {obj.name_singular} with this {meta.name} already exists "
                f"(field '{meta.name}' is unique)",
                field=meta.name,
            )
    return BadUserInput(f"{DUPLICATE}: a {obj.name_singular} with this id already exists", field="id")


def _match_existing(
    obj: ObjectMeta, index: int, probe: Mapping[str, Any], existing: Sequence[Mapping[str, Any]]
) -> Any:
    """The one stored record an upsert input matches (by id or a unique key), or None."""
    matched = {
        holder["_id"]
        for _, paths in unique_paths(obj)
        if (kv := key_values(probe, paths)) is not None
        for holder in existing
        if key_values(holder, paths) == kv
    }
    if len(matched) > 1:
        raise Conflict(
            f"Multiple records found with the same unique field values for record {index} of the batch "
            f"({len(matched)} {obj.name_plural} match). Cannot determine which record to update."
        )
    return next(iter(matched), None)


async def create_many(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, data: Sequence[Mapping[str, Any]], upsert: bool
) -> list[dict[str, Any]]:
    limit = ctx.limits.max_batch_size
    if len(data) > limit:
        raise BadUserInput(f"Maximum number of records to upsert is {limit} (the batch limit); got {len(data)}")
    if not data:
        return []  # as Twenty: an empty batch creates nothing
    if (hole := next((i for i, item in enumerate(data) if item is None), None)) is not None:
        raise BadUserInput(f"record {hole} of the batch is null: each item of 'data' must be a record to create")
    coll = collection(ctx, obj)
    data = [canonical_input(obj, d) for d in data]  # current names, normalised links: as matched
    probes = [{**d, "_id": d.get("id")} for d in data]
    existing = await _holders(ctx, obj, probes) if upsert else []
    by_id = {d["_id"]: d for d in existing}
    plan: list[tuple[str | None, PreparedRecord]] = []
    text_limit = ctx.limits.max_text_length
    for i, (item, probe) in enumerate(zip(data, probes, strict=True)):
        match = _match_existing(obj, i, probe, existing) if upsert else None
        if match is None:
            plan.append((None, prepare_values(obj, item, creating=True, actor=ctx.actor, max_text_length=text_limit)))
        else:  # as Twenty: an upsert that updates keeps who created the record
            fields = {k: v for k, v in item.items() if k not in ("id", "createdBy")}
            prepared = prepare_values(
                obj, fields, creating=False, current=by_id[match], actor=ctx.actor, max_text_length=text_limit
            )
            prepared.values["deletedAt"] = None  # upsert restores a trashed record
            plan.append((match, prepared))
    await _resolve_relations(ctx, model, obj, [p for _, p in plan])
    final = [{**by_id[m], **p.values} if m else p.values for m, p in plan]
    _refresh_search_vectors(obj, [p for _, p in plan], final)
    _check_batch_duplicates(obj, final)
    holders = await _holders(ctx, obj, final)
    for doc, (match, _) in zip(final, plan, strict=True):
        doc.setdefault("_id", match)
        if (error := _conflict(obj, doc, holders, new=match is None)) is not None:
            raise error
    operations: list[Any] = [
        InsertOne(p.values) if m is None else UpdateOne({"_id": m}, {"$set": p.values}) for m, p in plan
    ]
    try:
        if all(m is None for m, _ in plan):
            await coll.insert_many([p.values for _, p in plan], ordered=True, session=ctx.session)
        else:
            await coll.bulk_write(operations, ordered=True, session=ctx.session)
    except (BulkWriteError, DuplicateKeyError) as exc:  # lost a race for a unique value: undo
        # In a transaction the failed write has aborted it, and the abort undoes the batch (a
        # write in the session now would fail as transient, and be retried, for nothing).
        if ctx.session is None:
            inserted = [p.values["_id"] for m, p in plan if m is None]
            await coll.delete_many({"_id": {"$in": inserted}})
        raise _duplicate_error(obj, exc) from None
    records = [to_output(dict(doc)) for doc in final]
    if upsert:
        # A record the upsert made: the fields it was given (not its defaults and system fields).
        changes = [
            changed_fields(obj, by_id[m], doc) if m else [k for k in p.given if k != "id"]
            for (m, p), doc in zip(plan, final, strict=True)
        ]
        before = [to_output(dict(by_id[m])) if m else None for m, _ in plan]
        await emit(ctx, model, obj, "upserted", records, changes, before)
    else:
        await emit(ctx, model, obj, "created", records)
    return records


async def _visible_by_id(
    ctx: RequestContext, obj: ObjectMeta, record_id: str, *, trash: bool = False
) -> dict[str, Any]:
    query: dict[str, Any] = {"_id": record_id}
    if not trash:
        query["deletedAt"] = None
    doc = await collection(ctx, obj).find_one(query, session=ctx.session)
    if doc is None:
        raise NotFound(f"Record not found: no {obj.name_singular} with id '{record_id}'")
    return dict(doc)


async def _update_docs(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, docs: list[dict[str, Any]], data: Mapping[str, Any]
) -> list[dict[str, Any]]:
    if not docs:
        return []
    data = canonical_input(obj, data)
    limit = ctx.limits.max_text_length
    prepared = [
        prepare_values(obj, data, creating=False, current=d, actor=ctx.actor, max_text_length=limit) for d in docs
    ]
    await _resolve_relations(ctx, model, obj, prepared)
    final = [{**d, **p.values} for d, p in zip(docs, prepared, strict=True)]
    _refresh_search_vectors(obj, prepared, final)
    if len(final) > 1:
        _check_batch_duplicates(obj, final)
    changed_keys = [
        (n, paths) for n, paths in unique_paths(obj) if n in data or any(p.split(".")[0] in data for p in paths)
    ]
    if changed_keys:
        holders = await _holders(ctx, obj, final)
        for doc in final:
            if (error := _conflict(obj, doc, holders)) is not None:
                raise error
    coll = collection(ctx, obj)
    try:
        if len(docs) == 1:
            await coll.update_one({"_id": docs[0]["_id"]}, {"$set": prepared[0].values}, session=ctx.session)
        else:
            await coll.bulk_write(
                [UpdateOne({"_id": d["_id"]}, {"$set": p.values}) for d, p in zip(docs, prepared, strict=True)],
                session=ctx.session,
            )
    except (BulkWriteError, DuplicateKeyError) as exc:
        raise _duplicate_error(obj, exc) from None
    records = [to_output(doc) for doc in final]
    changes = [changed_fields(obj, d, f) for d, f in zip(docs, final, strict=True)]
    await emit(ctx, model, obj, "updated", records, changes, [to_output(dict(d)) for d in docs])
    return records


async def update_one(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, record_id: str, data: Mapping[str, Any]
) -> dict[str, Any]:
    doc = await _visible_by_id(ctx, obj, record_id)
    return (await _update_docs(ctx, model, obj, [doc], data))[0]


async def _matching(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, filter: Mapping[str, Any], scope: str
) -> list[dict[str, Any]]:
    """The records a bulk mutation acts on: the one place every bulk write picks its targets.

    A filter that constrains nothing is refused (it would act on every record), and so is
    one that matches more than `max_affected_records`: nothing is touched in either case.
    `scope` is "visible" (live records, or the trash when the filter names `deletedAt`),
    "trash" (restore) or "all" (destroy empties the trash too)."""
    if not constrains(filter):
        raise BadUserInput(
            "A non-empty filter is required", subCode="INVALID_QUERY_INPUT", userFriendlyMessage="An error occurred."
        )
    if scope == "visible":
        query = visible_filter(model, obj, filter, ctx.limits)
    else:
        query = translate_filter(model, obj, filter, ctx.limits)
        if scope == "trash":
            query = all_of(query, {"deletedAt": {"$ne": None}})
    cap = ctx.limits.max_affected_records
    cursor = collection(ctx, obj).find(await resolve_query(ctx, query), session=ctx.session).limit(cap + 1)
    docs = await to_list(cursor)
    if len(docs) > cap:
        raise BadUserInput(
            f"This mutation would affect more than {cap} {obj.name_plural}, the most one mutation may change "
            "(MUTATION_MAXIMUM_AFFECTED_RECORDS): narrow the filter, or repeat the mutation on smaller sets",
            subCode="TOO_MANY_RECORDS_AFFECTED",
        )
    return docs


async def update_many(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, filter: Mapping[str, Any], data: Mapping[str, Any]
) -> list[dict[str, Any]]:
    return await _update_docs(ctx, model, obj, await _matching(ctx, model, obj, filter, "visible"), data)


async def _set_deleted(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, docs: list[dict[str, Any]], deleted: bool
) -> list[dict[str, Any]]:
    """Soft delete or restore `docs`, and the records that follow them (a note's targets)."""
    if not docs:
        return []
    stamp = now()
    values = {"deletedAt": stamp if deleted else None, "updatedAt": stamp}
    ids = [d["_id"] for d in docs]
    await collection(ctx, obj).update_many({"_id": {"$in": ids}}, {"$set": values}, session=ctx.session)
    records = [to_output({**d, **values}) for d in docs]
    await emit(ctx, model, obj, "deleted" if deleted else "restored", records)
    if deleted:
        await soft_delete_dependents(ctx, model, obj, ids, stamp)
    else:
        await restore_dependents(ctx, model, obj, docs)
    return records


async def delete_one(ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, record_id: str) -> dict[str, Any]:
    return (await _set_deleted(ctx, model, obj, [await _visible_by_id(ctx, obj, record_id)], True))[0]


async def delete_many(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, filter: Mapping[str, Any]
) -> list[dict[str, Any]]:
    docs = await _matching(ctx, model, obj, filter, "visible")
    return await _set_deleted(ctx, model, obj, [d for d in docs if d.get("deletedAt") is None], True)


async def restore_one(ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, record_id: str) -> dict[str, Any]:
    doc = await _visible_by_id(ctx, obj, record_id, trash=True)
    if doc.get("deletedAt") is None:
        return to_output(doc)
    return (await _set_deleted(ctx, model, obj, [doc], False))[0]


async def restore_many(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, filter: Mapping[str, Any]
) -> list[dict[str, Any]]:
    return await _set_deleted(ctx, model, obj, await _matching(ctx, model, obj, filter, "trash"), False)


async def _destroy(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, docs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Hard delete `docs`, with each relation's onDelete applied to the records pointing at them."""
    if not docs:
        return []
    await apply_destroy(ctx, model, await plan_destroy(ctx, model, obj, docs))
    return [to_output(dict(d)) for d in docs]


async def destroy_one(ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, record_id: str) -> dict[str, Any]:
    return (await _destroy(ctx, model, obj, [await _visible_by_id(ctx, obj, record_id, trash=True)]))[0]


async def destroy_many(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, filter: Mapping[str, Any]
) -> list[dict[str, Any]]:
    # Trashed records included, as destroyOne does: a hard delete is how the trash is emptied.
    return await _destroy(ctx, model, obj, await _matching(ctx, model, obj, filter, "all"))
