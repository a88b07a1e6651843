"""The timeline: every record change leaves a `timelineActivity`, with Twenty's fields and a
diff of what changed; it is read like any object and cannot be changed through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.timeline_retention import prune_timelines
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data

FIELDS = ("name happensAt properties linkedRecordId linkedObjectMetadataId linkedRecordCachedName apiKeyId "
          "targetPersonId")


async def activities(gateway: GatewayUnderTest, record_id: str) -> list[dict[str, Any]]:
    order = "[{happensAt: AscNullsFirst}, {position: AscNullsFirst}]"
    body = await gateway.graphql(
        f"query($id: UUID) {{ timelineActivities(filter: {{linkedRecordId: {{eq: $id}}}}, orderBy: {order}) "
        f"{{ edges {{ node {{ {FIELDS} }} }} }} }}",
        {"id": record_id},
    )
    return [e["node"] for e in data(body)["timelineActivities"]["edges"]]


async def key_id(gateway: GatewayUnderTest) -> str:
    keys = await gateway.metadata("{ apiKeys { id } }")
    return str(keys["data"]["apiKeys"][0]["id"])


async def test_each_change_of_a_person_is_on_its_timeline(gateway: GatewayUnderTest) -> None:
    created = data(await gateway.graphql(
        'mutation { createPerson(data: {name: {firstName: "Ada", lastName: "Lovelace"}, jobTitle: "Analyst"}) { id } }'
    ))["createPerson"]
    person = created["id"]
    update = "mutation($id: UUID!, $d: PersonUpdateInput!) { updatePerson(id: $id, data: $d) { id } }"
    await gateway.graphql(update, {"id": person, "d": {"jobTitle": "Countess", "city": "London"}})
    await gateway.graphql(update, {"id": person, "d": {"jobTitle": "Countess"}})  # nothing changes: no activity
    await gateway.graphql(f'mutation {{ deletePerson(id: "{person}") {{ id }} }}')
    await gateway.graphql(f'mutation {{ restorePerson(id: "{person}") {{ id }} }}')
    events = await activities(gateway, person)
    assert [e["name"] for e in events] == ["person.created", "person.updated", "person.deleted", "person.restored"]
    made, changed, deleted, restored = events
    assert made["properties"]["after"]["jobTitle"] == "Analyst" and made["linkedRecordCachedName"] == "Ada Lovelace"
    assert changed["properties"]["diff"] == {"jobTitle": {"before": "Analyst", "after": "Countess"},
                                             "city": {"before": None, "after": "London"}}
    assert sorted(changed["properties"]["updatedFields"]) == ["city", "jobTitle"]
    assert deleted["properties"]["before"]["deletedAt"] is not None
    assert restored["properties"]["after"]["deletedAt"] is None
    key = await key_id(gateway)
    assert all(e["targetPersonId"] == person and e["apiKeyId"] == key for e in events)
    linked = data(await gateway.graphql(
        "query($id: UUID) { person(filter: {id: {eq: $id}}) { timelineActivities { totalCount } } }", {"id": person}
    ))["person"]["timelineActivities"]
    assert linked["totalCount"] == 4


async def test_history_outlives_a_destroyed_record_and_cascades_are_told(gateway: GatewayUnderTest) -> None:
    made = await gateway.graphql('mutation { createCompany(data: {name: "Gone Co"}) { id } }')
    company = data(made)["createCompany"]["id"]
    person = data(await gateway.graphql(
        f'mutation {{ createPerson(data: {{jobTitle: "Employee", companyId: "{company}"}}) {{ id }} }}'
    ))["createPerson"]["id"]
    await gateway.graphql(f'mutation {{ destroyCompany(id: "{company}") {{ id }} }}')
    assert [e["name"] for e in await activities(gateway, company)] == ["company.created", "company.destroyed"]
    person_events = await activities(gateway, person)
    assert [e["name"] for e in person_events] == ["person.created", "person.updated"]
    assert person_events[1]["properties"]["diff"] == {"companyId": {"before": company, "after": None}}


async def test_upserts_are_told_as_creations_and_updates(gateway: GatewayUnderTest) -> None:
    first = data(await gateway.graphql(
        'mutation { createPeople(data: [{emails: {primaryEmail: "up@timeline.example"}, jobTitle: "A"}]) { id } }'
    ))["createPeople"][0]["id"]
    batch = [{"emails": {"primaryEmail": "up@timeline.example"}, "jobTitle": "B"},
             {"emails": {"primaryEmail": "new@timeline.example"}, "jobTitle": "C"}]
    made = data(await gateway.graphql(
        "mutation($d: [PersonCreateInput]!) { createPeople(data: $d, upsert: true) { id } }", {"d": batch}
    ))["createPeople"]
    assert [e["name"] for e in await activities(gateway, first)] == ["person.created", "person.updated"]
    assert [e["name"] for e in await activities(gateway, made[1]["id"])] == ["person.created"]


async def test_the_timeline_is_read_only(gateway: GatewayUnderTest) -> None:
    body = await gateway.graphql('mutation { createTimelineActivity(data: {name: "forged"}) { id } }')
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    for method in ("POST", "PATCH", "DELETE"):
        response = await gateway.client.request(
            method, "/rest/timelineActivities", json={"name": "forged"}, headers=gateway.headers,
            params={"filter": 'name[eq]:"x"'},
        )
        assert response.status_code == 405, response.text
    listed = await gateway.client.get("/rest/timelineActivities", headers=gateway.headers)
    assert listed.status_code == 200
    document = (await gateway.client.get("/rest/open-api/core", headers=gateway.headers)).json()
    assert set(document["paths"]["/timelineActivities"]) == {"get"}
    listed = await gateway.client.post("/mcp?mode=direct", json={"jsonrpc": "2.0", "method": "tools/list", "id": 1},
                                       headers={**gateway.headers, "Accept": "application/json"})
    tools = {t["name"] for t in listed.json()["result"]["tools"] if "timeline" in t["name"]}
    assert tools == {"find_many_timeline_activities", "find_one_timeline_activity", "group_by_timeline_activities"}


async def test_retention_removes_only_what_is_older_than_it_keeps(gateway: GatewayUnderTest) -> None:
    made = await gateway.graphql('mutation { createCompany(data: {name: "Retained"}) { id } }')
    company = data(made)["createCompany"]["id"]
    await gateway.graphql(f'mutation {{ updateCompany(id: "{company}", data: {{name: "Retained twice"}}) {{ id }} }}')
    timeline = gateway.db.records(gateway.workspace_id, "timelineActivity")
    old = await timeline.find_one({"linkedRecordId": company, "name": "company.created"})
    await timeline.update_one({"_id": old["_id"]}, {"$set": {"happensAt": datetime.now(UTC) - timedelta(days=40)}})
    assert await prune_timelines(gateway.db, 30) >= 1
    assert [e["name"] for e in await activities(gateway, company)] == ["company.updated"]
