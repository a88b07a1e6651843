"""Find duplicates: `<singular>Duplicates(ids | data)`, one connection per input, as Twenty.

An input (a stored record named by id, or a record to be created) has duplicates when a live
record shares one of its duplicate keys (`search.duplicate_keys`: a criterion's columns,
normalised). The keys of every input are looked up together, with one indexed `$in` query,
however many inputs there are (at most the batch size); a record never counts as its own
duplicate. Each answer lists its duplicates by id, at most a page of them, with their count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from schema_builder.compile.ordering import build_sort_plan
from schema_builder.compile.selection import projection
from schema_builder.context import RequestContext
from schema_builder.errors import BadUserInput
from schema_builder.execute.reads import collection, connection, to_list
from schema_builder.execute.records import canonical_input
from schema_builder.metadata.model import ObjectMeta, WorkspaceModel
from schema_builder.search.duplicate_keys import DUPLICATE_KEYS, record_keys


def _refuse(message: str) -> BadUserInput:
    return BadUserInput(message, subCode="INVALID_QUERY_INPUT", userFriendlyMessage="An error occurred.")


def check_arguments(ids: Sequence[Any] | None, data: Sequence[Any] | None, limit: int) -> None:
    """Twenty's rules (and messages) for the arguments, and the batch size's cap."""
    if data is None and ids is None:
        raise _refuse('You have to provide either "data" or "ids" argument')
    if data is not None and ids is not None:
        raise _refuse('You cannot provide both "data" and "ids" arguments')
    if ids is None and not data:
        raise _refuse('The "data" condition can not be empty when "ids" input not provided')
    inputs = len(ids if ids is not None else data or ())
    if inputs > limit:
        raise _refuse(f"Find duplicates takes at most {limit} records at once (the batch limit); got {inputs}")


async def _inputs(
    ctx: RequestContext, obj: ObjectMeta, ids: Sequence[Any] | None, data: Sequence[Any] | None
) -> list[tuple[Any, list[str]]]:
    """(own id, duplicate keys) of each input, in the order given (unknown ids are left out)."""
    if ids is not None:
        wanted = [i for i in ids if i is not None]
        found = await to_list(collection(ctx, obj).find({"_id": {"$in": wanted}, "deletedAt": None}))
        ctx.charge(len(found))
        by_id = {doc["_id"]: doc for doc in found}
        return [(i, record_keys(obj, by_id[i])) for i in dict.fromkeys(wanted) if i in by_id]
    records = [canonical_input(obj, item) for item in data or () if isinstance(item, Mapping)]
    return [(record.get("id"), record_keys(obj, record)) for record in records]


async def find_duplicates(
    ctx: RequestContext,
    model: WorkspaceModel,
    obj: ObjectMeta,
    ids: Sequence[Any] | None,
    data: Sequence[Any] | None,
    names: Iterable[str],
) -> list[dict[str, Any]]:
    check_arguments(ids, data, ctx.limits.max_batch_size)
    inputs = await _inputs(ctx, obj, ids, data)
    wanted = sorted({key for _, keys in inputs for key in keys})
    found: list[dict[str, Any]] = []
    if wanted:
        fields = {**projection(obj, names), DUPLICATE_KEYS: 1, "deletedAt": 1}
        cursor = collection(ctx, obj).find({DUPLICATE_KEYS: {"$in": wanted}}, fields)
        found = await to_list(cursor.limit(ctx.limits.max_records_per_request + 1))
        ctx.charge(len(found))
        found = sorted((d for d in found if d.get("deletedAt") is None), key=lambda d: str(d["_id"]))
    plan = build_sort_plan(model, obj, None)  # by id, as Twenty's cursors of duplicates
    page = ctx.limits.default_page_size
    answers = []
    for own_id, keys in inputs:
        mine = set(keys)
        matches = [d for d in found if d["_id"] != own_id and mine.intersection(d.get(DUPLICATE_KEYS) or ())]
        answer = connection([dict(d) for d in matches[:page]], plan, has_next=False, has_previous=False)
        answer["totalCount"] = len(matches)
        answers.append(answer)
    return answers
