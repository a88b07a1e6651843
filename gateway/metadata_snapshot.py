"""One load of a workspace's metadata per `/metadata` request, shared by its resolvers.

A request may select objects, their fields, relations and indexes at any depth; all of it is
answered from one read of the workspace's objects and fields (cached on `context.loaders`),
whatever the number of objects, fields and relations selected.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLResolveInfo

from schema_builder.context import RequestContext
from schema_builder.metadata.store import MetadataStore

Doc = dict[str, Any]

_SNAPSHOT = "metadata_api.snapshot"


@dataclass
class Snapshot:
    """The workspace's objects and fields, as of one load."""

    objects: dict[str, Doc]
    fields: list[Doc]
    fields_by_id: dict[str, Doc] = field(default_factory=dict)
    fields_by_object: dict[str, list[Doc]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for doc in self.fields:
            self.fields_by_id[doc["_id"]] = doc
            self.fields_by_object.setdefault(doc["objectMetadataId"], []).append(doc)


def context_of(info: GraphQLResolveInfo) -> RequestContext:
    context: RequestContext = info.context
    return context


def store_of(info: GraphQLResolveInfo) -> MetadataStore:
    ctx = context_of(info)
    return MetadataStore(ctx.db.control, ctx.db.workspace(ctx.workspace_id), ctx.workspace_id, ctx.on_metadata_change)


async def _load(store: MetadataStore) -> Snapshot:
    objects = await store.list_objects()
    fields = await store.list_fields()
    by_id = {o["_id"]: o for o in sorted(objects, key=lambda o: str(o["_id"]))}
    return Snapshot(by_id, sorted(fields, key=lambda f: str(f["_id"])))


async def snapshot(info: GraphQLResolveInfo) -> Snapshot:
    """The request's one load of the metadata; concurrent resolvers share it."""
    loaders = context_of(info).loaders
    task = loaders.get(_SNAPSHOT)
    if task is None:
        task = asyncio.ensure_future(_load(store_of(info)))
        loaders[_SNAPSHOT] = task
    result: Snapshot = await task
    return result


def forget_snapshot(info: GraphQLResolveInfo) -> None:
    """After a change: later resolvers of the request must read the metadata again."""
    context_of(info).loaders.pop(_SNAPSHOT, None)
