"""REST find-duplicates, merge and search filters: Twenty's routes and shapes, refusals named."""

from __future__ import annotations

from tests.conftest import GatewayUnderTest
from tests.rest_shim.core_rest_helpers import call, fails, ok


async def test_duplicates_and_merge_answer_in_twenty_s_shapes(gateway: GatewayUnderTest) -> None:
    people = await ok(gateway, "POST", "batch/people", [
        {"name": {"firstName": "Grace", "lastName": "Hopper"}, "jobTitle": "Admiral"},
        {"name": {"firstName": "GRACE", "lastName": "hopper"}},
    ])
    first, second = (p["id"] for p in people["data"]["createPeople"])
    status, found = await call(gateway, "POST", "people/duplicates", {"ids": [first]})
    assert status == 200, found  # a POST that creates nothing: 200, as Twenty
    assert found["data"][0]["totalCount"] == 1 and [p["id"] for p in found["data"][0]["personDuplicates"]] == [second]
    assert set(found["data"][0]["pageInfo"]) == {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}
    merged = await ok(gateway, "PATCH", "people/merge", {"ids": [second, first], "conflictPriorityIndex": 1})
    assert merged["data"]["mergePerson"]["id"] == first and merged["data"]["mergePerson"]["jobTitle"] == "Admiral"
    assert (await call(gateway, "GET", f"people/{second}"))[0] == 404


async def test_refusals_name_the_problem(gateway: GatewayUnderTest) -> None:
    status, message = await fails(gateway, "GET", "people/duplicates")
    assert status == 400 and "use POST" in message
    status, message = await fails(gateway, "POST", "people/merge", {"ids": []})
    assert status == 400 and "use PATCH" in message
    status, message = await fails(gateway, "POST", "people/duplicates", [1, 2])
    assert status == 400 and "JSON object" in message
    status, message = await fails(gateway, "POST", "people/duplicates", {"id": ["x"]})
    assert status == 400 and "unknown key 'id'" in message
    status, message = await fails(gateway, "PATCH", "notes/merge", {"ids": [], "conflictPriorityIndex": 0})
    assert status == 400 and "Object 'note' does not have duplicate criteria defined" in message
    status, message = await fails(gateway, "PATCH", "people/merge", {"ids": "all", "conflictPriorityIndex": 0})
    assert status == 400
    status, message = await fails(gateway, "POST", "people/duplicates?depth=2", {"ids": []})
    assert status == 400 and "depth" in message


async def test_the_search_filter_in_rest(gateway: GatewayUnderTest) -> None:
    made = await ok(gateway, "POST", "people", {"name": {"firstName": "Hedy", "lastName": "Lamarr"}})
    found = await ok(gateway, "GET", "people", filter='searchVector[search]:"hedy LAM"')
    assert [p["id"] for p in found["data"]["people"]] == [made["data"]["createPerson"]["id"]]
