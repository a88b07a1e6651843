"""What a GraphQL document may ask for, checked before it is validated or run.

Twenty's rules, with Twenty's messages: at most `max_fields` fields (GRAPHQL_MAX_FIELDS)
and `max_root_resolvers` root fields (GRAPHQL_MAX_ROOT_RESOLVERS) per document, no root
field asked twice, and on the core schema no one-to-many relation nested inside another
(TOO_COMPLEX_QUERY). docgate adds what stops the remaining hostile shapes: a depth limit,
caps on aliases, fragment definitions, directives and aggregate fields (each is work over
every matching record). (Introspection lists nested in one
another are refused by graphql-core's own `MaxIntrospectionDepthRule` when it validates.)

Every count is of the document as it would run: a fragment counts each time it is spread,
so an alias or fragment bomb counts what it expands to. Each fragment is measured once and
its figures reused, so the check itself is linear in the document, whatever it expands to.
Unknown fields and types are counted but not typed (validation reports them next).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

from schema_builder.context import Limits
from schema_builder.synthesis.aggregate_types import is_aggregate_field


@dataclass(frozen=True, slots=True)
class _Figures:
    """What a selection set costs, wherever it is spread."""

    fields: int = 0
    depth: int = 0  # levels of fields, this one included
    aliases: int = 0
    one_to_many: int = 0  # most one-to-many relations along one path
    aggregates: int = 0  # aggregate fields of connections (totalCount, countEmptyX, …)

    def __add__(self, other: _Figures) -> _Figures:
        return _Figures(
            self.fields + other.fields,
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            max(self.one_to_many, other.one_to_many),
            self.aggregates + other.aggregates,
        )


class TooComplex(Exception):
    def __init__(self, message: str, sub_code: str = "TOO_COMPLEX_QUERY") -> None:
        super().__init__(message)
        self.sub_code = sub_code


def check_cost(
    schema: GraphQLSchema, document: DocumentNode, limits: Limits, *, relations: bool
) -> GraphQLError | None:
    """The error that refuses `document`, or None. `relations`: apply the core schema's
    rule on nested one-to-many relations (connections below the root)."""
    try:
        _Meter(schema, document, limits, relations).check()
    except TooComplex as refusal:
        return GraphQLError(
            str(refusal),
            extensions={"code": "BAD_USER_INPUT", "subCode": refusal.sub_code,
                        "userFriendlyMessage": "The request is too complex to process."},
        )
    return None


class _Meter:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, limits: Limits, relations: bool) -> None:
        self.schema = schema
        self.limits = limits
        self.relations = relations
        self.operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.measured: dict[str, _Figures] = {}
        self.measuring: set[str] = set()
        self.directives = 0

    def check(self) -> None:
        limits = self.limits
        if len(self.fragments) > limits.max_fragments:
            raise TooComplex(
                f"Query too complex - Too many fragments defined: {len(self.fragments)} - "
                f"Maximum allowed fragments: {limits.max_fragments}"
            )
        total = _Figures()
        roots: list[str] = []
        for operation in self.operations:
            self.directives += len(operation.directives or ())
            root = self.root_type(operation.operation)
            total = total + self.selections(operation.selection_set, root, 0, roots)
        seen: set[str] = set()
        for name in roots:
            if name in seen:
                raise TooComplex(f'Duplicate root resolver: "{name}"', "DUPLICATE_ROOT_RESOLVER")
            seen.add(name)
        if total.depth > limits.max_depth:
            raise TooComplex(
                f"Query too complex - Too many nested fields requested: {total.depth} - "
                f"Maximum allowed nested fields: {limits.max_depth}"
            )
        if total.fields > limits.max_fields:
            raise TooComplex(
                f"Query too complex - Too many fields requested: {total.fields} - "
                f"Maximum allowed fields: {limits.max_fields}"
            )
        if len(roots) > limits.max_root_resolvers:
            raise TooComplex(
                f"Query too complex - Too many root resolvers requested: {len(roots)} - "
                f"Maximum allowed root resolvers: {limits.max_root_resolvers}"
            )
        if total.aliases > limits.max_aliases:
            raise TooComplex(
                f"Query too complex - Too many aliases: {total.aliases} - Maximum allowed aliases: {limits.max_aliases}"
            )
        if self.directives > limits.max_directives:
            raise TooComplex(
                f"Query too complex - Too many directives: {self.directives} - "
                f"Maximum allowed directives: {limits.max_directives}"
            )
        if total.aggregates > limits.max_aggregate_fields:
            raise TooComplex(
                f"Query too complex - Too many aggregate fields requested: {total.aggregates} - "
                f"Maximum allowed aggregate fields: {limits.max_aggregate_fields} (DOCGATE_MAX_AGGREGATE_FIELDS)"
            )
        if total.one_to_many > 1:
            raise TooComplex(
                "Query complexity is too high. One-to-Many relation cannot be nested in another One-to-Many relation."
            )

    def root_type(self, operation: OperationType) -> GraphQLObjectType | None:
        if operation == OperationType.QUERY:
            return self.schema.query_type
        if operation == OperationType.MUTATION:
            return self.schema.mutation_type
        return self.schema.subscription_type

    def selections(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None, level: int, roots: list[str] | None
    ) -> _Figures:
        """The figures of a selection set whose fields sit at `level` (0: the root); root
        field names are collected into `roots`."""
        total = _Figures()
        for node in selection_set.selections:
            self.directives += len(node.directives or ())
            if isinstance(node, FieldNode):
                total = total + self.field(node, parent, level, roots)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total = total + self.selections(node.selection_set, inner, level, roots)
            elif isinstance(node, FragmentSpreadNode):
                total = total + self.spread(node.name.value, level, roots)
        return total

    def spread(self, name: str, level: int, roots: list[str] | None) -> _Figures:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.measuring:
            return _Figures()  # unknown or cyclic: validation refuses the document
        if roots is not None:  # at the root, the names matter: no memo (root fragments are rare and flat)
            self.measuring.add(name)
            try:
                return self.selections(fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value),
                                       level, roots)
            finally:
                self.measuring.discard(name)
        figures = self.measured.get(name)
        if figures is None:
            self.measuring.add(name)
            self.directives += len(fragment.directives or ())
            try:
                parent = self.schema.get_type(fragment.type_condition.name.value)
                figures = self.measured[name] = self.selections(fragment.selection_set, parent, 1, None)
            finally:
                self.measuring.discard(name)
        return _Figures(figures.fields, figures.depth - 1 + level, figures.aliases, figures.one_to_many,
                        figures.aggregates)

    def field(self, node: FieldNode, parent: GraphQLNamedType | None, level: int, roots: list[str] | None) -> _Figures:
        name = node.name.value
        if roots is not None and not name.startswith("__"):
            roots.append(name)
        definition = _META_FIELDS.get(name)
        if definition is None and isinstance(parent, GraphQLObjectType):
            definition = parent.fields.get(name)
        named = get_named_type(definition.type) if definition is not None else None
        inner = _Figures()
        if node.selection_set is not None:
            inner = self.selections(node.selection_set, named, level + 1, None)
        one_to_many = inner.one_to_many
        if self.relations and level > 0 and named is not None and named.name.endswith("Connection"):
            one_to_many += 1
        aggregate = self.relations and definition is not None and isinstance(parent, GraphQLObjectType) \
            and is_aggregate_field(parent.name, name)
        return _Figures(1 + inner.fields, max(level + 1, inner.depth), inner.aliases + (node.alias is not None),
                        one_to_many, inner.aggregates + aggregate)


_META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}  # on every root, in no type's fields
