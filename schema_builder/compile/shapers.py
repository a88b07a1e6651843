"""Result shapers: one Python function per selected object, generated once per query plan.

A compiled plan copies each record into its answer. Walking a list of field plans per
record (a loop step, a tuple unpacked, attributes looked up per field) costs more than the
copy itself on a page of records with dozens of fields; so, as graphql-jit does in
JavaScript, the plan writes the copy out as the source of one function per selected object
and compiles it: each stored scalar is a dict lookup, a class check and a slot in a dict
display, in selection order; composite values (an object whose fields are all stored
scalars, such as `name { firstName lastName }`) are shaped inline. Fields with a resolver
(relations) are called as graphql-core calls them, and what they answer later (the
loaders' `Deferred`s and futures) is settled by the plan level by level.

Only names the schema defines and aliases the document parsed (GraphQL names, `[_A-Za-z][_0-9A-Za-z]*`)
reach the source, and only as `repr` literals; every other value is bound by name.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
)
from graphql.pyutils import Undefined, is_awaitable

from schema_builder.compile.cursors import format_datetime
from schema_builder.execute.loaders import Deferred


class Unsupported(Exception):
    """This operation, or a value met while running it, takes graphql-core's path."""


@dataclasses.dataclass(frozen=True, slots=True)
class StoredLeaf:
    """How to copy a scalar or enum read from the record (no resolver)."""

    required: bool
    same: type | None  # values of this class are serialised as they are
    serialize: Callable[[Any], Any]
    datetime: bool = False  # the DateTime scalar: a stored date is formatted here, without a call
    as_is: bool = False  # a scalar serialised as it is, whatever the value (JSON, numbers kept exact)
    names: dict[str, str] | None = None  # an enum: its names by stored (string) value


def stored_leaf(type_: GraphQLOutputType) -> StoredLeaf | None:
    """The leaf of a field's type, or None when the type is a list or an object."""
    required = isinstance(type_, GraphQLNonNull)
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList | GraphQLObjectType):
        return None
    if isinstance(type_, GraphQLEnumType):
        names: dict[str, str] = {}
        for name, value in type_.values.items():  # as graphql-core looks a value up: the first name wins
            stored = name if value.value is None or value.value is Undefined else value.value
            if isinstance(stored, str):
                names.setdefault(stored, name)
        return StoredLeaf(required, None, type_.serialize, names=names)
    serialize = type_.serialize  # type: ignore[union-attr]  # a scalar
    same = _SERIALIZED_AS_IS.get(type_)  # type: ignore[arg-type]
    if same is None and serialize is str:
        same = str  # custom scalars serialised with `str` (UUID, cursors) keep a string as it is
    # docgate's own scalars (`synthesis.scalars`, which builds on this package: known by name)
    name = getattr(serialize, "__name__", "") if getattr(serialize, "__module__", "") == _SCALARS else ""
    return StoredLeaf(required, same, serialize, datetime=name == "serialize_datetime", as_is=name == "_identity")


def serialize(serialize: Callable[[Any], Any], value: Any) -> Any:
    try:
        return serialize(value)
    except Exception as exc:  # a stored value that does not fit: graphql-core words the error
        raise Unsupported("a value does not serialize") from exc


def null() -> Any:
    raise Unsupported("null for a non-null field")


_SCALARS = "schema_builder.synthesis.scalars"
# Built-in scalars whose serialisation returns a value of this exact class unchanged.
_SERIALIZED_AS_IS: dict[GraphQLScalarType, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    """One selected field of an object, as the shaper copies or resolves it."""

    key: str  # the response key
    name: str  # the field's name (the record's key)
    leaf: StoredLeaf | None  # a stored scalar
    inline: list[Step] | None  # a composite value shaped inline: its own steps
    required: bool  # for `inline`: non-null
    complete: Callable[[Any, Any], Any]  # otherwise: the field's completer
    resolve: Any  # the field plan, when the field has a resolver (else None)
    constant: Any = None  # `__typename`'s value
    typename: bool = False
    bound: bool = False  # the resolver binds to a request (`resolve.bind`): called with the record alone


class _Source:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, Any] = {
            "_null": null, "_ser": serialize, "_fmt": format_datetime, "_dt": dt.datetime, "_awaitable": is_awaitable,
            "_Future": asyncio.Future, "_Deferred": Deferred, "_Unsupported": Unsupported,
        }
        self.count = 0

    def bind(self, value: Any) -> str:
        self.count += 1
        name = f"_b{self.count}"
        self.names[name] = value
        return name

    def local(self) -> str:
        self.count += 1
        return f"v{self.count}"


