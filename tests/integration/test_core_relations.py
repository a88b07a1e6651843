"""Relations both ways, writes through relations, and one query per relation level."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pymongo import monitoring

from gateway.app import create_app
from gateway.db import open_database
from gateway.workspaces import create_workspace
from tests.conftest import GatewayUnderTest, gateway_settings
from tests.integration.helpers import data, error

READS = {"find", "aggregate", "count", "getMore"}


class CommandCounter(monitoring.CommandListener):
    """Counts the read commands the driver sends to a workspace database."""

    def __init__(self) -> None:
        self.commands: list[tuple[str, str]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in READS and "_" in event.database_name:
            self.commands.append((event.command_name, str(event.command.get(event.command_name))))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@pytest.fixture(scope="module")
async def counted(mongo_uri: str, db_prefix: str) -> AsyncIterator[tuple[GatewayUnderTest, CommandCounter]]:
    counter = CommandCounter()
    settings = gateway_settings(mongo_uri, db_prefix + "c")
    db = open_database(settings, listeners=[counter])
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        workspace, token = await create_workspace(db, "counted")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docgate") as client:
            yield GatewayUnderTest(client, app, db, workspace["_id"], token), counter
    await db.close()


async def seed(gateway: GatewayUnderTest, companies: int, people_each: int) -> list[str]:
    made = data(await gateway.graphql(
        "mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }",
        {"d": [{"name": f"company{i:02}", "domainName": {"primaryLinkUrl": f"https://c{i}.example"}}
               for i in range(companies)]},
    ))["createCompanies"]
    ids = [c["id"] for c in made]
    people = [{"name": {"firstName": f"p{i:02}-{j:02}"}, "companyId": cid}
              for i, cid in enumerate(ids) for j in range(people_each)]
    for start in range(0, len(people), 60):
        data(await gateway.graphql("mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }",
                                   {"d": people[start:start + 60]}))
    return ids


async def test_one_query_per_relation_level_whatever_the_page_size(
    counted: tuple[GatewayUnderTest, CommandCounter],
) -> None:
    gateway, counter = counted
    await seed(gateway, companies=12, people_each=5)
    for size in (5, 50):
        counter.commands.clear()
        body = await gateway.graphql(
            "query($n: Int) { people(first: $n) { edges { node { name { firstName } company { name } } } } }",
            {"n": size},
        )
        edges = data(body)["people"]["edges"]
        assert len(edges) == size
        assert all(e["node"]["company"]["name"].startswith("company") for e in edges)
        assert len(counter.commands) == 2, counter.commands  # people + their companies

    counter.commands.clear()
    body = await gateway.graphql(
        "{ companies(first: 12) { totalCount edges { node { name people(first: 3) { edges { node {"
        " name { firstName } company { name } } } } } } } }"
    )
    companies = data(body)["companies"]["edges"]
    assert len(companies) == 12
    assert all(len(c["node"]["people"]["edges"]) == 3 for c in companies)
    # companies, their count, people of all companies in one aggregation, those people's companies
    assert len(counter.commands) == 4, counter.commands


async def test_a_page_of_200_with_200_related_records_is_still_one_query_per_level(
    counted: tuple[GatewayUnderTest, CommandCounter],
) -> None:
    """Past the server's default first batch (101 documents), without a getMore round trip."""
    gateway, counter = counted
    made = []
    for start in range(0, 200, 50):
        made += data(await gateway.graphql(
            "mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }",
            {"d": [{"name": f"big{i:03}"} for i in range(start, start + 50)]},
        ))["createCompanies"]
    people = [{"jobTitle": "big page", "companyId": c["id"]} for c in made]
    for start in range(0, 200, 50):
        data(await gateway.graphql("mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }",
                                   {"d": people[start:start + 50]}))
    counter.commands.clear()
    body = await gateway.graphql(
        '{ people(first: 200, filter: {jobTitle: {eq: "big page"}}) { edges { node { company { name } } } } }'
    )
    names = {e["node"]["company"]["name"] for e in data(body)["people"]["edges"]}
    assert len(names) == 200
    assert [name for name, _ in counter.commands] == ["find", "find"], counter.commands


async def test_nested_lists_have_their_own_filter_order_and_cap(gateway: GatewayUnderTest) -> None:
    ids = await seed(gateway, companies=2, people_each=70)
    body = await gateway.graphql(
        "query($id: UUID!) { company(filter: {id: {eq: $id}}) { people { totalCount edges { node { id } } } } }",
        {"id": ids[0]},
    )
    people = data(body)["company"]["people"]
    assert people["totalCount"] == 70 and len(people["edges"]) == 60  # capped per parent
    body = await gateway.graphql(
        "query($id: UUID!) { company(filter: {id: {eq: $id}}) {"
        " people(filter: {name: {firstName: {like: \"%-1%\"}}}, orderBy: [{name: {firstName: DescNullsLast}}],"
        " first: 3) { pageInfo { hasNextPage } edges { node { name { firstName } } } } } }",
        {"id": ids[0]},
    )
    people = data(body)["company"]["people"]
    assert [e["node"]["name"]["firstName"] for e in people["edges"]] == ["p00-19", "p00-18", "p00-17"]
    assert people["pageInfo"]["hasNextPage"] is True


