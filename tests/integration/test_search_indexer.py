"""Search values rebuilt in the background when metadata changes what they are made of:
the new label identifier is searched, a build resumes where it stopped, a lease is honoured,
and a record written during a build keeps the values its write computed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gateway.search_indexer import BUILDING, STATES, SearchIndexer
from schema_builder.search import index_signature
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_field, create_object, data

SEARCH = "query($s: String!) { search(searchInput: $s, limit: 50, includedObjectNameSingulars: [\"gadget\"]) {" \
         " edges { node { recordId label } } } }"


def indexer(gateway: GatewayUnderTest) -> SearchIndexer:
    found: SearchIndexer = gateway.app.state.gateway.search_indexer
    return found


async def found(gateway: GatewayUnderTest, text: str) -> list[str]:
    return [e["node"]["label"] for e in data(await gateway.graphql(SEARCH, {"s": text}))["search"]["edges"]]


@pytest.fixture(scope="module")
async def gadgets(gateway: GatewayUnderTest) -> dict[str, Any]:
    object_id = await create_object(gateway, "gadget", "gadgets")
    codename = await create_field(gateway, object_id, name="codename", type="TEXT")
    made = data(await gateway.graphql(
        'mutation { createGadgets(data: [{name: "Alpha one", codename: "Zircon"}, '
        '{name: "Beta two", codename: "Quokka"}, {name: "Gamma three", codename: "Wombat"}, '
        '{name: "Delta four", codename: "Xylem"}]) { id } }'))
    await indexer(gateway).idle.wait()
    return {"object": object_id, "codename": codename["id"], "ids": sorted(r["id"] for r in made["createGadgets"])}


async def model_object(gateway: GatewayUnderTest, name: str) -> Any:
    return (await gateway.app.state.gateway.load_model(gateway.workspace_id)).by_singular(name)


async def test_a_new_label_identifier_is_searched_once_rebuilt(
    gateway: GatewayUnderTest, gadgets: dict[str, Any]
) -> None:
    assert await found(gateway, "alpha") == ["Alpha one"] and await found(gateway, "zircon") == []
    update = "mutation($i: UUID!, $f: UUID!) { updateOneObject(input: {id: $i, update: " \
             "{labelIdentifierFieldMetadataId: $f}}) { id } }"
    data(await gateway.metadata(update, {"i": gadgets["object"], "f": gadgets["codename"]}))
    await indexer(gateway).idle.wait()
    assert await found(gateway, "zircon") == ["Zircon"]  # the records were indexed again
    assert await found(gateway, "alpha") == []
    shown = data(await gateway.metadata(
        "{ objects(paging: {first: 100}) { edges { node { nameSingular searchFieldMetadataList { "
        "fieldMetadataId } } } } }"))["objects"]["edges"]
    gadget = next(e["node"] for e in shown if e["node"]["nameSingular"] == "gadget")
    assert gadget["searchFieldMetadataList"] == [{"fieldMetadataId": gadgets["codename"]}]  # as searched
    states = gateway.db.control[STATES]
    state = await states.find_one({"_id": f"{gateway.workspace_id}:{gadgets['object']}"})
    assert state["state"] == "ready" and state["signature"] == index_signature(await model_object(gateway, "gadget"))


async def corrupt(gateway: GatewayUnderTest, ids: list[str]) -> None:
    records = gateway.db.records(gateway.workspace_id, "gadget")
    await records.update_many({"_id": {"$in": ids}}, {"$set": {"_searchTokens": ["stale"]}})


async def tokens(gateway: GatewayUnderTest, record_id: str) -> Any:
    doc = await gateway.db.records(gateway.workspace_id, "gadget").find_one({"_id": record_id})
    return doc["_searchTokens"]


async def mark_building(gateway: GatewayUnderTest, object_id: str, **state: Any) -> None:
    obj = await model_object(gateway, "gadget")
    values = {"workspaceId": gateway.workspace_id, "objectId": object_id, "signature": index_signature(obj),
              "state": BUILDING, "after": None, "owner": None, "leaseExpiresAt": None, **state}
    await gateway.db.control[STATES].update_one({"_id": f"{gateway.workspace_id}:{object_id}"}, {"$set": values},
                                                upsert=True)


async def test_a_build_resumes_where_it_stopped(gateway: GatewayUnderTest, gadgets: dict[str, Any]) -> None:
    ids = gadgets["ids"]
    await indexer(gateway).idle.wait()
    await corrupt(gateway, ids)
    # A replica died after two records: its lease expired, its position was saved.
    await mark_building(gateway, gadgets["object"], after=ids[1], owner="dead",
                        leaseExpiresAt=datetime.now(UTC) - timedelta(seconds=1))
    other = SearchIndexer(gateway.db, gateway.app.state.gateway.load_model, batch=1)
    assert await other.build_one()
    assert [await tokens(gateway, i) for i in ids[:2]] == [["stale"], ["stale"]]  # before the position: not redone
    assert [await tokens(gateway, i) for i in ids[2:]] != [["stale"], ["stale"]]
    assert ["stale"] not in [await tokens(gateway, i) for i in ids[2:]]
    state = await gateway.db.control[STATES].find_one({"_id": f"{gateway.workspace_id}:{gadgets['object']}"})
    assert state["state"] == "ready" and state["after"] == ids[-1]


async def test_a_live_lease_is_left_alone(gateway: GatewayUnderTest, gadgets: dict[str, Any]) -> None:
    await indexer(gateway).idle.wait()
    await mark_building(gateway, gadgets["object"], owner="alive",
                        leaseExpiresAt=datetime.now(UTC) + timedelta(seconds=60))
    other = SearchIndexer(gateway.db, gateway.app.state.gateway.load_model)
    assert not await other.build_one()  # another replica is on it
    await mark_building(gateway, gadgets["object"], leaseExpiresAt=None)
    assert await other.build_one()


async def test_an_idle_indexer_polls_only_while_another_replica_builds(
    gateway: GatewayUnderTest, gadgets: dict[str, Any]
) -> None:
    """Nothing to build anywhere: no polling (a metadata change wakes every replica); a build
    another replica holds: watched, to be taken over should its lease expire."""
    await indexer(gateway).idle.wait()
    other = SearchIndexer(gateway.db, gateway.app.state.gateway.load_model)
    await other.work()
    assert not other.watching
    await mark_building(gateway, gadgets["object"], owner="alive",
                        leaseExpiresAt=datetime.now(UTC) + timedelta(seconds=60))
    await other.work()
    assert other.watching  # polled every poll_seconds from now on
    await mark_building(gateway, gadgets["object"], leaseExpiresAt=datetime.now(UTC) - timedelta(seconds=1))
    await other.work()  # the lease ran out: taken over and finished
    assert not other.watching
    state = await gateway.db.control[STATES].find_one({"_id": f"{gateway.workspace_id}:{gadgets['object']}"})
    assert state["state"] == "ready"


class RacedIndexer(SearchIndexer):
    """A build during which a client updates a record it has read, before it writes back."""

    def __init__(self, gateway: GatewayUnderTest, record_id: str) -> None:
        super().__init__(gateway.db, gateway.app.state.gateway.load_model)
        self.gateway, self.record_id = gateway, record_id

    async def rewrite(self, records: Any, obj: Any, docs: list[dict[str, Any]]) -> int:
        if any(d["_id"] == self.record_id for d in docs):
            renamed = 'mutation($i: UUID!) { updateGadget(id: $i, data: {codename: "Narwhal"}) { id } }'
            data(await self.gateway.graphql(renamed, {"i": self.record_id}))
        return await super().rewrite(records, obj, docs)


async def test_a_record_written_during_a_build_keeps_its_values(
    gateway: GatewayUnderTest, gadgets: dict[str, Any]
) -> None:
    target = gadgets["ids"][0]
    await indexer(gateway).idle.wait()
    await corrupt(gateway, gadgets["ids"])
    await mark_building(gateway, gadgets["object"])
    assert await RacedIndexer(gateway, target).build_one()
    assert "narwhal" in await tokens(gateway, target)  # the update's own values, not the build's stale ones
    assert ["stale"] not in [await tokens(gateway, i) for i in gadgets["ids"][1:]]


async def test_a_new_collection_s_indexes_are_ready_for_concurrent_writes(gateway: GatewayUnderTest) -> None:
    """Two transactions writing a new object's first records do not conflict over its search
    indexes (SecantusDB marks an index multikey with the first array written to it)."""
    await create_object(gateway, "widget", "widgets")
    if not await gateway.db.supports_transactions():
        pytest.skip("the server has no transactions")
    records = gateway.db.records(gateway.workspace_id, "widget")
    client = gateway.db.client
    async with client.start_session() as first, client.start_session() as second:
        await first.start_transaction()
        await second.start_transaction()
        await records.insert_one({"_id": "one", "_searchTokens": ["a"], "_duplicateKeys": ["k=a"]}, session=first)
        await records.insert_one({"_id": "two", "_searchTokens": ["b"], "_duplicateKeys": ["k=b"]}, session=second)
        await first.abort_transaction()
        await second.abort_transaction()
    assert await records.count_documents({}) == 0  # and the index's primer record is gone
