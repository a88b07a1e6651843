"""Metadata → SDL text: a pure function, so the schema is printable, diffable and cacheable.

Names follow Twenty (`Person`, `PersonConnection`, `PersonFilterInput`,
`OpportunityStageEnum`, `createPeople`, …) so that Twenty clients work unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator

from .field_types import ACTOR_SOURCES, COMPOSITE_TYPES, CompositeType
from .metadata import MANY_TO_ONE, ONE_TO_MANY, FieldMeta, ObjectMeta, WorkspaceModel, pascal

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


def _scalar_filter(name: str, scalar: str, extra: str = "") -> str:
    ops = "\n".join(f"  {op}: {scalar}" for op in _COMPARISONS)
    return f"input {name} {{\n{ops}\n  in: [{scalar}!]\n{extra}  is: FilterIs\n}}"


def _enum_filter(name: str, enum: str, multi: bool = False) -> str:
    """SELECT compares one value; MULTI_SELECT asks about the values of a list."""
    if multi:
        return f"input {name} {{\n  containsAny: [{enum}!]\n  is: FilterIs\n  isEmptyArray: Boolean\n}}"
    ops = "\n".join(f"  {op}: {enum}" for op in _COMPARISONS)
    return f"input {name} {{\n{ops}\n  in: [{enum}!]\n  containsAny: [{enum}!]\n  is: FilterIs\n}}"


def common_sdl() -> str:
    """Types every workspace schema shares."""
    parts = [f"scalar {s}" for s in SCALARS]
    parts += [
        "enum FilterIs {\n  NULL\n  NOT_NULL\n}",
        "enum OrderByDirection {\n  AscNullsFirst\n  AscNullsLast\n  DescNullsFirst\n  DescNullsLast\n}",
        "type PageInfo {\n  startCursor: ConnectionCursor\n  endCursor: ConnectionCursor\n"
        "  hasNextPage: Boolean!\n  hasPreviousPage: Boolean!\n}",
        "input UUIDFilter {\n  eq: UUID\n  neq: UUID\n  in: [UUID!]\n  is: FilterIs\n}",
        _scalar_filter(
            "StringFilter",
            "String",
            "  startsWith: String\n  endsWith: String\n  like: String\n  ilike: String\n",
        ),
        _scalar_filter("FloatFilter", "Float"),
        _scalar_filter("IntFilter", "Int"),
        _scalar_filter("BigIntFilter", "BigInt"),
        _scalar_filter("BigFloatFilter", "BigFloat"),
        _scalar_filter("DateTimeFilter", "DateTime"),
        _scalar_filter("DateFilter", "Date"),
        "input BooleanFilter {\n  eq: Boolean\n  is: FilterIs\n}",
        "input ArrayFilter {\n  containsIlike: String\n  is: FilterIs\n  isEmptyArray: Boolean\n}",
        "input RawJsonFilter {\n  is: FilterIs\n  like: String\n}",
        "enum ActorSourceEnum {\n" + "\n".join(f"  {s}" for s in ACTOR_SOURCES) + "\n}",
        _enum_filter("ActorSourceEnumFilter", "ActorSourceEnum"),
    ]
    parts += [_composite_sdl(c) for c in COMPOSITE_TYPES.values()]
    return "\n\n".join(parts)


def _sub_output(sub_type: str) -> str:
    return ATOMIC[sub_type][0]


def _composite_sdl(composite: CompositeType) -> str:
    name = composite.graphql_name
    out = "\n".join(f"  {s.name}: {_sub_output(s.type)}" for s in composite.sub_fields)
    inputs = "\n".join(f"  {s.name}: {_sub_output(s.type)}" for s in composite.sub_fields if not s.hidden_from_input)
    filters = "\n".join(f"  {s.name}: {ATOMIC[s.type][1]}" for s in composite.sub_fields if ATOMIC[s.type][1])
    orders = "\n".join(f"  {s.name}: OrderByDirection" for s in composite.sub_fields if ATOMIC[s.type][2])
    return (
        f"type {name} {{\n{out}\n}}\n\n"
        f"input {name}CreateInput {{\n{inputs}\n}}\n\n"
        f"input {name}UpdateInput {{\n{inputs}\n}}\n\n"
        f"input {name}FilterInput {{\n{filters}\n}}\n\n"
        f"input {name}OrderByInput {{\n{orders}\n}}"
    )


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


def _relation_args(target: ObjectMeta) -> str:
    p = pascal(target.name_singular)
    return f"(filter: {p}FilterInput, orderBy: [{p}OrderByInput], first: Int, last: Int, before: String, after: String)"


def object_sdl(model: WorkspaceModel, obj: ObjectMeta) -> Iterator[str]:
    p = pascal(obj.name_singular)
    out: list[str] = []
    create: list[str] = []
    update: list[str] = []
    filters: list[str] = []
    orders: list[str] = []
    unique = ["  id: UUID"]
    for field in obj.fields:
        if field.relation_type == MANY_TO_ONE:
            target = pascal(model.target_of(field).name_singular)
            out += [f"  {field.name}: {target}", f"  {field.join_column}: UUID"]
            for inputs in (create, update):
                inputs += [f"  {field.join_column}: UUID", f"  {field.name}: {target}RelationInput"]
            filters += [f"  {field.join_column}: UUIDFilter", f"  {field.name}: {target}FilterInput"]
            orders.append(f"  {field.join_column}: OrderByDirection")
            if field.is_unique:
                unique.append(f"  {field.join_column}: UUID")
            continue
        if field.relation_type == ONE_TO_MANY:
            target_obj = model.target_of(field)
            out.append(f"  {field.name}{_relation_args(target_obj)}: {pascal(target_obj.name_singular)}Connection")
            continue
        out.append(f"  {field.name}: {output_type(obj, field)}")
        if field.name not in _NOT_WRITABLE:
            create.append(f"  {field.name}: {input_type(obj, field, 'Create')}")
            if field.name != "id":
                update.append(f"  {field.name}: {input_type(obj, field, 'Update')}")
        if (f := filter_type(obj, field)) is not None:
            filters.append(f"  {field.name}: {f}")
        if (o := order_type(field)) is not None:
            orders.append(f"  {field.name}: {o}")
        if field.is_unique and field.name != "id":
            unique.append(f"  {field.name}: {input_type(obj, field, 'Create')}")
    for field in obj.fields:
        if field.is_enum:
            enum = enum_name(obj, field)
            yield f"enum {enum} {{\n" + "\n".join(f"  {v}" for v in field.option_values) + "\n}"
            yield _enum_filter(f"{enum}Filter", enum, multi=field.type == "MULTI_SELECT")
    lines = "\n".join
    yield f"type {p} {{\n{lines(out)}\n}}"
    yield f"type {p}Edge {{\n  node: {p}!\n  cursor: Cursor!\n}}"
    yield f"type {p}Connection {{\n  edges: [{p}Edge!]!\n  pageInfo: PageInfo!\n  totalCount: Int\n}}"
    yield f"input {p}CreateInput {{\n{lines(create)}\n}}"
    yield f"input {p}UpdateInput {{\n{lines(update) or '  id: UUID'}\n}}"
    yield (
        f"input {p}FilterInput {{\n{lines(filters)}\n  and: [{p}FilterInput]\n  or: [{p}FilterInput]\n"
        f"  not: {p}FilterInput\n}}"
    )
    yield f"input {p}OrderByInput {{\n{lines(orders)}\n}}"
    yield f"input {p}WhereUniqueInput {{\n{lines(unique)}\n}}"
    yield f"input {p}ConnectInput {{\n  where: {p}WhereUniqueInput!\n}}"
    yield f"input {p}RelationInput {{\n  connect: {p}ConnectInput\n  disconnect: Boolean\n}}"


def root_fields(obj: ObjectMeta) -> tuple[list[str], list[str]]:
    """(query fields, mutation fields) of one object, named as Twenty names them."""
    p, s, pl = pascal(obj.name_singular), obj.name_singular, obj.name_plural
    pp = pascal(pl)
    queries = [
        f"  {pl}(first: Int, last: Int, offset: Int, before: String, after: String, "
        f"filter: {p}FilterInput, orderBy: [{p}OrderByInput]): {p}Connection!",
        f"  {s}(filter: {p}FilterInput!): {p}",
    ]
    mutations = [
        f"  create{p}(data: {p}CreateInput!, upsert: Boolean): {p}",
        f"  create{pp}(data: [{p}CreateInput!]!, upsert: Boolean): [{p}!]",
        f"  update{p}(id: UUID!, data: {p}UpdateInput!): {p}",
        f"  update{pp}(filter: {p}FilterInput!, data: {p}UpdateInput!): [{p}!]",
        f"  delete{p}(id: UUID!): {p}",
        f"  delete{pp}(filter: {p}FilterInput!): [{p}!]",
        f"  destroy{p}(id: UUID!): {p}",
        f"  destroy{pp}(filter: {p}FilterInput!): [{p}!]",
        f"  restore{p}(id: UUID!): {p}",
        f"  restore{pp}(filter: {p}FilterInput!): [{p}!]",
    ]
    return queries, mutations


def build_sdl(model: WorkspaceModel) -> str:
    """The whole SDL of a workspace's Core GraphQL API."""
    parts = [common_sdl()]
    queries: list[str] = []
    mutations: list[str] = []
    for obj in model.objects:
        parts.extend(object_sdl(model, obj))
        q, m = root_fields(obj)
        queries += q
        mutations += m
    if not queries:  # a schema needs a Query type even for a workspace without objects
        queries.append("  _empty: Boolean")
    parts.append("type Query {\n" + "\n".join(queries) + "\n}")
    if mutations:
        parts.append("type Mutation {\n" + "\n".join(mutations) + "\n}")
    return "\n\n".join(parts) + "\n"
