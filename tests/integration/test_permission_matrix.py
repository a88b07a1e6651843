"""The permission matrix of issue 14: every operation × every kind of rule (object, field, row,
flag), over GraphQL and over REST — the allowed key succeeds; the denied one gets Twenty's
answer and changes nothing (a filtered-out row is invisible, not forbidden).

Operations: read (many, one), count, create, update, soft delete, restore, destroy, a relation
traversed from either side, a nested connect, a bulk update and an upsert (and groupBy and
aggregates where this build serves them: `test_permission_matrix_aggregates`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.conformance.role_factories import (
    api_key_with_role,
    create_one_role,
    field_id,
    object_ids,
    upsert_field_permissions,
    upsert_object_permissions,
    upsert_row_level_permission_predicates,
)
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data
from tests.integration.permission_matrix import APIS, GRAPHQL, Api, Outcome, snapshot

ALL = {"canReadAllObjectRecords": True, "canUpdateAllObjectRecords": True, "canSoftDeleteAllObjectRecords": True,
       "canDestroyAllObjectRecords": True}
Ctx = dict[str, Any]


async def role_key(gateway: GatewayUnderTest, label: str, person: dict[str, bool] | None = None,
                   company: dict[str, bool] | None = None) -> dict[str, str]:
    made, errors = await create_one_role(gateway, {"label": label, **ALL}, "id")
    assert errors is None, errors
    role_id = made["createOneRole"]["id"]
    ids = await object_ids(gateway)
    grants = [{"objectMetadataId": ids[name], **{f"can{k}ObjectRecords": v for k, v in rights.items()}}
              for name, rights in (("person", person), ("company", company)) if rights is not None]
    if grants:
        _, errors = await upsert_object_permissions(gateway, role_id, grants)
        assert errors is None, errors
    return {"role": role_id, "token": await api_key_with_role(gateway, role_id, label)}


READ_ONLY = {"Read": True, "Update": False, "SoftDelete": False, "Destroy": False}
NOTHING = {"Read": False, "Update": False, "SoftDelete": False, "Destroy": False}


@pytest.fixture(scope="module")
async def ctx(gateway: GatewayUnderTest) -> Ctx:
    visible = data(await gateway.graphql('mutation { createCompany(data: {name: "Visible Co"}) { id } }'))
    hidden = data(await gateway.graphql('mutation { createCompany(data: {name: "Hidden Co"}) { id } }'))
    ids = await object_ids(gateway)
    roles = {
        "writer": await role_key(gateway, "Writer"),
        "reader": await role_key(gateway, "Reader", person=READ_ONLY),
        "blind": await role_key(gateway, "Blind", person=NOTHING),
        "no_company": await role_key(gateway, "NoCompany", company=NOTHING),
        "fields": await role_key(gateway, "Fields"),
        "rows": await role_key(gateway, "Rows"),
        "company_rows": await role_key(gateway, "CompanyRows"),
    }
    await upsert_field_permissions(gateway, roles["fields"]["role"], [
        {"objectMetadataId": ids["person"], "fieldMetadataId": await field_id(gateway, "person", "jobTitle"),
         "canReadFieldValue": False},
        {"objectMetadataId": ids["person"], "fieldMetadataId": await field_id(gateway, "person", "city"),
         "canUpdateFieldValue": False},
    ])
    for obj, field, value in (("person", "jobTitle", "visible"), ("company", "name", "Visible")):
        _, errors = await upsert_row_level_permission_predicates(gateway, {
            "roleId": roles["rows"]["role"], "objectMetadataId": ids[obj], "predicateGroups": [],
            "predicates": [{"fieldMetadataId": await field_id(gateway, obj, field), "operand": "CONTAINS",
                            "value": value}]})
        assert errors is None, errors
    _, errors = await upsert_row_level_permission_predicates(gateway, {  # rows on the related object alone
        "roleId": roles["company_rows"]["role"], "objectMetadataId": ids["company"], "predicateGroups": [],
        "predicates": [{"fieldMetadataId": await field_id(gateway, "company", "name"), "operand": "CONTAINS",
                        "value": "Visible"}]})
    assert errors is None, errors
    return {"visibleCompany": visible["createCompany"]["id"], "hiddenCompany": hidden["createCompany"]["id"],
            **{name: r["token"] for name, r in roles.items()}}


async def person(gateway: GatewayUnderTest, job_title: str, company: str | None = None, trashed: bool = False) -> str:
    values = {"jobTitle": job_title, "city": "Paris", **({"companyId": company} if company else {})}
    made = data(await gateway.graphql("mutation($d: PersonCreateInput!) { createPerson(data: $d) { id } }",
                                      {"d": values}))["createPerson"]["id"]
    if trashed:
        data(await gateway.graphql("mutation($id: UUID!) { deletePerson(id: $id) { id } }", {"id": made}))
    return str(made)


async def refused_unchanged(
    gateway: GatewayUnderTest, call: Callable[[], Awaitable[Outcome]], *codes: str
) -> Outcome:
    """The call fails with one of `codes` and no stored person or company changes."""
    before = await snapshot(gateway, "person", "company")
    outcome = await call()
    assert not outcome.ok and outcome.code in codes, outcome
    assert await snapshot(gateway, "person", "company") == before
    return outcome


# ---- object rules ------------------------------------------------------------------------------


@pytest.mark.parametrize("api", APIS)
async def test_object_reads(gateway: GatewayUnderTest, ctx: Ctx, api: str) -> None:
    someone = await person(gateway, "a reader reads")
    reader, blind = Api(gateway, api, ctx["reader"]), Api(gateway, api, ctx["blind"])
    assert someone in {p["id"] for p in (await reader.find_many()).value}
    assert (await reader.find_one(someone)).value["id"] == someone
    assert (await reader.count()).value >= 1
    for call in (blind.find_many, blind.count, lambda: blind.find_one(someone)):
        await refused_unchanged(gateway, call, "FORBIDDEN")


@pytest.mark.parametrize("api", APIS)
async def test_object_writes(gateway: GatewayUnderTest, ctx: Ctx, api: str) -> None:
    writer, reader = Api(gateway, api, ctx["writer"]), Api(gateway, api, ctx["reader"])
    target = await person(gateway, "written")
    trashed = await person(gateway, "trashed", trashed=True)
    doomed = await person(gateway, "doomed")
    denied: list[Callable[[], Awaitable[Outcome]]] = [
        lambda: reader.create({"jobTitle": "new"}),
        lambda: reader.update(target, {"jobTitle": "changed"}),
        lambda: reader.bulk_update({"id": {"eq": target}}, {"jobTitle": "changed"}),
        lambda: reader.upsert([{"id": target, "jobTitle": "changed"}]),
        lambda: reader.connect(ctx["visibleCompany"], "connected"),
        lambda: reader.soft_delete(target),
        lambda: reader.restore(trashed),
        lambda: reader.destroy(doomed),
    ]
    for call in denied:
        await refused_unchanged(gateway, call, "FORBIDDEN")
    assert (await writer.create({"jobTitle": "new"})).ok
    assert (await writer.update(target, {"jobTitle": "changed"})).value["jobTitle"] == "changed"
    assert (await writer.bulk_update({"id": {"eq": target}}, {"jobTitle": "bulk"})).value[0]["jobTitle"] == "bulk"
    assert (await writer.upsert([{"id": target, "jobTitle": "upserted"}])).value[0]["jobTitle"] == "upserted"
    assert (await writer.connect(ctx["visibleCompany"], "connected")).value["companyId"] == ctx["visibleCompany"]
    assert (await writer.soft_delete(target)).ok
    assert (await writer.restore(trashed)).ok
    assert (await writer.destroy(doomed)).ok


@pytest.mark.parametrize("api", APIS)
async def test_object_relations_both_ways(gateway: GatewayUnderTest, ctx: Ctx, api: str) -> None:
    someone = await person(gateway, "employee", ctx["visibleCompany"])
    writer = Api(gateway, api, ctx["writer"])
    assert (await writer.person_with_company(someone)).value["company"]["id"] == ctx["visibleCompany"]
    assert someone in {p["id"] for p in (await writer.company_with_people(ctx["visibleCompany"])).value["people"]}
    no_company, blind = Api(gateway, api, ctx["no_company"]), Api(gateway, api, ctx["blind"])
    if api == GRAPHQL:  # Twenty's answer: a relation to an object the role cannot read is refused
        await refused_unchanged(gateway, lambda: no_company.person_with_company(someone), "FORBIDDEN")
        await refused_unchanged(gateway, lambda: blind.company_with_people(ctx["visibleCompany"]), "FORBIDDEN")
    else:  # REST answers without it, as Twenty's REST leaves out what the role may not read
        answer = (await no_company.person_with_company(someone)).value
        assert answer["id"] == someone and "company" not in answer and answer["companyId"] == ctx["visibleCompany"]
        company = (await blind.company_with_people(ctx["visibleCompany"])).value
        assert company["id"] == ctx["visibleCompany"] and "people" not in company


# ---- field rules -------------------------------------------------------------------------------


@pytest.mark.parametrize("api", APIS)
async def test_field_reads(gateway: GatewayUnderTest, ctx: Ctx, api: str) -> None:
    someone = await person(gateway, "secret title", ctx["visibleCompany"])
    fields = Api(gateway, api, ctx["fields"])
    if api == GRAPHQL:
        await refused_unchanged(gateway, lambda: fields.find_many("id jobTitle"), "FORBIDDEN")
        await refused_unchanged(gateway, lambda: fields.find_one(someone, "id jobTitle"), "FORBIDDEN")
        await refused_unchanged(gateway, lambda: fields.company_with_people(ctx["visibleCompany"], "id jobTitle"),
                                "FORBIDDEN")
        found = await fields.find_one(someone, "id city")
        assert found.value == {"id": someone, "city": "Paris"}
    else:
        found = await fields.find_one(someone)
        assert found.value["id"] == someone and found.value["city"] == "Paris" and "jobTitle" not in found.value
        listed = await fields.find_many()
        assert listed.ok and all("jobTitle" not in p for p in listed.value)
        company = (await fields.company_with_people(ctx["visibleCompany"])).value
        assert all("jobTitle" not in p for p in company["people"])
    # filtering by a field is reading it
    await refused_unchanged(gateway, lambda: fields.find_many("id", {"jobTitle": {"eq": "secret title"}}),
                            "FORBIDDEN", "BAD_USER_INPUT")
    await refused_unchanged(gateway, lambda: fields.count({"jobTitle": {"eq": "secret title"}}),
                            "FORBIDDEN", "BAD_USER_INPUT")


@pytest.mark.parametrize("api", APIS)
async def test_field_writes(gateway: GatewayUnderTest, ctx: Ctx, api: str) -> None:
    target = await person(gateway, "target")
    fields = Api(gateway, api, ctx["fields"])
    field_refusals = ("FORBIDDEN",) if api == GRAPHQL else ("BAD_USER_INPUT",)  # REST: Twenty's 400
    for call in (
        lambda: fields.create({"city": "Lyon"}, "id"),
        lambda: fields.update(target, {"city": "Lyon"}, "id"),
        lambda: fields.bulk_update({"id": {"eq": target}}, {"city": "Lyon"}, "id"),
        lambda: fields.upsert([{"id": target, "city": "Lyon"}], "id"),
    ):
        await refused_unchanged(gateway, call, *field_refusals)
    assert (await fields.update(target, {"name": {"firstName": "Ada"}}, "id")).ok
    assert (await fields.create({"name": {"firstName": "Grace"}}, "id")).ok
    assert (await fields.soft_delete(target)).ok and (await fields.restore(target)).ok
    assert (await fields.destroy(target)).ok


# ---- row rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize("api", APIS)
async def test_row_reads(gateway: GatewayUnderTest, ctx: Ctx, api: str) -> None:
    shown = await person(gateway, "visible reader", ctx["hiddenCompany"])
    kept = await person(gateway, "kept away", ctx["visibleCompany"])
    rows = Api(gateway, api, ctx["rows"])
    listed = {p["id"] for p in (await rows.find_many()).value}
    assert shown in listed and kept not in listed
    everyone = data(await gateway.graphql("{ people { totalCount } }"))["people"]["totalCount"]
    visible = data(await gateway.graphql('{ people(filter: {jobTitle: {ilike: "%visible%"}}) { totalCount } }'))
    assert (await rows.count()).value == visible["people"]["totalCount"] < everyone
    assert (await rows.find_one(shown)).value["id"] == shown
    await refused_unchanged(gateway, lambda: rows.find_one(kept), "NOT_FOUND")
    # relations, both ways: a related record outside the rows is not there
    related = (await rows.person_with_company(shown)).value
    assert related.get("company") is None  # its company is outside the company rows
    company = (await rows.company_with_people(ctx["visibleCompany"])).value
    assert kept not in {p["id"] for p in company["people"]}


@pytest.mark.parametrize("api", APIS)
async def test_rows_of_the_related_object_alone_hold_for_a_record_read_by_id(
    gateway: GatewayUnderTest, ctx: Ctx, api: str
) -> None:
    """A person every role sees, read by id with its company: a company outside the rows is not
    there (reads by id join their to-one relations in one command, except for such roles)."""
    rows = Api(gateway, api, ctx["company_rows"])
    inside = await person(gateway, "any", ctx["visibleCompany"])
    outside = await person(gateway, "any", ctx["hiddenCompany"])
    assert (await rows.person_with_company(inside)).value["company"]["id"] == ctx["visibleCompany"]
    assert (await rows.person_with_company(outside)).value.get("company") is None


@pytest.mark.parametrize("api", APIS)
async def test_row_writes(gateway: GatewayUnderTest, ctx: Ctx, api: str) -> None:
    rows = Api(gateway, api, ctx["rows"])
    mine = await person(gateway, "visible writer")
    theirs = await person(gateway, "not yours")
    trashed = await person(gateway, "not yours either", trashed=True)
    for call in (
        lambda: rows.update(theirs, {"city": "Lyon"}),
        lambda: rows.soft_delete(theirs),
        lambda: rows.restore(trashed),
        lambda: rows.destroy(theirs),
    ):
        await refused_unchanged(gateway, call, "NOT_FOUND")
    # a write that would put a record outside the rows is refused whole (Twenty's RLS_VALIDATION_FAILED)
    await refused_unchanged(gateway, lambda: rows.create({"jobTitle": "outside"}), "BAD_USER_INPUT")
    await refused_unchanged(gateway, lambda: rows.update(mine, {"jobTitle": "moved out"}), "BAD_USER_INPUT")
    await refused_unchanged(gateway, lambda: rows.upsert([{"jobTitle": "visible too"}, {"jobTitle": "outside"}]),
                            "BAD_USER_INPUT")
    # an id taken by a record outside the rows: Twenty's duplicate-entry refusal (400), nothing changed
    await refused_unchanged(gateway, lambda: rows.upsert([{"id": theirs, "jobTitle": "visible now"}]),
                            "BAD_USER_INPUT")
    await refused_unchanged(gateway, lambda: rows.connect(ctx["hiddenCompany"], "visible link"), "BAD_USER_INPUT")
    # a bulk write acts on the rows of its filter that the role sees, and on no other
    before = await snapshot(gateway, "person")
    changed = await rows.bulk_update({"id": {"in": [mine, theirs]}}, {"city": "Nice"})
    assert [p["id"] for p in changed.value] == [mine]
    after = {d["_id"]: d for d in (await snapshot(gateway, "person"))[0]}
    assert after[theirs] == next(d for d in before[0] if d["_id"] == theirs)
    assert (await rows.create({"jobTitle": "visible new"})).ok
    assert (await rows.connect(ctx["visibleCompany"], "visible link")).ok
    assert (await rows.soft_delete(mine)).ok and (await rows.restore(mine)).ok and (await rows.destroy(mine)).ok


# ---- permission flags (the Metadata API) -------------------------------------------------------


FLAGGED: list[tuple[str, str, dict[str, Any], str, str, Any]] = [
    ("DATA_MODEL", "mutation($o: CreateObjectInput!) { createOneObject(input: {object: $o}) { id } }",
     {"o": {"nameSingular": "gadget", "namePlural": "gadgets", "labelSingular": "Gadget", "labelPlural": "Gadgets"}},
     "POST", "objects",
     {"nameSingular": "widget", "namePlural": "widgets", "labelSingular": "Widget", "labelPlural": "Widgets"}),
    ("API_KEYS_AND_WEBHOOKS", "mutation($w: CreateWebhookInput!) { createWebhook(input: $w) { id } }",
     {"w": {"targetUrl": "https://example.com/hook"}}, "POST", "webhooks", {"targetUrl": "https://example.com/h2"}),
    ("API_KEYS_AND_WEBHOOKS", "{ apiKeys { id } }", {}, "GET", "apiKeys", None),
    ("ROLES", "{ getRoles { id } }", {}, "GET", "roles", None),
]


@pytest.mark.parametrize(("flag", "query", "variables", "method", "path", "body"), FLAGGED,
                         ids=[f"{f[0]}-{f[4]}" for f in FLAGGED])
@pytest.mark.parametrize("api", APIS)
async def test_flags(
    gateway: GatewayUnderTest, ctx: Ctx, api: str, flag: str, query: str, variables: dict[str, Any], method: str,
    path: str, body: Any,
) -> None:
    holder, errors = await create_one_role(gateway, {"label": f"{flag}-{path}-{api}", **ALL}, "id")
    role_id = holder["createOneRole"]["id"]
    await gateway.metadata("mutation($r: UUID!, $k: [String!]!) { upsertPermissionFlags(upsertPermissionFlagsInput:"
                           " {roleId: $r, permissionFlagKeys: $k}) { id } }", {"r": role_id, "k": [flag]})
    allowed = await api_key_with_role(gateway, role_id, "flagged")
    denied = ctx["writer"]  # every record, but no permission flag

    async def attempt(token: str) -> tuple[bool, str | None]:
        if api == GRAPHQL:
            response = await gateway.client.post("/metadata", json={"query": query, "variables": variables},
                                                 headers={"Authorization": f"Bearer {token}"})
            answer = response.json()
            return not answer.get("errors"), (answer.get("errors") or [{}])[0].get("extensions", {}).get("code")
        response = await gateway.client.request(method, f"/rest/metadata/{path}", json=body,
                                                headers={"Authorization": f"Bearer {token}"})
        return response.status_code < 400, None if response.status_code < 400 else str(response.status_code)

    control = gateway.db.control
    before = [await control[c].count_documents({}) for c in ("objectMetadata", "webhooks")]
    assert await attempt(denied) == (False, "FORBIDDEN" if api == GRAPHQL else "403")
    assert [await control[c].count_documents({}) for c in ("objectMetadata", "webhooks")] == before
    assert await attempt(allowed) == (True, None)