async def test_relation_writes_connect_and_disconnect(gateway: GatewayUnderTest) -> None:
    company = data(await gateway.graphql(
        'mutation { createCompany(data: {name: "Analytical", domainName: {primaryLinkUrl: "https://analytical.example"}})'
        " { id } }"
    ))["createCompany"]["id"]
    person = data(await gateway.graphql(
        'mutation { createPerson(data: {name: {firstName: "Ada"}, emails: {primaryEmail: "ada@analytical.example"},'
        ' company: {connect: {where: {domainName: {primaryLinkUrl: "https://analytical.example"}}}}})'
        " { id companyId company { name } } }"
    ))["createPerson"]
    assert person["companyId"] == company and person["company"] == {"name": "Analytical"}
    by_id = data(await gateway.graphql(
        "mutation($p: UUID!, $c: UUID!) { updatePerson(id: $p, data: {company: {connect: {where: {id: $c}}}})"
        " { companyId } }", {"p": person["id"], "c": company},
    ))["updatePerson"]
    assert by_id["companyId"] == company
    cleared = data(await gateway.graphql(
        "mutation($p: UUID!) { updatePerson(id: $p, data: {company: {disconnect: true}}) "
        "{ companyId company { name } } }",
        {"p": person["id"]},
    ))["updatePerson"]
    assert cleared == {"companyId": None, "company": None}
    again = data(await gateway.graphql(
        "mutation($p: UUID!, $c: UUID) { updatePerson(id: $p, data: {companyId: $c}) { company { name } } }",
        {"p": person["id"], "c": company},
    ))["updatePerson"]
    assert again["company"] == {"name": "Analytical"}

    reverse = data(await gateway.graphql(
        "query($c: UUID!) { company(filter: {id: {eq: $c}}) { people { edges { node { id } } } } }", {"c": company}
    ))["company"]["people"]["edges"]
    assert [e["node"]["id"] for e in reverse] == [person["id"]]


@pytest.mark.parametrize(
    ("data_input", "needle"),
    [
        ({"companyId": "00000000-0000-4000-8000-000000000000"}, "companyId"),
        ({"company": {"connect": {"where": {"domainName": {"primaryLinkUrl": "https://none.example"}}}}}, "company"),
        ({"company": {"connect": {"where": {"id": "00000000-0000-4000-8000-000000000000"}}, "disconnect": True}},
         "disconnect"),
    ],
)
async def test_relation_write_errors(gateway: GatewayUnderTest, data_input: dict[str, Any], needle: str) -> None:
    body = await gateway.graphql("mutation($d: PersonCreateInput!) { createPerson(data: $d) { id } }",
                                 {"d": data_input})
    assert error(body)["extensions"]["code"] == "BAD_USER_INPUT"
    assert needle in error(body)["message"]


async def test_filter_through_a_to_one_relation(gateway: GatewayUnderTest) -> None:
    await gateway.graphql(
        'mutation { createCompany(data: {name: "Acme Corp", '
        'domainName: {primaryLinkUrl: "https://acme.example"}}) { id } }'
    )
    acme = data(await gateway.graphql('{ companies(filter: {name: {eq: "Acme Corp"}}) { edges { node { id } } } }'))
    acme_id = acme["companies"]["edges"][0]["node"]["id"]
    await gateway.graphql("mutation($c: UUID) { createPerson(data: {jobTitle: \"at acme\", companyId: $c}) { id } }",
                          {"c": acme_id})
    body = await gateway.graphql(
        '{ people(filter: {company: {name: {ilike: "%acme%"}}}) { edges { node { jobTitle } } } }'
    )
    assert [e["node"]["jobTitle"] for e in data(body)["people"]["edges"]] == ["at acme"]
    body = await gateway.graphql("query($c: UUID) { people(filter: {companyId: {eq: $c}}) { totalCount } }",
                                 {"c": acme_id})
    assert data(body)["people"]["totalCount"] == 1


async def test_destroying_a_target_clears_the_join_column(gateway: GatewayUnderTest) -> None:
    company = data(await gateway.graphql('mutation { createCompany(data: {name: "Doomed"}) { id } }'))["createCompany"]
    person = data(await gateway.graphql(
        "mutation($c: UUID) { createPerson(data: {companyId: $c}) { id } }", {"c": company["id"]}
    ))["createPerson"]
    await gateway.graphql("mutation($c: UUID!) { destroyCompany(id: $c) { id } }", {"c": company["id"]})
    body = await gateway.graphql("query($p: UUID!) { person(filter: {id: {eq: $p}}) { companyId } }",
                                 {"p": person["id"]})
    assert data(body)["person"] == {"companyId": None}


