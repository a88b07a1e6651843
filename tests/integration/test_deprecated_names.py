"""Older Twenty names of standard fields answer as the current ones, over the same stored
value, deprecated in the schema (`@deprecated(reason: …)`, `isDeprecated` in introspection):
company.annualRecurringRevenue (now annualRevenue), noteTarget/taskTarget person, company,
opportunity and their join columns (now targetPerson, targetPersonId, …).
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLInputObjectType

from gateway.mcp.json_schema import SchemaWriter
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data, error, object_id
from tests.rest_shim.core_rest_helpers import fails, ok

INTROSPECT = """query($t: String!) { __type(name: $t) {
  fields(includeDeprecated: true) { name isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } } }"""


async def members(gateway: GatewayUnderTest, type_name: str) -> dict[str, dict[str, Any]]:
    found = data(await gateway.graphql(INTROSPECT, {"t": type_name}))["__type"]
    return {m["name"]: m for m in (found["fields"] or found["inputFields"] or [])}


async def test_old_names_are_deprecated_in_introspection_and_sdl(gateway: GatewayUnderTest) -> None:
    company = await members(gateway, "Company")
    assert company["annualRecurringRevenue"]["isDeprecated"] is True
    assert "annualRevenue" in company["annualRecurringRevenue"]["deprecationReason"]
    assert company["annualRevenue"]["isDeprecated"] is False
    for type_name in ("CompanyCreateInput", "CompanyUpdateInput", "CompanyFilterInput", "CompanyOrderByInput"):
        assert (await members(gateway, type_name))["annualRecurringRevenue"]["isDeprecated"] is True, type_name
    target = await members(gateway, "NoteTarget")
    for old, new in (("person", "targetPerson"), ("personId", "targetPersonId"), ("companyId", "targetCompanyId"),
                     ("opportunity", "targetOpportunity")):
        assert target[old]["isDeprecated"] is True and target[new]["isDeprecated"] is False
    assert (await members(gateway, "TaskTargetCreateInput"))["personId"]["isDeprecated"] is True
    sdl = (await gateway.client.get("/graphql?sdl", headers=gateway.headers)).text
    assert '  annualRecurringRevenue: Currency @deprecated(reason: "Renamed annualRevenue in Twenty' in sdl
    assert "  personId: UUID @deprecated(reason:" in sdl


async def test_either_name_writes_reads_filters_and_orders_the_same_value(gateway: GatewayUnderTest) -> None:
    old = data(await gateway.graphql(
        'mutation { createCompany(data: {name: "Old client", annualRecurringRevenue: {amountMicros: 7000000, '
        'currencyCode: "EUR"}}) { id annualRevenue { amountMicros } annualRecurringRevenue { currencyCode } } }'
    ))["createCompany"]
    assert old["annualRevenue"] == {"amountMicros": 7000000}
    assert old["annualRecurringRevenue"] == {"currencyCode": "EUR"}
    new = data(await gateway.graphql(
        'mutation { createCompany(data: {name: "New client", annualRevenue: {amountMicros: 9000000}}) '
        "{ id annualRecurringRevenue { amountMicros } } }"
    ))["createCompany"]
    assert new["annualRecurringRevenue"] == {"amountMicros": 9000000}
    for name in ("annualRevenue", "annualRecurringRevenue"):
        found = data(await gateway.graphql(
            f"{{ companies(filter: {{{name}: {{amountMicros: {{gte: 7000000}}}}}}, "
            f"orderBy: [{{{name}: {{amountMicros: DescNullsLast}}}}]) {{ edges {{ node {{ id }} }} }} }}"
        ))["companies"]["edges"]
        assert [e["node"]["id"] for e in found] == [new["id"], old["id"]], name
    updated = data(await gateway.graphql(
        "mutation($i: UUID!) { updateCompany(id: $i, data: {annualRecurringRevenue: {amountMicros: 1}}) "
        "{ annualRevenue { amountMicros currencyCode } } }", {"i": old["id"]}
    ))["updateCompany"]
    assert updated["annualRevenue"] == {"amountMicros": 1, "currencyCode": "EUR"}  # merged into the same value


async def test_both_names_at_once_are_refused_like_a_relation_and_its_id(gateway: GatewayUnderTest) -> None:
    both = error(await gateway.graphql(
        'mutation { createCompany(data: {annualRevenue: {amountMicros: 1}, annualRecurringRevenue: '
        "{amountMicros: 2}}) { id } }"
    ))
    assert both["message"] == "annualRevenue and annualRecurringRevenue cannot be both provided."
    assert both["extensions"]["code"] == "BAD_USER_INPUT"
    company = data(await gateway.graphql('mutation { createCompany(data: {name: "Pair"}) { id } }'))["createCompany"]
    relation = error(await gateway.graphql(
        "mutation($c: UUID!) { createPerson(data: {companyId: $c, company: {connect: {where: {id: $c}}}}) { id } }",
        {"c": company["id"]},
    ))
    assert relation["message"] == "company and companyId cannot be both provided."  # Twenty's words
    status, message = await fails(gateway, "POST", "people", {"company": {"connect": {"where": {"id": company["id"]}}},
                                                              "companyId": company["id"]})
    assert status == 400 and "cannot be both provided." in message


async def test_old_target_names_make_and_find_note_targets(gateway: GatewayUnderTest) -> None:
    person = data(await gateway.graphql('mutation { createPerson(data: {name: {firstName: "Old"}}) { id } }'))
    person_id = person["createPerson"]["id"]
    note = data(await gateway.graphql('mutation { createNote(data: {title: "old style"}) { id } }'))["createNote"]
    target = data(await gateway.graphql(
        "mutation($n: UUID!, $p: UUID!) { createNoteTarget(data: {noteId: $n, personId: $p}) "
        "{ id targetPersonId personId person { id } targetPerson { id } } }",
        {"n": note["id"], "p": person_id},
    ))["createNoteTarget"]
    assert target["targetPersonId"] == target["personId"] == target["person"]["id"] == person_id
    for name in ("personId", "targetPersonId"):
        found = data(await gateway.graphql(
            f"query($p: UUID!) {{ noteTargets(filter: {{{name}: {{eq: $p}}}}) {{ edges {{ node {{ id }} }} }} }}",
            {"p": person_id},
        ))["noteTargets"]["edges"]
        assert [e["node"]["id"] for e in found] == [target["id"]], name
    nested = data(await gateway.graphql(
        "query($p: UUID!) { person(filter: {id: {eq: $p}}) { noteTargets { edges { node { id personId } } } } }",
        {"p": person_id},
    ))["person"]["noteTargets"]["edges"]
    assert nested == [{"node": {"id": target["id"], "personId": person_id}}]
    by_old_relation = data(await gateway.graphql(
        '{ noteTargets(filter: {person: {name: {firstName: {eq: "Old"}}}}) { edges { node { id } } } }'
    ))["noteTargets"]["edges"]
    assert [e["node"]["id"] for e in by_old_relation] == [target["id"]]


async def test_rest_answers_and_takes_both_names(gateway: GatewayUnderTest) -> None:
    body = await ok(gateway, "POST", "companies", {"name": "Rest old", "annualRecurringRevenue": {"amountMicros": 5}})
    created = body["data"]["createCompany"]
    assert created["annualRevenue"]["amountMicros"] == created["annualRecurringRevenue"]["amountMicros"] == 5
    read = (await ok(gateway, "GET", f"companies/{created['id']}"))["data"]["company"]
    assert read["annualRevenue"] == read["annualRecurringRevenue"]
    schema = (await gateway.client.get("/rest/open-api/core", headers=gateway.headers)).json()
    old = schema["components"]["schemas"]["CompanyForResponse"]["properties"]["annualRecurringRevenue"]
    assert old["deprecated"] is True


def problems(body: dict[str, Any]) -> str:
    """The messages of a refused metadata change (Twenty's METADATA_VALIDATION_FAILED details)."""
    found = error(body)["extensions"]["errors"]["fieldMetadata"][0]["errors"]
    return " ".join(p["message"] for p in found)


async def test_an_old_name_cannot_be_taken_by_a_new_field(gateway: GatewayUnderTest) -> None:
    company = await object_id(gateway, "company")
    body = await gateway.metadata(
        "mutation($f: CreateFieldInput!) { createOneField(input: {field: $f}) { id } }",
        {"f": {"objectMetadataId": company, "type": "TEXT", "name": "annualRecurringRevenue", "label": "ARR"}},
    )
    assert "already" in problems(body)
    target = await object_id(gateway, "noteTarget")
    body = await gateway.metadata(
        "mutation($f: CreateFieldInput!) { createOneField(input: {field: $f}) { id } }",
        {"f": {"objectMetadataId": target, "type": "TEXT", "name": "personId", "label": "Person id"}},
    )
    assert "already" in problems(body)


async def test_mcp_tool_schemas_mark_old_names_deprecated(gateway: GatewayUnderTest) -> None:
    core = await gateway.app.state.gateway.registry.get(gateway.workspace_id)
    create_input = core.schema.type_map["CompanyCreateInput"]
    assert isinstance(create_input, GraphQLInputObjectType)
    properties = SchemaWriter().object(create_input)["properties"]
    assert properties["annualRecurringRevenue"]["deprecated"] is True
    assert "deprecated" not in properties["annualRevenue"]
