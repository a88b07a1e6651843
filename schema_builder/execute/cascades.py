"""What deleting records does to the records that point at them.

Destroying (a hard delete) follows the `onDelete` of every many-to-one relation pointing at
the destroyed records, as Twenty's foreign keys do: CASCADE destroys the records pointing
there (and so on, down the chain), SET_NULL clears their join column, RESTRICT refuses the
whole destroy. Everything is worked out before anything is written, so a refused destroy
changes nothing; the caller writes it in the mutation's transaction, with an event for
every record changed (Twenty's database-level cascades send none).

Soft delete and restore follow relations marked `onSoftDelete: CASCADE` (a note's and a
task's targets, as Twenty's hooks do): the targets go to the trash with their note or task,
and come back with it — only those trashed with it, not ones deleted earlier on their own.

Cascades read and write the collections whole, not as the caller's role sees them: they keep
the data consistent, as Twenty's foreign keys do. A restricted role's delete is refused when
its cascade would change a record the role could not change itself (`check_cascade`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from schema_builder.context import RequestContext
from schema_builder.errors import BadUserInput
from schema_builder.execute.events import emit
from schema_builder.execute.reads import to_list, unscoped_collection
from schema_builder.execute.records import now, to_output
from schema_builder.metadata.model import MANY_TO_ONE, FieldMeta, ObjectMeta, WorkspaceModel
from schema_builder.permissions.model import DESTROY, SOFT_DELETE, UPDATE
from schema_builder.permissions.writes import check_cascade

Doc = dict[str, Any]


def inbound(model: WorkspaceModel, obj: ObjectMeta) -> Iterator[tuple[ObjectMeta, FieldMeta]]:
    """Every many-to-one relation (and the object holding it) that points at `obj`; an audit
    log's (the timeline) are left out: history outlives the records it tells of."""
    for other in model.objects:
        if other.audit_log:
            continue
        for meta in other.fields:
            if meta.relation_type == MANY_TO_ONE and meta.target_object_id == obj.id and meta.join_column:
                yield other, meta


@dataclass
class DestroyPlan:
    """The records a destroy removes (by object) and the join columns it clears."""

    destroyed: dict[str, tuple[ObjectMeta, dict[str, Doc]]] = field(default_factory=dict)
    nulled: dict[tuple[str, str], tuple[ObjectMeta, str, dict[str, Doc]]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(d) for _, d in self.destroyed.values()) + sum(len(d) for _, _, d in self.nulled.values())

    def is_destroyed(self, obj: ObjectMeta, record_id: str) -> bool:
        return record_id in self.destroyed.get(obj.id, (obj, {}))[1]


async def plan_destroy(ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, docs: Sequence[Doc]) -> DestroyPlan:
    plan = DestroyPlan()
    plan.destroyed[obj.id] = (obj, {d["_id"]: d for d in docs})
    cap = ctx.limits.max_cascade_records + len(docs)
    restricted: list[tuple[ObjectMeta, FieldMeta, ObjectMeta, Doc]] = []
    frontier: list[tuple[ObjectMeta, list[str]]] = [(obj, [d["_id"] for d in docs])]
    while frontier:
        target, ids = frontier.pop()
        for other, meta in inbound(model, target):
            column = meta.join_column or ""
            query = {column: {"$in": ids}}  # trash included: a foreign key holds for every row
            found = await to_list(unscoped_collection(ctx, other).find(query, session=ctx.session).limit(cap + 1))
            if not found:
                continue
            if meta.on_delete in ("RESTRICT", "NO_ACTION"):  # NO_ACTION: Postgres refuses it too
                restricted += [(other, meta, target, d) for d in found]
            elif meta.on_delete == "CASCADE":
                bucket = plan.destroyed.setdefault(other.id, (other, {}))[1]
                new = [d for d in found if d["_id"] not in bucket]
                bucket.update((d["_id"], d) for d in new)
                if new:
                    frontier.append((other, [d["_id"] for d in new]))
            else:
                plan.nulled.setdefault((other.id, column), (other, column, {}))[2].update((d["_id"], d) for d in found)
            if plan.count() > cap:
                raise BadUserInput(
                    f"Destroying these {obj.name_plural} would change more than {ctx.limits.max_cascade_records} "
                    "related records (relations with onDelete CASCADE or SET_NULL, DOCGATE_MAX_CASCADE_RECORDS); "
                    "nothing was changed: destroy fewer records at a time"
                )
    for other, meta, target, doc in restricted:
        if not plan.is_destroyed(other, doc["_id"]):
            raise BadUserInput(
                f"cannot destroy {target.name_singular} '{doc[meta.join_column or '']}': "
                f"{other.name_singular} '{doc['_id']}' still points at it through '{meta.name}', whose onDelete "
                f"is {meta.on_delete}; delete or reassign it first"
            )
    for key, (other, column, pointing) in list(plan.nulled.items()):
        kept = {i: d for i, d in pointing.items() if not plan.is_destroyed(other, i)}
        if kept:
            plan.nulled[key] = (other, column, kept)
        else:
            del plan.nulled[key]
    for other_id, (other, gone) in plan.destroyed.items():
        if other_id != obj.id:
            check_cascade(ctx, other, DESTROY, gone.values())
    for other, _, kept in plan.nulled.values():
        check_cascade(ctx, other, UPDATE, kept.values())
    return plan


