"""Core REST reads: filter, order_by, limit, cursors and depth, each checked against the same
request made through /graphql (same records, same order, same values)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_field, create_object, data, object_id
from tests.rest_shim.core_rest_helpers import fails, graphql_page, ok, selection

GADGETS: list[dict[str, Any]] = [
    {"name": "alpha", "size": 10, "ratio": 0.5, "flag": True, "at": "2025-01-01T00:00:00.000Z", "day": "2025-01-01",
     "kind": "SMALL", "marks": ["RED"], "words": ["Apple", "pie"], "owner": {"firstName": "Ada", "lastName": "L"},
     "price": {"amountMicros": 1000000, "currencyCode": "EUR"}},
    {"name": "beta", "size": 20, "ratio": None, "flag": False, "at": "2025-02-01T00:00:00.000Z", "day": None,
     "kind": "LARGE", "marks": ["RED", "BLUE"], "words": [], "owner": {"firstName": "Alan", "lastName": "T"},
     "price": {"amountMicros": 2500000, "currencyCode": "USD"}},
    {"name": "gamma", "size": None, "ratio": 1.5, "flag": None, "at": None, "day": "2025-03-01",
     "kind": None, "marks": [], "words": ["banana"], "owner": {"firstName": None, "lastName": "H"}, "price": None},
    {"name": "delta", "size": 30, "ratio": 2.5, "flag": True, "at": "2025-04-01T00:00:00.000Z",
     "day": "2025-04-01", "kind": "SMALL", "marks": None, "words": None,
     "owner": {"firstName": "Grace", "lastName": None},
     "price": {"amountMicros": 10000000000, "currencyCode": "EUR"}},
    {"name": "epsilon", "size": 10, "ratio": 0.5, "flag": False, "at": "2025-05-01T12:30:00.000Z",
     "day": "2025-05-01", "kind": "LARGE", "marks": ["BLUE"], "words": ["PIE"],
     "owner": {"firstName": "Ada", "lastName": "Byron"}, "price": {"amountMicros": 0, "currencyCode": "EUR"}},
]


@pytest.fixture(scope="module")
async def world(gateway: GatewayUnderTest) -> dict[str, Any]:
    """A custom object with a field of each kind, related to a company; 65 widgets to page over."""
    gadget = await create_object(gateway, "gadget", "gadgets")
    await create_field(gateway, gadget, name="size", type="NUMBER", settings={"dataType": "INT"})
    await create_field(gateway, gadget, name="ratio", type="NUMBER")
    await create_field(gateway, gadget, name="flag", type="BOOLEAN")
    await create_field(gateway, gadget, name="at", type="DATE_TIME")
    await create_field(gateway, gadget, name="day", type="DATE")
    await create_field(gateway, gadget, name="kind", type="SELECT",
                       options=[{"value": "SMALL", "label": "S"}, {"value": "LARGE", "label": "L"}])
    await create_field(gateway, gadget, name="marks", type="MULTI_SELECT",
                       options=[{"value": "RED", "label": "R"}, {"value": "BLUE", "label": "B"}])
    await create_field(gateway, gadget, name="words", type="ARRAY")
    await create_field(gateway, gadget, name="owner", type="FULL_NAME")
    await create_field(gateway, gadget, name="price", type="CURRENCY")
    await create_field(gateway, gadget, name="company", type="RELATION", label="Company",
                       relationCreationPayload={"type": "MANY_TO_ONE",
                                                "targetObjectMetadataId": await object_id(gateway, "company"),
                                                "targetFieldLabel": "Gadgets", "targetFieldName": "gadgets"})
    acme = (await ok(gateway, "POST", "companies", {"name": "Acme", "domainName": {"primaryLinkUrl": "https://acme.example"}}))
    acme_id = acme["data"]["createCompany"]["id"]
    rows = [{**row, "companyId": acme_id if row["name"] in ("alpha", "delta") else None} for row in GADGETS]
    made = (await ok(gateway, "POST", "batch/gadgets", rows))["data"]["createGadgets"]

    widget = await create_object(gateway, "widget", "widgets")
    await create_field(gateway, widget, name="rank", type="NUMBER", settings={"dataType": "INT"})
    widgets = [{"name": f"w{i:02}", "rank": i % 7} for i in range(65)]
    await ok(gateway, "POST", "batch/widgets", widgets[:60])
    await ok(gateway, "POST", "batch/widgets", widgets[60:])
    return {"gadgets": {g["name"]: g["id"] for g in made}, "acme": acme_id}


async def rest_and_graphql(gateway: GatewayUnderTest, rest: dict[str, str], gql: dict[str, Any]) -> list[str]:
    """The gadgets REST finds, after checking that /graphql answers the same; returns their names."""
    answer = await ok(gateway, "GET", "gadgets", **rest)
    records = answer["data"]["gadgets"]
    fields = selection((await ok(gateway, "GET", "gadgets"))["data"]["gadgets"])  # every composite non-null once
    twin = await graphql_page(gateway, "gadgets", "Gadget", fields, **gql)
    assert answer == twin if records else answer["data"] == twin["data"]
    return [r["name"] for r in records]


FILTER_CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("size[gt]:10", {"size": {"gt": 10}}, ["beta", "delta"]),
    ("size[gte]:10,size[lt]:30", {"and": [{"size": {"gte": 10}}, {"size": {"lt": 30}}]}, ["alpha", "beta", "epsilon"]),
    ("size[in]:[10,30]", {"size": {"in": [10, 30]}}, ["alpha", "delta", "epsilon"]),
    ("size[is]:NULL", {"size": {"is": "NULL"}}, ["gamma"]),
    ("size[neq]:10", {"size": {"neq": 10}}, ["beta", "delta"]),
    ('ratio[lte]:"1.5"', {"ratio": {"lte": 1.5}}, ["alpha", "epsilon", "gamma"]),
    ("ratio[in]:[0.5, 2.5]", {"ratio": {"in": [0.5, 2.5]}}, ["alpha", "delta", "epsilon"]),
    ("flag[eq]:true", {"flag": {"eq": True}}, ["alpha", "delta"]),
    ("flag[eq]:FALSE", {"flag": {"eq": False}}, ["beta", "epsilon"]),
    ("at[gte]:2025-02-01T00:00:00Z", {"at": {"gte": "2025-02-01T00:00:00Z"}}, ["beta", "delta", "epsilon"]),
    ('at[lt]:"2025-02-01"', {"at": {"lt": "2025-02-01T00:00:00Z"}}, ["alpha"]),
    ("day[eq]:2025-03-01", {"day": {"eq": "2025-03-01"}}, ["gamma"]),
    ("kind[eq]:SMALL", {"kind": {"eq": "SMALL"}}, ["alpha", "delta"]),
    ("kind[in]:[SMALL,LARGE]", {"kind": {"in": ["SMALL", "LARGE"]}}, ["alpha", "beta", "delta", "epsilon"]),
    ("marks[containsAny]:[BLUE]", {"marks": {"containsAny": ["BLUE"]}}, ["beta", "epsilon"]),
    ("words[containsIlike]:%pie%", {"words": {"containsIlike": "%pie%"}}, ["alpha", "epsilon"]),
    ('owner.firstName[ilike]:"%a%"', {"owner": {"firstName": {"ilike": "%a%"}}},
     ["alpha", "beta", "delta", "epsilon"]),
    ("owner.lastName[is]:NULL", {"owner": {"lastName": {"is": "NULL"}}}, ["delta"]),
    ("price.amountMicros[gt]:2000000", {"price": {"amountMicros": {"gt": 2000000}}}, ["beta", "delta"]),
    ("price.currencyCode[eq]:EUR", {"price": {"currencyCode": {"eq": "EUR"}}}, ["alpha", "delta", "epsilon"]),
    ("or(size[eq]:10,and(kind[eq]:LARGE,not(flag[is]:NULL)))",
     {"or": [{"size": {"eq": 10}}, {"and": [{"kind": {"eq": "LARGE"}}, {"not": {"flag": {"is": "NULL"}}}]}]},
     ["alpha", "beta", "epsilon"]),
    ("not(name[startsWith]:a)", {"not": {"name": {"startsWith": "a"}}}, ["beta", "delta", "epsilon", "gamma"]),
    ('name[like]:"%a"', {"name": {"like": "%a"}}, ["alpha", "beta", "delta", "gamma"]),
    ("name[endsWith]:ta", {"name": {"endsWith": "ta"}}, ["beta", "delta"]),
    ("companyId[is]:NOT_NULL", {"companyId": {"is": "NOT_NULL"}}, ["alpha", "delta"]),
    ("company.name[eq]:Acme", {"company": {"name": {"eq": "Acme"}}}, ["alpha", "delta"]),
]


@pytest.mark.parametrize(("text", "graphql_filter", "expected"), FILTER_CASES, ids=[c[0] for c in FILTER_CASES])
async def test_filter(
    gateway: GatewayUnderTest, world: dict[str, Any], text: str, graphql_filter: dict[str, Any], expected: list[str]
) -> None:
    by_name = [{"name": "AscNullsFirst"}]
    names = await rest_and_graphql(
        gateway, {"filter": text, "order_by": "name"}, {"filter": graphql_filter, "orderBy": by_name}
    )
    assert names == expected


async def test_filter_by_ids(gateway: GatewayUnderTest, world: dict[str, Any]) -> None:
    ids = [world["gadgets"]["beta"], world["gadgets"]["gamma"]]
    names = await rest_and_graphql(gateway, {"filter": f"id[in]:[{ids[0]},{ids[1].upper()}]", "order_by": "name"},
                                   {"filter": {"id": {"in": ids}}, "orderBy": [{"name": "AscNullsFirst"}]})
    assert names == ["beta", "gamma"]


ORDER_CASES: list[tuple[str, list[dict[str, Any]], list[str] | None]] = [
    ("size[DescNullsLast]", [{"size": "DescNullsLast"}], None),
    ("size[AscNullsFirst],name[DescNullsLast]", [{"size": "AscNullsFirst"}, {"name": "DescNullsLast"}],
     ["gamma", "epsilon", "alpha", "beta", "delta"]),
    ("size,name", [{"size": "AscNullsFirst"}, {"name": "AscNullsFirst"}],
     ["gamma", "alpha", "epsilon", "beta", "delta"]),
    ("owner.lastName[DescNullsFirst]", [{"owner": {"lastName": "DescNullsFirst"}}],
     ["delta", "beta", "alpha", "gamma", "epsilon"]),
    ("kind[AscNullsLast],ratio[DescNullsFirst]", [{"kind": "AscNullsLast"}, {"ratio": "DescNullsFirst"}], None),
    ("price.amountMicros[DescNullsLast]", [{"price": {"amountMicros": "DescNullsLast"}}],
     ["delta", "beta", "alpha", "epsilon", "gamma"]),
    ("at[DescNullsLast]", [{"at": "DescNullsLast"}], ["epsilon", "delta", "beta", "alpha", "gamma"]),
    ("companyId[AscNullsLast],name", [{"companyId": "AscNullsLast"}, {"name": "AscNullsFirst"}],
     ["alpha", "delta", "beta", "epsilon", "gamma"]),
]


@pytest.mark.parametrize(("text", "order_by", "expected"), ORDER_CASES, ids=[c[0] for c in ORDER_CASES])
async def test_order_by(
    gateway: GatewayUnderTest, world: dict[str, Any], text: str, order_by: list[dict[str, Any]],
    expected: list[str] | None,
) -> None:
    names = await rest_and_graphql(gateway, {"order_by": text}, {"orderBy": order_by})
    assert len(names) == len(GADGETS)
    if expected is not None:
        assert names == expected


async def widget_page(gateway: GatewayUnderTest, **params: Any) -> Any:
    return await ok(gateway, "GET", "widgets", **params)


async def test_limit_default_and_clamp(gateway: GatewayUnderTest, world: dict[str, Any]) -> None:
    limits = gateway.app.state.gateway.limits
    page = await widget_page(gateway)
    assert len(page["data"]["widgets"]) == limits.default_page_size == 60
    assert page["totalCount"] == 65
    assert page["pageInfo"]["hasNextPage"] is True and page["pageInfo"]["hasPreviousPage"] is False
    clamped = await widget_page(gateway, limit=str(limits.max_page_size + 1000))
    assert len(clamped["data"]["widgets"]) == 65 and clamped["pageInfo"]["hasNextPage"] is False
    assert len((await widget_page(gateway, limit="7"))["data"]["widgets"]) == 7
    empty = await widget_page(gateway, limit="0")
    assert empty["data"]["widgets"] == [] and empty["totalCount"] == 65


async def test_limit_is_clamped_to_the_max_page(gateway: GatewayUnderTest, world: dict[str, Any]) -> None:
    limit = gateway.app.state.gateway.limits.max_page_size
    page = await ok(gateway, "GET", "widgets", limit="99999999999999999999999")
    assert len(page["data"]["widgets"]) == min(65, limit)


async def test_paging_forward_then_back(gateway: GatewayUnderTest, world: dict[str, Any]) -> None:
    order = "rank[DescNullsLast],name[AscNullsFirst]"
    gql_order = [{"rank": "DescNullsLast"}, {"name": "AscNullsFirst"}]
    everything = [w["name"] for w in (await widget_page(gateway, order_by=order, limit="200"))["data"]["widgets"]]
    assert len(everything) == 65 and everything[:2] == ["w06", "w13"]

    forward: list[list[str]] = []
    page = await widget_page(gateway, order_by=order, limit="20")
    while True:
        forward.append([w["name"] for w in page["data"]["widgets"]])
        assert page["totalCount"] == 65
        fields = selection(page["data"]["widgets"])
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        page = await widget_page(gateway, order_by=order, limit="20", starting_after=after)
        twin = await graphql_page(gateway, "widgets", "Widget", fields, orderBy=gql_order, first=20, after=after)
        assert page == twin
    assert [len(p) for p in forward] == [20, 20, 20, 5]
    assert sum(forward, []) == everything

    backward = [forward[-1]]
    while True:
        before = page["pageInfo"]["startCursor"]
        page = await widget_page(gateway, order_by=order, limit="20", ending_before=before)
        twin = await graphql_page(gateway, "widgets", "Widget", fields, orderBy=gql_order, last=20, before=before)
        assert page == twin and page["totalCount"] == 65
        backward.append([w["name"] for w in page["data"]["widgets"]])
        if not page["pageInfo"]["hasPreviousPage"]:
            break
    assert backward == list(reversed(forward))
    assert backward[-1][0] == everything[0]


async def person_fields(gateway: GatewayUnderTest) -> tuple[set[str], set[str], set[str]]:
    """From /metadata: person's depth-0 field names, its many-to-one and its one-to-many relations."""
    body = await gateway.metadata(
        "query($id: UUID!) { object(id: $id) { fieldsList { name type settings } } }",
        {"id": await object_id(gateway, "person")},
    )
    plain, to_one, to_many = set(), set(), set()
    for field in data(body)["object"]["fieldsList"]:
        relation = (field["settings"] or {}).get("relationType") if field["type"] == "RELATION" else None
        if relation == "MANY_TO_ONE":
            to_one.add(field["name"])
            plain.add(field["name"] + "Id")
        elif relation == "ONE_TO_MANY":
            to_many.add(field["name"])
        else:
            plain.add(field["name"])
    return plain, to_one, to_many