def object_shaper(steps: list[Step], resolve: Callable[..., Any],
                  bind: Callable[[Any, Any], Callable[[Any], Any]]) -> Callable[[Any, Any], Any]:
    """The function `(record, run) -> answer` of one object selection (the record is not None);
    `resolve(field_plan, record, run)` calls a field's resolver; `bind(field_plan, run)` binds
    a bindable one to the request (then kept in `run.bound`)."""
    src = _Source()
    src.names["_resolve"] = resolve
    src.names["_bind"] = bind
    body: list[str] = ["get = value.get"]
    pending: list[tuple[str, str, str]] = []
    display = _shape(steps, "get", body, src, pending, "    ")
    if pending:
        body.append(f"out = {display}")
        for local, key, complete in pending:
            body.append(f"if {local} is not None: run.pending.append((out, {key!r}, {local}, {complete}, None))")
        body.append("return out")
    else:
        body.append(f"return {display}")
    source = "def shape(value, run):\n" + "".join(f"    {line}\n" for line in body)
    namespace = dict(src.names)
    exec(compile(source, "<docgate shaper>", "exec"), namespace)  # noqa: S102  # our own source, see above
    shape: Callable[[Any, Any], Any] = namespace["shape"]
    return shape


def _shape(steps: list[Step], get: str, body: list[str], src: _Source, pending: list[tuple[str, str, str]],
           indent: str) -> str:
    """Lines that compute each step's value into a local; the dict display of the object."""
    items: list[str] = []
    for step in steps:
        v = src.local()
        if step.typename:
            items.append(f"{step.key!r}: {step.constant!r}")
            continue
        if step.leaf is not None:
            _leaf(step, get, v, body, src)
        elif step.inline is not None:
            c = src.local()
            body.append(f"{c} = {get}({step.name!r})")
            body.append(f"if {c} is None:")
            body.append(f"    {v} = _null()" if step.required else f"    {v} = None")
            body.append("else:")
            inner: list[str] = [f"{c}get = {c}.get"]
            display = _shape(step.inline, f"{c}get", inner, src, pending, indent)
            inner.append(f"{v} = {display}")
            body.extend(f"    {line}" for line in inner)
        elif step.resolve is None:
            body.append(f"{v} = {src.bind(step.complete)}({get}({step.name!r}), run)")
        else:
            field, complete, p = src.bind(step.resolve), src.bind(step.complete), src.local()
            if step.bound:  # bound once per request, then one call per record
                b = src.local()
                body.append(f"{b} = run.bound.get({field})")
                body.append(f"if {b} is None: {b} = _bind({field}, run)")
                body.append("try:")
                body.append(f"    {p} = {b}(value)")
                body.append("except Exception as exc:")
                body.append("    raise _Unsupported('a resolver raised') from exc")
            else:
                body.append(f"{p} = _resolve({field}, value, run)")
            body.append(f"if {p}.__class__ is _Deferred or {p}.__class__ is _Future or _awaitable({p}):")
            body.append(f"    {v} = None")
            body.append("else:")
            body.append(f"    {v} = {complete}({p}, run)")
            body.append(f"    {p} = None")
            pending.append((p, step.key, complete))
        items.append(f"{step.key!r}: {v}")
    return "{" + ", ".join(items) + "}"


def _leaf(step: Step, get: str, v: str, body: list[str], src: _Source) -> None:
    leaf = step.leaf
    assert leaf is not None
    body.append(f"{v} = {get}({step.name!r})")
    if leaf.required:
        body.append(f"if {v} is None: _null()")
    serialize = src.bind(leaf.serialize)
    if leaf.as_is:
        return
    if leaf.names is not None:  # a stored name: looked up; anything else as the enum does it
        names = src.bind(leaf.names)
        body.append(f"if {v} is not None: {v} = {names}.get({v}) if {v}.__class__ is str and {v} in {names} "
                    f"else _ser({serialize}, {v})")
    elif leaf.datetime:  # the common case formatted here; anything else as the scalar does it
        body.append(f"if {v}.__class__ is _dt: {v} = _fmt({v})")
        body.append(f"elif {v} is not None: {v} = _ser({serialize}, {v})")
    elif leaf.same is not None:
        same = src.bind(leaf.same)
        body.append(f"if {v} is not None and {v}.__class__ is not {same}: {v} = _ser({serialize}, {v})")
    else:
        body.append(f"if {v} is not None: {v} = _ser({serialize}, {v})")
