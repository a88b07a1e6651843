"""Permissions in the compile step: a document checked against the caller's role before it runs.

Every operation — GraphQL, the REST shims' documents, MCP tools — reaches `run_operation`,
which asks here first. The document is walked once per (document, role) and the verdict kept
(by identity, held weakly with the document): a root field the role may not use (reading an
object, creating, updating, soft-deleting, restoring, destroying; a `/metadata` mutation
without its permission flag), a field it may not read, a relation to an object it may not
read, an aggregate over such a field — each refuses the whole document with Twenty's
PERMISSION_DENIED before anything runs. Arguments naming fields (filter, orderBy, groupBy)
are checked at the same time when they are literals, and per request, on their values, when
they hold variables.

Rows are not decided here: the role's row filter is ANDed into every command by the scoped
collections (`permissions.scoped`); fields written are checked where record inputs are
prepared (`execute.records`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    Visitor,
    get_named_type,
    value_from_ast_untyped,
    visit,
)
from graphql.language.visitor import BREAK

from schema_builder.compile.identity_cache import IdentityCache
from schema_builder.errors import DocgateError
from schema_builder.metadata.model import ObjectMeta, WorkspaceModel, pascal
from schema_builder.permissions.arguments import check_argument
from schema_builder.permissions.errors import FieldPermissionDenied, PermissionDenied
from schema_builder.permissions.model import (
    CREATE,
    DESTROY,
    READ,
    SOFT_DELETE,
    UPDATE,
    CompiledPermissions,
)

METADATA_API = "metadata"  # `schema.extensions["docgate.api"]` of the /metadata schema
ARGUMENTS = ("filter", "orderBy", "groupBy", "orderByForRecords")
AGGREGATE_PREFIXES = (  # longest first: countNotEmpty before countEmpty before count
    "percentageNotEmpty", "percentageEmpty", "countUniqueValues", "countNotEmpty", "countEmpty", "countTrue",
    "countFalse", "count", "avg", "sum", "min", "max",
)
_CONNECTION_FIELDS = frozenset({"edges", "pageInfo", "totalCount", "groupByDimensionValues", "__typename"})
# /metadata root fields → the permission flag they need (None: any key may use them).
METADATA_FLAGS: Mapping[str, str | None] = {
    **dict.fromkeys(("objects", "object", "fields", "field", "objectRecordCounts", "currentWorkspace"), None),
    **dict.fromkeys(("createOneObject", "updateOneObject", "deleteOneObject", "createOneField", "updateOneField",
                     "deleteOneField"), "DATA_MODEL"),
    **dict.fromkeys(("apiKeys", "apiKey", "getApiKeyRoles", "createApiKey", "updateApiKey", "revokeApiKey",
                     "generateApiKeyToken", "assignRoleToApiKey", "webhooks", "webhook", "webhookDeliveries",
                     "webhookDelivery", "createWebhook", "updateWebhook", "deleteWebhook", "replayWebhookDelivery",
                     "replayDeadWebhookDeliveries"), "API_KEYS_AND_WEBHOOKS"),
    # Event streams: any key; each event is shown as the key's role may see it (permissions.events).
    **dict.fromkeys(("onEventSubscription", "addQueryToEventStream", "removeQueryFromEventStream"), None),
    **dict.fromkeys(("getRoles", "createOneRole", "updateOneRole", "deleteOneRole", "upsertObjectPermissions",
                     "upsertFieldPermissions", "upsertPermissionFlags", "upsertRowLevelPermissionPredicates"),
                    "ROLES"),
}


@dataclass(frozen=True, slots=True)
class Site:
    """An argument holding variables: checked per request, on its value."""

    obj: ObjectMeta
    kind: str
    node: ValueNode
    root: FieldNode  # the root field it is under


@dataclass(frozen=True, slots=True)
class Verdict:
    error: DocgateError | None = None
    root: FieldNode | None = None  # the root field refused
    sites: tuple[Site, ...] = ()


_verdicts: IdentityCache[Verdict] = IdentityCache()


def refusal(
    permissions: CompiledPermissions, schema: GraphQLSchema, document: DocumentNode,
    variables: Mapping[str, Any] | None, operation_name: str | None = None,
) -> ExecutionResult | None:
    """The answer refusing `document` for this role (and these variables), or None.

    A refused document runs not at all. It is answered as Twenty answers a refused root field:
    `PERMISSION_DENIED` on that field's path, and `data` with the operation's root fields null
    (or `data: null` when one of them may not be null)."""
    verdict = _verdicts.get((document, permissions), None, lambda: _analyse(permissions, schema, document))
    error, root = verdict.error, verdict.root
    if error is None and verdict.sites:
        for site in verdict.sites:
            try:
                value = value_from_ast_untyped(site.node, dict(variables or {}))
                check_argument(permissions, permissions.model, site.obj, site.kind, value)
            except DocgateError as denied:
                error, root = denied, site.root
                break
            except Exception:  # noqa: S112 - a malformed variable: graphql-core's coercion words the error
                continue
    if error is None:
        return None
    key = None if root is None else (root.alias or root.name).value
    located = GraphQLError(error.message, nodes=root, path=None if key is None else [key], original_error=error)
    return ExecutionResult(_null_roots(schema, document, operation_name), [located])


def _null_roots(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> dict[str, Any] | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)
                  and (operation_name is None or (d.name is not None and d.name.value == operation_name))]
    if len(operations) != 1:
        return None
    operation = operations[0]
    root = schema.mutation_type if operation.operation == OperationType.MUTATION else schema.query_type
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    data: dict[str, Any] = {}
    for node in _root_fields(operation.selection_set, fragments, set()):
        definition = root.fields.get(node.name.value) if root is not None else None
        if definition is None or isinstance(definition.type, GraphQLNonNull):
            return None
        data[(node.alias or node.name).value] = None
    return data


def _root_fields(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode], seen: set[str]
) -> Iterator[FieldNode]:
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            yield node
        elif isinstance(node, InlineFragmentNode):
            yield from _root_fields(node.selection_set, fragments, seen)
        elif isinstance(node, FragmentSpreadNode) and node.name.value in fragments and node.name.value not in seen:
            seen.add(node.name.value)
            yield from _root_fields(fragments[node.name.value].selection_set, fragments, seen)


def _analyse(permissions: CompiledPermissions, schema: GraphQLSchema, document: DocumentNode) -> Verdict:
    walker = _Walker(permissions, schema, document)
    try:
        walker.run()
    except DocgateError as denied:
        return Verdict(denied, walker.root)
    return Verdict(None, None, tuple(walker.sites))


@dataclass(frozen=True)
class _Types:
    """The core schema's names, per object: root fields and the types holding records."""

    roots: Mapping[str, tuple[ObjectMeta, tuple[str, ...]]]
    records: Mapping[str, ObjectMeta]
    connections: Mapping[str, ObjectMeta]


