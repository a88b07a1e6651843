"""Core REST find-duplicates and merge: `POST /rest/{plural}/duplicates`, `PATCH /rest/{plural}/merge`.

As every REST call, each becomes one operation of the workspace's Core GraphQL schema
(`<singular>Duplicates`, `merge<Plural>`), built as an AST once per (object, depth) and run
in-process; answers take Twenty's REST shape: `{"data": [{"personDuplicates": [...],
"totalCount": n, "pageInfo": {...}}, ...]}` and `{"data": {"mergePerson": {...}}}` (the
singular, as Twenty's REST names it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLObjectType,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    parse_type,
)
from graphql.language import ArgumentNode

from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import ObjectMeta, WorkspaceModel, pascal
from schema_builder.permissions.model import CompiledPermissions
from schema_builder.search.duplicate_keys import duplicate_criteria
from schema_builder.synthesis.core_schema import CoreSchema
from schema_builder.synthesis.search_types import duplicates_field_name, merge_field_name

from .graphql_errors import raise_for_rest_errors
from .operations import PAGE_INFO, flatten, record_fields
from .params import parse_depth

Execute = Callable[[DocumentNode, dict[str, Any]], Awaitable[ExecutionResult]]
DUPLICATES, MERGE = "duplicates", "merge"


def dedupe_route(model: WorkspaceModel, path: str) -> tuple[str, ObjectMeta] | None:
    """(`duplicates` or `merge`, object) for `/rest/{plural}/duplicates|merge`, else None."""
    segments = path.strip("/").split("/")
    if len(segments) != 2 or segments[1] not in (DUPLICATES, MERGE):
        return None
    obj = model.by_plural(segments[0])
    return (segments[1], obj) if obj is not None else None


def _field(name: str, selections: list[FieldNode] | None = None, arguments: tuple[str, ...] = ()) -> FieldNode:
    return FieldNode(
        name=NameNode(value=name),
        arguments=tuple(ArgumentNode(name=NameNode(value=a), value=VariableNode(name=NameNode(value=a)))
                        for a in arguments),
        directives=(),
        selection_set=SelectionSetNode(selections=tuple(selections)) if selections is not None else None,
    )


def _document(
    core: CoreSchema, kind: str, obj: ObjectMeta, depth: int, permissions: CompiledPermissions | None
) -> tuple[DocumentNode, str]:
    """The operation of one shape, cached with the schema version (per role for a restricted key)."""
    key = ("rest_shim.dedupe", kind, obj.name_singular, depth)
    derived = core.derived if permissions is None else permissions.derived
    found: tuple[DocumentNode, str] | None = derived.get(key)
    if found is not None:
        return found
    records = record_fields(core.model, obj, depth, permissions=permissions)
    if kind == DUPLICATES:
        root_name, operation, root_type = duplicates_field_name(obj), OperationType.QUERY, core.schema.query_type
        selections = [_field("totalCount"), _field("pageInfo", [_field(n) for n in PAGE_INFO]),
                      _field("edges", [_field("node", records)])]
    else:
        root_name, operation, root_type = merge_field_name(obj), OperationType.MUTATION, core.schema.mutation_type
        selections = records
    assert isinstance(root_type, GraphQLObjectType)
    args = root_type.fields[root_name].args
    definition = OperationDefinitionNode(
        operation=operation,
        name=NameNode(value=f"Rest{pascal(kind)}{pascal(obj.name_singular)}"),
        variable_definitions=tuple(
            VariableDefinitionNode(variable=VariableNode(name=NameNode(value=a)), type=parse_type(str(arg.type)),
                                   directives=())
            for a, arg in args.items()
        ),
        directives=(),
        selection_set=SelectionSetNode(selections=(_field(root_name, selections, tuple(args)),)),
    )
    document = DocumentNode(definitions=(definition,))
    errors = core.documents.check(core.schema, document)  # the cost limits hold for REST as for GraphQL
    if errors:
        raise BadUserInput(f"{errors[0].message} (ask for depth=0, or fewer fields)")
    found = derived[key] = (document, root_name)
    return found


def _nested(model: WorkspaceModel, obj: ObjectMeta, depth: int) -> tuple[str, ...]:
    return tuple(f.name for f in obj.fields if depth > 0 and f.relation_type == "ONE_TO_MANY")


async def handle_dedupe(
    kind: str, obj: ObjectMeta, method: str, params: Mapping[str, str], body: Any, core: CoreSchema, execute: Execute,
    permissions: CompiledPermissions | None = None,
) -> tuple[int, Any]:
    """Serve `POST …/duplicates` or `PATCH …/merge`: (HTTP status, JSON body)."""
    allowed = "POST" if kind == DUPLICATES else "PATCH"
    if method.upper() != allowed:
        raise BadUserInput(f"{method.upper()} is not allowed on /rest/{obj.name_plural}/{kind}; use {allowed}")
    if not isinstance(body, dict):
        raise BadUserInput(f"the body must be a JSON object, e.g. {_EXAMPLES[kind]}")
    if not duplicate_criteria(obj):
        what = "Find duplicates" if kind == DUPLICATES else "Merge"
        raise BadUserInput(f"{what} is only available for objects with duplicate criteria. Object "
                           f"'{obj.name_singular}' does not have duplicate criteria defined.")
    depth = parse_depth(params.get("depth"))
    document, root = _document(core, kind, obj, depth, permissions)
    wanted = ("ids", "data") if kind == DUPLICATES else ("ids", "conflictPriorityIndex", "dryRun")
    unknown = sorted(set(body) - set(wanted))
    if unknown:
        raise BadUserInput(f"unknown key '{unknown[0]}' in the body; expected {', '.join(wanted)}")
    result = await execute(document, {k: body[k] for k in wanted if k in body})
    raise_for_rest_errors(result)
    assert result.data is not None
    nested = _nested(core.model, obj, depth)
    if kind == MERGE:
        return 200, {"data": {f"merge{pascal(obj.name_singular)}": flatten(result.data[root], nested)}}
    answers = [
        {duplicates_field_name(obj): [flatten(e["node"], nested) for e in item["edges"]],
         "totalCount": item["totalCount"], "pageInfo": item["pageInfo"]}
        for item in result.data[root] or ()
    ]
    return 200, {"data": answers}


_EXAMPLES = {DUPLICATES: '{"ids": ["…"]} or {"data": [{…}]}', MERGE: '{"ids": ["…", "…"], "conflictPriorityIndex": 0}'}
