"""Record-change events, as webhooks deliver them: one per changed record.

An event's record carries the older Twenty names of its fields too (deprecated aliases), so
a receiver written for an older Twenty keeps reading them; `updatedFields` names the fields
whose value changed, not the keys the client sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from schema_builder.context import RequestContext
from schema_builder.execute.timeline import record_timeline
from schema_builder.metadata.model import ObjectMeta, WorkspaceModel
from schema_builder.search import HIDDEN_KEYS, without_hidden

# Maintained along with any change: never reported as what changed (as in Twenty).
_NOT_REPORTED = frozenset({"_id", "id", "updatedAt", "updatedBy", "searchVector"}) | HIDDEN_KEYS


def with_aliases(obj: ObjectMeta, record: Mapping[str, Any]) -> dict[str, Any]:
    out = without_hidden(record)
    for alias in obj.aliases:
        if alias.join_column and alias.stored_join_column:
            out[alias.join_column] = record.get(alias.stored_join_column)
        elif alias.relation_type is None and alias.alias_of is not None:
            out[alias.name] = record.get(alias.alias_of)
    return out


def changed_fields(obj: ObjectMeta, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The fields (and join columns) whose value differs, in the order of `after`, with
    their older names after them."""
    changed = [k for k, v in after.items() if k not in _NOT_REPORTED and before.get(k) != v]
    for alias in obj.aliases:
        if alias.alias_of in changed and alias.relation_type is None:
            changed.append(alias.name)
        elif alias.stored_join_column in changed and alias.join_column:
            changed.append(alias.join_column)
    return changed


async def emit(
    ctx: RequestContext,
    model: WorkspaceModel,
    obj: ObjectMeta,
    action: str,
    records: Sequence[Mapping[str, Any]],
    updated_fields: Sequence[Sequence[str]] | None = None,
    before: Sequence[Mapping[str, Any] | None] | None = None,
) -> None:
    """Record a change: its timeline activities, then its webhook events, in the change's
    transaction. `before`: the records as they were (updates, and upserts that matched one)."""
    if obj.audit_log or not records:  # the timeline's own records make no events
        return
    await record_timeline(ctx, model, obj, action, records, updated_fields, before)
    if ctx.on_record_change is not None:
        payload = [with_aliases(obj, r) for r in records]
        await ctx.on_record_change(ctx, obj, action, payload, updated_fields)
