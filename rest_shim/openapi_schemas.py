"""JSON Schemas (the OpenAPI 3.1 dialect) of a workspace's records, per field type and per object.

Each object gets three component schemas, named as Twenty names them: `Person` (the body of
a create), `PersonForUpdate` (every property optional) and `PersonForResponse` (what reads
and writes return). Nullability is 3.1's: `"type": ["string", "null"]`.
"""

from __future__ import annotations

from typing import Any

from schema_builder.metadata.field_types import ACTOR_SOURCES, RATING_VALUES, RELATION, CompositeType, ListOf, SubField
from schema_builder.metadata.model import MANY_TO_ONE, ONE_TO_MANY, FieldMeta, ObjectMeta, WorkspaceModel, pascal
from schema_builder.metadata.validation import unquote_default

Schema = dict[str, Any]

# Shared component names hold a dot, which no PascalCase object name can: they never clash.
COMPOSITE_PREFIX = "Composite."
# Maintained by docgate: readable, never writable (id and position are the client's to choose,
# and createdBy on create).
READ_ONLY = frozenset({"createdAt", "updatedAt", "deletedAt", "updatedBy", "searchVector"})
CREATE_ONLY = frozenset({"createdBy"})
# Never null in a response, whatever the metadata says (as in the GraphQL schema).
ALWAYS_SET = frozenset({"id", "createdAt", "updatedAt"})

