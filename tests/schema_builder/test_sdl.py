"""SDL synthesis is a pure function of metadata: snapshot the standard workspace's schema.

Run with UPDATE_SNAPSHOTS=1 to accept a deliberate change; the diff then shows in review.
"""

from __future__ import annotations

import os
from pathlib import Path

from graphql import GraphQLObjectType, GraphQLSchema, build_schema, print_schema, validate_schema

from gateway.db import open_database
from gateway.settings import Settings
from gateway.workspaces import create_workspace
from schema_builder.metadata.field_types import RATING_VALUES
from schema_builder.metadata.model import FieldMeta, ObjectMeta, Option, WorkspaceModel
from schema_builder.metadata.store import MetadataStore
from schema_builder.synthesis.core_schema import build_core_schema
from schema_builder.synthesis.sdl import build_sdl

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
                     "createInvoices(data: [InvoiceCreateInput]!, upsert: Boolean): [Invoice!]",
                     "restoreInvoices(filter: InvoiceFilterInput!): [Invoice!]", "amount: Currency",
                     "amount: CurrencyFilterInput", "input InvoiceWhereUniqueInput {"):
        assert fragment in sdl, fragment
    schema = build_core_schema(model).schema
    assert schema.mutation_type is not None and "destroyInvoice" in schema.mutation_type.fields


def test_empty_workspace_still_has_a_query_type() -> None:
    schema = build_core_schema(WorkspaceModel("w", 0, ())).schema
    assert schema.query_type is not None


def assert_same_valid_schema(built: GraphQLSchema, sdl: str) -> None:
    """The assembled schema is valid and is the schema its SDL describes, type for type."""
    fresh = GraphQLSchema(
        query=built.query_type, mutation=built.mutation_type, types=list(built.type_map.values())
    )  # assemble_schema skips validation: validate a copy that does not
    assert validate_schema(fresh) == []
    assert print_schema(built) == print_schema(build_schema(sdl))


async def test_assembled_schema_is_the_schema_of_its_sdl() -> None:
    core = build_core_schema(await standard_model())
    assert_same_valid_schema(core.schema, core.sdl)


def test_assembled_schema_of_custom_objects_with_every_field_type() -> None:
    options = (Option("NEW", "New"), Option("WON", "Won"))
    kinds = ["TEXT", "NUMBER", "NUMERIC", "BOOLEAN", "DATE", "DATE_TIME", "RAW_JSON", "ARRAY", "FULL_NAME",
             "EMAILS", "PHONES", "LINKS", "CURRENCY", "ADDRESS", "ACTOR", "RICH_TEXT", "POSITION"]
    objects = []
    for o in range(3):
        fields = [FieldMeta(id=f"o{o}id", name="id", type="UUID", is_nullable=False)]
        fields += [FieldMeta(id=f"o{o}f{k}", name=f"field{k}", type=t) for k, t in enumerate(kinds)]
        fields += [FieldMeta(id=f"o{o}s", name="stage", type="SELECT", options=options),
                   FieldMeta(id=f"o{o}m", name="tags", type="MULTI_SELECT", options=options),
                   FieldMeta(id=f"o{o}r", name="score", type="RATING",
                             options=tuple(Option(v, v) for v in RATING_VALUES))]
        objects.append(ObjectMeta(id=f"o{o}", name_singular=f"thing{o}", name_plural=f"things{o}",
                                  fields=tuple(fields)))
    core = build_core_schema(WorkspaceModel("w", 1, tuple(objects)))
    assert_same_valid_schema(core.schema, core.sdl)


async def test_a_resolver_belongs_to_its_own_type_and_the_rest_is_made_once() -> None:
    """Fields of the same definition are one object shared by the types that have it (a large
    schema's memory), but never a field that gets a resolver: that one would answer in every
    type sharing it."""
    core = build_core_schema(await standard_model())
    owners: dict[int, list[str]] = {}
    for type_ in core.schema.type_map.values():
        if isinstance(type_, GraphQLObjectType):
            for field in type_.fields.values():
                owners.setdefault(id(field), []).append(type_.name)
    resolved = [(t.name, name) for t in core.schema.type_map.values() if isinstance(t, GraphQLObjectType)
                for name, f in t.fields.items() if f.resolve is not None or f.subscribe is not None]
    assert len(resolved) > 100  # relations, root fields, older names, files
    for type_name, name in resolved:
        field = core.schema.type_map[type_name].fields[name]  # type: ignore[union-attr]
        assert owners[id(field)] == [type_name], (type_name, name)
    connection, grouped = core.schema.type_map["PersonConnection"], core.schema.type_map["PersonGroupByConnection"]
    assert connection.fields["countEmptyCity"] is grouped.fields["countEmptyCity"]  # type: ignore[union-attr]
