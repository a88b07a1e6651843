"""Input coercion for compiled query plans: graphql-core's rules, with the work done once.

graphql-core coerces every variable and argument of every request from scratch: it walks
each argument's syntax tree, and for an input object it visits every field its type
declares (a filter input declares one per field of the object, most of them absent). A
plan knows its document, so here the constant parts of an argument are coerced once, and
a runtime value only visits the fields it holds.

The shortcut covers what docgate's generated schema holds: input objects without required
fields, field defaults or `@oneOf`. Any other type goes through graphql-core. A value that
does not coerce raises `Invalid`; the plan then hands the whole operation to graphql-core,
which words the error. Coerced constants are shared between requests: resolvers must
not change their arguments (docgate's do not).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    Undefined,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
)
from graphql.execution.get_variable_signature import GraphQLVariableSignature, get_variable_signature
from graphql.execution.values import VariableValues, VariableValueSource
from graphql.utilities import coerce_input_literal, coerce_input_value


class Invalid(Exception):
    """A value that does not coerce (graphql-core will say why)."""


_simple: WeakKeyDictionary[GraphQLInputObjectType, bool] = WeakKeyDictionary()


def _is_simple(type_: GraphQLInputObjectType) -> bool:
    """No field is required or has a default, and not @oneOf: absent fields add nothing."""
    simple = _simple.get(type_)
    if simple is None:
        simple = _simple[type_] = not type_.is_one_of and all(
            not isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined and f.default is None
            for f in type_.fields.values()
        )
    return simple


def coerce_value(value: Any, type_: GraphQLInputType) -> Any:
    """A runtime (JSON) value of `type_`, as graphql-core's `coerce_input_value` makes it."""
    if isinstance(type_, GraphQLNonNull):
        if value is None:
            raise Invalid
        type_ = type_.of_type
    if value is None:
        return None
    if isinstance(type_, GraphQLList):
        item = type_.of_type
        if isinstance(value, list | tuple):
            return [coerce_value(v, item) for v in value]
        return [coerce_value(value, item)]  # a single value is a list of one
    if isinstance(type_, GraphQLInputObjectType):
        if not isinstance(value, dict):
            raise Invalid
        if not _is_simple(type_):
            return _graphql_core(value, type_)
        fields = type_.fields
        coerced = {}
        for name, item in value.items():
            field = fields.get(name)
            if field is None:
                raise Invalid
            coerced[field.out_name or name] = coerce_value(item, field.type)
        return type_.out_type(coerced)
    try:
        result = type_.coerce_input_value(value)
    except Exception:
        raise Invalid from None
    if result is Undefined:
        raise Invalid
    return result


def _graphql_core(value: Any, type_: GraphQLInputType) -> Any:
    result = coerce_input_value(value, type_)
    if result is Undefined:
        raise Invalid
    return result


class Variables:
    """The variable definitions of an operation, coerced the short way when none has a default."""

    def __init__(self, schema: GraphQLSchema, definitions: tuple[VariableDefinitionNode, ...]) -> None:
        signatures = [get_variable_signature(schema, d) for d in definitions]
        if any(not isinstance(s, GraphQLVariableSignature) for s in signatures) or any(
            d.default_value is not None for d in definitions
        ):
            raise Invalid  # graphql-core's path reports bad types and applies defaults
        self.signatures: list[GraphQLVariableSignature] = signatures  # type: ignore[assignment]

    def coerce(self, inputs: dict[str, Any]) -> VariableValues:
        sources: dict[str, VariableValueSource] = {}
        coerced: dict[str, Any] = {}
        for signature in self.signatures:
            name = signature.name
            value = inputs.get(name, Undefined)
            sources[name] = VariableValueSource(signature, value)
            if value is Undefined:
                if isinstance(signature.type, GraphQLNonNull):
                    raise Invalid
                continue  # an absent nullable variable is left out
            coerced[name] = coerce_value(value, signature.type)
        return VariableValues(sources, coerced)


