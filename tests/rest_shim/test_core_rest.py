"""Core REST routes (`/rest/{plural}`, batch, restore): envelopes, status codes and errors.

Through the real app on the real daemon; reads are checked against /graphql too.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_field, create_object
from tests.rest_shim.core_rest_helpers import call, error_of, fails, ok


def marker() -> str:
    """A city unique to one test, so tests sharing the module's workspace never collide."""
    return f"city-{uuid.uuid4().hex[:8]}"


async def person(gateway: GatewayUnderTest, city: str, first: str = "Ada", **more: Any) -> dict[str, Any]:
    answer = await ok(gateway, "POST", "people", {"name": {"firstName": first, "lastName": "L"}, "city": city, **more})
    created: dict[str, Any] = answer["data"]["createPerson"]
    return created


async def cities(gateway: GatewayUnderTest, city: str, **params: Any) -> list[str]:
    answer = await ok(gateway, "GET", "people", filter=f'city[eq]:"{city}"', **params)
    return [p["name"]["firstName"] for p in answer["data"]["people"]]


# ---- create, read, update ---------------------------------------------------------------------


async def test_create_one_then_find_one(gateway: GatewayUnderTest) -> None:
    city = marker()
    status, answer = await call(gateway, "POST", "people", {"name": {"firstName": "Ada", "lastName": "Lovelace"},
                                                          "emails": {"primaryEmail": "ada@example.com"}, "city": city})
    assert status == 201
    assert list(answer) == ["data"] and list(answer["data"]) == ["createPerson"]
    created = answer["data"]["createPerson"]
    assert created["name"] == {"firstName": "Ada", "lastName": "Lovelace"}
    assert created["emails"]["primaryEmail"] == "ada@example.com"
    assert created["companyId"] is None and "company" not in created  # depth 0
    assert created["deletedAt"] is None and created["createdAt"]

    found = await ok(gateway, "GET", f"people/{created['id']}")
    assert found == {"data": {"person": created}}
    # Upper-case ids are the same id.
    assert (await ok(gateway, "GET", f"people/{created['id'].upper()}"))["data"]["person"]["id"] == created["id"]


async def test_create_upsert_updates_the_existing_record(gateway: GatewayUnderTest) -> None:
    city = marker()
    created = await person(gateway, city)
    status, answer = await call(gateway, "POST", "people", {"id": created["id"], "jobTitle": "Engineer"},
                                {"upsert": "true"})
    assert status == 201
    upserted = answer["data"]["createPerson"]
    assert upserted["id"] == created["id"] and upserted["jobTitle"] == "Engineer"
    assert upserted["name"] == created["name"] and upserted["city"] == city
    assert await cities(gateway, city) == ["Ada"]


async def test_unique_value_taken_is_400(gateway: GatewayUnderTest) -> None:
    """Twenty answers a unique value taken 400 'A duplicate entry was detected' (409 before)."""
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    await person(gateway, marker(), emails={"primaryEmail": email})
    status, message = await fails(gateway, "POST", "people", {"emails": {"primaryEmail": email}})
    assert status == 400 and message.startswith("A duplicate entry was detected") and "already exists" in message


async def test_update_one_and_put_alias(gateway: GatewayUnderTest) -> None:
    created = await person(gateway, marker())
    answer = await ok(gateway, "PATCH", f"people/{created['id']}", {"jobTitle": "CTO"})
    assert list(answer["data"]) == ["updatePerson"]
    assert answer["data"]["updatePerson"]["jobTitle"] == "CTO"
    assert answer["data"]["updatePerson"]["name"] == created["name"]
    answer = await ok(gateway, "PUT", f"people/{created['id']}", {"jobTitle": "CEO"})
    assert answer["data"]["updatePerson"]["jobTitle"] == "CEO"
    assert (await ok(gateway, "GET", f"people/{created['id']}"))["data"]["person"]["jobTitle"] == "CEO"