async def apply_destroy(ctx: RequestContext, model: WorkspaceModel, plan: DestroyPlan) -> None:
    """Write a plan (the records asked for first), then send its events."""
    for obj, gone in plan.destroyed.values():
        await unscoped_collection(ctx, obj).delete_many({"_id": {"$in": list(gone)}}, session=ctx.session)
    stamp = now()
    cleared: list[tuple[ObjectMeta, str, list[Doc], list[Doc]]] = []
    for obj, column, kept in plan.nulled.values():
        values = {column: None, "updatedAt": stamp}
        await unscoped_collection(ctx, obj).update_many(
            {"_id": {"$in": list(kept)}}, {"$set": values}, session=ctx.session
        )
        before = [to_output(dict(d)) for d in kept.values()]
        cleared.append((obj, column, [{**d, **values} for d in before], before))
    for obj, gone in plan.destroyed.values():
        await emit(ctx, model, obj, "destroyed", [to_output(dict(d)) for d in gone.values()])
    for obj, column, records, before in cleared:
        await emit(ctx, model, obj, "updated", records, [[column]] * len(records), before)


def soft_cascades(model: WorkspaceModel, obj: ObjectMeta) -> Iterator[tuple[ObjectMeta, FieldMeta]]:
    for other, meta in inbound(model, obj):
        if str(meta.settings.get("onSoftDelete") or "").upper() == "CASCADE":
            yield other, meta


async def soft_delete_dependents(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, ids: list[str], stamp: dt.datetime
) -> None:
    """Trash the live records that follow `ids` into the trash, with the same stamp."""
    for other, meta in soft_cascades(model, obj):
        query = {meta.join_column or "": {"$in": ids}, "deletedAt": None}
        docs = await to_list(unscoped_collection(ctx, other).find(query, session=ctx.session))
        if not docs:
            continue
        check_cascade(ctx, other, SOFT_DELETE, docs)
        values = {"deletedAt": stamp, "updatedAt": stamp}
        found = [d["_id"] for d in docs]
        await unscoped_collection(ctx, other).update_many(
            {"_id": {"$in": found}}, {"$set": values}, session=ctx.session
        )
        await emit(ctx, model, other, "deleted", [to_output({**d, **values}) for d in docs])
        await soft_delete_dependents(ctx, model, other, found, stamp)


async def restore_dependents(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, trashed: Sequence[Doc]
) -> None:
    """Bring back the records trashed together with `trashed` (same deletion stamp)."""
    by_stamp: dict[Any, list[str]] = {}
    for doc in trashed:
        if doc.get("deletedAt") is not None:
            by_stamp.setdefault(doc["deletedAt"], []).append(doc["_id"])
    for other, meta in soft_cascades(model, obj):
        for stamp, ids in by_stamp.items():
            query = {meta.join_column or "": {"$in": ids}, "deletedAt": stamp}
            docs = await to_list(unscoped_collection(ctx, other).find(query, session=ctx.session))
            if not docs:
                continue
            check_cascade(ctx, other, SOFT_DELETE, docs)
            values = {"deletedAt": None, "updatedAt": now()}
            found = [d["_id"] for d in docs]
            await unscoped_collection(ctx, other).update_many(
                {"_id": {"$in": found}}, {"$set": values}, session=ctx.session
            )
            await emit(ctx, model, other, "restored", [to_output({**d, **values}) for d in docs])
            await restore_dependents(ctx, model, other, docs)


async def check_soft_cascades(
    ctx: RequestContext, model: WorkspaceModel, obj: ObjectMeta, docs: Sequence[Doc], deleting: bool
) -> None:
    """Before anything is written: every record a soft delete (or a restore) would carry along
    must be one the caller's role may soft-delete itself. Nothing to do for unrestricted keys."""
    if ctx.permissions is None:
        return
    frontier: list[tuple[ObjectMeta, Sequence[Doc]]] = [(obj, docs)]
    while frontier:
        source, parents = frontier.pop()
        for other, meta in soft_cascades(model, source):
            column = meta.join_column or ""
            if deleting:
                query: dict[str, Any] = {column: {"$in": [d["_id"] for d in parents]}, "deletedAt": None}
            else:
                stamped = [d for d in parents if d.get("deletedAt") is not None]
                if not stamped:
                    continue
                query = {"$or": [{column: d["_id"], "deletedAt": d["deletedAt"]} for d in stamped]}
            found = await to_list(unscoped_collection(ctx, other).find(query, session=ctx.session))
            if found:
                check_cascade(ctx, other, SOFT_DELETE, found)
                frontier.append((other, found))
