"""Keeping every record's search values in step with the metadata, in the background.

A record's searchVector, search tokens and duplicate keys are written with the record; what
they are made of (an object's search fields, its duplicate criteria, the tokenizer) is
metadata. When that changes — a label identifier moved, a field renamed or deleted, criteria
set, an upgrade with a new tokenizer — the object's records are indexed again, here:

- after a metadata change (heard by every replica) or at start-up (a workspace whose
  `metadataVersion` is past its `searchIndexedVersion`, whose collections get the indexes
  search and duplicates read before requests are served), each object's `index_signature`
  is compared with the one its records were built with (`searchIndexes` in the control
  database); a different one marks the object to build;
- a build claims the object with a lease (compare-and-set, as the migrations do), walks its
  records in `_id` order in batches and saves how far it got after each one: a replica that
  dies leaves a lease that expires, and the next one resumes where it stopped;
- a record is rewritten only if its values differ, and only if it was not updated since it
  was read (`updatedAt` unchanged): a write made meanwhile computed its values itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import InvalidOperation

from schema_builder.metadata.model import ObjectMeta, WorkspaceModel
from schema_builder.metadata.search_indexes import create_search_indexes
from schema_builder.metadata.store import WORKSPACES
from schema_builder.search import index_signature, index_values

log = logging.getLogger("docgate.search")

STATES = "searchIndexes"
INDEXED_VERSION = "searchIndexedVersion"
BUILDING, READY = "building", "ready"


def now() -> datetime:
    return datetime.now(UTC)


class SearchIndexer:
    """The background work of one replica: checks workspaces, builds what they need."""

    def __init__(
        self,
        db: Any,
        load_model: Callable[[str], Awaitable[WorkspaceModel]],
        *,
        batch: int = 500,
        lease_seconds: float = 30.0,
        poll_seconds: float = 5.0,
        idle_poll_seconds: float = 60.0,
    ) -> None:
        self.db = db
        self.load_model = load_model
        self.batch = batch
        self.lease_seconds = lease_seconds
        # A build another replica holds is watched every `poll_seconds`, to take it over should
        # its lease expire; with none, only a metadata change (`note_change`, on every replica)
        # starts work, and the slow poll is a safety net: an idle gateway stays idle.
        self.poll_seconds = poll_seconds
        self.idle_poll_seconds = idle_poll_seconds
        self.watching = False  # a build this replica could not claim is in flight
        self.owner = uuid.uuid4().hex
        self.dirty: set[str] = set()
        self.wake = asyncio.Event()
        self.idle = asyncio.Event()  # set whenever there is nothing left to do (tests wait on it)

    @property
    def states(self) -> Any:
        return self.db.control[STATES]

    def note_change(self, workspace_id: str, version: int | None = None) -> None:
        """A workspace's metadata changed: check it soon."""
        self.dirty.add(workspace_id)
        self.idle.clear()
        self.wake.set()

    async def prepare(self) -> None:
        """Before requests are served: the indexes of every workspace found behind (on an
        upgrade, all of them). SecantusDB leaves out of a new index the writes of
        transactions still open while it is built, so indexes are made when no request runs:
        here, and with each new object's collection (`MetadataStore.create_object`)."""
        await self.states.create_index([("state", 1), ("leaseExpiresAt", 1)])
        fields = {"metadataVersion": 1, INDEXED_VERSION: 1}
        for workspace in await self.db.control[WORKSPACES].find({}, fields).to_list(None):
            if workspace.get(INDEXED_VERSION) != workspace.get("metadataVersion", 0):
                self.dirty.add(workspace["_id"])
                for obj in (await self.load_model(workspace["_id"])).objects:
                    await self.ensure_indexes(workspace["_id"], obj)

    async def ensure_indexes(self, workspace_id: str, obj: ObjectMeta) -> None:
        await create_search_indexes(self.db.records(workspace_id, obj.collection))

    async def run(self) -> None:
        """Serve metadata changes (and what `prepare` found) until cancelled."""
        while True:
            self.wake.clear()
            try:
                await self.work()
                pause = self.poll_seconds if self.watching else self.idle_poll_seconds
            except asyncio.CancelledError:
                raise
            except InvalidOperation:  # the database client was closed: its gateway is gone
                return
            except Exception:
                log.exception("search index upkeep failed; it is tried again shortly")
                pause = self.poll_seconds
            if not self.dirty:
                self.idle.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), pause)

    async def work(self) -> None:
        while True:
            while self.dirty:
                await self.check(self.dirty.pop())
            if not await self.build_one():
                self.watching = await self.states.find_one({"state": BUILDING}, {"_id": 1}) is not None
                return

    async def check(self, workspace_id: str) -> None:
        """Mark the objects whose records were built with another signature."""
        model = await self.load_model(workspace_id)
        current = {s["objectId"]: s for s in await self.states.find({"workspaceId": workspace_id}).to_list(None)}
        for obj in model.objects:
            signature = index_signature(obj)
            state = current.pop(obj.id, None)
            if state is not None and state.get("signature") == signature:
                continue
            await self.states.update_one(
                {"_id": f"{workspace_id}:{obj.id}"},
                {"$set": {"workspaceId": workspace_id, "objectId": obj.id, "signature": signature, "state": BUILDING,
                          "after": None, "owner": None, "leaseExpiresAt": None, "updatedAt": now()}},
                upsert=True,
            )
        for gone in current.values():  # objects deleted since
            await self.states.delete_one({"_id": gone["_id"]})
        await self.db.control[WORKSPACES].update_one({"_id": workspace_id}, {"$max": {INDEXED_VERSION: model.version}})

    async def build_one(self) -> bool:
        """Claim one object to build and build it; False when there is none."""
        stamp = now()
        state = await self.states.find_one_and_update(
            {"state": BUILDING, "$or": [{"leaseExpiresAt": None}, {"leaseExpiresAt": {"$lt": stamp}}]},
            {"$set": {"owner": self.owner, "leaseExpiresAt": stamp + timedelta(seconds=self.lease_seconds)}},
            return_document=True,
        )
        if state is None:
            return False
        model = await self.load_model(state["workspaceId"])
        obj = model.by_id(state["objectId"])
        if obj is None or index_signature(obj) != state["signature"]:
            # The metadata moved on since the object was marked: check the workspace again.
            await self.states.update_one({"_id": state["_id"], "owner": self.owner},
                                         {"$set": {"owner": None, "leaseExpiresAt": None}})
            self.dirty.add(state["workspaceId"])
            return True
        await self.build(state, obj)
        return True

    async def rewrite(self, records: Any, obj: ObjectMeta, docs: list[dict[str, Any]]) -> int:
        """Write the values of the records read that differ, unless updated since read."""
        writes = []
        for doc in docs:
            values = index_values(obj, doc)
            if any(doc.get(k) != v for k, v in values.items()):
                writes.append(UpdateOne({"_id": doc["_id"], "updatedAt": doc.get("updatedAt")}, {"$set": values}))
        if writes:
            await records.bulk_write(writes, ordered=False)
        return len(writes)

    async def build(self, state: dict[str, Any], obj: ObjectMeta) -> None:
        records = self.db.records(state["workspaceId"], obj.collection)
        mine = {"_id": state["_id"], "owner": self.owner, "signature": state["signature"]}
        after, rewritten = state.get("after"), 0
        while True:
            query = {} if after is None else {"_id": {"$gt": after}}
            docs = await records.find(query).sort("_id", 1).limit(self.batch).to_list(None)
            rewritten += await self.rewrite(records, obj, docs)
            after = docs[-1]["_id"] if docs else after
            done = len(docs) < self.batch
            progress: dict[str, Any] = {"after": after, "updatedAt": now(),
                                        "leaseExpiresAt": now() + timedelta(seconds=self.lease_seconds)}
            if done:
                progress.update(state=READY, owner=None, leaseExpiresAt=None)
            saved = await self.states.update_one(mine, {"$set": progress})
            if saved.matched_count != 1:
                return  # another check reset the object (new signature) or took over an expired lease
            if done:
                if rewritten:
                    log.info("search index of %s in workspace %s rebuilt (%s records)", obj.name_singular,
                             state["workspaceId"], rewritten)
                return
            await asyncio.sleep(0)  # let requests run between batches
