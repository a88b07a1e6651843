"""The GraphQL operations behind Core REST calls, built as ASTs and cached per shape.

A shape is (operation kind, object, depth): each is built once per schema version, from the
workspace model and the root field's own argument types, validated once, and kept in
`CoreSchema.derived`. A request then only supplies variables — no GraphQL text is ever
written or parsed per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    ListTypeNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    TypeNode,
    VariableDefinitionNode,
    VariableNode,
)
from graphql.language import ArgumentNode

from schema_builder.errors import BadUserInput
from schema_builder.metadata.field_types import SubField
from schema_builder.metadata.model import MANY_TO_ONE, ONE_TO_MANY, ObjectMeta, WorkspaceModel, pascal
from schema_builder.synthesis.core_schema import CoreSchema
from schema_builder.synthesis.sdl import FILE_OBJECT_FIELDS

FIND_MANY, FIND_ONE = "findMany", "findOne"
CREATE_ONE, CREATE_MANY = "createOne", "createMany"
UPDATE_ONE, UPDATE_MANY = "updateOne", "updateMany"
DELETE_ONE, DELETE_MANY = "deleteOne", "deleteMany"  # soft
DESTROY_ONE, DESTROY_MANY = "destroyOne", "destroyMany"  # hard
RESTORE_ONE, RESTORE_MANY = "restoreOne", "restoreMany"

PAGE_INFO = ("hasNextPage", "hasPreviousPage", "startCursor", "endCursor")


@dataclass(frozen=True)
class _Kind:
    operation: OperationType
    prefix: str  # of the root field: "" for queries, "create", "update"…
    plural: bool
    arguments: tuple[str, ...]
    returns: str  # "connection", "records" (a record or a list of them) or "ids"


KINDS: dict[str, _Kind] = {
    FIND_MANY: _Kind(OperationType.QUERY, "", True, ("filter", "orderBy", "first", "last", "before", "after",
                                                     "offset"), "connection"),
    FIND_ONE: _Kind(OperationType.QUERY, "", False, ("filter",), "records"),
    CREATE_ONE: _Kind(OperationType.MUTATION, "create", False, ("data", "upsert"), "records"),
    CREATE_MANY: _Kind(OperationType.MUTATION, "create", True, ("data", "upsert"), "records"),
    UPDATE_ONE: _Kind(OperationType.MUTATION, "update", False, ("id", "data"), "records"),
    UPDATE_MANY: _Kind(OperationType.MUTATION, "update", True, ("filter", "data"), "records"),
    DELETE_ONE: _Kind(OperationType.MUTATION, "delete", False, ("id",), "ids"),
    DELETE_MANY: _Kind(OperationType.MUTATION, "delete", True, ("filter",), "ids"),
    DESTROY_ONE: _Kind(OperationType.MUTATION, "destroy", False, ("id",), "ids"),
    DESTROY_MANY: _Kind(OperationType.MUTATION, "destroy", True, ("filter",), "ids"),
    RESTORE_ONE: _Kind(OperationType.MUTATION, "restore", False, ("id",), "records"),
    RESTORE_MANY: _Kind(OperationType.MUTATION, "restore", True, ("filter",), "records"),
}


@dataclass(frozen=True)
class Operation:
    """A ready document and what its answer holds."""

    document: DocumentNode
    root_field: str  # the field under `data` in the GraphQL result
    connection: bool  # a findMany connection, to flatten
    nested_lists: tuple[str, ...]  # one-to-many fields selected as connections, to flatten


def root_field(kind: str, obj: ObjectMeta) -> str:
    """Twenty's resolver name: `people`, `person`, `createPerson`, `destroyPeople`…"""
    spec = KINDS[kind]
    name = obj.name_plural if spec.plural else obj.name_singular
    return f"{spec.prefix}{pascal(name)}" if spec.prefix else name


# Shapes with a `fields=` projection kept per schema version: the combinations are the
# client's to choose, so past this many a shape is built for its request and not kept.
MAX_PROJECTED_SHAPES = 256


def operation(
    core: CoreSchema, kind: str, obj: ObjectMeta, depth: int, fields: frozenset[str] | None = None
) -> Operation:
    """The cached operation of this shape, built on first use for this schema version;
    `fields` (REST's `fields=`) keeps only those fields of the records."""
    if KINDS[kind].returns == "ids":
        depth, fields = 0, None  # deletes answer ids only, whatever the depth
    key = ("rest_shim.core", kind, obj.name_singular, depth, fields)
    found: Operation | None = core.derived.get(key)
    if found is None:
        found = _build(core, kind, obj, depth, fields)
        projected = core.derived.setdefault(("rest_shim.core", "projected"), [0])
        if fields is None or projected[0] < MAX_PROJECTED_SHAPES:
            core.derived[key] = found
            projected[0] += fields is not None
    return found


def _name(value: str) -> NameNode:
    return NameNode(value=value)


def _field(
    name: str, selections: list[FieldNode] | None = None, arguments: list[ArgumentNode] | None = None
) -> FieldNode:
    return FieldNode(
        name=_name(name),
        arguments=tuple(arguments or ()),
        directives=(),
        selection_set=SelectionSetNode(selections=tuple(selections)) if selections is not None else None,
    )


