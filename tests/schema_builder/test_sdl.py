"""SDL synthesis is a pure function of metadata: snapshot the standard workspace's schema.

Run with UPDATE_SNAPSHOTS=1 to accept a deliberate change; the diff then shows in review.
"""

from __future__ import annotations

import os
from pathlib import Path

from graphql import build_schema

from gateway.db import open_database
from gateway.settings import Settings
from gateway.workspaces import create_workspace
from schema_builder.core_schema import build_core_schema
from schema_builder.metadata import FieldMeta, ObjectMeta, Option, WorkspaceModel
from schema_builder.metadata_store import MetadataStore
from schema_builder.sdl import build_sdl

SNAPSHOT = Path(__file__).parent / "__snapshots__" / "standard_workspace.graphql"


async def standard_model() -> WorkspaceModel:
    db = open_database(Settings(mongodb_uri="memory://"))
    workspace, _ = await create_workspace(db, "snapshot")
    model = await MetadataStore(db.control, db.workspace(workspace["_id"]), workspace["_id"]).load_model()
    await db.close()
    return model


async def test_standard_workspace_sdl_matches_snapshot() -> None:
    sdl = build_sdl(await standard_model())
    if os.environ.get("UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(sdl)
    assert sdl == SNAPSHOT.read_text()
    build_schema(sdl)  # valid GraphQL


def test_custom_object_gets_every_operation_and_type() -> None:
    fields = (
        FieldMeta(id="f1", name="id", type="UUID", is_nullable=False),
        FieldMeta(id="f2", name="status", type="SELECT", options=(Option("DRAFT", "Draft"),)),
        FieldMeta(id="f3", name="amount", type="CURRENCY"),
    )
    model = WorkspaceModel("w", 1, (ObjectMeta(id="o1", name_singular="invoice", name_plural="invoices",
                                               fields=fields),))
    sdl = build_sdl(model)
    for fragment in ("type Invoice {", "invoices(first: Int", "invoice(filter: InvoiceFilterInput!): Invoice",
                     "createInvoices(data: [InvoiceCreateInput!]!, upsert: Boolean): [Invoice!]",
                     "restoreInvoices(filter: InvoiceFilterInput!): [Invoice!]", "amount: Currency",
                     "amount: CurrencyFilterInput", "input InvoiceWhereUniqueInput {"):
        assert fragment in sdl, fragment
    schema = build_core_schema(model).schema
    assert schema.mutation_type is not None and "destroyInvoice" in schema.mutation_type.fields


def test_empty_workspace_still_has_a_query_type() -> None:
    schema = build_core_schema(WorkspaceModel("w", 0, ())).schema
    assert schema.query_type is not None
