"""A subscription's filter, compiled once into a test of one record (pure).

The filter is translated as any filter is (`filters.translate_filter`, with the request's
limits), then evaluated in-process on each event's record — the record after the change, or
before it for a deletion — by mongomock's matcher, which reads MongoDB queries as MongoDB
does. A relation filter would need the related records as they are at each event: refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from mongomock.filtering import filter_applies

from schema_builder.compile.filters import holds_relation_filter, translate_filter
from schema_builder.context import Limits
from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import ObjectMeta, WorkspaceModel

_DATES = frozenset({"DATE_TIME"})


def compile_event_filter(
    model: WorkspaceModel, obj: ObjectMeta, filter: Mapping[str, Any] | None, limits: Limits
) -> Callable[[Mapping[str, Any]], bool]:
    """The test of a record (as the timeline keeps it: JSON, dates as text) against `filter`."""
    if not filter:
        return lambda record: True
    query = translate_filter(model, obj, filter, limits)
    if holds_relation_filter(query):
        raise BadUserInput(
            f"a subscription to {obj.name_singular} events cannot filter on a related record's fields: "
            "filter on the join column (e.g. companyId) instead"
        )
    dates = [f.name for f in obj.fields if f.type in _DATES]

    def matches(record: Mapping[str, Any]) -> bool:
        stored = dict(record)
        stored["_id"] = record.get("id")
        for name in dates:
            value = stored.get(name)
            if isinstance(value, str):
                stored[name] = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return bool(filter_applies(query, stored))  # type: ignore[no-untyped-call]

    return matches
