"""Type definitions → a graphql-core schema, built directly (no SDL text parsed on the way).

Parsing and validating the SDL of a 200-object workspace takes seconds in graphql-core;
constructing the same types from the definitions takes a small fraction of that. The
definitions come from `sdl.workspace_types`, which the snapshot tests print as SDL, and a
test checks that both routes give the same schema.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInt,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    GraphQLType,
)

from schema_builder.synthesis.sdl import FieldDef, TypeDef

_BUILT_IN: dict[str, GraphQLNamedType] = {
    t.name: t for t in (GraphQLString, GraphQLInt, GraphQLFloat, GraphQLBoolean, GraphQLID)
}


def assemble_schema(definitions: Iterable[TypeDef], bound: Collection[str] = ()) -> GraphQLSchema:
    """The schema of `definitions`; `Query` (and `Mutation`, if defined) are its roots.

    The definitions are generated, not written by users, so the schema is assumed valid
    (graphql-core's validation would otherwise run on the first request); the tests
    validate the generated schemas instead.

    A field is made once per distinct definition and shared by the types that have it (a
    connection's 150 aggregates are its groupBy connection's too) — except in the `bound`
    types, whose fields get resolvers set on them afterwards, and so are their own.
    """
    named: dict[str, GraphQLNamedType] = dict(_BUILT_IN)
    memo: dict[str, GraphQLType] = {}

    def ref(reference: str) -> GraphQLType:
        """A type reference such as `[PersonEdge!]!`, resolved once per distinct spelling."""
        found = memo.get(reference)
        if found is None:
            if reference.endswith("!"):
                found = GraphQLNonNull(ref(reference[:-1]))  # type: ignore[type-var]
            elif reference.startswith("["):
                found = GraphQLList(ref(reference[1:-1]))
            else:
                found = named[reference]
            memo[reference] = found
        return found

    def output_field(f: FieldDef) -> GraphQLField:
        return GraphQLField(
            _output(ref(f.type)),
            {name: GraphQLArgument(_input(ref(type_))) for name, type_ in f.args} or None,
            deprecation_reason=f.deprecation,
        )

    made_outputs: dict[FieldDef, GraphQLField] = {}

    def shared_output_field(f: FieldDef) -> GraphQLField:
        found = made_outputs.get(f)
        if found is None:
            found = made_outputs[f] = output_field(f)
        return found

    def output_fields(type_name: str, fields: tuple[FieldDef, ...]) -> dict[str, GraphQLField]:
        if type_name in bound:
            return {f.name: output_field(f) for f in fields}
        return {f.name: shared_output_field(f) for f in fields}

    made_inputs: dict[FieldDef, GraphQLInputField] = {}  # input fields never get resolvers

    def input_field(f: FieldDef) -> GraphQLInputField:
        found = made_inputs.get(f)
        if found is None:
            found = made_inputs[f] = GraphQLInputField(_input(ref(f.type)), deprecation_reason=f.deprecation)
        return found

    def input_fields(fields: tuple[FieldDef, ...]) -> dict[str, GraphQLInputField]:
        return {f.name: input_field(f) for f in fields}

    definitions = list(definitions)
    for d in definitions:
        if d.kind == "scalar":
            named[d.name] = GraphQLScalarType(d.name)
        elif d.kind == "enum":
            # Values are their own names, as build_schema makes them (resolvers see strings).
            named[d.name] = GraphQLEnumType(d.name, {v: GraphQLEnumValue(v) for v in d.values})
        elif d.kind == "input":
            named[d.name] = GraphQLInputObjectType(d.name, _fields_set_below)
        else:
            named[d.name] = GraphQLObjectType(d.name, _fields_set_below)
    # Every type exists now, so fields can refer to any of them. They are stored where a
    # type's `fields` (a cached property) keeps them once worked out: graphql-core would
    # otherwise check each generated name again, character by character (half the build).
    for d in definitions:
        if d.kind == "input":
            vars(named[d.name])["fields"] = input_fields(d.fields)
        elif d.kind == "type":
            vars(named[d.name])["fields"] = output_fields(d.name, d.fields)
    query, mutation, subscription = named["Query"], named.get("Mutation"), named.get("Subscription")
    return GraphQLSchema(
        query=query,  # type: ignore[arg-type]
        mutation=mutation,  # type: ignore[arg-type]
        subscription=subscription,  # type: ignore[arg-type]
        types=[t for name, t in named.items() if name not in _BUILT_IN],
        assume_valid=True,
    )


def _fields_set_below() -> dict[str, Any]:
    raise AssertionError("assemble_schema sets the fields of every type it makes")


def _output(t: GraphQLType) -> GraphQLOutputType:
    return t  # type: ignore[return-value]  # the definitions put only output types here


def _input(t: GraphQLType) -> GraphQLInputType:
    return t  # type: ignore[return-value]  # the definitions put only input types here
