"""The timeline: a `timelineActivity` record for every record change, in the change's transaction.

As Twenty's: `name` is the event (`person.updated`), `happensAt` when it happened,
`properties` the record before and after (`diff` of an update: `{field: {before, after}}`,
changed fields only), the record linked by id, object and cached name, and by the target
relation Twenty gives the standard objects (`targetPerson`, `targetCompany`…). docgate adds
the API key that made the change. It is written with the change or not at all, so it is the
durable log of record events: the realtime subscriptions read it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from bson.decimal128 import Decimal128

from schema_builder.compile.cursors import format_datetime
from schema_builder.context import RequestContext
from schema_builder.execute.reads import unscoped_collection
from schema_builder.execute.records import now, prepare_values
from schema_builder.metadata.model import MANY_TO_ONE, ObjectMeta, WorkspaceModel

TIMELINE = "timelineActivity"
# Maintained with every change: never part of a diff.
_NOT_IN_DIFF = frozenset({"_id", "id", "updatedAt", "updatedBy", "searchVector"})


def plain(value: Any) -> Any:
    """A stored value as JSON holds it (dates as ISO text with `Z`, like the API answers)."""
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal128):
        return str(value)
    return value


def _cached_name(record: Mapping[str, Any]) -> str | None:
    name = record.get("name")
    if isinstance(name, Mapping):  # FULL_NAME
        return " ".join(p for p in (name.get("firstName"), name.get("lastName")) if p) or None
    return name if isinstance(name, str) else None


def properties(
    action: str, record: Mapping[str, Any], before: Mapping[str, Any] | None, updated: Sequence[str] | None
) -> dict[str, Any]:
    if action == "updated" and before is not None:
        # The whole record before and after (what a subscriber filters on and shows), and the
        # diff of the fields that changed (what the timeline tells).
        changed = [f for f in (updated or ()) if f not in _NOT_IN_DIFF]
        diff = {f: {"before": plain(before.get(f)), "after": plain(record.get(f))} for f in changed}
        return {"updatedFields": changed, "diff": diff, "before": plain(before), "after": plain(record)}
    if action in ("deleted", "destroyed"):
        return {"before": plain(record)}
    return {"after": plain(record)}


async def record_timeline(
    ctx: RequestContext,
    model: WorkspaceModel,
    obj: ObjectMeta,
    action: str,
    records: Sequence[Mapping[str, Any]],
    updated_fields: Sequence[Sequence[str]] | None,
    before: Sequence[Mapping[str, Any] | None] | None,
) -> None:
    """Write the timeline activities of one record event (nothing for the timeline's own
    records, or in a workspace without a timeline)."""
    timeline = next((o for o in model.objects if o.audit_log and o.name_singular == TIMELINE), None)
    if timeline is None or obj.audit_log or not records:
        return
    target = next(
        (f.join_column for f in timeline.fields
         if f.relation_type == MANY_TO_ONE and f.target_object_id == obj.id and f.name.startswith("target")),
        None,
    )
    docs = []
    stamp = now()
    for i, record in enumerate(records):
        previous = before[i] if before is not None else None
        done = action
        if action == "upserted":  # a record the upsert matched was updated; the others were created
            done = "updated" if previous is not None else "created"
        fields = updated_fields[i] if updated_fields is not None else None
        if done == "updated" and not [f for f in fields or () if f not in _NOT_IN_DIFF]:
            continue  # nothing changed: nothing to tell (as Twenty)
        values: dict[str, Any] = {
            "happensAt": stamp,
            "name": f"{obj.name_singular}.{done}",
            "properties": properties(done, record, previous, fields),
            "linkedRecordCachedName": _cached_name(record),
            "linkedRecordId": record.get("id", record.get("_id")),
            "linkedObjectMetadataId": obj.id,
            "apiKeyId": ctx.api_key_id,
        }
        if target is not None:
            values[target] = values["linkedRecordId"]
        docs.append(prepare_values(timeline, values, creating=True, access=None, actor=ctx.actor).values)
    if docs:
        await unscoped_collection(ctx, timeline).insert_many(docs, session=ctx.session)  # docgate writes it
