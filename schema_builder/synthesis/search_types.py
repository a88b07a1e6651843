"""The schema of search, find-duplicates and merge, named as Twenty names them (pure).

`search` and its types are the same in every workspace; `<singular>Duplicates` and
`merge<Plural>` exist only for objects with duplicate criteria, as in Twenty.
"""

from __future__ import annotations

from collections.abc import Iterator

from schema_builder.metadata.model import ObjectMeta, pascal
from schema_builder.search.duplicate_keys import duplicate_criteria
from schema_builder.synthesis.sdl import FieldDef, TypeDef

SEARCH_ARGS = (
    ("searchInput", "String!"),
    ("limit", "Int!"),
    ("after", "String"),
    ("includedObjectNameSingulars", "[String!]"),
    ("filter", "ObjectRecordFilterInput"),
    ("excludedObjectNameSingulars", "[String!]"),
)


def _fields(*pairs: tuple[str, str]) -> tuple[FieldDef, ...]:
    return tuple(FieldDef(name, type_) for name, type_ in pairs)


def search_types() -> Iterator[TypeDef]:
    yield TypeDef("type", "SearchRecord", _fields(
        ("recordId", "UUID!"), ("objectNameSingular", "String!"), ("objectLabelSingular", "String!"),
        ("label", "String!"), ("imageUrl", "String"), ("tsRankCD", "Float!"), ("tsRank", "Float!"),
    ))
    yield TypeDef("type", "SearchResultEdge", _fields(("node", "SearchRecord!"), ("cursor", "String!")))
    yield TypeDef("type", "SearchResultPageInfo", _fields(("endCursor", "String"), ("hasNextPage", "Boolean!")))
    yield TypeDef("type", "SearchResultConnection", _fields(
        ("edges", "[SearchResultEdge!]!"), ("pageInfo", "SearchResultPageInfo!"),
    ))
    yield TypeDef("input", "ObjectRecordFilterInput", _fields(
        ("and", "[ObjectRecordFilterInput!]"), ("not", "ObjectRecordFilterInput"), ("or", "[ObjectRecordFilterInput!]"),
        ("id", "UUIDFilter"), ("createdAt", "DateTimeFilter"), ("updatedAt", "DateTimeFilter"),
        ("deletedAt", "DateTimeFilter"),
    ))


def search_field() -> FieldDef:
    return FieldDef("search", "SearchResultConnection!", SEARCH_ARGS)


def duplicates_field_name(obj: ObjectMeta) -> str:
    return f"{obj.name_singular}Duplicates"


def merge_field_name(obj: ObjectMeta) -> str:
    return f"merge{pascal(obj.name_plural)}"


def dedupe_root_fields(obj: ObjectMeta) -> tuple[list[FieldDef], list[FieldDef]]:
    """(query, mutation) fields of an object's find-duplicates and merge, if it has criteria."""
    if not duplicate_criteria(obj):
        return [], []
    p = pascal(obj.name_singular)
    duplicates = FieldDef(duplicates_field_name(obj), f"[{p}Connection]",
                          (("ids", "[UUID]"), ("data", f"[{p}CreateInput]")))
    merge = FieldDef(merge_field_name(obj), p,
                     (("ids", "[UUID]!"), ("conflictPriorityIndex", "Int!"), ("dryRun", "Boolean")))
    return [duplicates], [merge]