async def test_depth(gateway: GatewayUnderTest, world: dict[str, Any]) -> None:
    acme = world["acme"]
    created = await ok(gateway, "POST", "people", {"name": {"firstName": "Deep"}, "companyId": acme})
    person = created["data"]["createPerson"]
    plain, to_one, to_many = await person_fields(gateway)
    assert set(person) == plain and person["companyId"] == acme

    shallow = (await ok(gateway, "GET", f"people/{person['id']}", depth="0"))["data"]["person"]
    assert shallow == person
    deep = (await ok(gateway, "GET", f"people/{person['id']}", depth="1"))["data"]["person"]
    assert set(deep) == plain | to_one | to_many
    company = (await ok(gateway, "GET", f"companies/{acme}"))["data"]["company"]
    assert deep["company"] == company  # depth-0 fields of the related record
    assert all(isinstance(deep[name], list) for name in to_many)
    assert {k: v for k, v in deep.items() if k in plain} == person

    acme_deep = (await ok(gateway, "GET", f"companies/{acme}", depth="1"))["data"]["company"]
    assert [p["id"] for p in acme_deep["people"]] == [person["id"]]
    assert acme_deep["people"][0] == shallow and "company" not in acme_deep["people"][0]
    assert sorted(g["name"] for g in acme_deep["gadgets"]) == ["alpha", "delta"]
    listed = await ok(gateway, "GET", "companies", depth="1", filter=f"id[eq]:{acme}")
    assert listed["data"]["companies"] == [acme_deep] and listed["totalCount"] == 1

    # Writes answer at the depth asked for too.
    updated = await ok(gateway, "PATCH", f"people/{person['id']}", {"jobTitle": "Diver"}, depth="1")
    assert updated["data"]["updatePerson"]["company"] == company
    gadgets = await ok(gateway, "GET", "gadgets", depth="1", filter="name[eq]:alpha")
    assert gadgets["data"]["gadgets"][0]["company"]["id"] == acme


