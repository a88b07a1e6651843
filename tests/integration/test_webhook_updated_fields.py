"""Webhook events name in `updatedFields` the fields whose value changed, not the keys a
client sent; maintained fields (updatedAt, updatedBy, searchVector) are not reported."""

from __future__ import annotations

from tests.conftest import GatewayUnderTest
from tests.integration.events import Events, quiet
from tests.integration.helpers import data

__all__ = ["quiet"]


async def test_updated_fields_are_the_changed_ones(quiet: GatewayUnderTest) -> None:
    events = Events(quiet)
    person = data(await quiet.graphql(
        'mutation { createPerson(data: {name: {firstName: "Ada", lastName: "L"}, jobTitle: "Analyst", '
        'emails: {primaryEmail: "uf@example.com"}}) { id } }'
    ))["createPerson"]["id"]
    await events.mark()
    data(await quiet.graphql(
        'mutation($i: UUID!) { updatePerson(id: $i, data: {jobTitle: "Analyst", city: "London", '
        'name: {firstName: "Ada"}}) { id } }', {"i": person}
    ))
    [event] = await events.since_mark()
    assert event["eventName"] == "person.updated" and event["updatedFields"] == ["city"]
    data(await quiet.graphql(
        'mutation { updatePeople(filter: {city: {eq: "London"}}, data: {name: {lastName: "Lovelace"}}) { id } }'
    ))
    [event] = await events.since_mark()
    assert event["updatedFields"] == ["name"] and event["record"]["name"]["lastName"] == "Lovelace"
    data(await quiet.graphql(
        'mutation { createPerson(upsert: true, data: {emails: {primaryEmail: "uf@example.com"}, '
        'jobTitle: "Countess"}) { id } }'
    ))
    [event] = await events.since_mark()
    assert event["eventName"] == "person.upserted" and event["updatedFields"] == ["jobTitle"]
    data(await quiet.graphql(
        'mutation { createPerson(upsert: true, data: {emails: {primaryEmail: "new@example.com"}, city: "Paris"}) '
        "{ id } }"
    ))
    [event] = await events.since_mark()  # a record the upsert made: the fields it was given
    assert event["eventName"] == "person.upserted" and event["updatedFields"] == ["emails", "city"]


async def test_an_old_name_changed_is_reported_under_both_names(quiet: GatewayUnderTest) -> None:
    events = Events(quiet)
    company = data(await quiet.graphql('mutation { createCompany(data: {name: "Rev"}) { id } }'))["createCompany"]
    await events.mark()
    data(await quiet.graphql(
        "mutation($i: UUID!) { updateCompany(id: $i, data: {annualRecurringRevenue: {amountMicros: 3}}) { id } }",
        {"i": company["id"]},
    ))
    [event] = await events.since_mark()
    assert event["updatedFields"] == ["annualRevenue", "annualRecurringRevenue"]
    assert event["record"]["annualRecurringRevenue"] == event["record"]["annualRevenue"]