async def test_update_many_by_filter(gateway: GatewayUnderTest) -> None:
    city = marker()
    ids = {(await person(gateway, city, name))["id"] for name in ("A", "B")}
    other = await person(gateway, marker(), "C")
    answer = await ok(gateway, "PATCH", "people", {"jobTitle": "Staff"}, filter=f"city[eq]:{city}")
    updated = answer["data"]["updatePeople"]
    assert {p["id"] for p in updated} == ids and all(p["jobTitle"] == "Staff" for p in updated)
    assert (await ok(gateway, "GET", f"people/{other['id']}"))["data"]["person"]["jobTitle"] is None

    answer = await ok(gateway, "PUT", "people", {"jobTitle": "Lead"}, filter=f"city[eq]:{city}")
    assert sorted(p["jobTitle"] for p in answer["data"]["updatePeople"]) == ["Lead", "Lead"]

    status, message = await fails(gateway, "PATCH", "people", {"jobTitle": "Everyone"})
    assert status == 400 and "Filters are mandatory for bulk" in message


async def test_update_unknown_record_is_404(gateway: GatewayUnderTest) -> None:
    status, message = await fails(gateway, "PATCH", f"people/{uuid.uuid4()}", {"jobTitle": "x"})
    assert status == 404 and "Record not found" in message
    status, _ = await fails(gateway, "GET", f"people/{uuid.uuid4()}")
    assert status == 404
    for soft in ("true", "false"):
        status, message = await fails(gateway, "DELETE", f"people/{uuid.uuid4()}", soft_delete=soft)
        assert status == 404 and "Record not found" in message


# ---- delete and restore -----------------------------------------------------------------------


async def test_hard_delete_one_by_default(gateway: GatewayUnderTest) -> None:
    city = marker()
    created = await person(gateway, city)
    answer = await ok(gateway, "DELETE", f"people/{created['id']}")
    assert answer == {"data": {"deletePerson": {"id": created["id"]}}}
    assert (await fails(gateway, "GET", f"people/{created['id']}"))[0] == 404
    # Gone for good: not even in the trash, and it cannot be restored.
    assert await cities(gateway, city) == []
    trash = await ok(gateway, "GET", "people", filter=f"city[eq]:{city},deletedAt[is]:NOT_NULL")
    assert trash["data"]["people"] == []
    assert (await fails(gateway, "PATCH", f"restore/people/{created['id']}"))[0] == 404


async def test_soft_delete_one_then_restore(gateway: GatewayUnderTest) -> None:
    city = marker()
    created = await person(gateway, city)
    answer = await ok(gateway, "DELETE", f"people/{created['id']}", soft_delete="true")
    assert answer == {"data": {"deletePerson": {"id": created["id"]}}}
    assert (await fails(gateway, "GET", f"people/{created['id']}"))[0] == 404
    assert await cities(gateway, city) == []
    trash = await ok(gateway, "GET", "people", filter=f"city[eq]:{city},deletedAt[is]:NOT_NULL")
    assert [p["id"] for p in trash["data"]["people"]] == [created["id"]]
    assert trash["data"]["people"][0]["deletedAt"] is not None

    answer = await ok(gateway, "PATCH", f"restore/people/{created['id']}")
    assert list(answer["data"]) == ["restorePerson"]
    restored = answer["data"]["restorePerson"]
    assert restored["id"] == created["id"] and restored["deletedAt"] is None
    assert restored["name"] == created["name"]
    assert (await ok(gateway, "GET", f"people/{created['id']}"))["data"]["person"]["deletedAt"] is None


async def test_delete_many_soft_then_restore_many_then_hard(gateway: GatewayUnderTest) -> None:
    city = marker()
    ids = sorted([(await person(gateway, city, name))["id"] for name in ("A", "B", "C")])
    keep = await person(gateway, marker(), "D")

    answer = await ok(gateway, "DELETE", "people", filter=f"city[eq]:{city}", soft_delete="true")
    assert list(answer["data"]) == ["deletePeople"]
    assert sorted(p["id"] for p in answer["data"]["deletePeople"]) == ids
    assert all(set(p) == {"id"} for p in answer["data"]["deletePeople"])
    assert await cities(gateway, city) == []

    answer = await ok(gateway, "PATCH", "restore/people", filter=f"city[eq]:{city},deletedAt[is]:NOT_NULL")
    assert list(answer["data"]) == ["restorePeople"]
    assert sorted(p["id"] for p in answer["data"]["restorePeople"]) == ids
    assert all(p["deletedAt"] is None for p in answer["data"]["restorePeople"])
    assert sorted(await cities(gateway, city)) == ["A", "B", "C"]

    answer = await ok(gateway, "DELETE", "people", filter=f"city[eq]:{city}")
    assert sorted(p["id"] for p in answer["data"]["deletePeople"]) == ids
    trash = await ok(gateway, "GET", "people", filter=f"city[eq]:{city},deletedAt[is]:NOT_NULL")
    assert trash["data"]["people"] == []
    assert (await ok(gateway, "GET", f"people/{keep['id']}"))["data"]["person"]["id"] == keep["id"]


