"""Twenty's filter input → a MongoDB query, as pure functions.

Twenty evaluates filters in SQL, so comparisons on a null value are *unknown*: they match
neither the condition nor its negation (`neq: x` and `not: {gt: 1}` never match nulls).
The translation keeps that three-valued logic by pushing `not` down to the leaves: each
leaf has a positive form and a "definitely false" form that also requires a value.

User text never becomes a regex or an operator: `%` is the only wildcard of the pattern
operators, everything else is escaped, and dict operands are refused.

A to-one relation filter needs the ids of the matching targets, so it is emitted as a
`RelationFilter` marker that `resolve_relation_filters` later swaps for those ids.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from schema_builder.context import Limits
from schema_builder.errors import BadUserInput
from schema_builder.metadata.field_types import RELATION
from schema_builder.metadata.model import MANY_TO_ONE, FieldMeta, ObjectMeta, WorkspaceModel

Query = dict[str, Any]
MAX_RELATION_FILTER_DEPTH = 1  # Twenty's: a relation filter inside a relation filter is refused
TRUE: Query = {}
NOTHING: Query = {"_id": {"$in": []}}
LOGICAL_KEYS = ("and", "or", "not")
_LIMITS = Limits()

_ORDERED = frozenset({"eq", "neq", "gt", "gte", "lt", "lte", "in", "is"})
_TEXT = _ORDERED | {"startsWith", "endsWith", "like", "ilike"}
_ENUM = _ORDERED | {"containsAny", "isEmptyArray"}  # on a single value, containsAny is `in`
# Operator set and operand kind for every filterable leaf type.
_KINDS: dict[str, tuple[frozenset[str], str]] = {
    "UUID": (_ORDERED, "str"),  # ids compare as their lower-case text, as Postgres compares uuids
    "TEXT": (_TEXT, "str"),
    "NUMBER": (_ORDERED, "number"),
    "NUMERIC": (_ORDERED, "number"),
    "POSITION": (_ORDERED, "number"),
    "DATE_TIME": (_ORDERED, "datetime"),
    "DATE": (_ORDERED, "date"),
    "BOOLEAN": (frozenset({"eq", "is"}), "bool"),
    "SELECT": (_ENUM, "str"),
    "RATING": (_ENUM, "str"),
    "ACTOR_SOURCE": (_ENUM, "str"),
    "MULTI_SELECT": (frozenset({"containsAny", "is", "isEmptyArray", "eq", "neq", "in"}), "str"),
    "TS_VECTOR": (frozenset({"search"}), "str"),
    "ARRAY": (frozenset({"containsIlike", "is", "isEmptyArray"}), "str"),
    "RAW_JSON": (frozenset({"is", "like"}), "str"),
    "FILES": (frozenset({"is", "like"}), "str"),
}


@dataclass(frozen=True)
class RelationFilter:
    """Stands for the ids of the visible `target` records matching `query`."""

    target: ObjectMeta
    query: Mapping[str, Any]


def all_of(*queries: Query) -> Query:
    """AND of queries; merges disjoint ones so simple filters stay simple dicts."""
    if any(q == NOTHING for q in queries):
        return dict(NOTHING)
    parts = [q for q in queries if q]
    if not parts:
        return {}
    if len(parts) == 1:
        return parts[0]
    keys = [k for q in parts for k in q]
    if len(keys) == len(set(keys)):
        return {k: v for q in parts for k, v in q.items()}
    return {"$and": parts}


def any_of(*queries: Query) -> Query:
    """OR of queries (an empty OR matches nothing)."""
    if any(not q for q in queries):
        return {}
    parts = [q for q in queries if q != NOTHING]
    if not parts:
        return dict(NOTHING)
    return parts[0] if len(parts) == 1 else {"$or": parts}


def like_regex(pattern: str, *, prefix: str = "", suffix: str = "") -> str:
    """An anchored regex where only `%` (any run of characters) is special, matched in time
    linear in the value's length whatever the pattern.

    `^a[\\s\\S]*a[\\s\\S]*b$` backtracks through every way of placing each `a` (seconds on a
    long value, minutes for a few more `%`). Instead each `%` and the text after it is an
    atomic group that takes the *first* place the text fits and is never tried again: for a
    pattern whose only wildcard is `%`, the earliest fit of each piece is always a right one,
    so nothing is lost. Only the last piece, which must end the value, is found from the end.
    """
    first, *pieces = (prefix + pattern + suffix).split("%")
    if not pieces:
        return f"^{re.escape(first)}$"
    *middle, last = pieces
    found = "".join(f"(?>[\\s\\S]*?{re.escape(piece)})" for piece in middle if piece)
    return f"^{re.escape(first)}{found}[\\s\\S]*{re.escape(last)}$"


def translate_filter(
    model: WorkspaceModel, obj: ObjectMeta, filter: Mapping[str, Any] | None, limits: Limits = _LIMITS
) -> Query:
    """The MongoDB query for a Twenty filter (no soft-delete handling)."""
    if filter is None:
        return {}
    return _Translator(model, limits).node(obj, filter, negate=False)


def constrains(filter: Any) -> bool:
    """Whether a filter selects fewer than every record, judged on its structure.

    `{}`, `{and: []}`, `{or: []}`, `{field: {}}`, `{relation: {}}` and their nestings
    constrain nothing. So does an `or` with one such branch: it is true for every record
    (Twenty lets `{or: [{}, …]}` through; docgate refuses it too, see the README). An
    operator with an operand constrains, whatever the operand (translation checks it).
    """
    if not isinstance(filter, Mapping):
        return False
    for key, value in filter.items():
        if key in ("and", "or"):
            items = [value] if isinstance(value, Mapping) else value if isinstance(value, list | tuple) else []
            if key == "and" and any(constrains(i) for i in items):
                return True
            if key == "or" and items and all(constrains(i) for i in items):
                return True
        elif key == "not" or isinstance(value, Mapping):
            if constrains(value):
                return True
        else:
            return True  # an operator and its operand
    return False


def mentions_deleted_at(filter: Mapping[str, Any] | None) -> bool:
    """Whether `deletedAt` is filtered on at any logical level (not inside relations)."""
    if not isinstance(filter, Mapping):
        return False
    for key, value in filter.items():
        if key == "deletedAt":
            return True
        if key in ("and", "or"):
            items = [value] if isinstance(value, Mapping) else value
            if isinstance(items, list | tuple) and any(mentions_deleted_at(v) for v in items):
                return True
        if key == "not" and mentions_deleted_at(value):
            return True
    return False


def visible_filter(
    model: WorkspaceModel, obj: ObjectMeta, filter: Mapping[str, Any] | None, limits: Limits = _LIMITS
) -> Query:
    """The query a read uses: soft-deleted records stay hidden unless `deletedAt` is asked."""
    return _Translator(model, limits).visible(obj, filter, negate=False)


async def resolve_relation_filters(
    query: Any, find_ids: Callable[[ObjectMeta, Query], Awaitable[list[str]]]
) -> Any:
    """Replace every `RelationFilter` marker (inner ones first) by the matching ids."""
    if not holds_relation_filter(query):  # most queries: no coroutine per node
        return query
    if isinstance(query, RelationFilter):
        inner = await resolve_relation_filters(dict(query.query), find_ids)
        return list(await find_ids(query.target, inner))
    if isinstance(query, Mapping):
        return {k: await resolve_relation_filters(v, find_ids) for k, v in query.items()}
    if isinstance(query, list | tuple):
        return [await resolve_relation_filters(v, find_ids) for v in query]
    return query


def _by_id(filter: Mapping[str, Any] | None) -> bool:
    """`{id: {eq: "<uuid>"}}` exactly (the UUID scalar has already checked the id)."""
    if filter is None or len(filter) != 1:
        return False
    condition = filter.get("id")
    return isinstance(condition, Mapping) and len(condition) == 1 and isinstance(condition.get("eq"), str)


def holds_relation_filter(query: Any) -> bool:
    kind = query.__class__  # translated queries are plain dicts and lists: no ABC checks
    if kind is dict:
        return any(holds_relation_filter(v) for v in query.values())
    if kind is list or kind is tuple:
        return any(holds_relation_filter(v) for v in query)
    return kind is RelationFilter


class _Translator:
    def __init__(self, model: WorkspaceModel, limits: Limits) -> None:
        self.model = model
        self.relation_depth = 0  # relation filters entered (Twenty allows one)
        self.limits = limits
        self.depth = 0  # of and/or/not and relation filters around the node being translated

    @contextmanager
    def deeper(self) -> Iterator[None]:
        self.depth += 1
        if self.depth > self.limits.max_filter_depth:
            raise BadUserInput(
                f"the filter nests and/or/not and relation filters more than {self.limits.max_filter_depth} deep "
                "(DOCGATE_MAX_FILTER_DEPTH)"
            )
        try:
            yield
        finally:
            self.depth -= 1

    def visible(self, obj: ObjectMeta, filter: Mapping[str, Any] | None, negate: bool) -> Query:
        if not negate and _by_id(filter):  # the commonest filter (a record by id), straight to its query
            return {"_id": filter["id"]["eq"], "deletedAt": None}  # type: ignore[index]
        query = self.node(obj, filter or {}, negate)
        if mentions_deleted_at(filter):
            return query
        return all_of(query, {"deletedAt": None})

    def node(self, obj: ObjectMeta, node: Any, negate: bool) -> Query:
        """P(node), or with `negate` the records for which node is definitely false."""
        if not isinstance(node, Mapping):
            raise BadUserInput(f"a filter of '{obj.name_singular}' must be an object")
        parts: list[Query] = []
        for key, value in node.items():
            if key in ("and", "or"):
                with self.deeper():
                    subs = [self.node(obj, v, negate) for v in _list(value, key, obj)]
                if not subs:  # no condition: true, so its negation is false
                    parts.append(dict(NOTHING) if negate else {})
                elif (key == "and") != negate:
                    parts.append(all_of(*subs))
                else:
                    parts.append(any_of(*subs))
            elif key == "not":
                with self.deeper():
                    parts.append(self.node(obj, value, not negate))
            else:
                parts.append(self.field(obj, key, value, negate))
        return any_of(*parts) if negate else all_of(*parts)

    def field(self, obj: ObjectMeta, name: str, value: Any, negate: bool) -> Query:
        name = obj.canonical_name(name)  # an older Twenty name filters the same values
        meta = obj.field(name)
        if name == "id":
            return self.leaves("_id", "id", "UUID", value, negate)
        if meta is None:
            joined = obj.field_by_join_column(name)
            if joined is None:
                raise BadUserInput(f"unknown field '{name}' in filter of '{obj.name_singular}'")
            return self.leaves(name, name, "UUID", value, negate)
        if meta.type == RELATION:
            return self.relation(obj, meta, value, negate)
        composite = meta.composite
        if composite is None:
            return self.leaves(name, name, meta.type, value, negate, meta.value_order)
        if not isinstance(value, Mapping):
            raise BadUserInput(f"the filter of composite field '{name}' must be an object")
        parts = []
        for sub_name, sub_value in value.items():
            sub = composite.sub_field(sub_name)
            if sub is None:
                where = f"in filter of '{obj.name_singular}'"
                raise BadUserInput(f"unknown sub-field '{sub_name}' of field '{name}' {where}")
            path = f"{name}.{sub_name}"
            parts.append(self.leaves(path, path, sub.type, sub_value, negate))
        return any_of(*parts) if negate else all_of(*parts)

    def relation(self, obj: ObjectMeta, meta: FieldMeta, value: Any, negate: bool) -> Query:
        if meta.relation_type != MANY_TO_ONE or meta.join_column is None:
            raise BadUserInput(
                f"relation field '{meta.name}' of '{obj.name_singular}' is "
                f"{(meta.relation_type or 'unknown').lower().replace('_', '-')} "
                "and cannot be filtered; filter the related object instead"
            )
        if self.relation_depth >= MAX_RELATION_FILTER_DEPTH:
            raise BadUserInput(
                f"Relation filter nesting deeper than {MAX_RELATION_FILTER_DEPTH} hop is not supported",
                subCode="INVALID_QUERY_INPUT",
                userFriendlyMessage="Relation filters can only traverse one relation deep",
            )
        target = self.model.target_of(meta)
        # Negation stays inside the target: the record must have a target that fails.
        self.relation_depth += 1
        try:
            with self.deeper():
                inner = self.visible(target, value, negate)
        finally:
            self.relation_depth -= 1
        return {meta.join_column: {"$in": RelationFilter(target=target, query=inner)}}

    def leaves(
        self, path: str, label: str, type_: str, ops: Any, negate: bool, order: tuple[str, ...] | None = None
    ) -> Query:
        allowed, kind = _KINDS.get(type_, (frozenset(), "str"))
        if not allowed:
            raise BadUserInput(f"field '{label}' of type {type_} cannot be filtered")
        if not isinstance(ops, Mapping):
            raise BadUserInput(f"the filter of field '{label}' must be an object of operators")
        parts = []
        for op, operand in ops.items():
            if op in ("regex", "iregex"):  # in Twenty's schema, refused by Twenty's query parser
                hint = "use like or ilike with % as the wildcard"
                raise BadUserInput(f'Operator "{op}" is not supported (field \'{label}\'): {hint}')
            if op not in allowed:
                raise BadUserInput(f"operator '{op}' is not valid for {type_} field '{label}'")
            if operand is None:
                raise BadUserInput(
                    f"operator '{op}' of field '{label}' needs a value (use is: NULL for nulls)"
                )
            leaf = _Leaf(path, label, type_, kind, op, self.limits, order)
            positive = leaf.condition(operand)
            if not negate:
                parts.append(positive)
            elif op == "is":
                parts.append(leaf.condition("NOT_NULL" if operand == "NULL" else "NULL"))
            else:  # definitely false: a value is there and the condition fails on it
                parts.append({"$nor": [{path: None}, positive]})
        return any_of(*parts) if negate else all_of(*parts)


@dataclass(frozen=True, slots=True)
class _Leaf:
    path: str
    label: str
    type: str
    kind: str
    op: str
    limits: Limits
    order: tuple[str, ...] | None = None  # an enum's values in their own order (see FieldMeta.value_order)

    def fail(self, why: str) -> BadUserInput:
        return BadUserInput(f"operator '{self.op}' of {self.type} field '{self.label}' {why}")

    def condition(self, v: Any) -> Query:
        p, op = self.path, self.op
        if op == "is":
            if v == "NULL":
                return {p: None}
            if v == "NOT_NULL":
                return {p: {"$ne": None}}
            raise self.fail("expects NULL or NOT_NULL")
        if op == "isEmptyArray":
            if not isinstance(v, bool):
                raise self.fail("expects a boolean")
            if self.type != "MULTI_SELECT" and self.type not in ("ARRAY", "RAW_JSON"):
                return dict(NOTHING) if v else {p: {"$ne": None}}  # one value is never an empty list
            return {p: {"$size": 0}} if v else {f"{p}.0": {"$exists": True}}
        if op == "search":
            return _search(p, self.pattern(self.scalar(v, "str")))
        if op in ("like", "ilike", "startsWith", "endsWith", "containsIlike"):
            text = self.pattern(self.scalar(v, "str"))
            rx: dict[str, Any] = {
                "$regex": like_regex(
                    text,
                    prefix="%" if op == "endsWith" else "",
                    suffix="%" if op == "startsWith" else "",
                )
            }
            if op in ("ilike", "containsIlike"):
                rx["$options"] = "i"
            return {p: {"$elemMatch": rx} if op == "containsIlike" else rx}
        if self.type == "MULTI_SELECT":
            # Twenty's enum filter compares one value (eq: X); docgate also takes a list.
            values = [self.scalar(v, "str")] if isinstance(v, str) and op in ("eq", "neq") else self.values(v)
            if op in ("containsAny", "in"):
                return {p: {"$in": values}}
            same = {p: {"$all": values, "$size": len(values)}} if values else {p: {"$size": 0}}
            return same if op == "eq" else {"$nor": [{p: None}, same]}
        if op in ("in", "containsAny"):
            return {p: {"$in": self.values(v)}}
        value = self.scalar(v, self.kind)
        if self.order is not None and op in _RANGES:  # by the options' order: the values on that side
            return {p: {"$in": values_beyond(self.order, value, op)}}
        if op == "eq":
            return {p: value}
        if op == "neq":  # SQL `<>`: nulls match neither eq nor neq
            return {p: {"$nin": [value, None]}}
        return {p: {f"${op}": value}}

    def pattern(self, text: str) -> str:
        limits = self.limits
        if len(text) > limits.max_pattern_length:
            raise self.fail(
                f"takes a pattern of at most {limits.max_pattern_length} characters (DOCGATE_MAX_PATTERN_LENGTH); "
                f"got {len(text)}"
            )
        if text.count("%") > limits.max_pattern_wildcards:
            raise self.fail(
                f"takes at most {limits.max_pattern_wildcards} '%' wildcards (DOCGATE_MAX_PATTERN_WILDCARDS); "
                f"got {text.count('%')}"
            )
        return text

    def values(self, v: Any) -> list[Any]:
        if isinstance(v, str | bytes | Mapping) or not isinstance(v, Sequence):
            raise self.fail("expects a list")
        if len(v) > self.limits.max_filter_values:
            raise self.fail(
                f"takes at most {self.limits.max_filter_values} values (DOCGATE_MAX_FILTER_VALUES); got {len(v)}"
            )
        return [self.scalar(x, self.kind) for x in v]

    def scalar(self, v: Any, kind: str) -> Any:
        """The operand as stored; anything that could act as an operator is refused."""
        if kind == "str" and isinstance(v, str):
            return v
        if kind == "bool" and isinstance(v, bool):
            return v
        if kind == "number" and not isinstance(v, bool):
            if isinstance(v, int | float):
                return v
            if isinstance(v, str):
                try:
                    number = float(v)
                except ValueError:
                    raise self.fail(f"expects a number, got {v!r}") from None
                whole = number.is_integer() and "." not in v and abs(number) < 2**63  # what BSON stores as int
                return int(number) if whole else number
        if kind == "datetime":
            return _datetime(v, self.fail)
        if kind == "date":
            return _date(v, self.fail)
        raise self.fail(f"expects a {kind} value, got {type(v).__name__}")


_RANGES = ("gt", "gte", "lt", "lte")


def _search(path: str, text: str) -> Query:
    """Twenty's `search` on a searchVector: every word of `text` starts a word of the record
    (its prefix query), or `text` appears in the vector's text as it is (its ILIKE)."""
    words = text.lower().split()
    prefixes = [{path: {"$regex": "'" + re.escape(w.replace("'", "''")), "$options": "i"}} for w in words]
    anywhere = {path: {"$regex": like_regex(text, prefix="%", suffix="%"), "$options": "i"}}
    return any_of(all_of(*prefixes), anywhere) if prefixes else {path: {"$ne": None}}


