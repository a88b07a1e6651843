"""Metadata → the type definitions of a workspace's schema: a pure function.

The definitions render to SDL text (printable, diffable, snapshot-tested) and are assembled
straight into graphql-core types by `assembly` — the same definitions both ways, without
parsing SDL text on the way (parsing dominates the build of a large workspace's schema).

Names follow Twenty (`Person`, `PersonConnection`, `PersonFilterInput`,
`OpportunityStageEnum`, `createPeople`, …) so that Twenty clients work unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from schema_builder.metadata.field_types import ACTOR_SOURCES, COMPOSITE_TYPES, CompositeType, SubField
from schema_builder.metadata.model import MANY_TO_ONE, ONE_TO_MANY, FieldMeta, ObjectMeta, WorkspaceModel, pascal

SCALARS = (
    "UUID", "DateTime", "Date", "JSON", "BigFloat", "BigInt", "Position", "Cursor", "ConnectionCursor", "TSVector"
)

# Output scalar, filter input and whether ordering is allowed, per atomic type.
ATOMIC: dict[str, tuple[str, str | None, bool]] = {
    "UUID": ("UUID", "UUIDFilter", True),
    "TEXT": ("String", "StringFilter", True),
    "DATE_TIME": ("DateTime", "DateTimeFilter", True),
    "DATE": ("Date", "DateFilter", True),
    "BOOLEAN": ("Boolean", "BooleanFilter", True),
    "NUMBER": ("Float", "FloatFilter", True),
    "NUMERIC": ("BigFloat", "BigFloatFilter", True),
    "POSITION": ("Position", "FloatFilter", True),
    "RAW_JSON": ("JSON", "RawJsonFilter", False),
    "FILES": ("[FileObject]", "RawJsonFilter", False),
    "ARRAY": ("[String]", "ArrayFilter", False),
    "TS_VECTOR": ("TSVector", "TSVectorFilter", True),
    "ACTOR_SOURCE": ("ActorSourceEnum", "ActorSourceEnumFilter", True),
}
FILE_OBJECT_FIELDS = ("fileId", "label", "extension", "url")  # of `FileObject`, a FILES field's items
NUMBER_SCALARS = {"INT": ("Int", "IntFilter"), "BIGINT": ("BigInt", "BigIntFilter"), "FLOAT": ("Float", "FloatFilter")}

_COMPARISONS = ("eq", "neq", "gt", "gte", "lt", "lte")


class FieldDef(NamedTuple):  # a tuple: a large workspace makes tens of thousands of them
    """A field of a type, or of an input (then without arguments)."""

    name: str
    type: str  # a GraphQL type reference, e.g. "[PersonEdge!]!"
    args: tuple[tuple[str, str], ...] = ()  # (name, type reference), in order
    deprecation: str | None = None  # the reason of `@deprecated`, for an older Twenty name


@dataclass(frozen=True, slots=True)
class TypeDef:
    kind: str  # "scalar", "enum", "type" or "input"
    name: str
    fields: tuple[FieldDef, ...] = ()
    values: tuple[str, ...] = ()  # of an enum


def _fields(pairs: Iterable[tuple[str, str]]) -> tuple[FieldDef, ...]:
    return tuple(FieldDef(name, type_) for name, type_ in pairs)


def _input(name: str, pairs: Iterable[tuple[str, str]]) -> TypeDef:
    return TypeDef("input", name, _fields(pairs))


def _scalar_filter(name: str, scalar: str, extra: Iterable[tuple[str, str]] = (), item: str = "!") -> TypeDef:
    """Twenty's scalar filters (`graphql-types/input/*-filter.input-type.ts`), in their order."""
    return _input(
        name,
        [("eq", scalar), ("gt", scalar), ("gte", scalar), ("in", f"[{scalar}{item}]"), ("lt", scalar),
         ("lte", scalar), ("neq", scalar), *extra, ("is", "FilterIs")],
    )


def _enum_filter(name: str, enum: str) -> TypeDef:
    """Twenty's `createGqlEnumFilterType`: one shape for SELECT, MULTI_SELECT and RATING."""
    return _input(
        name,
        [("eq", enum), ("neq", enum), ("in", f"[{enum}]"), ("containsAny", f"[{enum}]"), ("is", "FilterIs"),
         ("isEmptyArray", "Boolean"), *((op, enum) for op in ("gt", "gte", "lt", "lte"))],
    )


