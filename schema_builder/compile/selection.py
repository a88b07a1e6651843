"""What a query selects under a field: which names, through fragments and aliases.

Used to compute `totalCount` only when asked and to fetch only the stored fields a query
reads (a projection), which is most of the decoding work saved on large pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from graphql import FieldNode, FragmentSpreadNode, GraphQLResolveInfo, InlineFragmentNode, SelectionSetNode

from schema_builder.compile.identity_cache import IdentityCache
from schema_builder.metadata.model import MANY_TO_ONE, ObjectMeta


def _fields(selection_set: SelectionSetNode | None, fragments: Mapping[str, Any]) -> Iterator[FieldNode]:
    for node in selection_set.selections if selection_set else ():
        if isinstance(node, FieldNode):
            yield node
        elif isinstance(node, InlineFragmentNode):
            yield from _fields(node.selection_set, fragments)
        elif isinstance(node, FragmentSpreadNode):
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                yield from _fields(fragment.selection_set, fragments)


def selected_names(info: GraphQLResolveInfo, path: Sequence[str] = ()) -> set[str]:
    """Field names selected under the current field, after descending through `path`."""
    level: Iterable[FieldNode] = info.field_nodes
    for step in path:
        level = [f for node in level for f in _fields(node.selection_set, info.fragments) if f.name.value == step]
    return {f.name.value for node in level for f in _fields(node.selection_set, info.fragments)}


_projections: IdentityCache[dict[str, int]] = IdentityCache()


def projection(obj: ObjectMeta, names: Iterable[str], sort_paths: Iterable[str] = ()) -> dict[str, int]:
    """The stored keys that answer the selected GraphQL fields of `obj` (and the sort keys).

    Worked out once per (object, selection, sort) and shared: callers must not change it."""
    wanted, sorts = frozenset(names), tuple(sort_paths)
    return _projections.get((obj,), (wanted, sorts), lambda: _projection(obj, wanted, sorts))


def _projection(obj: ObjectMeta, names: Iterable[str], sort_paths: Iterable[str]) -> dict[str, int]:
    keys = {"_id"}
    for selected in names:
        name = obj.canonical_name(selected)  # older Twenty names read the current fields' values
        meta = obj.field(name)
        if meta is None:
            if name != "__typename" and name != "id":
                keys.add(name)  # a join column such as companyId
        elif meta.relation_type == MANY_TO_ONE:
            keys.add(f"{name}Id")
        elif meta.relation_type is None:
            keys.add(name)
    keys.update(path.split(".")[0] for path in sort_paths)
    return dict.fromkeys(sorted(keys), 1)