def _type_node(type_: GraphQLInputType) -> TypeNode:
    if isinstance(type_, GraphQLNonNull):
        inner = _type_node(type_.of_type)
        assert isinstance(inner, NamedTypeNode | ListTypeNode)
        return NonNullTypeNode(type=inner)
    if isinstance(type_, GraphQLList):
        return ListTypeNode(type=_type_node(type_.of_type))
    return NamedTypeNode(name=_name(type_.name))


def _sub_field(sub: SubField) -> FieldNode:
    """A composite's sub-field; a typed list (`additionalPhones`) with its items' keys."""
    if sub.item_type and sub.items is not None:
        return _field(sub.name, [_field(key) for key in sub.items.keys])
    return _field(sub.name)


def record_fields(
    model: WorkspaceModel, obj: ObjectMeta, depth: int, only: frozenset[str] | None = None
) -> list[FieldNode]:
    """Depth 0: scalars, composites (all sub-fields) and join-column ids. Depth 1 adds each
    many-to-one record and each one-to-many list, with their depth-0 fields. Older Twenty
    names of fields are answered too (after the current ones), for clients that read them.
    `only` (REST's `fields=`) keeps the fields of those names (a many-to-one relation's name
    keeps its join column too)."""
    fields: list[FieldNode] = []
    for meta in (*obj.fields, *obj.aliases):
        if only is not None and meta.name not in only:
            continue
        if meta.relation_type == MANY_TO_ONE:
            fields.append(_field(meta.join_column or f"{meta.name}Id"))
            if depth > 0:
                fields.append(_field(meta.name, record_fields(model, model.target_of(meta), 0)))
        elif meta.relation_type == ONE_TO_MANY:
            if depth > 0:
                node = _field("node", record_fields(model, model.target_of(meta), 0))
                fields.append(_field(meta.name, [_field("edges", [node])]))
        elif meta.composite is not None:
            fields.append(_field(meta.name, [_sub_field(sub) for sub in meta.composite.sub_fields]))
        elif meta.type == "FILES":
            fields.append(_field(meta.name, [_field(key) for key in FILE_OBJECT_FIELDS]))
        else:
            fields.append(_field(meta.name))
    return fields


def _build(core: CoreSchema, kind: str, obj: ObjectMeta, depth: int, only: frozenset[str] | None) -> Operation:
    spec = KINDS[kind]
    name = root_field(kind, obj)
    root_type = core.schema.query_type if spec.operation == OperationType.QUERY else core.schema.mutation_type
    assert isinstance(root_type, GraphQLObjectType)
    args = root_type.fields[name].args
    if spec.returns == "ids":
        selections = [_field("id")]
    else:
        selections = record_fields(core.model, obj, depth, only) or [_field("id")]
    if spec.returns == "connection":
        selections = [
            _field("totalCount"),
            _field("pageInfo", [_field(n) for n in PAGE_INFO]),
            _field("edges", [_field("node", selections)]),
        ]
    root = _field(
        name,
        selections,
        [ArgumentNode(name=_name(a), value=VariableNode(name=_name(a))) for a in spec.arguments],
    )
    definition = OperationDefinitionNode(
        operation=spec.operation,
        name=_name(f"Rest{pascal(kind)}{pascal(obj.name_singular)}"),
        variable_definitions=tuple(
            VariableDefinitionNode(variable=VariableNode(name=_name(a)), type=_type_node(args[a].type), directives=())
            for a in spec.arguments
        ),
        directives=(),
        selection_set=SelectionSetNode(selections=(root,)),
    )
    document = DocumentNode(definitions=(definition,))
    errors = core.documents.check(core.schema, document)  # the cost limits hold for REST as for GraphQL
    if errors and (errors[0].extensions or {}).get("subCode"):
        raise BadUserInput(f"{errors[0].message} (ask for depth=0, or fewer fields)")
    if errors:  # a bug of ours, not the caller's: fail loudly
        raise RuntimeError(f"REST operation {kind} on {obj.name_singular} is invalid: {errors[0].message}")
    nested = tuple(
        m.name for m in obj.fields
        if depth > 0 and spec.returns != "ids" and m.relation_type == ONE_TO_MANY and (only is None or m.name in only)
    )
    return Operation(document, name, spec.returns == "connection", nested)


def flatten(record: Any, nested_lists: tuple[str, ...]) -> Any:
    """A record with its one-to-many connections turned into plain lists of records."""
    if not isinstance(record, dict) or not nested_lists:
        return record
    for name in nested_lists:
        value = record.get(name)
        if isinstance(value, dict):
            record[name] = [edge["node"] for edge in value.get("edges") or ()]
    return record


def reshape(op: Operation, data: Any) -> Any:
    """The value REST puts under its envelope key: records or lists of them, flattened."""
    if op.connection:
        return [flatten(edge["node"], op.nested_lists) for edge in data["edges"]]
    if isinstance(data, list):
        return [flatten(item, op.nested_lists) for item in data]
    return flatten(data, op.nested_lists)


def without_nulls(value: Any) -> Any:
    """REST's `omit_null_values=true`: records (and their composites and related records)
    without the keys whose value is null."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def variables(**values: Any) -> dict[str, Any]:
    """Variables without the absent ones, so an unused argument is not even passed."""
    return {k: v for k, v in values.items() if v is not None}