async def test_fields_selected_through_fragments_are_fetched(gateway: GatewayUnderTest) -> None:
    company = data(await gateway.graphql('mutation { createCompany(data: {name: "Fragmented"}) { id } }'))
    await gateway.graphql("mutation($c: UUID) { createPerson(data: {jobTitle: \"frag\", city: \"Rome\", companyId: $c})"
                          " { id } }", {"c": company["createCompany"]["id"]})
    body = await gateway.graphql(
        "fragment Who on Person { city company { ...Named } } fragment Named on Company { name }"
        ' query { people(filter: {jobTitle: {eq: "frag"}}) { edges { node { jobTitle ...Who'
        " ... on Person { boss: company { id } } } } } }"
    )
    node = data(body)["people"]["edges"][0]["node"]
    assert node == {"jobTitle": "frag", "city": "Rome", "company": {"name": "Fragmented"},
                    "boss": {"id": company["createCompany"]["id"]}}


async def test_a_trashed_record_is_hidden_from_reads_by_id_and_to_one_relations(gateway: GatewayUnderTest) -> None:
    # Reads by id leave the trash check to docgate (see reads.by_id_alone): the answers are the same.
    company = data(await gateway.graphql('mutation { createCompany(data: {name: "Trashed Co"}) { id } }'))
    company_id = company["createCompany"]["id"]
    person = data(await gateway.graphql(
        "mutation($c: UUID) { createPerson(data: {city: \"Trash\", companyId: $c}) { id } }", {"c": company_id}))
    person_id = person["createPerson"]["id"]
    one = "query($id: UUID) { person(filter: {id: {eq: $id}}) { id company { name } } }"
    assert data(await gateway.graphql(one, {"id": person_id}))["person"]["company"] == {"name": "Trashed Co"}
    data(await gateway.graphql("mutation($id: UUID!) { deleteCompany(id: $id) { id } }", {"id": company_id}))
    assert data(await gateway.graphql(one, {"id": person_id}))["person"]["company"] is None
    rest = await gateway.client.get(f"/rest/people/{person_id}?depth=1", headers=gateway.headers)
    assert rest.status_code == 200 and rest.json()["data"]["person"]["company"] is None
    data(await gateway.graphql("mutation($id: UUID!) { deletePerson(id: $id) { id } }", {"id": person_id}))
    gone = await gateway.graphql(one, {"id": person_id})
    assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await gateway.client.get(f"/rest/people/{person_id}", headers=gateway.headers)).status_code == 404
    trashed = "query($id: UUID) { person(filter: {id: {eq: $id}, deletedAt: {is: NOT_NULL}}) { id } }"
    assert data(await gateway.graphql(trashed, {"id": person_id}))["person"]["id"] == person_id


async def test_a_record_by_id_comes_with_its_to_one_relations_in_one_command(
    counted: tuple[GatewayUnderTest, CommandCounter],
) -> None:
    """The relations right under a read by id are joined to it ($lookup); deeper levels and
    lists keep one command per level. Aliases asking the same relation for different fields
    get each their own fields."""
    gateway, counter = counted
    company = data(await gateway.graphql('mutation { createCompany(data: {name: "Joined Co"}) { id } }'))
    company_id = company["createCompany"]["id"]
    person = data(await gateway.graphql(
        'mutation($c: UUID) { createPerson(data: {city: "Join", companyId: $c}) { id } }', {"c": company_id}))
    person_id = person["createPerson"]["id"]
    deal = data(await gateway.graphql(
        'mutation($c: UUID, $p: UUID) { createOpportunity(data: {name: "Joined deal", companyId: $c,'
        " pointOfContactId: $p}) { id } }", {"c": company_id, "p": person_id}))
    deal_id = deal["createOpportunity"]["id"]

    counter.commands.clear()
    body = await gateway.graphql(
        "query($id: UUID) { opportunity(filter: {id: {eq: $id}}) { name company { name }"
        " pointOfContact { city company { id } } } }", {"id": deal_id})
    assert data(body)["opportunity"] == {
        "name": "Joined deal", "company": {"name": "Joined Co"},
        "pointOfContact": {"city": "Join", "company": {"id": company_id}},
    }
    assert [name for name, _ in counter.commands] == ["aggregate", "find"], counter.commands

    counter.commands.clear()
    body = await gateway.graphql(
        "query($id: UUID) { person(filter: {id: {eq: $id}}) { a: company { name } b: company { id }"
        " ...F } } fragment F on Person { company { name } }", {"id": person_id})
    assert data(body)["person"] == {"a": {"name": "Joined Co"}, "b": {"id": company_id},
                                    "company": {"name": "Joined Co"}}

    data(await gateway.graphql("mutation($id: UUID!) { updatePerson(id: $id, data: {companyId: null}) { id } }",
                               {"id": person_id}))
    counter.commands.clear()
    body = await gateway.graphql("query($id: UUID) { person(filter: {id: {eq: $id}}) { city company { name } } }",
                                 {"id": person_id})
    assert data(body)["person"] == {"city": "Join", "company": None}
    assert [name for name, _ in counter.commands] == ["aggregate"], counter.commands