def common_types() -> Iterator[TypeDef]:
    """Types every workspace schema shares."""
    for scalar in SCALARS:
        yield TypeDef("scalar", scalar)
    yield TypeDef("enum", "FilterIs", values=("NULL", "NOT_NULL"))
    directions = ("AscNullsFirst", "AscNullsLast", "DescNullsFirst", "DescNullsLast")
    yield TypeDef("enum", "OrderByDirection", values=directions)
    yield TypeDef(
        "type",
        "PageInfo",
        _fields([("startCursor", "ConnectionCursor"), ("endCursor", "ConnectionCursor"),
                 ("hasNextPage", "Boolean!"), ("hasPreviousPage", "Boolean!")]),
    )
    yield _scalar_filter("UUIDFilter", "UUID", item="")
    # regex and iregex are in Twenty's schema, and refused when used (as Twenty refuses them).
    text_ops = [(op, "String") for op in ("startsWith", "endsWith", "like", "ilike", "regex", "iregex")]
    yield _scalar_filter("StringFilter", "String", text_ops)
    for scalar in ("Float", "Int", "BigInt", "BigFloat", "DateTime", "Date"):
        yield _scalar_filter(f"{scalar}Filter", scalar)
    yield _input("BooleanFilter", [("eq", "Boolean"), ("is", "FilterIs")])
    yield _input("ArrayFilter", [("containsIlike", "String"), ("is", "FilterIs"), ("isEmptyArray", "Boolean")])
    yield _input("RawJsonFilter", [("is", "FilterIs"), ("like", "String")])
    yield _input("TSVectorFilter", [("search", "String")])
    file_types = dict(zip(FILE_OBJECT_FIELDS, ("UUID!", "String!", "String", "String"), strict=True))
    yield TypeDef("type", "FileObject", _fields(file_types.items()))
    yield _input("FileItemInput", [("fileId", "UUID!"), ("label", "String!")])
    yield TypeDef("enum", "ActorSourceEnum", values=ACTOR_SOURCES)
    yield _enum_filter("ActorSourceEnumFilter", "ActorSourceEnum")
    for composite in COMPOSITE_TYPES.values():
        yield from _composite_types(composite)


def _sub_output(sub: SubField) -> str:
    return f"[{sub.item_type}!]" if sub.item_type else ATOMIC[sub.type][0]


def _sub_input(sub: SubField) -> str:
    return f"[{sub.item_type}Input!]" if sub.item_type else ATOMIC[sub.type][0]


def _item_types(sub: SubField) -> Iterator[TypeDef]:
    """The object and input types of a sub-field's list items (`AdditionalPhone`)."""
    if sub.item_type and sub.items is not None:
        yield TypeDef("type", sub.item_type, _fields((key, "String") for key in sub.items.keys))
        yield _input(f"{sub.item_type}Input", ((key, "String") for key in sub.items.keys))


def _composite_types(composite: CompositeType) -> Iterator[TypeDef]:
    name, subs = composite.graphql_name, composite.sub_fields
    for sub in subs:
        yield from _item_types(sub)
    updates = [(s.name, _sub_input(s)) for s in subs if not s.hidden_from_input]
    creates = [(s.name, _sub_input(s)) for s in subs if not s.hidden_from_input or s.create_only]
    yield TypeDef("type", name, _fields((s.name, _sub_output(s)) for s in subs))
    yield _input(f"{name}CreateInput", creates)
    yield _input(f"{name}UpdateInput", updates)
    yield _input(f"{name}FilterInput", ((s.name, ATOMIC[s.type][1] or "") for s in subs if ATOMIC[s.type][1]))
    yield _input(f"{name}OrderByInput", ((s.name, "OrderByDirection") for s in subs if ATOMIC[s.type][2]))


def enum_name(obj: ObjectMeta, field: FieldMeta) -> str:
    return f"{pascal(obj.name_singular)}{pascal(field.alias_of or field.name)}Enum"


def _number_types(field: FieldMeta) -> tuple[str, str]:
    if field.type == "NUMBER":
        return NUMBER_SCALARS.get(str(field.settings.get("dataType", "FLOAT")).upper(), NUMBER_SCALARS["FLOAT"])
    scalar, filter_type, _ = ATOMIC[field.type]
    return scalar, filter_type or ""


def output_type(obj: ObjectMeta, field: FieldMeta) -> str:
    if field.is_enum:
        enum = enum_name(obj, field)
        return f"[{enum}]" if field.type == "MULTI_SELECT" else enum
    if field.composite is not None:
        return field.composite.graphql_name
    if field.name == "id":
        return "UUID!"
    scalar = _number_types(field)[0]
    return f"{scalar}!" if field.name in ("createdAt", "updatedAt") else scalar