# A compiled literal: from the coerced variables to the value, or Undefined for a variable
# that was not given.
Literal = Callable[[dict[str, Any]], Any]


def _has_variables(node: ValueNode) -> bool:
    if isinstance(node, VariableNode):
        return True
    if isinstance(node, ListValueNode):
        return any(_has_variables(v) for v in node.values)
    if isinstance(node, ObjectValueNode):
        return any(_has_variables(f.value) for f in node.fields)
    return False


def compile_literal(node: ValueNode, type_: GraphQLInputType) -> Literal:
    """A literal (variables included) of `type_` → a function of the coerced variables."""
    if not _has_variables(node):
        constant = coerce_input_literal(node, type_)
        if constant is Undefined:
            raise Invalid
        return lambda _variables: constant
    if isinstance(node, VariableNode):
        name, required = node.name.value, isinstance(type_, GraphQLNonNull)

        def variable(variables: dict[str, Any]) -> Any:
            value = variables.get(name, Undefined)
            if required and (value is None or value is Undefined):
                raise Invalid
            return value

        return variable
    if isinstance(type_, GraphQLNonNull):
        return compile_literal(node, type_.of_type)  # a list or an object literal: never null
    if isinstance(type_, GraphQLList):
        return _compile_list(node, type_)
    if isinstance(type_, GraphQLInputObjectType) and isinstance(node, ObjectValueNode) and _is_simple(type_):
        return _compile_object(node, type_)
    raise Invalid  # a leaf literal holding variables (a custom scalar's list or object): graphql-core's


def _compile_list(node: ValueNode, type_: GraphQLList[Any]) -> Literal:
    item_type = type_.of_type
    if not isinstance(node, ListValueNode):
        single = compile_literal(node, item_type)

        def one(variables: dict[str, Any]) -> Any:
            value = single(variables)
            return Undefined if value is Undefined else [value]

        return one
    items = [compile_literal(v, item_type) for v in node.values]

    def many(variables: dict[str, Any]) -> Any:
        values = []
        for item in items:
            value = item(variables)
            values.append(None if value is Undefined else value)  # a missing variable in a list is null
        return values

    return many


def _compile_object(node: ObjectValueNode, type_: GraphQLInputObjectType) -> Literal:
    fields = type_.fields
    compiled = []
    for field_node in node.fields:
        field = fields.get(field_node.name.value)
        if field is None:
            raise Invalid
        compiled.append((field.out_name or field_node.name.value, compile_literal(field_node.value, field.type)))
    out_type = type_.out_type

    def build(variables: dict[str, Any]) -> Any:
        values = {}
        for name, literal in compiled:
            value = literal(variables)
            if value is not Undefined:  # a field given as a missing variable is left out
                values[name] = value
        return out_type(values)

    return build


Arguments = Callable[[VariableValues], dict[str, Any]]


def compile_arguments(field: GraphQLField, node: FieldNode) -> Arguments:
    """The argument values of `field` at `node` as a function of the request's variables."""
    given = {a.name.value: a.value for a in node.arguments or ()}
    compiled: list[tuple[str, Literal, bool]] = []
    for name, argument in field.args.items():
        out_name = argument.out_name or name
        required = isinstance(argument.type, GraphQLNonNull)
        if argument.default_value is not Undefined or argument.default is not None:
            raise Invalid  # graphql-core's path applies defaults
        value_node = given.get(name)
        if value_node is None:
            if required:
                raise Invalid  # graphql-core's path reports it
            continue
        compiled.append((out_name, compile_literal(value_node, argument.type), required))
    if all(not _has_variables(given[n]) for n in given):
        constant = {name: literal({}) for name, literal, _ in compiled}
        return lambda _variables: constant

    def arguments(variables: VariableValues) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, literal, required in compiled:
            value = literal(variables.coerced)
            if value is Undefined:
                if required:
                    raise Invalid
                continue  # an argument given as a missing variable is left out
            values[name] = value
        return values

    return arguments