async def test_restore_newer_spelling(gateway: GatewayUnderTest) -> None:
    city = marker()
    created = await person(gateway, city)
    await ok(gateway, "DELETE", f"people/{created['id']}", soft_delete="true")
    answer = await ok(gateway, "PATCH", f"people/{created['id']}/restore")
    assert answer["data"]["restorePerson"]["id"] == created["id"]
    await ok(gateway, "DELETE", f"people/{created['id']}", soft_delete="true")
    answer = await ok(gateway, "PATCH", "people/restore", filter=f"city[eq]:{city}")
    assert [p["id"] for p in answer["data"]["restorePeople"]] == [created["id"]]


@pytest.mark.parametrize("soft", ["true", "false"])
async def test_bulk_delete_needs_a_filter(gateway: GatewayUnderTest, soft: str) -> None:
    city = marker()
    await person(gateway, city)
    status, message = await fails(gateway, "DELETE", "people", soft_delete=soft)
    assert status == 400 and "Filters are mandatory for bulk" in message
    status, _ = await fails(gateway, "DELETE", "people", filter="", soft_delete=soft)
    assert status == 400
    assert await cities(gateway, city) == ["Ada"]
    status, message = await fails(gateway, "PATCH", "restore/people")
    assert status == 400 and "'filter'" in message


# ---- batch --------------------------------------------------------------------------------------


async def test_batch_create(gateway: GatewayUnderTest) -> None:
    city = marker()
    rows = [{"name": {"firstName": n, "lastName": "B"}, "city": city} for n in ("A", "B", "C")]
    status, answer = await call(gateway, "POST", "batch/people", rows)
    assert status == 201 and list(answer["data"]) == ["createPeople"]
    assert [p["name"]["firstName"] for p in answer["data"]["createPeople"]] == ["A", "B", "C"]
    assert sorted(await cities(gateway, city)) == ["A", "B", "C"]
    for params in (None, {"upsert": "true"}):
        assert await call(gateway, "POST", "batch/people", [], params) == (201, {"data": {"createPeople": []}})


async def test_batch_limit(gateway: GatewayUnderTest) -> None:
    limit = gateway.app.state.gateway.limits.max_batch_size
    city = marker()
    rows = [{"name": {"firstName": f"p{i}"}, "city": city} for i in range(limit + 1)]
    status, message = await fails(gateway, "POST", "batch/people", rows)
    assert status == 400 and str(limit) in message and "Maximum number of records" in message
    assert await cities(gateway, city) == []
    status, answer = await call(gateway, "POST", "batch/people", rows[:limit])
    assert status == 201 and len(answer["data"]["createPeople"]) == limit


async def test_batch_upsert_half_existing(gateway: GatewayUnderTest) -> None:
    city = marker()
    existing = [await person(gateway, city, name) for name in ("A", "B")]
    rows = [{"id": existing[0]["id"], "jobTitle": "updated"}, {"id": existing[1]["id"], "jobTitle": "updated"},
            {"name": {"firstName": "C"}, "city": city, "jobTitle": "new"},
            {"name": {"firstName": "D"}, "city": city, "jobTitle": "new"}]
    answer = await ok(gateway, "POST", "batch/people", rows, upsert="true")
    made = answer["data"]["createPeople"]
    assert [p["id"] for p in made[:2]] == [p["id"] for p in existing]
    assert [p["jobTitle"] for p in made] == ["updated", "updated", "new", "new"]
    assert [p["name"]["firstName"] for p in made] == ["A", "B", "C", "D"]  # untouched fields kept
    assert sorted(await cities(gateway, city)) == ["A", "B", "C", "D"]