def input_type(obj: ObjectMeta, field: FieldMeta, kind: str) -> str:
    if field.composite is not None:
        return f"{field.composite.graphql_name}{kind}Input"
    if field.is_enum:
        return output_type(obj, field)
    if field.type == "FILES":
        return "[FileItemInput]"
    return _number_types(field)[0]


def filter_type(obj: ObjectMeta, field: FieldMeta) -> str | None:
    if field.is_enum:
        return f"{enum_name(obj, field)}Filter"
    if field.composite is not None:
        return f"{field.composite.graphql_name}FilterInput"
    return _number_types(field)[1] or None


def order_type(field: FieldMeta) -> str | None:
    if field.composite is not None:
        return f"{field.composite.graphql_name}OrderByInput"
    if field.is_enum:
        return None if field.type == "MULTI_SELECT" else "OrderByDirection"
    return "OrderByDirection" if ATOMIC[field.type][2] else None


# System fields are maintained by docgate: clients may choose an id and a position, and
# (as in Twenty) who created a record, on create.
_NOT_CREATABLE = frozenset({"createdAt", "updatedAt", "deletedAt", "updatedBy"})
_NOT_UPDATABLE = _NOT_CREATABLE | {"createdBy", "id"}


def creatable(field: FieldMeta) -> bool:
    return field.name not in _NOT_CREATABLE and field.type != "TS_VECTOR"


def updatable(field: FieldMeta) -> bool:
    return field.name not in _NOT_UPDATABLE and field.type != "TS_VECTOR"


_PAGING = (("first", "Int"), ("last", "Int"))


def _relation_args(target: ObjectMeta) -> tuple[tuple[str, str], ...]:
    p = pascal(target.name_singular)
    return (("filter", f"{p}FilterInput"), ("orderBy", f"[{p}OrderByInput]"), *_PAGING,
            ("before", "String"), ("after", "String"))


def object_types(model: WorkspaceModel, obj: ObjectMeta) -> Iterator[TypeDef]:
    p = pascal(obj.name_singular)
    out: list[FieldDef] = []
    create: list[FieldDef] = []
    update: list[FieldDef] = []
    filters: list[FieldDef] = []
    orders: list[FieldDef] = []
    unique = [FieldDef("id", "UUID")]
    # Older Twenty names (deprecated) come after the current ones, over the same values.
    for field in (*obj.fields, *obj.aliases):
        why = field.deprecation_reason
        if field.relation_type == MANY_TO_ONE:
            target = pascal(model.target_of(field).name_singular)
            column = field.join_column or ""
            out += [FieldDef(field.name, target, (), why), FieldDef(column, "UUID", (), why)]
            for inputs in (create, update):
                inputs += [FieldDef(column, "UUID", (), why), FieldDef(field.name, f"{target}RelationInput", (), why)]
            filters += [FieldDef(column, "UUIDFilter", (), why), FieldDef(field.name, f"{target}FilterInput", (), why)]
            orders += [FieldDef(column, "OrderByDirection", (), why),
                       FieldDef(field.name, f"{target}OrderByInput", (), why)]
            if field.is_unique and not why:
                unique.append(FieldDef(column, "UUID"))
            continue
        if field.relation_type == ONE_TO_MANY:
            target_obj = model.target_of(field)
            connection = f"{pascal(target_obj.name_singular)}Connection"
            out.append(FieldDef(field.name, connection, _relation_args(target_obj), why))
            continue
        out.append(FieldDef(field.name, output_type(obj, field), (), why))
        if creatable(field):
            create.append(FieldDef(field.name, input_type(obj, field, "Create"), (), why))
        if updatable(field):
            update.append(FieldDef(field.name, input_type(obj, field, "Update"), (), why))
        if (f := filter_type(obj, field)) is not None:
            filters.append(FieldDef(field.name, f, (), why))
        if (o := order_type(field)) is not None:
            orders.append(FieldDef(field.name, o, (), why))
        if field.is_unique and field.name != "id" and not why:
            unique.append(FieldDef(field.name, input_type(obj, field, "Create")))
    for field in obj.fields:
        if field.is_enum:
            enum = enum_name(obj, field)
            yield TypeDef("enum", enum, values=field.option_values)
            yield _enum_filter(f"{enum}Filter", enum)
    yield TypeDef("type", p, tuple(out))
    yield TypeDef("type", f"{p}Edge", _fields([("node", f"{p}!"), ("cursor", "Cursor!")]))
    yield TypeDef(
        "type", f"{p}Connection", _fields([("edges", f"[{p}Edge!]!"), ("pageInfo", "PageInfo!"), ("totalCount", "Int")])
    )
    yield TypeDef("input", f"{p}CreateInput", tuple(create))
    yield TypeDef("input", f"{p}UpdateInput", tuple(update) or _fields([("id", "UUID")]))
    logical = _fields([("and", f"[{p}FilterInput]"), ("or", f"[{p}FilterInput]"), ("not", f"{p}FilterInput")])
    yield TypeDef("input", f"{p}FilterInput", (*filters, *logical))
    yield TypeDef("input", f"{p}OrderByInput", tuple(orders))
    yield TypeDef("input", f"{p}WhereUniqueInput", tuple(unique))
    yield _input(f"{p}ConnectInput", [("where", f"{p}WhereUniqueInput!")])
    yield _input(f"{p}RelationInput", [("connect", f"{p}ConnectInput"), ("disconnect", "Boolean")])


