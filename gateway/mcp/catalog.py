"""The tools of a workspace, named and shaped as Twenty's MCP server names them.

Per object: `find_many_<plural>`, `find_one_<singular>`, `create_one_<singular>`,
`create_many_<plural>`, `upsert_many_<plural>`, `update_one_<singular>`,
`update_many_<plural>`, `delete_one_<singular>`, `delete_many_<plural>`, `group_by_<plural>`
(names in snake case), each with its input schema read off the workspace's GraphQL input types; plus the
metadata tools. Built once per schema version (kept in `CoreSchema.derived`), so a custom
object created through the Metadata API is a tool on the next request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLInputObjectType

from schema_builder.context import Limits
from schema_builder.metadata.model import MANY_TO_ONE, ObjectMeta, pascal
from schema_builder.permissions.model import CREATE, READ, SOFT_DELETE, UPDATE, CompiledPermissions
from schema_builder.synthesis.core_schema import CoreSchema

from .json_schema import Schema, SchemaWriter

DATABASE_CRUD, METADATA = "DATABASE_CRUD", "METADATA"
# Arguments of find_many that are not filter fields.
PAGING_ARGUMENTS = ("limit", "offset", "orderBy", "select", "loadingMessage")


@dataclass(frozen=True)
class ToolSpec:
    name: str
    category: str
    description: str
    input_schema: Schema
    operation: str  # find_many, create_one, … or a metadata tool's own name
    obj: ObjectMeta | None = None


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def workspace_tools(
    core: CoreSchema, limits: Limits, permissions: CompiledPermissions | None = None
) -> dict[str, ToolSpec]:
    """Every tool of the workspace by name, worked out once per schema version; for a
    restricted key, those its role may use (once per role)."""
    found: dict[str, ToolSpec] | None = core.derived.get("mcp.tools")
    if found is None:
        from .group_by_tool import group_by_tool  # these build on this module's ToolSpec
        from .search_tool import search_tool

        grouping = (group_by_tool(core, obj, limits) for obj in core.model.objects)
        tools = [*metadata_tools(), search_tool(),
                 *(t for obj in core.model.objects for t in object_tools(core, obj, limits)),
                 *(t for t in grouping if t is not None)]
        found = core.derived["mcp.tools"] = {t.name: t for t in tools}
    if permissions is None:
        return found
    mine: dict[str, ToolSpec] | None = permissions.derived.get("mcp.tools")
    if mine is None:
        mine = permissions.derived["mcp.tools"] = {
            name: spec for name, spec in found.items()
            if spec.obj is None or all(permissions.can(spec.obj, a) for a in _ACTIONS[spec.operation])
        }
    return mine


# What each record tool needs of the role (as the operation it runs does).
_ACTIONS = {
    "find_many": (READ,), "find_one": (READ,), "group_by": (READ,), "create_one": (CREATE,), "create_many": (CREATE,),
    "upsert_many": (CREATE,), "update_one": (UPDATE,), "update_many": (UPDATE,), "delete_one": (SOFT_DELETE,),
    "delete_many": (SOFT_DELETE,),
}


def metadata_tools() -> list[ToolSpec]:
    name_arg = {"objectNameSingular": {"type": "string", "description": "e.g. person, company, or a custom object"}}
    return [
        ToolSpec(
            "list_object_metadata_names", METADATA,
            "List the objects of the workspace (standard and custom): their singular and plural names and labels. "
            "Use the names to pick the record tools (find_many_<plural>, …).",
            {"type": "object", "properties": {}, "additionalProperties": False}, "list_object_metadata_names",
        ),
        ToolSpec(
            "get_object_metadata", METADATA,
            "Describe one object: its fields with their types, labels, options and whether they are required.",
            {"type": "object", "properties": name_arg, "required": ["objectNameSingular"],
             "additionalProperties": False},
            "get_object_metadata",
        ),
    ]


def object_tools(core: CoreSchema, obj: ObjectMeta, limits: Limits) -> list[ToolSpec]:
    p, label, labels = pascal(obj.name_singular), obj.label_singular, obj.label_plural
    one, many = snake(obj.name_singular), snake(obj.name_plural)
    schema = core.schema
    filter_type, order_type = schema.get_type(f"{p}FilterInput"), schema.get_type(f"{p}OrderByInput")
    create_type, update_type = schema.get_type(f"{p}CreateInput"), schema.get_type(f"{p}UpdateInput")
    assert isinstance(filter_type, GraphQLInputObjectType) and isinstance(order_type, GraphQLInputObjectType)
    assert isinstance(create_type, GraphQLInputObjectType) and isinstance(update_type, GraphQLInputObjectType)
    # Relation filters pull in the filters of related objects, and theirs: only the join column stays.
    skip = frozenset(f"{p}FilterInput.{f.name}" for f in obj.fields if f.relation_type == MANY_TO_ONE)
    selectable = [f.name for f in obj.fields if f.relation_type is None] + [
        f.join_column for f in obj.fields if f.relation_type == MANY_TO_ONE and f.join_column
    ]
    record_id = {"id": {"type": "string", "format": "uuid", "description": f"the id of the {obj.name_singular}"}}
    select = {"select": {"type": "array", "items": {"type": "string", "enum": selectable},
                         "description": "fields to return (default: all); id is always returned"}}

    def tool(name: str, description: str, top: Any, operation: str, writer: SchemaWriter) -> ToolSpec:
        return ToolSpec(name, DATABASE_CRUD, description, writer.tool_schema(top), operation, obj)

    def find_many() -> ToolSpec:
        writer = SchemaWriter(skip)
        paging = {
            "limit": {"type": "integer", "minimum": 1, "maximum": limits.max_page_size,
                      "description": f"records to return (default {limits.default_page_size})"},
            "offset": {"type": "integer", "minimum": 0, "description": "records to skip (default 0)"},
            "orderBy": {"type": "array", "items": writer.ref(order_type),
                        "description": 'e.g. [{"createdAt": "DescNullsLast"}]'},
            **select,
        }
        top = writer.object(filter_type, paging)
        return tool(
            f"find_many_{many}",
            f"Search for {labels} records. Filter fields are top-level arguments, as in Twenty's filter grammar "
            '(e.g. {"name": {"firstName": {"ilike": "%ada%"}}}); combine with and/or/not. Returns the records, '
            '"count" of all matches and "hasNextPage".',
            top, "find_many", writer,
        )

    def by_filter(name: str, operation: str, description: str, data: bool) -> ToolSpec:
        writer = SchemaWriter(skip)
        properties: Schema = {"filter": writer.ref(filter_type)}
        if data:
            properties["data"] = writer.ref(update_type)
        top = {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}
        return tool(name, description, top, operation, writer)

    def records(name: str, operation: str, description: str) -> ToolSpec:
        writer = SchemaWriter()
        top = {"type": "object", "required": ["records"], "additionalProperties": False, "properties": {
            "records": {"type": "array", "items": writer.ref(create_type), "minItems": 1,
                        "maxItems": limits.max_batch_size}}}
        return tool(name, description, top, operation, writer)

    create, update = SchemaWriter(), SchemaWriter()
    finders = [
        find_many(),
        tool(f"find_one_{one}", f"Retrieve a single {label} by ID.",
             {"type": "object", "properties": {**record_id, **select}, "required": ["id"],
              "additionalProperties": False}, "find_one", SchemaWriter()),
    ]
    if obj.audit_log:  # written by docgate from record changes: read only
        return finders
    return [
        *finders,
        tool(f"create_one_{one}", f"Create a new {label} record; returns it with all its data.",
             create.object(create_type), "create_one", create),
        records(f"create_many_{many}", "create_many",
                f"Create several {labels} records in one call (at most {limits.max_batch_size})."),
        records(f"upsert_many_{many}", "upsert_many",
                f"Insert or update several {labels} records, matched by id or a unique field "
                f"(at most {limits.max_batch_size})."),
        tool(f"update_one_{one}", f"Update a {label}: give its id and only the fields to change.",
             update.object(update_type, record_id) | {"required": ["id"]}, "update_one", update),
        by_filter(f"update_many_{many}", "update_many",
                  f"Apply the same values to every {label} matching a filter (a filter that matches "
                  f"everything is refused; at most {limits.max_affected_records} records).", True),
        tool(f"delete_one_{one}", f"Soft-delete a {label} (reversible: it goes to the trash).",
             {"type": "object", "properties": record_id, "required": ["id"], "additionalProperties": False},
             "delete_one", SchemaWriter()),
        by_filter(f"delete_many_{many}", "delete_many",
                  f"Soft-delete every {label} matching a filter (reversible; a filter that matches everything "
                  f"is refused; at most {limits.max_affected_records} records).", False),
    ]
