"""JSON Schemas of tool inputs, read off the workspace's GraphQL input types.

A tool's arguments become the variables of a GraphQL operation, so the schema an agent sees
is the one GraphQL checks: generated from the same input types, it can never say yes where
the API says no, and a new object or field appears in it with the schema version.
Named input objects go to `$defs` once (filters refer to themselves through and/or/not).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)

Schema = dict[str, Any]

_SCALARS: dict[str, Schema] = {
    "String": {"type": "string"},
    "ID": {"type": "string"},
    "Int": {"type": "integer"},
    "Float": {"type": "number"},
    "Boolean": {"type": "boolean"},
    "UUID": {"type": "string", "format": "uuid"},
    "DateTime": {"type": "string", "format": "date-time"},
    "Date": {"type": "string", "format": "date"},
    "BigFloat": {"type": ["number", "string"]},
    "BigInt": {"type": ["integer", "string"]},
    "Position": {"type": "number"},
    "JSON": {},
    "TSVector": {"type": "string"},
}


class SchemaWriter:
    """Turns input types into JSON Schema, collecting the named input objects in `defs`."""

    def __init__(self, skip_fields: frozenset[str] = frozenset()) -> None:
        self.defs: dict[str, Schema] = {}
        # Fields left out of every input object, e.g. relation filters (`company: CompanyFilterInput`)
        # that would pull in the filters of the whole workspace; the join column (`companyId`) stays.
        self.skip_fields = skip_fields

    def of(self, type_: GraphQLInputType) -> Schema:
        if isinstance(type_, GraphQLNonNull):
            return self.of(type_.of_type)
        if isinstance(type_, GraphQLList):
            return {"type": "array", "items": self.of(type_.of_type)}
        if isinstance(type_, GraphQLEnumType):
            return {"type": "string", "enum": list(type_.values)}
        if isinstance(type_, GraphQLScalarType):
            return dict(_SCALARS.get(type_.name, {}))
        return self.ref(type_)

    def ref(self, type_: GraphQLInputObjectType) -> Schema:
        if type_.name not in self.defs:
            self.defs[type_.name] = {}  # placed first: a type that refers to itself finds it
            self.defs[type_.name] = self.object(type_)
        return {"$ref": f"#/$defs/{type_.name}"}

    def object(self, type_: GraphQLInputObjectType, extra: Schema | None = None) -> Schema:
        """The schema of an input object's fields inline (a tool's top-level arguments)."""
        properties: Schema = {}
        required = []
        for name, field in type_.fields.items():
            if self._skipped(type_, name):
                continue
            properties[name] = self.of(field.type)
            if field.description:
                properties[name]["description"] = field.description
            if field.deprecation_reason:  # an older Twenty name: still taken, not to be chosen
                properties[name] = {**properties[name], "deprecated": True, "description": field.deprecation_reason}
            if isinstance(field.type, GraphQLNonNull):
                required.append(name)
        properties.update(extra or {})
        schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            schema["required"] = required
        return schema

    def _skipped(self, type_: GraphQLInputObjectType, name: str) -> bool:
        return f"{type_.name}.{name}" in self.skip_fields

    def tool_schema(self, top: Schema) -> Schema:
        """A tool's input schema: `top` with the definitions it refers to."""
        return {**top, "$defs": self.defs} if self.defs else top
