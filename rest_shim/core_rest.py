"""The Core REST API (`/rest/{plural}`, `/rest/batch/{plural}`, `/rest/restore/...`).

Each call becomes one operation of the workspace's Core GraphQL schema, run in-process on
the same execution path as `/graphql` (documents cached per shape in `operations`), and its
answer is reshaped into Twenty's REST envelope. Query strings are parsed by the shared
parsers and typed against the schema (`coerce`) before anything runs.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, ExecutionResult

from schema_builder.context import Limits
from schema_builder.errors import BadUserInput, MethodNotAllowed, NotFound
from schema_builder.metadata.model import ObjectMeta, WorkspaceModel
from schema_builder.synthesis.core_schema import CoreSchema

from . import operations as ops
from .coerce import check_record, coerce_filter, coerce_order_by
from .filter_parser import parse_filter, snip
from .graphql_errors import raise_for_errors
from .order_parser import parse_order_by
from .params import parse_bool_flag, parse_depth, parse_fields, parse_limit, parse_uuid

Execute = Callable[[DocumentNode, dict[str, Any]], Awaitable[ExecutionResult]]

RECORD_NOT_FOUND = "Record not found"
PATCH_METHODS = ("PATCH", "PUT")  # PUT is an (undocumented, in Twenty) alias of PATCH
# Twenty endpoints docgate does not serve: a clear 404 rather than "'merge' is not a valid UUID".
UNSUPPORTED = ("duplicates", "merge", "groupBy")


@dataclass(frozen=True)
class Target:
    """What a path designates: a collection, one record, a batch or a restore."""

    obj: ObjectMeta
    record_id: str | None = None
    batch: bool = False
    restore: bool = False


def resolve_object(model: WorkspaceModel, name: str) -> ObjectMeta:
    """The object named by its plural; the singular is a 400 pointing at the plural."""
    obj = model.by_plural(name)
    if obj is not None:
        return obj
    singular = model.by_singular(name)
    if singular is not None:
        raise BadUserInput(f"object '{name}' not found. Did you mean '{singular.name_plural}'?")
    plurals = [o.name_plural for o in model.objects]
    close = difflib.get_close_matches(name, plurals, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise NotFound(f"object '{snip(name)}' not found.{hint}")


def parse_path(model: WorkspaceModel, path: str) -> Target:
    """`people`, `people/<id>`, `batch/people`, `restore/people[/<id>]`, `people[/<id>]/restore`."""
    segments = path.strip("/").split("/") if path.strip("/") else []
    if not segments:
        raise NotFound("no object in the path: use /rest/{object plural}, e.g. /rest/people")
    head, rest = segments[0], segments[1:]
    if head in ("batch", "restore") and rest and model.by_plural(head) is None:
        if head == "batch" and len(rest) == 1:
            return Target(resolve_object(model, rest[0]), batch=True)
        if head == "restore" and len(rest) <= 2:
            return Target(resolve_object(model, rest[0]), _record_id(rest[1:]), restore=True)
        raise NotFound(f"no route /rest/{snip(path)}")
    obj = resolve_object(model, head)
    if rest and rest[-1] == "restore" and len(rest) <= 2:  # newer Twenty spelling
        return Target(obj, _record_id(rest[:-1]), restore=True)
    if len(rest) == 1 and rest[0] in UNSUPPORTED:
        raise NotFound(f"/rest/{obj.name_plural}/{rest[0]} is not supported by docgate")
    if len(rest) > 1:
        raise NotFound(f"no route /rest/{snip(path)}: use /rest/{obj.name_plural} or /rest/{obj.name_plural}/{{id}}")
    return Target(obj, _record_id(rest))


def _record_id(rest: list[str]) -> str | None:
    return parse_uuid(rest[0]) if rest else None


def _wrong_method(method: str, path: str, allowed: str) -> BadUserInput:
    return BadUserInput(f"{method} is not allowed on /rest/{snip(path)}; use {allowed}")


def _json_kind(value: Any) -> str:
    if value is None:
        return "no body"
    kinds = ((dict, "object"), (list, "array"), (str, "string"), (bool, "boolean"), (int | float, "number"))
    return "a JSON " + next((name for cls, name in kinds if isinstance(value, cls)), "value")


def _body_object(body: Any, what: str, core: CoreSchema, obj: ObjectMeta, kind: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadUserInput(f"the body must be a JSON object ({what}), got {_json_kind(body)}")
    check_record(core.schema, obj, body, kind)
    return body


def _body_array(body: Any, limit: int, core: CoreSchema, obj: ObjectMeta) -> list[dict[str, Any]]:
    if not isinstance(body, list):
        got = _json_kind(body)
        raise BadUserInput(f"the body of a batch must be a JSON array of records to create, got {got}")
    if len(body) > limit:
        raise BadUserInput(
            f"Maximum number of records to upsert is {limit}: the batch holds {len(body)} records "
            f"(limit of {limit} per call)"
        )
    for i, item in enumerate(body):
        if not isinstance(item, dict):
            raise BadUserInput(f"item {i} of the batch must be a JSON object (a record to create)")
        check_record(core.schema, obj, item, "Create")
    return body


class _Call:
    """One REST call: its object, parameters and the executor that answers it."""

    def __init__(self, target: Target, params: Mapping[str, str], core: CoreSchema, execute: Execute) -> None:
        self.obj = target.obj
        self.params = params
        self.core = core
        self.execute = execute

    def depth(self) -> int:
        return parse_depth(self.params.get("depth"))

    def fields(self) -> frozenset[str] | None:
        getlist = getattr(self.params, "getlist", None)
        values = getlist("fields") if getlist is not None else [v for v in [self.params.get("fields")] if v is not None]
        return parse_fields(list(values), [f.name for f in self.obj.fields], self.obj.name_singular)

    def shaped(self, records: Any) -> Any:
        """The records as REST answers them: with `omit_null_values=true`, without nulls."""
        if parse_bool_flag("omit_null_values", self.params.get("omit_null_values")):
            return ops.without_nulls(records)
        return records

    def filter(self, required_for: str | None = None) -> dict[str, Any] | None:
        """The `filter` parameter as a GraphQL filter; `required_for` names the bulk operation
        (delete, destroy, update, restore) that may not run without one."""
        raw = self.params.get("filter")
        if raw is None or not raw.strip():
            if required_for is not None:
                raise BadUserInput(
                    f"Filters are mandatory for bulk {required_for} operations: give a non-empty 'filter' "
                    f"(or an id: /rest/{self.obj.name_plural}/{{id}}); refusing to touch every record"
                )
            return None
        return coerce_filter(self.core.schema, self.obj, parse_filter(raw))

    async def run(self, kind: str, depth: int, variables: dict[str, Any]) -> tuple[Any, ops.Operation]:
        op = ops.operation(self.core, kind, self.obj, depth, self.fields())
        result = await self.execute(op.document, variables)
        try:
            raise_for_errors(result)
        except NotFound:
            raise NotFound(RECORD_NOT_FOUND) from None  # Twenty's REST says no more
        assert result.data is not None
        return result.data[op.root_field], op

    async def records(self, kind: str, **variables: Any) -> dict[str, Any]:
        """Envelope `{"data": {<root field>: record(s)}}` of an operation returning records."""
        data, op = await self.run(kind, self.depth(), ops.variables(**variables))
        return {"data": {op.root_field: self.shaped(ops.reshape(op, data))}}

    async def find_many(self, limits: Limits) -> dict[str, Any]:
        limit = parse_limit(self.params.get("limit"), limits.default_page_size, limits.max_page_size)
        after, before = self.params.get("starting_after"), self.params.get("ending_before")
        if after is not None and before is not None:
            raise BadUserInput("use either 'starting_after' or 'ending_before', not both")
        raw_order = self.params.get("order_by")
        order = None if raw_order is None else coerce_order_by(self.core.schema, self.obj, parse_order_by(raw_order))
        paging = {"last": limit, "before": before} if before is not None else {"first": limit, "after": after}
        variables = ops.variables(filter=self.filter(), orderBy=order, **paging)
        data, op = await self.run(ops.FIND_MANY, self.depth(), variables)
        return {
            "data": {self.obj.name_plural: self.shaped(ops.reshape(op, data))},
            "totalCount": data["totalCount"],
            "pageInfo": data["pageInfo"],
        }

    async def delete(self, record_id: str | None) -> dict[str, Any]:
        soft = parse_bool_flag("soft_delete", self.params.get("soft_delete"))
        if record_id is not None:
            kind = ops.DELETE_ONE if soft else ops.DESTROY_ONE
            data, _ = await self.run(kind, 0, {"id": record_id})
            return {"data": {ops.root_field(ops.DELETE_ONE, self.obj): {"id": data["id"]}}}
        kind = ops.DELETE_MANY if soft else ops.DESTROY_MANY
        data, _ = await self.run(kind, 0, {"filter": self.filter(required_for="delete" if soft else "destroy")})
        return {"data": {ops.root_field(ops.DELETE_MANY, self.obj): [{"id": r["id"]} for r in data]}}


async def handle_core_rest(
    method: str,
    path: str,
    params: Mapping[str, str],
    body: Any,
    core: CoreSchema,
    execute: Execute,
    limits: Limits,
) -> tuple[int, Any]:
    """Serve one Core REST call: (HTTP status, JSON body), or raise a DocgateError."""
    method = method.upper()
    target = parse_path(core.model, path)
    if target.obj.audit_log and method != "GET":
        raise MethodNotAllowed(
            f"{target.obj.name_plural} are written by docgate from record changes: they can be read, not changed"
        )
    call = _Call(target, params, core, execute)
    record_id = target.record_id
    upsert = parse_bool_flag("upsert", params.get("upsert")) if method == "POST" else None

    if target.batch:
        if method != "POST":
            raise _wrong_method(method, path, "POST with a JSON array of records")
        records = _body_array(body, limits.max_batch_size, core, target.obj)
        if not records:  # nothing to create: answered here, no operation to run
            return 201, {"data": {ops.root_field(ops.CREATE_MANY, target.obj): []}}
        return 201, await call.records(ops.CREATE_MANY, data=records, upsert=upsert)

    if target.restore:
        if method not in PATCH_METHODS:
            raise _wrong_method(method, path, "PATCH")
        if record_id is not None:
            return 200, await call.records(ops.RESTORE_ONE, id=record_id)
        return 200, await call.records(ops.RESTORE_MANY, filter=call.filter(required_for="restore"))

    if record_id is not None:
        if method == "GET":
            return 200, await call.records(ops.FIND_ONE, filter={"id": {"eq": record_id}})
        if method in PATCH_METHODS:
            body = body if body is not None else {}
            data = _body_object(body, "the fields to update", core, target.obj, "Update")
            return 200, await call.records(ops.UPDATE_ONE, id=record_id, data=data)
        if method == "DELETE":
            return 200, await call.delete(record_id)
        raise _wrong_method(method, path, f"GET, PATCH or DELETE (POST /rest/{target.obj.name_plural} creates)")

    if method == "GET":
        return 200, await call.find_many(limits)
    if method == "POST":
        data = _body_object(body, f"the {target.obj.name_singular} to create", core, target.obj, "Create")
        return 201, await call.records(ops.CREATE_ONE, data=data, upsert=upsert)
    if method in PATCH_METHODS:
        data = _body_object(body, "the fields to update", core, target.obj, "Update")
        return 200, await call.records(ops.UPDATE_MANY, filter=call.filter(required_for="update"), data=data)
    if method == "DELETE":
        return 200, await call.delete(None)
    raise _wrong_method(method, path, "GET, POST, PATCH or DELETE")
