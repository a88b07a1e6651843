"""Compiled execution of read-only queries on a generated schema.

graphql-core completes every field of every record through its general executor (resolve
info, awaitable checks, path bookkeeping): on a page of 50 records with 40 fields each,
that is most of the gateway's CPU. A query's shape is fixed by its document, so it is
compiled once into plain functions that copy the selected values out of the records.

What the compiled path covers: query operations without directives, fragments with or
without type conditions (the core schema has no interfaces or unions), aliases,
`__typename`, resolvers (root fields, relations) called as graphql-core calls them, and
errors of root fields. Anything else — an introspection query, a directive, a variable
that fails to coerce, an error below a root field, a value that does not fit its type —
takes graphql-core's path for the whole operation, which produces the exact answer and
error. Queries only read, so running one again there is safe.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Visitor,
    located_error,
    visit,
)
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.language.visitor import BREAK
from graphql.pyutils import Path, is_awaitable

from schema_builder.compile.coercion import Arguments, Invalid, Variables, compile_arguments
from schema_builder.compile.identity_cache import WeakIdentityMap
from schema_builder.compile.shapers import Step, object_shaper, stored_leaf
from schema_builder.compile.shapers import Unsupported as Unsupported
from schema_builder.compile.shapers import serialize as serialize_value
from schema_builder.execute.loaders import Deferred


class Run:
    """The state of one execution: its context, variables and the work still awaited."""

    __slots__ = ("plan", "context", "variables", "pending", "bound", "_infos", "_args")

    def __init__(self, plan: QueryPlan, context: Any, variables: Any) -> None:
        self.plan = plan
        self.context = context
        self.variables = variables
        # (container, key, awaitable, completer, root field or None), settled level by level
        self.pending: list[tuple[dict[str, Any], str, Any, Completer, FieldPlan | None]] = []
        self._infos: dict[int, GraphQLResolveInfo] = {}
        # Resolvers bound to this request (`resolve.bind(info, args)`), by field plan.
        self.bound: dict[FieldPlan, Callable[[Any], Any]] = {}
        self._args: dict[int, dict[str, Any]] = {}

    def info(self, field: FieldPlan) -> GraphQLResolveInfo:
        """One info per selected field and request: docgate's resolvers read its context,
        field nodes and fragments, never its path (which here has no list indices)."""
        info = self._infos.get(id(field))
        if info is None:
            plan = self.plan
            info = self._infos[id(field)] = GraphQLResolveInfo(
                field.name, list(field.nodes), field.field.type, field.parent_type,
                Path(None, field.key, field.parent_type.name), plan.schema, plan.fragments, None,
                plan.operation, self.variables, self.context, is_awaitable, None, None,  # type: ignore[arg-type]
            )  # fmt: skip
        return info

    def args(self, field: FieldPlan) -> dict[str, Any]:
        args = self._args.get(id(field))
        if args is None:
            if field.arguments is None:
                args = get_argument_values(field.field, field.nodes[0], self.variables)
            else:
                args = field.arguments(self.variables)
            self._args[id(field)] = args
        return args


Completer = Callable[[Any, Run], Any]


@dataclasses.dataclass(eq=False, slots=True)
class FieldPlan:
    key: str  # the response key: the alias, or the field's name
    name: str
    field: GraphQLField
    parent_type: GraphQLObjectType
    nodes: tuple[FieldNode, ...]
    complete: Completer
    resolve: Callable[..., Any] | None = dataclasses.field(init=False)
    arguments: Arguments | None = dataclasses.field(init=False)  # None: graphql-core coerces them

    def __post_init__(self) -> None:
        self.resolve = self.field.resolve
        try:
            self.arguments = compile_arguments(self.field, self.nodes[0])
        except Invalid:
            self.arguments = None


class QueryPlan:
    """One query operation of a document, compiled against one schema."""

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, lists: bool = False
    ) -> None:
        self.schema = schema
        self.fragments: dict[str, FragmentDefinitionNode] = {}
        operations: list[OperationDefinitionNode] = []
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                if definition.variable_definitions or definition.directives:
                    raise Unsupported("fragment variables or directives")
                self.fragments[definition.name.value] = definition
            elif isinstance(definition, OperationDefinitionNode):
                if operation_name is None or (definition.name and definition.name.value == operation_name):
                    operations.append(definition)
        if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
            raise Unsupported("not exactly one query operation")
        self.operation = operations[0]
        if schema.query_type is None or _has_directives(document):
            raise Unsupported("directives (their arguments may depend on variables)")
        self.root = _Compiler(self.fragments, lists).fields(schema.query_type, [self.operation.selection_set])
        try:
            self.variables: Variables | None = Variables(schema, tuple(self.operation.variable_definitions or ()))
        except Invalid:
            self.variables = None  # defaults or bad types: graphql-core coerces them

    def coerce_variables(self, inputs: Mapping[str, Any] | None) -> Any:
        if self.variables is not None:
            try:
                return self.variables.coerce(dict(inputs or {}))
            except (Invalid, RecursionError):
                raise Unsupported("variables do not coerce") from None  # graphql-core words the errors
        variables = get_variable_values(self.schema, self.operation.variable_definitions or (), dict(inputs or {}))
        if isinstance(variables, list):
            raise Unsupported("variables do not coerce")
        return variables

    async def execute(self, context: Any, inputs: Mapping[str, Any] | None) -> ExecutionResult:
        run = Run(self, context, self.coerce_variables(inputs))
        data: dict[str, Any] | None = {}
        assert data is not None
        for field in self.root:
            if field.resolve is None:  # __typename
                data[field.key] = field.complete(None, run)
                continue
            data[field.key] = None
            run.pending.append((data, field.key, _resolve(field, None, run), field.complete, field))
        errors: list[GraphQLError] = []
        while run.pending:
            level, run.pending = run.pending, []
            results = await _settle([p[2] for p in level])
            for (container, key, _, complete, root), result in zip(level, results, strict=True):
                if isinstance(result, Exception):
                    if root is None:
                        raise Unsupported("an error below a root field") from result
                    errors.append(located_error(result, list(root.nodes), [root.key]))
                    if isinstance(root.field.type, GraphQLNonNull):
                        data = None
                elif isinstance(result, BaseException):
                    raise result
                elif data is not None:
                    container[key] = complete(result, run)
        return ExecutionResult(data, errors or None)


async def _settle(awaitables: list[Any]) -> list[Any]:
    """Their results or exceptions, as `gather(return_exceptions=True)` gives them.

    The relation loaders' answers (one `Deferred` per record and relation, settled together
    by a few batches) are read from their batch's answer, awaited once per batch; futures are
    awaited in turn, most of them already done, instead of being gathered; so is a single
    awaitable (a root field, mostly), without making a task. Several coroutines must run
    concurrently, so that their loaders batch: gathered.
    """
    if len(awaitables) > 1 and not all(a.__class__ is Deferred or isinstance(a, asyncio.Future) for a in awaitables):
        futures = [a.future() if a.__class__ is Deferred else a for a in awaitables]
        return await asyncio.gather(*futures, return_exceptions=True)
    results: list[Any] = []
    answers: dict[asyncio.Future[Any], Mapping[Any, Any]] = {}  # each batch's, once awaited
    for awaitable in awaitables:
        try:
            if awaitable.__class__ is Deferred:
                found = answers.get(awaitable.batch)
                if found is None:
                    found = answers[awaitable.batch] = await awaitable.batch
                results.append(awaitable.value(found))
            else:
                results.append(await awaitable)
        except Exception as exc:
            results.append(exc)
    return results


def _has_directives(document: DocumentNode) -> bool:
    class Finder(Visitor):
        found = False

        def enter_directive(self, *_: Any) -> Any:
            self.found = True
            return BREAK

    finder = Finder()
    visit(document, finder)
    return finder.found


def _resolve(field: FieldPlan, source: Any, run: Run) -> Any:
    resolve = field.resolve
    assert resolve is not None
    try:
        return resolve(source, run.info(field), **run.args(field))
    except Exception as exc:  # raised before any awaiting: graphql-core reports it
        raise Unsupported("a resolver raised") from exc


def _bind(field: FieldPlan, run: Run) -> Callable[[Any], Any]:
    """The field's resolver bound to this request: then called with the record alone."""
    try:
        bound: Callable[[Any], Any] = field.resolve.bind(run.info(field), run.args(field))  # type: ignore[union-attr]
    except Exception as exc:  # raised before any awaiting: graphql-core reports it
        raise Unsupported("a resolver raised") from exc
    run.bound[field] = bound
    return bound