# ---- custom object ----------------------------------------------------------------------------


async def test_custom_object_crud(gateway: GatewayUnderTest) -> None:
    object_id = await create_object(gateway, "robot", "robots")
    await create_field(gateway, object_id, name="serial", type="TEXT")
    await create_field(gateway, object_id, name="power", type="NUMBER", settings={"dataType": "INT"})
    await create_field(gateway, object_id, name="price", type="CURRENCY")

    created = (await ok(gateway, "POST", "robots", {"serial": "R2", "power": 3,
                                                    "price": {"amountMicros": 5000000, "currencyCode": "EUR"}}))
    robot = created["data"]["createRobot"]
    assert robot["serial"] == "R2" and robot["price"] == {"amountMicros": 5000000, "currencyCode": "EUR"}
    batch = (await ok(gateway, "POST", "batch/robots", [{"serial": "C3", "power": 1}]))["data"]["createRobots"]
    listed = await ok(gateway, "GET", "robots", order_by="power[DescNullsLast]")
    assert [r["serial"] for r in listed["data"]["robots"]] == ["R2", "C3"] and listed["totalCount"] == 2
    assert (await ok(gateway, "PATCH", f"robots/{robot['id']}", {"power": 9}))["data"]["updateRobot"]["power"] == 9
    assert (await ok(gateway, "GET", "robots", filter="power[gt]:5"))["data"]["robots"][0]["id"] == robot["id"]
    assert (await ok(gateway, "DELETE", f"robots/{batch[0]['id']}"))["data"]["deleteRobot"]["id"] == batch[0]["id"]
    assert (await ok(gateway, "GET", "robots"))["totalCount"] == 1
    status, message = await fails(gateway, "GET", "robot")
    assert (status, message) == (400, "object 'robot' not found. Did you mean 'robots'?")


# ---- errors ----------------------------------------------------------------------------------


async def test_singular_and_unknown_objects(gateway: GatewayUnderTest) -> None:
    assert await fails(gateway, "GET", "person") == (400, "object 'person' not found. Did you mean 'people'?")
    assert (await fails(gateway, "GET", f"person/{uuid.uuid4()}"))[1].endswith("Did you mean 'people'?")
    status, message = await fails(gateway, "GET", "peeple")
    assert status == 404 and "object 'peeple' not found" in message and "'people'" in message
    status, message = await fails(gateway, "GET", "zzzzzz")
    assert (status, message) == (404, "object 'zzzzzz' not found.")
    assert (await fails(gateway, "POST", "batch/person", []))[0] == 400


async def test_bad_ids_and_routes(gateway: GatewayUnderTest) -> None:
    assert await fails(gateway, "GET", "people/not-a-uuid") == (400, "'not-a-uuid' is not a valid UUID")
    assert await fails(gateway, "DELETE", "people/123") == (400, "'123' is not a valid UUID")
    assert (await fails(gateway, "PATCH", "restore/people/nope"))[1] == "'nope' is not a valid UUID"
    assert (await fails(gateway, "GET", f"people/{uuid.uuid4()}/extra"))[0] == 404
    status, message = await fails(gateway, "POST", "notes/duplicates", {})  # notes have no duplicate criteria
    assert status == 400 and "does not have duplicate criteria" in message, message


@pytest.mark.parametrize(("method", "path", "expected"), [
    ("POST", "people/{id}", "GET, PATCH or DELETE"),
    ("GET", "batch/people", "POST"),
    ("PATCH", "batch/people", "POST"),
    ("GET", "restore/people/{id}", "PATCH"),
    ("DELETE", "restore/people", "PATCH"),
])
async def test_wrong_method(gateway: GatewayUnderTest, method: str, path: str, expected: str) -> None:
    status, message = await fails(gateway, method, path.format(id=uuid.uuid4()), [] if method == "POST" else None)
    assert status == 400 and "is not allowed" in message and expected in message


