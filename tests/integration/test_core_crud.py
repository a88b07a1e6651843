"""Every operation of the Core GraphQL API, for a standard object and a custom one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_field, create_object, data, error, object_id

ALL_TYPES_FIELDS: list[dict[str, Any]] = [
    {"name": "title", "type": "TEXT"},
    {"name": "quantity", "type": "NUMBER"},
    {"name": "count", "type": "NUMBER", "settings": {"dataType": "INT"}},
    {"name": "exactTotal", "type": "NUMERIC"},
    {"name": "paid", "type": "BOOLEAN", "defaultValue": False},
    {"name": "issuedAt", "type": "DATE_TIME"},
    {"name": "dueOn", "type": "DATE"},
    {"name": "status", "type": "SELECT", "defaultValue": "'DRAFT'",
     "options": [{"value": "DRAFT", "label": "Draft"}, {"value": "SENT", "label": "Sent"},
                 {"value": "PAID", "label": "Paid"}]},
    {"name": "labels", "type": "MULTI_SELECT",
     "options": [{"value": "URGENT", "label": "Urgent"}, {"value": "EXPORT", "label": "Export"}]},
    {"name": "score", "type": "RATING"},
    {"name": "payload", "type": "RAW_JSON"},
    {"name": "tags", "type": "ARRAY"},
    {"name": "externalId", "type": "UUID"},
    {"name": "contact", "type": "FULL_NAME"},
    {"name": "emails", "type": "EMAILS"},
    {"name": "phones", "type": "PHONES"},
    {"name": "website", "type": "LINKS"},
    {"name": "total", "type": "CURRENCY"},
    {"name": "billingAddress", "type": "ADDRESS"},
    {"name": "notes", "type": "RICH_TEXT_V2"},
    {"name": "attachments", "type": "FILES"},
]

FULL_INVOICE = {
    "title": "INV-1",
    "quantity": 2.5,
    "count": 3,
    "exactTotal": 1234.5,
    "paid": True,
    "issuedAt": "2025-03-01T09:30:00.000Z",
    "dueOn": "2025-04-01",
    "status": "SENT",
    "labels": ["URGENT", "EXPORT"],
    "score": "RATING_4",
    "payload": {"lines": [{"sku": "A", "n": 2}], "ok": True},
    "tags": ["q1", "eu"],
    "externalId": "4e0b6f5a-1c2d-4e8f-9a0b-1c2d3e4f5a6b",
    "contact": {"firstName": "Ada", "lastName": "Lovelace"},
    "emails": {"primaryEmail": "ada@example.com", "additionalEmails": ["a@example.com"]},
    "phones": {"primaryPhoneNumber": "612345678", "primaryPhoneCountryCode": "FR",
               "primaryPhoneCallingCode": "+33", "additionalPhones": None},
    "website": {"primaryLinkUrl": "https://example.com", "primaryLinkLabel": "site", "secondaryLinks": None},
    "total": {"amountMicros": 1234500000, "currencyCode": "EUR"},
    "billingAddress": {"addressStreet1": "1 rue de Paris", "addressStreet2": None, "addressCity": "Paris",
                       "addressPostcode": "75001", "addressState": None, "addressCountry": "France",
                       "addressLat": 48.85, "addressLng": 2.35},
    "notes": {"blocknote": "[]", "markdown": "# Hello"},
    "attachments": [{"fileId": "6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c", "label": "a.pdf"}],
}

INVOICE_SELECTION = """
  id title quantity count exactTotal paid issuedAt dueOn status labels score payload tags externalId
  contact { firstName lastName } emails { primaryEmail additionalEmails }
  phones { primaryPhoneNumber primaryPhoneCountryCode primaryPhoneCallingCode
           additionalPhones { number countryCode callingCode } }
  website { primaryLinkUrl primaryLinkLabel secondaryLinks } total { amountMicros currencyCode }
  billingAddress { addressStreet1 addressStreet2 addressCity addressPostcode addressState addressCountry
                   addressLat addressLng }
  notes { blocknote markdown } attachments { fileId label }
  createdAt updatedAt deletedAt position createdBy { source workspaceMemberId name }