class _Compiler:
    """Selection sets → field plans, each with the completer of its type."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode], lists: bool = False) -> None:
        self.fragments = fragments
        self.lists = lists

    def fields(self, parent: GraphQLObjectType, selection_sets: list[SelectionSetNode]) -> list[FieldPlan]:
        grouped: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect(selection_set, grouped, set())
        plans = []
        for key, nodes in grouped.items():
            name = nodes[0].name.value
            if name == "__typename":
                field = GraphQLField(GraphQLNonNull(GraphQLString))
                plans.append(FieldPlan(key, name, field, parent, tuple(nodes), _constant(parent.name)))
                continue
            field = parent.fields.get(name)
            if field is None:  # __schema and __type: introspection is graphql-core's
                raise Unsupported(f"no field {name} on {parent.name}")
            subsets = [n.selection_set for n in nodes if n.selection_set is not None]
            node = self._only_nodes(field, subsets) if self.lists else None
            complete = self.completer(field.type, subsets) if node is None else self._nodes(field.type, node)
            plans.append(FieldPlan(key, name, field, parent, tuple(nodes), complete))
        return plans

    @staticmethod
    def _only_nodes(field: GraphQLField, subsets: list[SelectionSetNode]) -> FieldNode | None:
        """A one-to-many relation selected as `edges { node { … } }` and nothing else: its `node`."""
        if not getattr(field.resolve, "one_to_many", False) or len(subsets) != 1:
            return None
        edges = subsets[0].selections
        if len(edges) != 1 or not isinstance(edges[0], FieldNode) or edges[0].alias or edges[0].name.value != "edges":
            return None
        nodes = edges[0].selection_set.selections if edges[0].selection_set else ()
        if len(nodes) != 1 or not isinstance(nodes[0], FieldNode) or nodes[0].alias or nodes[0].name.value != "node":
            return None
        return nodes[0]

    def _nodes(self, type_: GraphQLOutputType, node: FieldNode) -> Completer:
        """The completer answering a connection as the list of its nodes (see QueryPlans.get)."""
        connection = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        assert isinstance(connection, GraphQLObjectType)
        edge = connection.fields["edges"].type
        while not isinstance(edge, GraphQLObjectType):
            edge = edge.of_type
        item = self.completer(edge.fields["node"].type, [node.selection_set] if node.selection_set else [])

        def nodes(value: Any, run: Run) -> Any:
            if value is None:
                return None
            return [item(e["node"], run) for e in value["edges"]]

        return nodes

    def _collect(self, selection_set: SelectionSetNode, into: dict[str, list[FieldNode]], seen: set[str]) -> None:
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                key = node.alias.value if node.alias else node.name.value
                into.setdefault(key, []).append(node)
            elif isinstance(node, InlineFragmentNode):
                self._collect(node.selection_set, into, seen)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                if name not in seen:  # a fragment spread twice at one level adds nothing the second time
                    seen.add(name)
                    self._collect(self.fragments[name].selection_set, into, seen)

    def completer(self, type_: GraphQLOutputType, subsets: list[SelectionSetNode]) -> Completer:
        if isinstance(type_, GraphQLNonNull):
            inner = self.completer(type_.of_type, subsets)

            def non_null(value: Any, run: Run) -> Any:
                if value is None:
                    raise Unsupported("null for a non-null field")
                return inner(value, run)

            return non_null
        if isinstance(type_, GraphQLList):
            item = self.completer(type_.of_type, subsets)

            def list_of(value: Any, run: Run) -> Any:
                return None if value is None else [item(v, run) for v in value]

            return list_of
        if isinstance(type_, GraphQLObjectType):
            return self._object(type_, subsets)
        stored = stored_leaf(type_)
        assert stored is not None
        serialize, same = stored.serialize, stored.same

        def leaf(value: Any, run: Run) -> Any:
            if value is None:
                return None
            if value.__class__ is same:
                return value
            return serialize_value(serialize, value)

        return leaf

    def _object(self, type_: GraphQLObjectType, subsets: list[SelectionSetNode]) -> Completer:
        shape: Completer | None = None

        def complete(value: Any, run: Run) -> Any:
            nonlocal shape
            if value is None:
                return None
            if shape is None:  # at first use: relations make the type graph cyclic
                shape = object_shaper(self._steps(type_, subsets), _resolve, _bind)
            return shape(value, run)

        return complete

    def _steps(self, type_: GraphQLObjectType, subsets: list[SelectionSetNode], depth: int = 0) -> list[Step]:
        return [self._step(field, depth) for field in self.fields(type_, subsets)]

    def _step(self, field: FieldPlan, depth: int) -> Step:
        if field.name == "__typename":
            return Step(field.key, field.name, None, None, False, field.complete, None, field.parent_type.name, True)
        name: str | None = field.name
        if field.resolve is not None:
            name = getattr(field.resolve, "stored_key", None)  # a resolver reading another key of the record
            if name is None:
                bindable = getattr(field.resolve, "bind", None) is not None
                return Step(field.key, field.name, None, None, False, field.complete, field, bound=bindable)
        assert name is not None
        type_ = field.field.type
        leaf = stored_leaf(type_)
        if leaf is not None:  # most fields: a stored scalar, copied without further calls
            return Step(field.key, name, leaf, None, False, field.complete, None)
        inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(inner, GraphQLObjectType) and depth < _INLINE_DEPTH:
            subsets = [n.selection_set for n in field.nodes if n.selection_set is not None]
            steps = self._steps(inner, subsets, depth + 1)
            if all(s.leaf is not None or s.typename or s.inline is not None for s in steps):  # a composite value
                return Step(field.key, name, None, steps, isinstance(type_, GraphQLNonNull), field.complete, None)
        return Step(field.key, name, None, None, False, field.complete, None)


# Composite values nest little (a phone list inside phones); deeper objects get their own shaper.
_INLINE_DEPTH = 3


def _constant(value: Any) -> Completer:
    return lambda _value, _run: value


class QueryPlans:
    """Compiled plans per document, held weakly: a plan goes when its document leaves the
    document cache (a plan refers to the document's nodes, never to the document itself)."""

    def __init__(self, verify: bool = False) -> None:
        # Tests: every compiled answer is checked against graphql-core's (run_operation).
        self.verify = verify
        # Operations answered by their compiled plan, by graphql-core after the plan gave up
        # (a value it leaves to graphql-core), and by graphql-core for want of a plan: what
        # shows that the common documents stay on the compiled path.
        self.counts: Counter[str] = Counter()
        self._plans: WeakIdentityMap[DocumentNode, dict[tuple[str | None, bool], QueryPlan | None]] = WeakIdentityMap()

    def get(
        self, schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, lists: bool = False
    ) -> QueryPlan | None:
        """With `lists` (Core REST, which answers them so), a one-to-many relation selected as
        `edges { node { … } }` alone is answered as the list of its nodes: no connection and
        edge objects made per record, then taken apart again."""
        by_name = self._plans.get(document)
        if by_name is None:
            by_name = self._plans[document] = {}
        key = (operation_name, lists)
        if key not in by_name:
            try:
                by_name[key] = QueryPlan(schema, document, operation_name, lists)
            except Unsupported:
                by_name[key] = None
        return by_name[key]
