"""What deleting a record does to the records pointing at it, with an event for each.

Soft delete of a task or note takes its targets to the trash, restore brings back those it
took (not one deleted before on its own), destroy removes them, as Twenty's hooks and
foreign keys do. Destroy applies every relation's onDelete — CASCADE, SET_NULL, RESTRICT —
in the mutation's transaction; a RESTRICT refusal changes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from gateway.app import create_app
from gateway.db import open_database
from gateway.workspaces import create_workspace
from tests.conftest import GatewayUnderTest, gateway_settings
from tests.integration.events import Events, quiet, summary
from tests.integration.helpers import create_field, create_object, data, error, object_id

__all__ = ["quiet"]


async def create(gateway: GatewayUnderTest, singular: str, values: dict[str, Any]) -> str:
    name = singular[:1].upper() + singular[1:]
    body = await gateway.graphql(
        f"mutation($d: {name}CreateInput!) {{ create{name}(data: $d) {{ id }} }}", {"d": values}
    )
    return str(data(body)[f"create{name}"]["id"])


async def ids(gateway: GatewayUnderTest, plural: str, filter: dict[str, Any]) -> list[str]:
    body = await gateway.graphql(f"query {{ {plural}(filter: {to_literal(filter)}) {{ edges {{ node {{ id }} }} }} }}")
    return [e["node"]["id"] for e in data(body)[plural]["edges"]]


def to_literal(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {to_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_literal(v) for v in value) + "]"
    if value in ("NULL", "NOT_NULL"):
        return str(value)
    return f'"{value}"'


async def test_a_task_takes_its_targets_to_the_trash_and_back(quiet: GatewayUnderTest) -> None:
    events = Events(quiet)
    person = await create(quiet, "person", {"name": {"firstName": "Tess"}})
    company = await create(quiet, "company", {"name": "Targeted"})
    task = await create(quiet, "task", {"title": "Call"})
    kept = await create(quiet, "taskTarget", {"taskId": task, "targetPersonId": person})
    gone_before = await create(quiet, "taskTarget", {"taskId": task, "targetCompanyId": company})
    data(await quiet.graphql("mutation($i: UUID!) { deleteTaskTarget(id: $i) { id } }", {"i": gone_before}))
    await events.mark()

    data(await quiet.graphql("mutation($i: UUID!) { deleteTask(id: $i) { id } }", {"i": task}))
    assert await ids(quiet, "taskTargets", {"taskId": {"eq": task}}) == []
    trashed = await ids(quiet, "taskTargets", {"taskId": {"eq": task}, "deletedAt": {"is": "NOT_NULL"}})
    assert sorted(trashed) == sorted([kept, gone_before])
    assert summary(await events.since_mark()) == {("task.deleted", task), ("taskTarget.deleted", kept)}

    data(await quiet.graphql("mutation($i: UUID!) { restoreTask(id: $i) { id } }", {"i": task}))
    assert await ids(quiet, "taskTargets", {"taskId": {"eq": task}}) == [kept]  # not the one deleted before
    assert summary(await events.since_mark()) == {("task.restored", task), ("taskTarget.restored", kept)}

    data(await quiet.graphql("mutation($i: UUID!) { destroyTask(id: $i) { id } }", {"i": task}))
    left = await ids(quiet, "taskTargets", {"taskId": {"eq": task}, "or": [{"deletedAt": {"is": "NULL"}},
                                                                            {"deletedAt": {"is": "NOT_NULL"}}]})
    assert left == []
    assert summary(await events.since_mark()) == {
        ("task.destroyed", task), ("taskTarget.destroyed", kept), ("taskTarget.destroyed", gone_before)
    }


async def test_bulk_delete_of_notes_takes_their_targets_along(quiet: GatewayUnderTest) -> None:
    events = Events(quiet)
    person = await create(quiet, "person", {"name": {"firstName": "Noted"}})
    notes = [await create(quiet, "note", {"title": f"bulk-{i}"}) for i in range(2)]
    targets = [await create(quiet, "noteTarget", {"noteId": n, "targetPersonId": person}) for n in notes]
    await events.mark()
    data(await quiet.graphql('mutation { deleteNotes(filter: {title: {like: "bulk-%"}}) { id } }'))
    person_targets = await ids(quiet, "noteTargets", {"targetPersonId": {"eq": person}})
    assert person_targets == []
    expected = {("note.deleted", n) for n in notes} | {("noteTarget.deleted", t) for t in targets}
    assert summary(await events.since_mark()) == expected
    data(await quiet.graphql('mutation { restoreNotes(filter: {title: {like: "bulk-%"}}) { id } }'))
    assert sorted(await ids(quiet, "noteTargets", {"targetPersonId": {"eq": person}})) == sorted(targets)


async def test_destroying_a_person_applies_each_relation_on_delete(quiet: GatewayUnderTest) -> None:
    events = Events(quiet)
    person = await create(quiet, "person", {"name": {"firstName": "Leaving"}})
    note = await create(quiet, "note", {"title": "about Leaving"})
    target = await create(quiet, "noteTarget", {"noteId": note, "targetPersonId": person})
    deal = await create(quiet, "opportunity", {"name": "Deal", "pointOfContactId": person})
    await events.mark()
    data(await quiet.graphql("mutation($i: UUID!) { destroyPerson(id: $i) { id } }", {"i": person}))
    # noteTarget.targetPerson is CASCADE: the target goes; opportunity.pointOfContact is SET_NULL.
    assert await ids(quiet, "noteTargets", {"id": {"eq": target}}) == []
    deal_now = data(await quiet.graphql(
        "query($i: UUID!) { opportunity(filter: {id: {eq: $i}}) { pointOfContactId name } }", {"i": deal}
    ))["opportunity"]
    assert deal_now == {"pointOfContactId": None, "name": "Deal"}
    assert await ids(quiet, "notes", {"id": {"eq": note}}) == [note]  # the note itself stays
    received = await events.since_mark()
    assert summary(received) == {("person.destroyed", person), ("noteTarget.destroyed", target),
                                 ("opportunity.updated", deal)}
    updated = next(e for e in received if e["eventName"] == "opportunity.updated")
    assert updated["updatedFields"] == ["pointOfContactId"] and updated["record"]["pointOfContactId"] is None


async def relation(gateway: GatewayUnderTest, owner: str, name: str, target: str, on_delete: str) -> None:
    await create_field(gateway, owner, name=name, type="RELATION", relationCreationPayload={
        "type": "MANY_TO_ONE", "targetObjectMetadataId": target, "targetFieldLabel": f"{name} of",
        "targetFieldName": f"{name}Of", "onDelete": on_delete,
    })


async def test_restrict_refuses_the_destroy_and_cascade_follows_chains(quiet: GatewayUnderTest) -> None:
    events = Events(quiet)
    company_id = await object_id(quiet, "company")
    contract = await create_object(quiet, "contract", "contracts")
    line = await create_object(quiet, "lineItem", "lineItems")
    audit = await create_object(quiet, "audit", "audits")
    await relation(quiet, contract, "client", company_id, "CASCADE")
    await relation(quiet, line, "contract", contract, "CASCADE")
    await relation(quiet, audit, "subject", company_id, "RESTRICT")
    company = await create(quiet, "company", {"name": "Chained"})
    contracts = [await create(quiet, "contract", {"name": f"c{i}", "clientId": company}) for i in range(2)]
    lines = [await create(quiet, "lineItem", {"name": f"l{i}", "contractId": contracts[i % 2]}) for i in range(3)]
    check = await create(quiet, "audit", {"name": "open", "subjectId": company})
    await events.mark()

    refused = error(await quiet.graphql("mutation($i: UUID!) { destroyCompany(id: $i) { id } }", {"i": company}))
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"
    assert "RESTRICT" in refused["message"] and "subject" in refused["message"], refused
    assert await ids(quiet, "companies", {"id": {"eq": company}}) == [company]
    assert sorted(await ids(quiet, "lineItems", {"name": {"like": "l%"}})) == sorted(lines)
    assert await events.since_mark() == []  # nothing changed, nothing sent

    data(await quiet.graphql("mutation($i: UUID!) { destroyAudit(id: $i) { id } }", {"i": check}))
    await events.mark()
    data(await quiet.graphql('mutation { destroyCompanies(filter: {name: {eq: "Chained"}}) { id } }'))
    assert await ids(quiet, "contracts", {"name": {"like": "c%"}}) == []
    assert await ids(quiet, "lineItems", {"name": {"like": "l%"}}) == []
    assert summary(await events.since_mark()) == {("company.destroyed", company)} | {
        ("contract.destroyed", c) for c in contracts} | {("lineItem.destroyed", li) for li in lines}


async def test_a_destroy_changing_too_many_related_records_is_refused_whole(mongo_uri: str) -> None:
    """DOCGATE_MAX_CASCADE_RECORDS bounds what one destroy may change; past it, nothing is."""
    settings = gateway_settings(mongo_uri, f"t{uuid.uuid4().hex[:10]}", max_cascade_records=2,
                                webhook_dispatcher=False)
    db = open_database(settings)
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        workspace, token = await create_workspace(db, "capped")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://docgate") as client:
            capped = GatewayUnderTest(client, app, db, workspace["_id"], token)
            company = await create(capped, "company", {"name": "Big"})
            people = [await create(capped, "person", {"companyId": company}) for _ in range(3)]
            refused = error(await capped.graphql("mutation($i: UUID!) { destroyCompany(id: $i) { id } }",
                                                 {"i": company}))
            assert "DOCGATE_MAX_CASCADE_RECORDS" in refused["message"]
            assert sorted(await ids(capped, "people", {"companyId": {"eq": company}})) == sorted(people)
            assert await ids(capped, "companies", {"id": {"eq": company}}) == [company]
    await db.close()