async def test_bad_bodies(gateway: GatewayUnderTest) -> None:
    status, message = error_of(*await call(gateway, "POST", "people", content=b"{not json"))
    assert status == 400 and "not valid JSON" in message
    # A GET's body means nothing, as in Twenty: not even a malformed one is read.
    assert (await call(gateway, "GET", "people", content=b"{not json"))[0] == 200
    status, message = await fails(gateway, "POST", "people", [{"city": "x"}])
    assert status == 400 and "must be a JSON object" in message and "array" in message
    status, message = await fails(gateway, "POST", "people")
    assert status == 400 and "must be a JSON object" in message and "no body" in message
    status, message = await fails(gateway, "PATCH", f"people/{uuid.uuid4()}", "text")
    assert status == 400 and "JSON object" in message and "string" in message
    status, message = await fails(gateway, "POST", "batch/people", {"city": "x"})
    assert status == 400 and "JSON array" in message
    status, message = await fails(gateway, "POST", "batch/people", [{"city": "x"}, 3])
    assert status == 400 and "item 1" in message
    status, message = await fails(gateway, "POST", "people", {"nope": 1})
    assert status == 400 and "nope" in message


@pytest.mark.parametrize(("params", "expected"), [
    ({"filter": "foo[eq]:1"}, "'filter' invalid: field 'foo' does not exist in 'person' object"),
    ({"filter": "cty[eq]:1"}, "Did you mean 'city'?"),
    ({"filter": "position[gt]:abc"}, "'filter' invalid: 'abc' is not a number for position[gt]"),
    ({"filter": "createdAt[gte]:yesterday"},
     'invalid input syntax for type timestamp with time zone: "yesterday" for createdAt[gte]'),
    ({"filter": "id[eq]:42"}, 'invalid input syntax for type uuid: "42" for id[eq]'),
    ({"filter": "name[eq]:Ada"}, "unknown sub-field 'eq' on person.name"),
    ({"filter": "name.nickname[eq]:Ada"}, "unknown sub-field 'nickname' on person.name"),
    ({"filter": "city[containsAny]:[a]"}, "operator 'containsAny' is not supported for city"),
    ({"filter": "city.x[eq]:a"}, "city has no sub-field 'x'"),
    ({"filter": "createdBy.source[eq]:ROBOT"}, "enum value 'ROBOT' not available in 'source' enum"),
    ({"filter": "city[is]:MAYBE"}, "'is' expects NULL or NOT_NULL"),
    ({"filter": "or(city[eq]:a"}, "close bracket"),
    ({"order_by": "foo"}, "'order_by' invalid: unknown or unsortable field 'foo' on person"),
    ({"order_by": "name"}, "'name' is a composite field; order by one of its sub-fields: name.firstName"),
    ({"order_by": "emails.additionalEmails"}, "unsortable field 'additionalEmails' on person.emails"),
    ({"order_by": "city[Up]"}, "unknown direction 'Up'"),
    ({"order_by": "city.x"}, "'city' has no sub-field 'x'"),
    ({"limit": "ten"}, "limit 'ten' is invalid"),
    ({"limit": "-1"}, "limit '-1' is invalid"),
    ({"depth": "2"}, "depth '2' is invalid. Should be 0 or 1"),
    ({"starting_after": "x", "ending_before": "y"}, "not both"),
    ({"starting_after": "!!!"}, "cursor"),
])
async def test_bad_query_parameters(gateway: GatewayUnderTest, params: dict[str, str], expected: str) -> None:
    status, message = await fails(gateway, "GET", "people", **params)
    assert status == 400 and expected in message, message


async def test_bad_flags(gateway: GatewayUnderTest) -> None:
    status, message = await fails(gateway, "DELETE", f"people/{uuid.uuid4()}", soft_delete="maybe")
    assert status == 400 and "'soft_delete' must be true or false" in message
    status, message = await fails(gateway, "POST", "people", {"city": "x"}, upsert="yes")
    assert status == 400 and "'upsert'" in message


async def test_needs_a_key(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/rest/people")  # no token: Twenty's 403 (401 before)
    assert response.status_code == 403 and response.json()["error"] == "FORBIDDEN_EXCEPTION"
    response = await gateway.client.get("/rest/people", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


async def test_unknown_parameters_are_ignored(gateway: GatewayUnderTest) -> None:
    city = marker()
    await person(gateway, city)
    assert await cities(gateway, city, whatever="1", sort="x") == ["Ada"]