def _types(permissions: CompiledPermissions) -> _Types:
    found: _Types | None = permissions.derived.get("compile.permissions.types")
    if found is None:
        found = permissions.derived["compile.permissions.types"] = _types_of(permissions.model)
    return found


def _types_of(model: WorkspaceModel) -> _Types:
    roots: dict[str, tuple[ObjectMeta, tuple[str, ...]]] = {}
    records: dict[str, ObjectMeta] = {}
    connections: dict[str, ObjectMeta] = {}
    for obj in model.objects:
        s, p = pascal(obj.name_singular), pascal(obj.name_plural)
        for name in (obj.name_plural, obj.name_singular, f"{obj.name_plural}GroupBy", f"{obj.name_singular}Duplicates",
                     f"{obj.name_singular}Events"):
            roots[name] = (obj, (READ,))
        for prefix, action in (("create", CREATE), ("update", UPDATE), ("delete", SOFT_DELETE),
                               ("restore", SOFT_DELETE), ("destroy", DESTROY)):
            roots[f"{prefix}{s}"] = roots[f"{prefix}{p}"] = (obj, (action,))
        roots[f"merge{p}"] = (obj, (UPDATE, SOFT_DELETE))  # a merge updates one record and trashes the others
        records[s] = obj
        connections[f"{s}Connection"] = connections[f"{s}GroupByConnection"] = obj
    return _Types(roots, records, connections)


