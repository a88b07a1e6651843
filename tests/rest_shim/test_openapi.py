"""The OpenAPI documents are pure functions of metadata: valid OpenAPI 3.1, complete, typed right.

Run with UPDATE_SNAPSHOTS=1 to accept a deliberate change to the standard workspace's
document; the diff then shows in review.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate

from gateway.db import open_database
from gateway.settings import Settings
from gateway.workspaces import create_workspace
from rest_shim.openapi import core_document, metadata_document
from schema_builder.context import Limits
from schema_builder.metadata.model import FieldMeta, ObjectMeta, Option, WorkspaceModel, pascal
from schema_builder.metadata.store import MetadataStore

SNAPSHOT = Path(__file__).parent / "__snapshots__" / "standard_core_openapi.json"
SERVER = "http://docgate.test/"
OPERATIONS = {  # path template → {method: operationId template}
    "/{pl}": {"get": "findMany{PP}", "post": "createOne{P}", "delete": "deleteMany{PP}", "patch": "updateMany{PP}"},
    "/batch/{pl}": {"post": "createMany{PP}"},
    "/{pl}/{{id}}": {"get": "findOne{P}", "delete": "deleteOne{P}", "patch": "UpdateOne{P}"},
    "/restore/{pl}/{{id}}": {"patch": "restoreOne{P}"},
    "/restore/{pl}": {"patch": "restoreMany{PP}"},
    "/{pl}/groupBy": {"get": "groupBy{PP}"},
}


@pytest.fixture(scope="module")
async def standard() -> WorkspaceModel:
    db = open_database(Settings(mongodb_uri="memory://"))
    workspace, _ = await create_workspace(db, "openapi")
    model = await MetadataStore(db.control, db.workspace(workspace["_id"]), workspace["_id"]).load_model()
    await db.close()
    return model


def _system_fields(prefix: str) -> tuple[FieldMeta, ...]:
    return (
        FieldMeta(id=f"{prefix}1", name="id", type="UUID", is_nullable=False, is_unique=True),
        FieldMeta(id=f"{prefix}2", name="createdAt", type="DATE_TIME", is_nullable=False, default_value="now"),
        FieldMeta(id=f"{prefix}3", name="updatedAt", type="DATE_TIME", is_nullable=False, default_value="now"),
        FieldMeta(id=f"{prefix}4", name="deletedAt", type="DATE_TIME"),
        FieldMeta(id=f"{prefix}5", name="position", type="POSITION"),
        FieldMeta(id=f"{prefix}6", name="createdBy", type="ACTOR"),
    )


def custom_model() -> WorkspaceModel:
    """An invoice with one field of each interesting kind, and its many-to-one relation to a client."""
    invoice = ObjectMeta(
        id="o-invoice",
        name_singular="invoice",
        name_plural="invoices",
        label_singular="Invoice",
        label_plural="Invoices",
        description="A bill sent to a client",
        is_custom=True,
        fields=_system_fields("i")
        + (
            FieldMeta(id="i7", name="number", type="TEXT", is_nullable=False, is_unique=True),
            FieldMeta(
                id="i8",
                name="status",
                type="SELECT",
                is_nullable=False,
                default_value="'DRAFT'",
                options=(Option("DRAFT", "Draft"), Option("PAID", "Paid")),
            ),
            FieldMeta(id="i9", name="tags", type="MULTI_SELECT", options=(Option("VIP", "VIP"), Option("B2B", "B2B"))),
            FieldMeta(id="i10", name="lines", type="NUMBER", settings={"dataType": "INT"}, is_nullable=False),
            FieldMeta(id="i11", name="total", type="CURRENCY", description="What the client owes"),
            FieldMeta(id="i12", name="dueOn", type="DATE"),
            FieldMeta(id="i13", name="paid", type="BOOLEAN", default_value=False),
            FieldMeta(id="i14", name="notes", type="ARRAY"),
            FieldMeta(id="i15", name="extra", type="RAW_JSON"),
            FieldMeta(id="i16", name="score", type="RATING"),
            FieldMeta(
                id="i17",
                name="client",
                type="RELATION",
                settings={"relationType": "MANY_TO_ONE"},
                target_object_id="o-client",
                target_field_id="c7",
            ),
        ),
    )
    client = ObjectMeta(
        id="o-client",
        name_singular="client",
        name_plural="clients",
        fields=_system_fields("c")
        + (
            FieldMeta(
                id="c7",
                name="invoices",
                type="RELATION",
                settings={"relationType": "ONE_TO_MANY"},
                target_object_id="o-invoice",
                target_field_id="i17",
            ),
        ),
    )
    return WorkspaceModel("w", 3, (client, invoice))


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def resolve(doc: dict[str, Any], pointer: str) -> Any:
    assert pointer.startswith("#/"), pointer
    node: Any = doc
    for part in pointer[2:].split("/"):
        node = node[part]
    return node


def assert_valid(doc: dict[str, Any]) -> None:
    validate(doc)  # OpenAPI 3.1 (the spec validator picks the version from `openapi`)
    for pointer in set(refs(doc)):
        resolve(doc, pointer)  # every $ref points at something


def test_base_documents_without_a_workspace() -> None:
    core = core_document(None, SERVER)
    assert core["openapi"] == "3.1.1"
    assert core["info"]["title"] == "docgate API"
    assert core["servers"] == [{"url": "http://docgate.test/rest"}]
    assert core["components"]["securitySchemes"]["bearerAuth"] == {
        **core["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }
    assert core["security"] == [{"bearerAuth": []}]
    assert core["paths"] == {} and "webhooks" not in core
    for text in ("Authorization: Bearer", "order_by", "starting_after", "ilike", "AscNullsFirst"):
        assert text in core["info"]["description"], text
    metadata = metadata_document(None, SERVER)
    assert metadata["servers"] == [{"url": "http://docgate.test/rest/metadata"}]
    assert_valid(core)
    assert_valid(metadata)


async def test_standard_documents_are_valid(standard: WorkspaceModel) -> None:
    assert_valid(core_document(standard, SERVER))
    assert_valid(metadata_document(standard, SERVER))


async def test_every_object_has_every_operation(standard: WorkspaceModel) -> None:
    doc = core_document(standard, SERVER)
    expected: set[str] = set()
    writable = [o for o in standard.objects if not o.audit_log]
    for obj in writable:
        names = {"pl": obj.name_plural, "P": pascal(obj.name_singular), "PP": pascal(obj.name_plural)}
        for path, methods in OPERATIONS.items():
            item = doc["paths"][path.format(**names)]
            assert set(item) == set(methods)
            for method, op_id in methods.items():
                operation = item[method]
                assert operation["operationId"] == op_id.format(**names)
                assert operation["tags"] == [obj.name_plural]
                assert {"400", "401"} <= set(operation["responses"])
                expected.add(op_id.format(**names))
        assert {pascal(obj.name_singular) + s for s in ("", "ForUpdate", "ForResponse")} <= set(
            doc["components"]["schemas"]
        )
    logs = [o for o in standard.objects if o.audit_log]  # the timeline: read only
    assert [o.name_singular for o in logs] == ["timelineActivity"]
    assert {p: set(item) for p, item in doc["paths"].items() if p.startswith("/timelineActivities")} == {
        "/timelineActivities": {"get"}, "/timelineActivities/{id}": {"get"}, "/timelineActivities/groupBy": {"get"}}
    # Find-duplicates and merge: only person and company have duplicate criteria.
    assert len(doc["paths"]) == 6 * len(writable) + 3 * len(logs) + 2 * 2
    assert {"findManyPeople", "createOnePerson", "UpdateOnePerson", "restoreManyPeople", "groupByPeople"} <= expected
    assert doc["paths"]["/people/duplicates"]["post"]["operationId"] == "findPersonDuplicates"
    assert doc["paths"]["/companies/merge"]["patch"]["operationId"] == "mergeManyCompanies"
    assert "/notes/merge" not in doc["paths"]


async def test_parameters_and_envelopes(standard: WorkspaceModel) -> None:
    doc = core_document(standard, SERVER, Limits(default_page_size=25, max_page_size=100, max_batch_size=10))
    params = doc["components"]["parameters"]
    names = {p["name"] for p in params.values()}
    assert {"order_by", "filter", "limit", "depth", "starting_after", "ending_before", "upsert", "soft_delete"} <= names
    assert params["limit"]["schema"] == {"type": "integer", "minimum": 0, "maximum": 100, "default": 25}
    assert params["depth"]["schema"]["enum"] == [0, 1]
    people = doc["paths"]["/people"]
    listed = people["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["properties"]["data"]["properties"]["people"]["items"] == {
        "$ref": "#/components/schemas/PersonForResponse"
    }
    assert {"totalCount", "pageInfo"} <= set(listed["properties"])
    assert set(people["post"]["responses"]) >= {"201", "400", "401", "409"}
    created = people["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert "createPerson" in created["properties"]["data"]["properties"]
    batch = doc["paths"]["/batch/people"]["post"]
    body = batch["requestBody"]["content"]["application/json"]["schema"]
    assert body["maxItems"] == 10 and body["items"] == {"$ref": "#/components/schemas/Person"}
    assert "createPeople" in json.dumps(batch["responses"]["201"])
    deleted = doc["paths"]["/people/{id}"]["delete"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert deleted["properties"]["data"]["properties"]["deletePerson"]["required"] == ["id"]
    error = doc["components"]["responses"]["404"]["content"]["application/json"]["schema"]
    assert resolve(doc, error["$ref"])["required"] == ["statusCode", "error", "messages"]


def test_custom_object_schemas() -> None:
    doc = core_document(custom_model(), SERVER)
    assert_valid(doc)
    schemas = doc["components"]["schemas"]
    create, update, response = schemas["Invoice"], schemas["InvoiceForUpdate"], schemas["InvoiceForResponse"]
    props = create["properties"]
    assert create["required"] == ["number", "lines"]  # non-nullable, no default
    assert "required" not in update and "id" not in update["properties"]
    assert create["additionalProperties"] is False and create["description"] == "A bill sent to a client"
    assert not {"createdAt", "updatedAt", "deletedAt", "client"} & set(props)
    assert "createdBy" in props and "createdBy" not in update["properties"]  # given on create only, as in Twenty
    assert props["id"] == {"type": "string", "format": "uuid"}
    assert props["number"] == {"type": "string"}
    assert props["status"] == {"type": "string", "enum": ["DRAFT", "PAID"], "default": "DRAFT"}
    assert props["tags"] == {"type": ["array", "null"], "items": {"type": "string", "enum": ["VIP", "B2B"]}}
    assert props["lines"] == {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
    assert props["total"] == {
        "description": "What the client owes",
        "anyOf": [{"$ref": "#/components/schemas/Composite.CurrencyForInput"}, {"type": "null"}],
    }
    assert props["dueOn"] == {"type": ["string", "null"], "format": "date"}
    assert props["paid"] == {"type": ["boolean", "null"], "default": False}
    assert props["notes"] == {"type": ["array", "null"], "items": {"type": "string"}}
    assert "type" not in props["extra"]  # any JSON value
    assert props["score"]["enum"] == ["RATING_1", "RATING_2", "RATING_3", "RATING_4", "RATING_5", None]
    assert props["clientId"]["type"] == ["string", "null"] and props["clientId"]["format"] == "uuid"
    out = response["properties"]
    assert out["id"] == {"type": "string", "format": "uuid"}
    assert out["createdAt"] == {"type": "string", "format": "date-time"}
    assert out["deletedAt"] == {"type": ["string", "null"], "format": "date-time"}
    assert out["status"]["type"] == ["string", "null"]  # GraphQL reads may return null
    assert out["client"]["anyOf"][0] == {"$ref": "#/components/schemas/ClientForResponse"}
    assert out["createdBy"]["anyOf"][0] == {"$ref": "#/components/schemas/Composite.Actor"}
    assert schemas["ClientForResponse"]["properties"]["invoices"]["items"] == {
        "$ref": "#/components/schemas/InvoiceForResponse"
    }
    currency_in = schemas["Composite.CurrencyForInput"]
    assert set(currency_in["properties"]) == {"amountMicros", "currencyCode"}
    assert currency_in["additionalProperties"] is False
    actor, actor_in = schemas["Composite.Actor"], schemas["Composite.ActorForInput"]
    assert {"workspaceMemberId", "name"} <= set(actor["properties"])
    # Given on create only (createdBy, as Twenty takes it from REST clients); no other ACTOR input.
    assert {"source", "context", "workspaceMemberId", "name"} == set(actor_in["properties"])
    assert "EMAIL" in actor["properties"]["source"]["enum"]
    assert [t["name"] for t in doc["tags"]] == ["clients", "invoices"]


def test_webhooks_section() -> None:
    doc = core_document(custom_model(), SERVER)
    hooks = doc["webhooks"]
    assert {"invoice.created", "invoice.updated", "invoice.deleted", "client.destroyed"} <= set(hooks)
    post = hooks["invoice.updated"]["post"]
    headers = {resolve(doc, p["$ref"])["name"] for p in post["parameters"]}
    assert headers == {"X-Twenty-Webhook-Signature", "X-Twenty-Webhook-Timestamp", "X-Twenty-Webhook-Nonce"}
    payload = post["requestBody"]["content"]["application/json"]["schema"]["allOf"]
    assert payload[1]["properties"]["record"] == {"$ref": "#/components/schemas/InvoiceForResponse"}
    assert payload[1]["properties"]["eventName"] == {"const": "invoice.updated"}


async def test_metadata_document_paths(standard: WorkspaceModel) -> None:
    doc = metadata_document(standard, SERVER)
    for resource in ("objects", "fields", "apiKeys", "webhooks"):
        assert set(doc["paths"][f"/{resource}"]) == {"get", "post"}
        assert {"get", "delete"} <= set(doc["paths"][f"/{resource}/{{id}}"])
        assert "201" in doc["paths"][f"/{resource}"]["post"]["responses"]
    assert "patch" not in doc["paths"]["/apiKeys/{id}"]  # keys are revoked, never edited
    listed = doc["paths"]["/objects"]["get"]
    assert {p["$ref"].rsplit("/", 1)[1] for p in listed["parameters"]} == {"limit", "startingAfter", "endingBefore"}
    create = doc["paths"]["/objects"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert "createOneObject" in create["properties"]["data"]["properties"]
    assert doc["components"]["schemas"]["ObjectForCreate"]["required"] == [
        "nameSingular",
        "namePlural",
        "labelSingular",
        "labelPlural",
    ]
    assert "`person` (`people`)" in doc["info"]["description"]


async def test_standard_core_document_matches_snapshot(standard: WorkspaceModel) -> None:
    text = json.dumps(core_document(standard, SERVER), indent=1, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text)
    assert text == SNAPSHOT.read_text()