"""


@pytest.fixture(scope="module")
async def invoices(gateway: GatewayUnderTest) -> str:
    """A custom object with a field of every type, made through /metadata."""
    invoice = await create_object(gateway, "invoice", "invoices")
    for field in ALL_TYPES_FIELDS:
        await create_field(gateway, invoice, **field)
    return invoice


async def test_every_field_type_round_trips(gateway: GatewayUnderTest, invoices: str) -> None:
    created = data(await gateway.graphql(
        f"mutation($d: InvoiceCreateInput!) {{ createInvoice(data: $d) {{ {INVOICE_SELECTION} }} }}",
        {"d": FULL_INVOICE},
    ))["createInvoice"]
    for key, value in FULL_INVOICE.items():
        assert created[key] == value, key
    # As in Twenty, a record made with an API key is created by that key (named "default" here).
    assert created["createdBy"] == {"source": "API", "workspaceMemberId": None, "name": "default"}
    assert created["deletedAt"] is None
    read = data(await gateway.graphql(
        f'query($id: UUID!) {{ invoice(filter: {{id: {{eq: $id}}}}) {{ {INVOICE_SELECTION} }} }}',
        {"id": created["id"]},
    ))["invoice"]
    assert read == created


async def test_defaults_are_applied_and_composites_are_complete(gateway: GatewayUnderTest, invoices: str) -> None:
    created = data(await gateway.graphql(
        "mutation { createInvoice(data: {title: \"bare\"}) { status paid labels contact { firstName lastName } } }"
    ))["createInvoice"]
    assert created == {"status": "DRAFT", "paid": False, "labels": None,
                       "contact": {"firstName": None, "lastName": None}}


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ({"quantity": "many"}, "quantity"),
        ({"status": "LOST"}, "LOST"),
        ({"issuedAt": "yesterday"}, "issuedAt"),
        ({"dueOn": "2025-02-30"}, "dueOn"),
        ({"nope": 1}, "nope"),
        ({"externalId": "not-a-uuid"}, "externalId"),
    ],
)
async def test_wrong_values_are_refused_naming_the_field(
    gateway: GatewayUnderTest, invoices: str, value: dict[str, Any], needle: str
) -> None:
    body = await gateway.graphql("mutation($d: InvoiceCreateInput!) { createInvoice(data: $d) { id } }", {"d": value})
    assert needle in error(body)["message"]


async def test_non_nullable_field_is_required(gateway: GatewayUnderTest) -> None:
    contract = await create_object(gateway, "contract", "contracts")
    await create_field(gateway, contract, name="reference", type="TEXT", isNullable=False)
    body = await gateway.graphql('mutation { createContract(data: {name: "x"}) { id } }')
    failure = error(body)
    assert failure["extensions"]["code"] == "BAD_USER_INPUT"
    assert "reference" in failure["message"] and "required" in failure["message"]
    created = data(await gateway.graphql('mutation { createContract(data: {reference: "R1"}) { id reference } }'))
    assert created["createContract"]["reference"] == "R1"
    body = await gateway.graphql(
        "mutation($id: UUID!) { updateContract(id: $id, data: {reference: null}) { id } }",
        {"id": created["createContract"]["id"]},
    )
    assert "reference" in error(body)["message"] and "null" in error(body)["message"]


async def test_system_fields_cannot_be_written(gateway: GatewayUnderTest) -> None:
    body = await gateway.graphql('mutation { createPerson(data: {updatedAt: "2020-01-01T00:00:00Z"}) { id } }')
    assert "updatedAt" in error(body)["message"]
    body = await gateway.graphql('mutation { createPerson(data: {deletedAt: "2020-01-01T00:00:00Z"}) { id } }')
    assert "deletedAt" in error(body)["message"]


async def test_a_record_may_be_dated_when_created_not_later(gateway: GatewayUnderTest) -> None:
    """As in Twenty (whose groupBy specs date the records they create): createdAt on create."""
    made = data(await gateway.graphql(
        'mutation { createPerson(data: {createdAt: "2020-01-01T00:00:00Z"}) { id createdAt updatedAt } }'
    ))["createPerson"]
    assert made["createdAt"] == "2020-01-01T00:00:00.000Z" and made["updatedAt"] > made["createdAt"]
    body = await gateway.graphql(
        'mutation($id: UUID!) { updatePerson(id: $id, data: {createdAt: "2021-01-01T00:00:00Z"}) { id } }',
        {"id": made["id"]},
    )
    assert "createdAt" in error(body)["message"]


@pytest.mark.parametrize("object_name", ["person", "invoice"])
async def test_every_operation(gateway: GatewayUnderTest, invoices: str, object_name: str) -> None:
    singular, plural = ("Person", "People") if object_name == "person" else ("Invoice", "Invoices")
    field, a, b = ("jobTitle", "Engineer", "Manager") if object_name == "person" else ("title", "A", "B")
    lower = object_name
    many = "people" if object_name == "person" else "invoices"

    one = data(await gateway.graphql(f'mutation {{ create{singular}(data: {{{field}: "{a}"}}) {{ id {field} }} }}'))
    record_id = one[f"create{singular}"]["id"]
    batch = data(await gateway.graphql(
        f'mutation {{ create{plural}(data: [{{{field}: "{b}"}}, {{{field}: "{b}"}}]) {{ id {field} }} }}'
    ))[f"create{plural}"]
    assert [r[field] for r in batch] == [b, b]

    found = data(await gateway.graphql(
        f'query($id: UUID!) {{ {lower}(filter: {{id: {{eq: $id}}}}) {{ id {field} }} }}', {"id": record_id}
    ))[lower]
    assert found == {"id": record_id, field: a}

    updated = data(await gateway.graphql(
        f'mutation($id: UUID!) {{ update{singular}(id: $id, data: {{{field}: "{a}2"}}) {{ {field} updatedAt }} }}',
        {"id": record_id},
    ))[f"update{singular}"]
    assert updated[field] == f"{a}2"

    many_updated = data(await gateway.graphql(
        f'mutation {{ update{plural}(filter: {{{field}: {{eq: "{b}"}}}}, data: {{{field}: "{b}2"}}) {{ {field} }} }}'
    ))[f"update{plural}"]
    assert [r[field] for r in many_updated] == [f"{b}2", f"{b}2"]

    deleted = data(await gateway.graphql(
        f"mutation($id: UUID!) {{ delete{singular}(id: $id) {{ id deletedAt }} }}", {"id": record_id}
    ))[f"delete{singular}"]
    assert deleted["deletedAt"] is not None
    hidden = await gateway.graphql(f'query($id: UUID!) {{ {lower}(filter: {{id: {{eq: $id}}}}) {{ id }} }}',
                                   {"id": record_id})
    assert error(hidden)["extensions"]["code"] == "NOT_FOUND"
    trashed = data(await gateway.graphql(
        f"{{ {many}(filter: {{deletedAt: {{is: NOT_NULL}}}}) {{ edges {{ node {{ id }} }} }} }}"
    ))[many]["edges"]
    assert record_id in [e["node"]["id"] for e in trashed]

    restored = data(await gateway.graphql(
        f"mutation($id: UUID!) {{ restore{singular}(id: $id) {{ id deletedAt }} }}", {"id": record_id}
    ))[f"restore{singular}"]
    assert restored == {"id": record_id, "deletedAt": None}

    soft_many = data(await gateway.graphql(
        f'mutation {{ delete{plural}(filter: {{{field}: {{eq: "{b}2"}}}}) {{ id }} }}'
    ))[f"delete{plural}"]
    assert len(soft_many) == 2
    restored_many = data(await gateway.graphql(
        f'mutation {{ restore{plural}(filter: {{{field}: {{eq: "{b}2"}}}}) {{ id deletedAt }} }}'
    ))[f"restore{plural}"]
    assert [r["deletedAt"] for r in restored_many] == [None, None]

    destroyed = data(await gateway.graphql(
        f"mutation($id: UUID!) {{ destroy{singular}(id: $id) {{ id }} }}", {"id": record_id}
    ))[f"destroy{singular}"]
    assert destroyed == {"id": record_id}
    gone = await gateway.graphql(
        f"mutation($id: UUID!) {{ restore{singular}(id: $id) {{ id }} }}", {"id": record_id}
    )
    assert error(gone)["extensions"]["code"] == "NOT_FOUND"
    # destroyMany empties the trash too: one of the two is soft-deleted first.
    await gateway.graphql(f"mutation($id: UUID!) {{ delete{singular}(id: $id) {{ id }} }}", {"id": batch[0]["id"]})
    destroyed_many = data(await gateway.graphql(
        f'mutation {{ destroy{plural}(filter: {{{field}: {{eq: "{b}2"}}}}) {{ id }} }}'
    ))[f"destroy{plural}"]
    assert sorted(r["id"] for r in destroyed_many) == sorted(r["id"] for r in batch)
    in_trash = f'{{and: [{{{field}: {{eq: "{b}2"}}}}, {{deletedAt: {{is: NOT_NULL}}}}]}}'
    left = data(await gateway.graphql(f"{{ {many}(filter: {in_trash}) {{ totalCount }} }}"))[many]
    assert left["totalCount"] == 0


async def test_find_one_needs_a_filter_and_reports_not_found(gateway: GatewayUnderTest) -> None:
    assert error(await gateway.graphql("{ person(filter: {}) { id } }"))["extensions"]["code"] == "BAD_USER_INPUT"
    missing = await gateway.graphql('{ person(filter: {id: {eq: "00000000-0000-4000-8000-000000000000"}}) { id } }')
    assert error(missing)["extensions"]["code"] == "NOT_FOUND"


async def test_errors_hide_internals(gateway: GatewayUnderTest) -> None:
    body = await gateway.graphql("{ people { edges { node { nope } } } }")
    assert error(body)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "nope" in error(body)["message"]
    body = await gateway.graphql('{ people(after: "!!!") { totalCount } }')
    assert error(body)["extensions"]["code"] == "BAD_USER_INPUT"
    assert "cursor" in error(body)["message"].lower()


async def test_standard_object_ids_are_standard(gateway: GatewayUnderTest) -> None:
    assert await object_id(gateway, "person")
