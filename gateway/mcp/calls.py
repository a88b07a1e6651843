"""Running a tool: its arguments become the variables of the operation the REST shim would
run for the same call, executed in-process on the workspace's schema.

So a tool obeys everything a GraphQL or REST request obeys — the compile step's cost limits,
the empty-filter guard and the cap of bulk writes, the records budget, the deadline — and
answers the same records.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from graphql import DocumentNode, ExecutionResult

from rest_shim import operations as ops
from rest_shim.graphql_errors import raise_for_errors
from schema_builder.context import Limits
from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import WorkspaceModel
from schema_builder.permissions.model import CompiledPermissions
from schema_builder.permissions.views import readable_model
from schema_builder.synthesis.core_schema import CoreSchema

from .catalog import PAGING_ARGUMENTS, ToolSpec
from .group_by_tool import OPERATION as GROUP_BY
from .group_by_tool import run_group_by
from .search_tool import NAME as SEARCH
from .search_tool import run_search

Execute = Callable[[DocumentNode, dict[str, Any]], Awaitable[ExecutionResult]]

# operation → (the REST shim's kind of operation, whether the result holds records to trim by `select`)
_KINDS = {
    "find_one": ops.FIND_ONE, "create_one": ops.CREATE_ONE, "create_many": ops.CREATE_MANY,
    "upsert_many": ops.CREATE_MANY, "update_one": ops.UPDATE_ONE, "update_many": ops.UPDATE_MANY,
    "delete_one": ops.DELETE_ONE, "delete_many": ops.DELETE_MANY,
}


async def call_tool(
    spec: ToolSpec, arguments: Mapping[str, Any], core: CoreSchema, execute: Execute, limits: Limits,
    permissions: CompiledPermissions | None = None,
) -> Any:
    """The tool's answer (JSON-able); a DocgateError when the call is refused. A restricted
    key's operations select what its role may read (`permissions`)."""
    if spec.operation == SEARCH:
        return await run_search(arguments, execute)
    if spec.obj is None:
        model = core.model if permissions is None else readable_model(core.model, permissions)
        return metadata_answer(spec.operation, arguments, model)
    if spec.operation == GROUP_BY:
        return await run_group_by(spec.obj, arguments, core, execute, permissions)
    if spec.operation == "find_many":
        return await _find_many(spec, arguments, core, execute, limits, permissions)
    kind = _KINDS[spec.operation]
    args = dict(arguments)
    variables: dict[str, Any]
    if spec.operation == "find_one":
        variables = {"filter": {"id": {"eq": _required(args, "id")}}}
    elif spec.operation in ("create_many", "upsert_many"):
        variables = {"data": _required(args, "records"), "upsert": spec.operation == "upsert_many"}
    elif spec.operation == "create_one":
        variables = {"data": args}
    elif spec.operation == "update_one":
        record_id = _required(args, "id")
        variables = {"id": record_id, "data": {k: v for k, v in args.items() if k != "id"}}
    elif spec.operation in ("update_many", "delete_many"):
        variables = {"filter": _required(args, "filter")}
        if spec.operation == "update_many":
            variables["data"] = _required(args, "data")
    else:  # delete_one
        variables = {"id": _required(args, "id")}
    op = ops.operation(core, kind, spec.obj, 0, permissions=permissions)
    result = await execute(op.document, ops.variables(**variables))
    raise_for_errors(result)
    assert result.data is not None
    return _selected(result.data[op.root_field], args.get("select"))


async def _find_many(
    spec: ToolSpec, arguments: Mapping[str, Any], core: CoreSchema, execute: Execute, limits: Limits,
    permissions: CompiledPermissions | None,
) -> Any:
    assert spec.obj is not None
    filter = {k: v for k, v in arguments.items() if k not in PAGING_ARGUMENTS}
    limit = arguments.get("limit", limits.default_page_size)
    op = ops.operation(core, ops.FIND_MANY, spec.obj, 0, permissions=permissions)
    variables = ops.variables(filter=filter or None, orderBy=arguments.get("orderBy"), first=limit,
                              offset=arguments.get("offset"))
    result = await execute(op.document, variables)
    raise_for_errors(result)
    assert result.data is not None
    page = result.data[op.root_field]
    records = [edge["node"] for edge in page["edges"]]
    return {"records": _selected(records, arguments.get("select")), "count": page["totalCount"],
            "hasNextPage": page["pageInfo"]["hasNextPage"]}


def _required(args: Mapping[str, Any], name: str) -> Any:
    if args.get(name) is None:
        raise BadUserInput(f"the argument '{name}' is required")
    return args[name]


def _selected(records: Any, select: Any) -> Any:
    """Only the fields asked for (and the id), when `select` names some."""
    if not select:
        return records
    keep = {"id", *select}
    if isinstance(records, list):
        return [_selected(r, select) for r in records]
    if isinstance(records, dict):
        return {k: v for k, v in records.items() if k in keep}
    return records


def metadata_answer(operation: str, arguments: Mapping[str, Any], model: WorkspaceModel) -> Any:
    if operation == "list_object_metadata_names":
        return [
            {"nameSingular": o.name_singular, "namePlural": o.name_plural, "labelSingular": o.label_singular,
             "labelPlural": o.label_plural, "description": o.description, "isCustom": o.is_custom}
            for o in model.objects
        ]
    name = arguments.get("objectNameSingular")
    obj = next((o for o in model.objects if o.name_singular == name), None)
    if obj is None:
        known = ", ".join(o.name_singular for o in model.objects)
        raise BadUserInput(f"no object '{name}'; the objects are: {known}")
    return {
        "nameSingular": obj.name_singular, "namePlural": obj.name_plural, "labelSingular": obj.label_singular,
        "fields": [
            {"name": f.name, "type": f.type, "label": f.label, "description": f.description,
             "isNullable": f.is_nullable, "isUnique": f.is_unique,
             **({"options": [o.value for o in f.options]} if f.options else {}),
             **({"relationType": f.relation_type, "joinColumn": f.join_column} if f.relation_type else {})}
            for f in obj.fields
        ],
    }