def root_fields(obj: ObjectMeta) -> tuple[list[FieldDef], list[FieldDef]]:
    """(query fields, mutation fields) of one object, named as Twenty names them."""
    p, s, pl = pascal(obj.name_singular), obj.name_singular, obj.name_plural
    pp = pascal(pl)
    page = (*_PAGING, ("offset", "Int"), ("before", "String"), ("after", "String"),
            ("filter", f"{p}FilterInput"), ("orderBy", f"[{p}OrderByInput]"))
    queries = [FieldDef(pl, f"{p}Connection", page), FieldDef(s, p, (("filter", f"{p}FilterInput!"),))]
    if obj.audit_log:  # written by docgate from record changes: read only
        return queries, []
    create, by_id, by_filter = (("upsert", "Boolean"),), ("id", "UUID!"), ("filter", f"{p}FilterInput!")
    mutations = [
        FieldDef(f"create{p}", p, (("data", f"{p}CreateInput!"), *create)),
        FieldDef(f"create{pp}", f"[{p}!]", (("data", f"[{p}CreateInput]!"), *create)),
        FieldDef(f"update{p}", p, (by_id, ("data", f"{p}UpdateInput!"))),
        FieldDef(f"update{pp}", f"[{p}!]", (by_filter, ("data", f"{p}UpdateInput!"))),
    ]
    for verb in ("delete", "destroy", "restore"):
        mutations += [FieldDef(f"{verb}{p}", p, (by_id,)), FieldDef(f"{verb}{pp}", f"[{p}!]", (by_filter,))]
    return queries, mutations


def workspace_types(model: WorkspaceModel) -> list[TypeDef]:
    """Every type of a workspace's Core GraphQL API, `Query` and `Mutation` last."""
    # Imported here: the event types are built from this module's FieldDef and TypeDef.
    from schema_builder.synthesis.event_types import common_event_types, event_types, subscription_field

    types = [*common_types(), *common_event_types()]
    queries: list[FieldDef] = []
    mutations: list[FieldDef] = []
    subscriptions: list[FieldDef] = []
    for obj in model.objects:
        types.extend(object_types(model, obj))
        types.extend(event_types(obj))
        q, m = root_fields(obj)
        queries += q
        mutations += m
        subscriptions.append(subscription_field(obj))
    # A schema needs a Query type even for a workspace without objects.
    types.append(TypeDef("type", "Query", tuple(queries) or (FieldDef("_empty", "Boolean"),)))
    if mutations:
        types.append(TypeDef("type", "Mutation", tuple(mutations)))
    if subscriptions:
        types.append(TypeDef("type", "Subscription", tuple(subscriptions)))
    return types


def _field_sdl(field: FieldDef) -> str:
    args = f"({', '.join(f'{name}: {type_}' for name, type_ in field.args)})" if field.args else ""
    deprecated = f" @deprecated(reason: {json.dumps(field.deprecation)})" if field.deprecation else ""
    return f"  {field.name}{args}: {field.type}{deprecated}"


def type_sdl(definition: TypeDef) -> str:
    if definition.kind == "scalar":
        return f"scalar {definition.name}"
    if definition.kind == "enum":
        lines = [f"  {value}" for value in definition.values]
    else:
        lines = [_field_sdl(f) for f in definition.fields]
    return f"{definition.kind} {definition.name} {{\n" + "\n".join(lines) + "\n}"


def render_sdl(types: Iterable[TypeDef]) -> str:
    return "\n\n".join(type_sdl(t) for t in types) + "\n"


def build_sdl(model: WorkspaceModel) -> str:
    """The whole SDL of a workspace's Core GraphQL API."""
    return render_sdl(workspace_types(model))