async def test_depth_one_matches_graphql(gateway: GatewayUnderTest, world: dict[str, Any]) -> None:
    answer = await ok(gateway, "GET", "gadgets", depth="1", order_by="name")
    rows = answer["data"]["gadgets"]
    companies = [r["company"] for r in rows if r["company"] is not None]
    flat = [{k: v for k, v in r.items() if k != "company"} for r in rows]
    fields = f"{selection(flat)} company {{ {selection(companies)} }}"
    twin = await graphql_page(gateway, "gadgets", "Gadget", fields, orderBy=[{"name": "AscNullsFirst"}])
    assert answer == twin


async def test_documents_are_cached_per_shape(gateway: GatewayUnderTest, world: dict[str, Any]) -> None:
    core = await gateway.app.state.gateway.registry.get(gateway.workspace_id)
    await ok(gateway, "GET", "gadgets", limit="1")
    await ok(gateway, "GET", "gadgets", depth="1", limit="1")
    keys = {k for k in core.derived if isinstance(k, tuple) and k[0] == "rest_shim.core"}
    assert ("rest_shim.core", "findMany", "gadget", 0, None) in keys
    assert ("rest_shim.core", "findMany", "gadget", 1, None) in keys
    cached = core.derived[("rest_shim.core", "findMany", "gadget", 0, None)]
    await ok(gateway, "GET", "gadgets", filter="size[gt]:1", order_by="name", limit="2")
    assert core.derived[("rest_shim.core", "findMany", "gadget", 0, None)] is cached


async def test_new_fields_show_up_at_once(gateway: GatewayUnderTest, world: dict[str, Any]) -> None:
    thing = await create_object(gateway, "thing", "things")
    await ok(gateway, "POST", "things", {"name": "t1"})
    await create_field(gateway, thing, name="weight", type="NUMBER")
    answer = await ok(gateway, "GET", "things", filter="weight[is]:NULL")
    assert answer["data"]["things"][0]["weight"] is None
    status, message = await fails(gateway, "GET", "things", filter="height[eq]:1")
    assert status == 400 and "field 'height' does not exist in 'thing' object" in message
