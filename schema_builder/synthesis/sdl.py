"""Metadata → the type definitions of a workspace's schema: a pure function.

The definitions render to SDL text (printable, diffable, snapshot-tested) and are assembled
straight into graphql-core types by `assembly` — the same definitions both ways, without
parsing SDL text on the way (parsing dominates the build of a large workspace's schema).

Names follow Twenty (`Person`, `PersonConnection`, `PersonFilterInput`,
`OpportunityStageEnum`, `createPeople`, …) so that Twenty clients work unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from schema_builder.metadata.field_types import ACTOR_SOURCES, COMPOSITE_TYPES, CompositeType
from schema_builder.metadata.model import MANY_TO_ONE, ONE_TO_MANY, FieldMeta, ObjectMeta, WorkspaceModel, pascal

SCALARS = ("UUID", "DateTime", "Date", "JSON", "BigFloat", "BigInt", "Position", "Cursor", "ConnectionCursor")

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
    "FILES": ("JSON", "RawJsonFilter", False),
    "ARRAY": ("[String]", "ArrayFilter", False),
    "ACTOR_SOURCE": ("ActorSourceEnum", "ActorSourceEnumFilter", True),
}
NUMBER_SCALARS = {"INT": ("Int", "IntFilter"), "BIGINT": ("BigInt", "BigIntFilter"), "FLOAT": ("Float", "FloatFilter")}

_COMPARISONS = ("eq", "neq", "gt", "gte", "lt", "lte")


class FieldDef(NamedTuple):  # a tuple: a large workspace makes tens of thousands of them
    """A field of a type, or of an input (then without arguments)."""

    name: str
    type: str  # a GraphQL type reference, e.g. "[PersonEdge!]!"
    args: tuple[tuple[str, str], ...] = ()  # (name, type reference), in order


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


def _scalar_filter(name: str, scalar: str, extra: Iterable[tuple[str, str]] = ()) -> TypeDef:
    return _input(name, [*((op, scalar) for op in _COMPARISONS), ("in", f"[{scalar}!]"), *extra, ("is", "FilterIs")])


def _enum_filter(name: str, enum: str, multi: bool = False) -> TypeDef:
    """SELECT compares one value; MULTI_SELECT asks about the values of a list."""
    if multi:
        return _input(name, [("containsAny", f"[{enum}!]"), ("is", "FilterIs"), ("isEmptyArray", "Boolean")])
    return _input(
        name,
        [*((op, enum) for op in _COMPARISONS), ("in", f"[{enum}!]"), ("containsAny", f"[{enum}!]"), ("is", "FilterIs")],
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
    yield _input("UUIDFilter", [("eq", "UUID"), ("neq", "UUID"), ("in", "[UUID!]"), ("is", "FilterIs")])
    text_ops = [(op, "String") for op in ("startsWith", "endsWith", "like", "ilike")]
    yield _scalar_filter("StringFilter", "String", text_ops)
    for scalar in ("Float", "Int", "BigInt", "BigFloat", "DateTime", "Date"):
        yield _scalar_filter(f"{scalar}Filter", scalar)
    yield _input("BooleanFilter", [("eq", "Boolean"), ("is", "FilterIs")])
    yield _input("ArrayFilter", [("containsIlike", "String"), ("is", "FilterIs"), ("isEmptyArray", "Boolean")])
    yield _input("RawJsonFilter", [("is", "FilterIs"), ("like", "String")])
    yield TypeDef("enum", "ActorSourceEnum", values=ACTOR_SOURCES)
    yield _enum_filter("ActorSourceEnumFilter", "ActorSourceEnum")
    for composite in COMPOSITE_TYPES.values():
        yield from _composite_types(composite)


def _sub_output(sub_type: str) -> str:
    return ATOMIC[sub_type][0]


def _composite_types(composite: CompositeType) -> Iterator[TypeDef]:
    name, subs = composite.graphql_name, composite.sub_fields
    inputs = [(s.name, _sub_output(s.type)) for s in subs if not s.hidden_from_input]
    yield TypeDef("type", name, _fields((s.name, _sub_output(s.type)) for s in subs))
    yield _input(f"{name}CreateInput", inputs)
    yield _input(f"{name}UpdateInput", inputs)
    yield _input(f"{name}FilterInput", ((s.name, ATOMIC[s.type][1] or "") for s in subs if ATOMIC[s.type][1]))
    yield _input(f"{name}OrderByInput", ((s.name, "OrderByDirection") for s in subs if ATOMIC[s.type][2]))


def enum_name(obj: ObjectMeta, field: FieldMeta) -> str:
    return f"{pascal(obj.name_singular)}{pascal(field.name)}Enum"


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


# System fields are maintained by docgate: clients may only choose an id and a position.
_NOT_WRITABLE = {"createdAt", "updatedAt", "deletedAt", "createdBy"}


_PAGING = (("first", "Int"), ("last", "Int"))


def _relation_args(target: ObjectMeta) -> tuple[tuple[str, str], ...]:
    p = pascal(target.name_singular)
    return (("filter", f"{p}FilterInput"), ("orderBy", f"[{p}OrderByInput]"), *_PAGING,
            ("before", "String"), ("after", "String"))


def object_types(model: WorkspaceModel, obj: ObjectMeta) -> Iterator[TypeDef]:
    p = pascal(obj.name_singular)
    out: list[FieldDef] = []
    create: list[tuple[str, str]] = []
    update: list[tuple[str, str]] = []
    filters: list[tuple[str, str]] = []
    orders: list[tuple[str, str]] = []
    unique = [("id", "UUID")]
    for field in obj.fields:
        if field.relation_type == MANY_TO_ONE:
            target = pascal(model.target_of(field).name_singular)
            column = field.join_column or ""
            out += _fields([(field.name, target), (column, "UUID")])
            for inputs in (create, update):
                inputs += [(column, "UUID"), (field.name, f"{target}RelationInput")]
            filters += [(column, "UUIDFilter"), (field.name, f"{target}FilterInput")]
            orders.append((column, "OrderByDirection"))
            if field.is_unique:
                unique.append((column, "UUID"))
            continue
        if field.relation_type == ONE_TO_MANY:
            target_obj = model.target_of(field)
            connection = f"{pascal(target_obj.name_singular)}Connection"
            out.append(FieldDef(field.name, connection, _relation_args(target_obj)))
            continue
        out.append(FieldDef(field.name, output_type(obj, field)))
        if field.name not in _NOT_WRITABLE or field.name == "createdAt":  # a client may date what it creates
            create.append((field.name, input_type(obj, field, "Create")))
            if field.name not in ("id", "createdAt"):
                update.append((field.name, input_type(obj, field, "Update")))
        if (f := filter_type(obj, field)) is not None:
            filters.append((field.name, f))
        if (o := order_type(field)) is not None:
            orders.append((field.name, o))
        if field.is_unique and field.name != "id":
            unique.append((field.name, input_type(obj, field, "Create")))
    for field in obj.fields:
        if field.is_enum:
            enum = enum_name(obj, field)
            yield TypeDef("enum", enum, values=field.option_values)
            yield _enum_filter(f"{enum}Filter", enum, multi=field.type == "MULTI_SELECT")
    yield TypeDef("type", p, tuple(out))
    yield TypeDef("type", f"{p}Edge", _fields([("node", f"{p}!"), ("cursor", "Cursor!")]))
    from schema_builder.synthesis import aggregate_types  # it builds on this module's definitions

    yield TypeDef(
        "type",
        f"{p}Connection",
        _fields([("edges", f"[{p}Edge!]!"), ("pageInfo", "PageInfo!"), ("totalCount", "Int")])
        + aggregate_types.connection_fields(obj),
    )
    yield _input(f"{p}CreateInput", create)
    yield _input(f"{p}UpdateInput", update or [("id", "UUID")])
    yield _input(f"{p}FilterInput", [*filters, ("and", f"[{p}FilterInput]"), ("or", f"[{p}FilterInput]"),
                                     ("not", f"{p}FilterInput")])
    yield _input(f"{p}OrderByInput", orders)
    yield _input(f"{p}WhereUniqueInput", unique)
    yield _input(f"{p}ConnectInput", [("where", f"{p}WhereUniqueInput!")])
    yield _input(f"{p}RelationInput", [("connect", f"{p}ConnectInput"), ("disconnect", "Boolean")])


def root_fields(obj: ObjectMeta) -> tuple[list[FieldDef], list[FieldDef]]:
    """(query fields, mutation fields) of one object, named as Twenty names them."""
    p, s, pl = pascal(obj.name_singular), obj.name_singular, obj.name_plural
    pp = pascal(pl)
    page = (*_PAGING, ("offset", "Int"), ("before", "String"), ("after", "String"),
            ("filter", f"{p}FilterInput"), ("orderBy", f"[{p}OrderByInput]"))
    queries = [FieldDef(pl, f"{p}Connection!", page), FieldDef(s, p, (("filter", f"{p}FilterInput!"),))]
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
    from schema_builder.synthesis import aggregate_types  # it builds on this module's definitions

    types = [*common_types(), *aggregate_types.common_types()]
    queries: list[FieldDef] = []
    mutations: list[FieldDef] = []
    for obj in model.objects:
        types.extend(object_types(model, obj))
        types.extend(aggregate_types.object_types(model, obj))
        q, m = root_fields(obj)
        queries += q + aggregate_types.group_by_root_fields(obj)
        mutations += m
    # A schema needs a Query type even for a workspace without objects.
    types.append(TypeDef("type", "Query", tuple(queries) or (FieldDef("_empty", "Boolean"),)))
    if mutations:
        types.append(TypeDef("type", "Mutation", tuple(mutations)))
    return types


def _field_sdl(field: FieldDef) -> str:
    args = f"({', '.join(f'{name}: {type_}' for name, type_ in field.args)})" if field.args else ""
    return f"  {field.name}{args}: {field.type}"


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