INT32 = {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
INT64 = {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}

ATOMIC: dict[str, Schema] = {
    "UUID": {"type": "string", "format": "uuid"},
    "TEXT": {"type": "string"},
    "DATE_TIME": {"type": "string", "format": "date-time"},
    "DATE": {"type": "string", "format": "date"},
    "BOOLEAN": {"type": "boolean"},
    "NUMBER": {"type": "number"},
    "NUMERIC": {"type": "number"},
    "POSITION": {"type": "number"},
    "RAW_JSON": {"description": "any JSON value"},
    "FILES": {
        "type": "array",
        "items": {
            "title": "FileObject",
            "type": "object",
            "properties": {"fileId": {"type": "string", "format": "uuid"}, "label": {"type": "string"},
                           "extension": {"type": ["string", "null"]}, "url": {"type": ["string", "null"]}},
        },
    },
    "ARRAY": {"type": "array", "items": {"type": "string"}},
    "TS_VECTOR": {"type": "string", "description": "the words of the record's searchable fields (tsvector text)"},
    "ACTOR_SOURCE": {"type": "string", "enum": list(ACTOR_SOURCES)},
}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    """The same schema, also admitting null."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    if "type" not in schema:  # any JSON value already includes null
        return schema
    out = dict(schema)
    out["type"] = [schema["type"], "null"] if isinstance(schema["type"], str) else [*schema["type"], "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


def composite_name(composite: CompositeType, *, for_input: bool) -> str:
    return f"{COMPOSITE_PREFIX}{composite.graphql_name}{'ForInput' if for_input else ''}"


def list_of(items: ListOf) -> Schema:
    """A sub-field typed JSON that holds a list of a known shape (`emails.additionalEmails`, …)."""
    if not items.keys:
        return {"type": "array", "items": {"type": "string"}}
    properties = {key: {"type": ["string", "null"]} for key in items.keys}
    return {"type": "array", "items": {"type": "object", "properties": properties, "additionalProperties": False}}


def _sub_field(sub: SubField) -> Schema:
    if sub.items is None:
        return nullable(ATOMIC[sub.type])
    schema = list_of(sub.items)
    if sub.item_type:  # items of a GraphQL type of their own (AdditionalPhone), not JSON
        schema["items"] = {"title": sub.item_type, **schema["items"]}
    return nullable(schema)


def composite_schemas(composites: set[CompositeType]) -> dict[str, Schema]:
    """Two schemas per composite type in use: as written (input sub-fields only) and as read."""
    out: dict[str, Schema] = {}
    for composite in sorted(composites, key=lambda c: c.graphql_name):
        subs = composite.sub_fields
        out[composite_name(composite, for_input=False)] = {
            "type": "object",
            "properties": {s.name: _sub_field(s) for s in subs},
        }
        out[composite_name(composite, for_input=True)] = {
            "type": "object",
            "properties": {s.name: _sub_field(s) for s in subs if not s.hidden_from_input or s.create_only},
            "additionalProperties": False,
        }
    return out


def _number(field: FieldMeta) -> Schema:
    data_type = str(field.settings.get("dataType", "FLOAT")).upper()
    return dict(INT32 if data_type == "INT" else INT64 if data_type == "BIGINT" else ATOMIC["NUMBER"])


def _enum(field: FieldMeta) -> Schema:
    values = list(field.option_values) or (list(RATING_VALUES) if field.type == "RATING" else [])
    item: Schema = {"type": "string", "enum": values} if values else {"type": "string"}
    return {"type": "array", "items": item} if field.type == "MULTI_SELECT" else item


def value_schema(field: FieldMeta, *, for_input: bool) -> Schema:
    """The schema of a non-relation field's value, before nullability."""
    if field.composite is not None:
        return ref(composite_name(field.composite, for_input=for_input))
    if field.is_enum:
        return _enum(field)
    if field.type == "NUMBER":
        return _number(field)
    if field.type == "FILES" and for_input:
        return {"type": "array", "items": {"type": "object", "required": ["fileId", "label"],
                                           "properties": {"fileId": {"type": "string", "format": "uuid"},
                                                          "label": {"type": "string"}},
                                           "additionalProperties": False}}
    return dict(ATOMIC.get(field.type, {}))


def _describe(schema: Schema, field: FieldMeta) -> Schema:
    if field.deprecation_reason:  # an older Twenty name of a field
        return {**schema, "deprecated": True, "description": field.deprecation_reason}
    text = field.description
    if not text:
        return schema
    if "$ref" in schema:
        return {**schema, "description": text}
    return {"description": text, **schema} if "description" not in schema else schema


def _default(field: FieldMeta, schema: Schema) -> Schema:
    default = unquote_default(field.default_value)
    if default is None or field.composite is not None or field.type in ("DATE_TIME", "RAW_JSON", "FILES"):
        return schema
    allowed = schema.get("enum")
    if allowed is not None and default not in allowed:
        return schema
    return {**schema, "default": default}


def _input_property(field: FieldMeta) -> Schema:
    schema = value_schema(field, for_input=True)
    if field.is_nullable and field.name != "id":
        schema = nullable(schema)
    return _describe(_default(field, schema), field)


def is_required(field: FieldMeta) -> bool:
    """Whether a create must send the field: non-nullable, no default, not maintained by docgate."""
    return (
        not field.is_nullable
        and field.default_value is None
        and field.type != RELATION
        and field.name not in READ_ONLY
        and field.name not in CREATE_ONLY
        and field.name not in ("id", "position")
    )


def input_schema(obj: ObjectMeta, *, creating: bool) -> Schema:
    """The body of a create (`Person`) or of an update (`PersonForUpdate`)."""
    properties: dict[str, Schema] = {}
    for field in (*obj.fields, *obj.aliases):
        if field.name in READ_ONLY or field.type == "TS_VECTOR" or (field.name == "id" and not creating):
            continue
        if field.name in CREATE_ONLY and not creating:
            continue
        if field.type == RELATION:
            if field.relation_type == MANY_TO_ONE and field.join_column:
                uuid = nullable(ATOMIC["UUID"])
                properties[field.join_column] = _describe({
                    "description": f"the id of the related {field.label or field.name}",
                    **uuid,
                }, field)
            continue
        properties[field.name] = _input_property(field)
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    required = [f.name for f in obj.fields if creating and is_required(f)]
    if required:
        schema["required"] = required
    if obj.description:
        schema["description"] = obj.description
    return schema


def response_schema(model: WorkspaceModel, obj: ObjectMeta) -> Schema:
    """A record as returned: every field; related records only with `depth=1`."""
    properties: dict[str, Schema] = {}
    for field in (*obj.fields, *obj.aliases):
        if field.type != RELATION:
            schema = value_schema(field, for_input=False)
            properties[field.name] = _describe(schema if field.name in ALWAYS_SET else nullable(schema), field)
            continue
        target = model.by_id(field.target_object_id or "")
        if target is None:
            continue
        record = ref(f"{pascal(target.name_singular)}ForResponse")
        if field.relation_type == MANY_TO_ONE and field.join_column:
            properties[field.join_column] = _describe(nullable(ATOMIC["UUID"]), field)
            properties[field.name] = _describe({
                **nullable(record),
                "description": f"the related {target.name_singular} (with depth=1)",
            }, field)
        elif field.relation_type == ONE_TO_MANY:
            properties[field.name] = {
                "type": "array",
                "items": record,
                "description": f"the related {target.name_plural} (with depth=1)",
            }
    return {"type": "object", "properties": properties, "required": ["id"]}


def object_schemas(model: WorkspaceModel, obj: ObjectMeta) -> dict[str, Schema]:
    p = pascal(obj.name_singular)
    return {
        p: input_schema(obj, creating=True),
        f"{p}ForUpdate": input_schema(obj, creating=False),
        f"{p}ForResponse": response_schema(model, obj),
    }


def model_schemas(model: WorkspaceModel) -> dict[str, Schema]:
    """Every object's schemas, plus those of the composite types they use."""
    out: dict[str, Schema] = {}
    composites = {f.composite for o in model.objects for f in o.fields if f.composite is not None}
    out.update(composite_schemas(composites))
    for obj in model.objects:
        out.update(object_schemas(model, obj))
    return out
