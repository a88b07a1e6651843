"""Find duplicates: normalised comparison, one query per request, criteria set through the
Metadata API, and refusals of hostile input."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.monitoring import CommandListener, CommandStartedEvent

from gateway.db import Database
from tests.conftest import GatewayUnderTest, running_gateway
from tests.integration.helpers import create_field, create_object, data, error

DUPLICATES = """query($ids: [UUID], $data: [PersonCreateInput]) {
  personDuplicates(ids: $ids, data: $data) { totalCount edges { node { id name { firstName lastName } } } } }"""


class Commands(CommandListener):
    """The commands the gateway sends, by name and collection."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []

    def started(self, event: CommandStartedEvent) -> None:
        self.seen.append((event.command_name, event.command.get(event.command_name)))

    def succeeded(self, event: Any) -> None:
        pass

    def failed(self, event: Any) -> None:
        pass


@pytest.fixture(scope="module")
async def watched(mongo_uri: str, db_prefix: str) -> AsyncIterator[tuple[GatewayUnderTest, Commands]]:
    commands = Commands()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_uri, tz_aware=True, event_listeners=[commands])
    async with running_gateway(mongo_uri, f"{db_prefix}w", db=Database(client, f"{db_prefix}w")) as gateway:
        yield gateway, commands


async def people(gateway: GatewayUnderTest, records: list[dict[str, Any]]) -> list[str]:
    made = data(await gateway.graphql(
        "mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }", {"d": records}))
    return [r["id"] for r in made["createPeople"]]


async def test_values_are_compared_normalised(watched: tuple[GatewayUnderTest, Commands]) -> None:
    gateway, _ = watched
    ada, grace, linus = await people(gateway, [
        {"name": {"firstName": "Adà", "lastName": "LOVELACE"}},
        {"name": {"firstName": "Grace", "lastName": "Hopper"}, "emails": {"primaryEmail": "Grace@Navy.mil"}},
        {"name": {"firstName": "Linus", "lastName": "T"},
         "linkedinLink": {"primaryLinkUrl": "https://www.linkedin.com/in/linus/"}},
    ])
    inputs = [
        {"name": {"firstName": "  ada ", "lastName": "Lovelace"}},  # case, accents, spaces
        {"emails": {"primaryEmail": "grace@navy.MIL"}},  # an e-mail's case
        {"linkedinLink": {"primaryLinkUrl": "linkedin.com/in/linus"}},  # scheme, www. and trailing slash
        {"name": {"firstName": "Al", "lastName": "Lovelace"}},  # under 3 characters: no criterion
    ]
    found = data(await gateway.graphql(DUPLICATES, {"data": inputs}))["personDuplicates"]
    assert [[e["node"]["id"] for e in answer["edges"]] for answer in found] == [[ada], [grace], [linus], []]
    assert [answer["totalCount"] for answer in found] == [1, 1, 1, 0]
    by_id = data(await gateway.graphql(DUPLICATES, {"ids": [ada, grace]}))["personDuplicates"]
    assert [a["totalCount"] for a in by_id] == [0, 0]  # a record is not its own duplicate


async def test_one_query_whatever_the_number_of_inputs(watched: tuple[GatewayUnderTest, Commands]) -> None:
    gateway, commands = watched
    await people(gateway, [{"name": {"firstName": f"Twin{i}", "lastName": "Doe"}} for i in range(30)])
    inputs = [{"name": {"firstName": f"twin{i}", "lastName": "doe"}} for i in range(60)]
    commands.seen.clear()
    found = data(await gateway.graphql(DUPLICATES, {"data": inputs}))["personDuplicates"]
    assert [a["totalCount"] for a in found] == [1] * 30 + [0] * 30
    reads = [c for c in commands.seen if c[0] in ("find", "aggregate") and c[1] == "person"]
    assert len(reads) == 1, commands.seen


async def test_hostile_inputs_are_refused(watched: tuple[GatewayUnderTest, Commands]) -> None:
    gateway, _ = watched
    too_many = error(await gateway.graphql(DUPLICATES, {"data": [{"jobTitle": "x"}] * 61}))
    assert "at most 60" in too_many["message"]
    both = error(await gateway.graphql(DUPLICATES, {"data": [], "ids": []}))
    assert both["message"] == 'You cannot provide both "data" and "ids" arguments'
    assert error(await gateway.graphql(DUPLICATES, {}))["extensions"]["code"] == "BAD_USER_INPUT"
    odd = data(await gateway.graphql(DUPLICATES, {"data": [{"name": {"firstName": "$where", "lastName": ".*"}}]}))
    assert odd["personDuplicates"][0]["totalCount"] == 0  # values are compared, never interpreted


async def test_criteria_set_through_the_metadata_api(watched: tuple[GatewayUnderTest, Commands]) -> None:
    gateway, _ = watched
    object_id = await create_object(gateway, "vessel", "vessels")
    await create_field(gateway, object_id, name="imo", type="TEXT")
    made = data(await gateway.graphql('mutation { createVessels(data: [{name: "Endurance", imo: "IMO 9334567"}, '
                                      '{name: "Discovery", imo: "imo 9334567"}]) { id } }'))["createVessels"]
    no_criteria = await gateway.graphql("{ vesselDuplicates(ids: []) { totalCount } }")
    # As Twenty: an object without criteria has no such resolver.
    assert error(no_criteria)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    update = "mutation($i: UUID!, $c: [[String!]!]) { updateOneObject(input: {id: $i, update: " \
             "{duplicateCriteria: $c}}) { duplicateCriteria } }"
    wrong = error(await gateway.metadata(update, {"i": object_id, "c": [["imoNumber"]]}))
    assert "'imoNumber' is not a column of 'vessel'" in wrong["message"]
    assert data(await gateway.metadata(update, {"i": object_id, "c": [["imo"]]}))["updateOneObject"] == {
        "duplicateCriteria": [["imo"]]}
    await gateway.app.state.gateway.search_indexer.idle.wait()  # the records already there get their keys
    found = data(await gateway.graphql("query($i: [UUID]) { vesselDuplicates(ids: $i) { edges { node { id } } } }",
                                       {"i": [made[0]["id"]]}))["vesselDuplicates"]
    assert [e["node"]["id"] for e in found[0]["edges"]] == [made[1]["id"]]
    standard = data(await gateway.metadata(
        '{ objects(paging: {first: 100}) { edges { node { nameSingular duplicateCriteria } } } }'))
    shown = {e["node"]["nameSingular"]: e["node"]["duplicateCriteria"] for e in standard["objects"]["edges"]}
    assert shown["company"] == [["name"], ["domainNamePrimaryLinkUrl"]] and shown["note"] is None
