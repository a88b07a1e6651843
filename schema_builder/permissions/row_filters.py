"""Row-level predicates → the filter of the rows a role may see (pure).

Twenty stores a role's row-level rules as view-filter-like predicates (field, operand, value,
optional sub-field) arranged in AND/OR groups, and turns them into a record filter the way its
views do (`computeRecordGqlOperationFilter`): the predicates of a group are combined with the
group's operator, groups nest through their parent, and the ungrouped predicates and root
groups are ANDed. A predicate without a value constrains nothing (as a view filter left
empty), except the operands that need none (IS_EMPTY, IS_NOT_EMPTY, IS_NOT_NULL).

The result is a filter in docgate's (Twenty's) filter input, translated by the one filter
translator (`compile.filters`) into the MongoDB query the scoped collections AND into every
command. A relation predicate compares the join column with the record ids it names, so the
query never needs another lookup.

Where docgate differs, and why: a predicate comparing with the current workspace member
(`workspaceMemberFieldMetadataId`, or a relation's "current member" choice) matches nothing
for an API key, which has no member; Twenty drops such a predicate for callers without a
member, which widens what the key sees. Operands whose meaning moves with the clock
(IS_RELATIVE, IS_IN_PAST, IS_IN_FUTURE, IS_TODAY) and VECTOR_SEARCH are refused when the
predicate is written, rather than compiled into a filter that goes stale.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from schema_builder.errors import BadUserInput
from schema_builder.metadata.model import MANY_TO_ONE, FieldMeta, ObjectMeta

Filter = dict[str, Any]
MATCHES_NOTHING: Filter = {"id": {"in": []}}

OPERANDS = (
    "IS", "IS_NOT_NULL", "IS_NOT", "LESS_THAN_OR_EQUAL", "GREATER_THAN_OR_EQUAL", "IS_BEFORE", "IS_AFTER",
    "CONTAINS", "DOES_NOT_CONTAIN", "IS_EMPTY", "IS_NOT_EMPTY", "IS_RELATIVE", "IS_IN_PAST", "IS_IN_FUTURE",
    "IS_TODAY", "VECTOR_SEARCH",
)
UNSUPPORTED = frozenset({"IS_RELATIVE", "IS_IN_PAST", "IS_IN_FUTURE", "IS_TODAY", "VECTOR_SEARCH"})
_VALUELESS = frozenset({"IS_EMPTY", "IS_NOT_EMPTY", "IS_NOT_NULL"})
_TEXT_LIKE = frozenset({"TEXT"})
_NUMERIC = frozenset({"NUMBER", "NUMERIC", "POSITION"})
# The sub-field a composite is compared by when the predicate names none (Twenty's defaults).
_DEFAULT_SUB_FIELDS: Mapping[str, tuple[str, ...]] = {
    "FULL_NAME": ("firstName", "lastName"),
    "EMAILS": ("primaryEmail",),
    "PHONES": ("primaryPhoneNumber",),
    "LINKS": ("primaryLinkUrl",),
    "ADDRESS": ("addressStreet1", "addressStreet2", "addressCity", "addressState", "addressCountry",
                "addressPostcode"),
    "CURRENCY": ("amountMicros",),
    "ACTOR": ("name",),
    "RICH_TEXT": ("markdown",),
}


def check_predicate(obj: ObjectMeta, meta: FieldMeta, operand: str, sub_field: str | None) -> None:
    """Refuse, when it is written, a predicate docgate could not enforce."""
    if operand in UNSUPPORTED:
        raise BadUserInput(
            f"the operand {operand} is not supported in row-level predicates by docgate (its meaning changes with "
            "time or needs a vector index); use IS_BEFORE / IS_AFTER with a date instead"
        )
    if meta.type == "RELATION" and meta.relation_type != MANY_TO_ONE:
        raise BadUserInput(
            f"'{meta.name}' of '{obj.name_singular}' is a one-to-many relation: a row-level predicate compares a "
            "many-to-one relation (the record's own join column)"
        )
    if meta.type == "RELATION" and operand not in ("IS", "IS_NOT", "IS_EMPTY", "IS_NOT_EMPTY", "IS_NOT_NULL"):
        raise BadUserInput(f"a relation predicate takes IS, IS_NOT, IS_EMPTY or IS_NOT_EMPTY, not {operand}")
    composite = meta.composite
    if sub_field is not None and (composite is None or composite.sub_field(sub_field) is None):
        raise BadUserInput(f"'{sub_field}' is not a sub-field of '{meta.name}' ({meta.type})")


def compile_rows(
    obj: ObjectMeta, predicates: Sequence[Mapping[str, Any]], groups: Sequence[Mapping[str, Any]]
) -> tuple[Filter | None, frozenset[str]]:
    """(the filter of the visible rows or None for all, the field names the predicates use)."""
    by_field = {f.id: f for f in obj.fields}
    mine = [p for p in predicates if p.get("objectMetadataId") in (None, obj.id)]
    if not mine:
        return None, frozenset()
    used: set[str] = set()
    leaves: dict[str | None, list[Filter]] = {}
    for predicate in sorted(mine, key=_position):
        meta = by_field.get(str(predicate.get("fieldMetadataId")))
        if meta is None:  # its field was deleted or deactivated: the rule can no longer hold
            leaf: Filter | None = dict(MATCHES_NOTHING)
        else:
            used.add(meta.name)
            leaf = predicate_filter(meta, predicate)
        if leaf is not None:
            leaves.setdefault(predicate.get("rowLevelPermissionPredicateGroupId"), []).append(leaf)
    group_list = [g for g in groups if g.get("objectMetadataId") in (None, obj.id)]
    children: dict[str | None, list[Mapping[str, Any]]] = {}
    known = {g.get("id") for g in group_list}
    for group in sorted(group_list, key=_position):
        parent = group.get("parentRowLevelPermissionPredicateGroupId")
        children.setdefault(parent if parent in known else None, []).append(group)

    visited: set[str] = set()

    def of_group(group: Mapping[str, Any]) -> Filter | None:
        gid = str(group.get("id"))
        visited.add(gid)
        parts = list(leaves.get(gid, [])) + [
            f for child in children.get(gid, []) if str(child.get("id")) not in visited
            if (f := of_group(child)) is not None
        ]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return {"or" if group.get("logicalOperator") == "OR" else "and": parts}

    top = list(leaves.get(None, [])) + [f for g in children.get(None, []) if (f := of_group(g)) is not None]
    # Predicates of a group that is not there, or that no root reaches (a cycle of parents,
    # which writes refuse): the rule is broken, so it hides everything rather than nothing.
    if any(gid is not None and gid not in visited for gid in leaves):
        top.append(dict(MATCHES_NOTHING))
    if not top:
        return None, frozenset(used)
    return (top[0] if len(top) == 1 else {"and": top}), frozenset(used)


def _position(item: Mapping[str, Any]) -> float:
    position = item.get("positionInRowLevelPermissionPredicateGroup")
    return float(position) if isinstance(position, int | float) else 0.0


def predicate_filter(meta: FieldMeta, predicate: Mapping[str, Any]) -> Filter | None:
    """One predicate as a filter of its object; None when it constrains nothing."""
    operand = str(predicate.get("operand"))
    if predicate.get("workspaceMemberFieldMetadataId"):
        return dict(MATCHES_NOTHING)  # an API key has no workspace member to compare with
    value = _decode(predicate.get("value"))
    if operand not in _VALUELESS and _empty(value):
        return None
    if meta.type == "RELATION":
        return _relation(meta, operand, value)
    composite = meta.composite
    if composite is None:
        return _compare(lambda condition: {meta.name: condition}, meta.type, operand, value)
    sub = predicate.get("subFieldName")
    names = (str(sub),) if sub else _DEFAULT_SUB_FIELDS.get(meta.type, ())
    parts = [
        _compare(_wrap_sub(meta.name, s), sub_meta.type, operand, value)
        for s in names
        if (sub_meta := composite.sub_field(s)) is not None
    ]
    if not parts:
        return dict(MATCHES_NOTHING)
    # Any sub-field may match (Twenty's any-field filter); a negation must hold for all of them.
    return _join(parts, "and" if operand in ("IS_NOT", "DOES_NOT_CONTAIN", "IS_EMPTY") else "or")


Wrap = Callable[[Filter], Filter]


def _wrap_sub(name: str, sub: str) -> Wrap:
    return lambda condition: {name: {sub: condition}}


def _join(parts: list[Filter], how: str) -> Filter:
    return parts[0] if len(parts) == 1 else {how: parts}


def _decode(value: Any) -> Any:
    """Twenty stores some values as JSON text (a list of options, a relation's selection)."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _compare(wrap: Wrap, type_: str, operand: str, value: Any) -> Filter:
    """One predicate on one field (or sub-field) reached through `wrap`."""
    if operand in ("IS_EMPTY", "IS_NOT_EMPTY"):
        empty = [wrap({"is": "NULL"})]
        if type_ in _TEXT_LIKE:
            empty.append(wrap({"eq": ""}))
        if type_ in ("MULTI_SELECT", "ARRAY"):
            empty.append(wrap({"isEmptyArray": True}))
        condition = _join(empty, "or")
        return condition if operand == "IS_EMPTY" else {"not": condition}
    if operand == "IS_NOT_NULL":
        return wrap({"is": "NOT_NULL"})
    if operand in ("IS_NOT", "DOES_NOT_CONTAIN"):  # the records that do not match, nulls included
        positive = _compare(wrap, type_, "CONTAINS" if operand == "DOES_NOT_CONTAIN" else "IS", value)
        return {"or": [wrap({"is": "NULL"}), {"not": positive}]}
    if type_ in ("DATE_TIME", "DATE") and operand == "IS":  # the same day
        start = _day(value)
        end = start + dt.timedelta(days=1)
        if type_ == "DATE":
            return wrap({"gte": start.date().isoformat(), "lt": end.date().isoformat()})
        return wrap({"gte": start.isoformat(), "lt": end.isoformat()})
    return wrap(_condition(type_, operand, value))


def _condition(type_: str, operand: str, value: Any) -> Filter:
    """The filter operators of one positive comparison of a value of `type_`."""
    if type_ in ("SELECT", "RATING", "MULTI_SELECT", "ACTOR_SOURCE"):
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        if type_ == "MULTI_SELECT":
            return {"containsAny": values}
        if operand in ("GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL"):
            return {"gte" if operand == "GREATER_THAN_OR_EQUAL" else "lte": values[0]}
        return {"in": values}
    if type_ == "BOOLEAN":
        return {"eq": value if isinstance(value, bool) else str(value).lower() == "true"}
    if type_ in _NUMERIC:
        ops = {"GREATER_THAN_OR_EQUAL": "gte", "LESS_THAN_OR_EQUAL": "lte", "IS": "eq"}
        if operand not in ops:
            raise BadUserInput(f"the operand {operand} does not compare numbers")
        return {ops[operand]: _number(value)}
    if type_ in ("DATE_TIME", "DATE"):
        ops = {"IS_BEFORE": "lt", "IS_AFTER": "gt", "GREATER_THAN_OR_EQUAL": "gte", "LESS_THAN_OR_EQUAL": "lte"}
        if operand not in ops:
            raise BadUserInput(f"the operand {operand} does not compare dates")
        day = _day(value)
        return {ops[operand]: day.date().isoformat() if type_ == "DATE" else day.isoformat()}
    if operand == "CONTAINS":
        text = str(value).replace("%", "")
        if type_ == "ARRAY":
            return {"containsIlike": f"%{text}%"}
        return {"like": f"%{text}%"} if type_ == "RAW_JSON" else {"ilike": f"%{text}%"}
    if operand == "IS":
        return {"containsIlike": str(value).replace("%", "")} if type_ == "ARRAY" else {"eq": str(value)}
    raise BadUserInput(f"the operand {operand} does not compare {type_} values")


def _relation(meta: FieldMeta, operand: str, value: Any) -> Filter:
    column = meta.join_column or f"{meta.name}Id"
    if operand in ("IS_EMPTY", "IS_NOT_EMPTY", "IS_NOT_NULL"):
        return {column: {"is": "NULL" if operand == "IS_EMPTY" else "NOT_NULL"}}
    selected = value.get("selectedRecordIds") if isinstance(value, Mapping) else value
    ids = [str(i) for i in selected] if isinstance(selected, list) else [str(selected)] if selected else []
    # "The current workspace member" means no record for an API key.
    if operand == "IS":
        return {column: {"in": ids}}
    return {"or": [{column: {"is": "NULL"}}, {"not": {column: {"in": ids}}}]}


def _number(value: Any) -> float | int:
    if isinstance(value, bool):
        raise BadUserInput(f"a number is expected in this predicate, got {value!r}")
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value))
    except ValueError:
        raise BadUserInput(f"a number is expected in this predicate, got {str(value)[:40]!r}") from None
    return int(number) if number.is_integer() else number


def _day(value: Any) -> dt.datetime:
    text = value.get("value") if isinstance(value, Mapping) else value
    try:
        parsed = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise BadUserInput(f"a date is expected in this predicate, got {str(text)[:40]!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)
