"""What a restricted key may see of a record event (subscriptions, event streams).

An event is the key's only if its role may read the object and the record is one of its
rows; the fields it may not read are taken out of the record, its `before`/`after`/`diff`
and `updatedFields`. Rows are decided by the store (the record looked up through the scoped
collection), not re-implemented here: an event of a record outside the rows — or destroyed,
so no longer there to ask about — is not delivered to a key with row rules on the object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schema_builder.metadata.model import ObjectMeta
from schema_builder.permissions.model import READ, CompiledPermissions

EVENT_RECORD_KEYS = ("record", "before", "after", "diff")


async def visible_event(
    permissions: CompiledPermissions | None, obj: ObjectMeta, event: dict[str, Any], collection: Any
) -> dict[str, Any] | None:
    """The event as the role may see it, or None when it may not see it at all."""
    if permissions is None:
        return event
    if not permissions.can(obj, READ):
        return None
    access = permissions.access(obj)
    if access.row_filter is not None:
        found = await collection.find_one({"_id": event.get("recordId")}, {"_id": 1})
        if found is None:
            return None
    if not access.unreadable:
        return event
    hidden = access.unreadable
    shown = {**event}
    for key in EVENT_RECORD_KEYS:
        value = shown.get(key)
        if isinstance(value, Mapping):
            shown[key] = {k: v for k, v in value.items() if k not in hidden}
    if shown.get("updatedFields"):
        shown["updatedFields"] = [f for f in shown["updatedFields"] if f not in hidden]
    return shown