class _Walker:
    def __init__(self, permissions: CompiledPermissions, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.permissions = permissions
        self.schema = schema
        self.metadata = schema.extensions.get("docgate.api") == METADATA_API
        self.types = None if self.metadata else _types(permissions)
        self.operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.sites: list[Site] = []
        self.walked: set[tuple[int, str]] = set()  # (selection set, type) pairs already walked
        self.root: FieldNode | None = None  # the root field being walked

    def run(self) -> None:
        for operation in self.operations:
            root = self._root_type(operation.operation)
            for node in self._fields(operation.selection_set, set()):
                self.root = node
                self._root_field(node, root)

    def _root_type(self, operation: OperationType) -> GraphQLObjectType | None:
        if operation == OperationType.QUERY:
            return self.schema.query_type
        if operation == OperationType.MUTATION:
            return self.schema.mutation_type
        return self.schema.subscription_type

    def _fields(self, selection_set: SelectionSetNode, seen: set[str]) -> Iterator[FieldNode]:
        """The fields of a selection set, through fragments (each fragment once per level)."""
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                yield node
            elif isinstance(node, InlineFragmentNode):
                yield from self._fields(node.selection_set, seen)
            elif isinstance(node, FragmentSpreadNode):
                fragment = self.fragments.get(node.name.value)
                if fragment is not None and node.name.value not in seen:
                    seen.add(node.name.value)
                    yield from self._fields(fragment.selection_set, seen)

    def _root_field(self, node: FieldNode, root: GraphQLObjectType | None) -> None:
        name = node.name.value
        if name.startswith("__"):
            return  # introspection: the schema is the same for every key
        if root is None or name not in root.fields:
            return  # not in the schema: validation refuses it (this check may run before validation)
        if self.metadata:
            if name not in METADATA_FLAGS:
                raise PermissionDenied()  # a root field this check does not know: refused, not let through
            flag = METADATA_FLAGS[name]
            if flag is not None and not self.permissions.has_flag(flag):
                raise PermissionDenied()
            return
        assert self.types is not None
        entry = self.types.roots.get(name)
        if entry is None and name != "search":  # search reads through the scoped collections
            raise PermissionDenied()
        if entry is not None:
            obj, actions = entry
            if not all(self.permissions.can(obj, action) for action in actions):
                raise PermissionDenied()
            self._arguments(node, obj)
        definition = root.fields.get(name) if root is not None else None
        if definition is not None and node.selection_set is not None:
            self._selection(node.selection_set, get_named_type(definition.type))

    def _arguments(self, node: FieldNode, obj: ObjectMeta) -> None:
        for argument in node.arguments or ():
            kind = argument.name.value
            if kind not in ARGUMENTS:
                continue
            kind = "orderBy" if kind == "orderByForRecords" else kind
            if _holds_variables(argument.value):
                assert self.root is not None
                self.sites.append(Site(obj, kind, argument.value, self.root))
            else:
                value = value_from_ast_untyped(argument.value)
                check_argument(self.permissions, self.permissions.model, obj, kind, value)

    def _selection(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None) -> None:
        if not isinstance(parent, GraphQLObjectType):
            return
        key = (id(selection_set), parent.name)
        if key in self.walked:
            return
        self.walked.add(key)
        assert self.types is not None
        record_of = self.types.records.get(parent.name)
        connection_of = self.types.connections.get(parent.name)
        for node in self._fields(selection_set, set()):
            name = node.name.value
            if name == "__typename":
                continue
            if record_of is not None:
                self._record_field(record_of, node)
            elif connection_of is not None and name not in _CONNECTION_FIELDS:
                self._aggregate(connection_of, name)
            definition = parent.fields.get(name)
            if definition is not None and node.selection_set is not None:
                self._selection(node.selection_set, get_named_type(definition.type))

    def _record_field(self, obj: ObjectMeta, node: FieldNode) -> None:
        name = node.name.value
        access = self.permissions.access(obj)
        if name in access.unreadable:
            raise FieldPermissionDenied("read", name, obj.name_singular)
        meta = obj.field(obj.canonical_name(name))
        if meta is None or meta.relation_type is None:
            return
        target = self.permissions.model.by_id(meta.target_object_id or "")
        if target is None:
            return
        if not self.permissions.can(target, READ):
            raise PermissionDenied()  # as Twenty: a relation to an object the role cannot read
        self._arguments(node, target)

    def _aggregate(self, obj: ObjectMeta, name: str) -> None:
        """`countEmptyJobTitle`, `sumAmountAmountMicros`…: refused over a field the role cannot read."""
        access = self.permissions.access(obj)
        if not access.unreadable:
            return
        prefix = next((p for p in AGGREGATE_PREFIXES if name.startswith(p)), None)
        if prefix is None:
            return
        rest = name[len(prefix):]
        rest = rest[:1].lower() + rest[1:]
        field = max((f for f in access.unreadable if rest.startswith(f)), key=len, default=None)
        if field is not None:
            raise FieldPermissionDenied("read", field, obj.name_singular)


def _holds_variables(node: ValueNode) -> bool:
    class Finder(Visitor):
        found = False

        def enter_variable(self, *_: Any) -> Any:
            self.found = True
            return BREAK

    if isinstance(node, VariableNode):
        return True
    finder = Finder()
    visit(node, finder)
    return finder.found