def values_beyond(order: Sequence[str], value: str, op: str) -> list[str]:
    """The values of `order` that compare `op` to `value` in that order (a value not in
    it, once an option but since removed, compares with none)."""
    if value not in order:
        return []
    i = order.index(value)
    return list({"gt": order[i + 1 :], "gte": order[i:], "lt": order[:i], "lte": order[: i + 1]}[op])


def _list(value: Any, key: str, obj: ObjectMeta) -> list[Any]:
    if isinstance(value, Mapping):
        return [value]  # GraphQL list coercion: a single object is a list of one
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise BadUserInput(f"'{key}' in filter of '{obj.name_singular}' expects a list")
    return list(value)


def _datetime(v: Any, fail: Callable[[str], BadUserInput]) -> dt.datetime:
    if isinstance(v, str):
        try:
            v = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            raise fail(f"expects an ISO 8601 date-time, got {v!r}") from None
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=dt.UTC) if v.tzinfo is None else v.astimezone(dt.UTC)
    raise fail(f"expects a date-time, got {type(v).__name__}")


def _date(v: Any, fail: Callable[[str], BadUserInput]) -> str:
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v).isoformat()
        except ValueError:
            raise fail(f"expects a date YYYY-MM-DD, got {v!r}") from None
    raise fail(f"expects a date, got {type(v).__name__}")
