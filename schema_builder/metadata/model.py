"""The in-memory model of a workspace's metadata, read from its metadata documents.

Built once per (workspace, metadataVersion) and shared, so it is immutable. Inactive
objects and fields are left out: they do not exist for the data APIs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from schema_builder.metadata.field_types import COMPOSITE_TYPES, ENUM_TYPES, RELATION, CompositeType

MANY_TO_ONE = "MANY_TO_ONE"
ONE_TO_MANY = "ONE_TO_MANY"
SYSTEM_FIELD_NAMES = (
    "id", "createdAt", "updatedAt", "deletedAt", "position", "createdBy", "updatedBy", "searchVector"
)


def pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    position: float = 0
    color: str | None = None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class FieldMeta:
    id: str
    name: str
    type: str
    label: str = ""
    description: str | None = None
    is_nullable: bool = True
    is_unique: bool = False
    is_system: bool = False
    default_value: Any = None
    options: tuple[Option, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    target_object_id: str | None = None
    target_field_id: str | None = None
    # Older Twenty names of this field, still served over the same stored value: (name, reason).
    deprecated_names: tuple[tuple[str, str], ...] = ()
    # On an alias built from `deprecated_names`: the field it stands for, and why it is deprecated.
    alias_of: str | None = None
    deprecation_reason: str | None = None

    @property
    def on_delete(self) -> str:
        """What destroying the target does to a many-to-one relation's records: CASCADE,
        SET_NULL (the default), RESTRICT or NO_ACTION (refused, as RESTRICT)."""
        return str(self.settings.get("onDelete") or "SET_NULL").upper()

    @property
    def stored_join_column(self) -> str | None:
        """The key a many-to-one relation's id is stored under (an alias reads its field's)."""
        return f"{self.alias_of or self.name}Id" if self.relation_type == MANY_TO_ONE else None

    @property
    def composite(self) -> CompositeType | None:
        return COMPOSITE_TYPES.get(self.type)

    @property
    def is_enum(self) -> bool:
        return self.type in ENUM_TYPES

    @property
    def relation_type(self) -> str | None:
        return self.settings.get("relationType") if self.type == RELATION else None

    @property
    def join_column(self) -> str | None:
        """The stored key of a many-to-one relation (`company` → `companyId`)."""
        return f"{self.name}Id" if self.relation_type == MANY_TO_ONE else None

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    @property
    def value_order(self) -> tuple[str, ...] | None:
        """The order of a SELECT's or RATING's values: that of its options (by position), as
        in Twenty, where they are a Postgres enum, not the alphabet's. None for other types."""
        if self.type not in ("SELECT", "RATING"):
            return None
        return tuple(o.value for o in sorted(self.options, key=lambda o: o.position))


@dataclass(frozen=True, slots=True)
class ObjectMeta:
    id: str
    name_singular: str
    name_plural: str
    label_singular: str = ""
    label_plural: str = ""
    description: str | None = None
    is_custom: bool = False
    collection: str = ""  # where its records are stored; stable across renames
    # Written by docgate from record changes (the timeline): read-only through the API, no
    # events of its own, and its relations are left alone by cascades.
    audit_log: bool = False
    fields: tuple[FieldMeta, ...] = ()
    # The field naming a record (search results' label) and the one picturing it, by field id.
    label_identifier_id: str | None = None
    image_identifier_id: str | None = None
    is_searchable: bool = True  # whether the cross-object `search` looks into it
    # Groups of Twenty column names (`nameFirstName`) that make two records duplicates, as
    # the object's metadata gives them; None when it gives none (see metadata.duplicates).
    duplicate_criteria: tuple[tuple[str, ...], ...] | None = None
    _by_name: dict[str, FieldMeta] = field(default_factory=dict, compare=False, repr=False)
    # Deprecated names, built from the fields' `deprecated_names`: not among `fields`.
    aliases: tuple[FieldMeta, ...] = field(default=(), compare=False)
    _canonical: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    # What other modules work out from this (immutable) object, kept so as to be worked out
    # once (e.g. its aggregates: a schema build asks four times, each groupBy request again).
    derived: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name: f for f in self.fields})
        if not self.collection:
            object.__setattr__(self, "collection", self.name_singular)
        aliases = tuple(
            replace(f, name=name, deprecated_names=(), alias_of=f.name, deprecation_reason=reason)
            for f in self.fields
            for name, reason in f.deprecated_names
            if name not in self._by_name
        )
        object.__setattr__(self, "aliases", aliases)
        for alias in aliases:
            self._canonical[alias.name] = alias.alias_of or alias.name
            if alias.join_column and alias.stored_join_column:
                self._canonical[alias.join_column] = alias.stored_join_column

    def field(self, name: str) -> FieldMeta | None:
        return self._by_name.get(name)

    def canonical_name(self, name: str) -> str:
        """The current name of a field or join column given by a deprecated name (or itself)."""
        return self._canonical.get(name, name)

    def alias(self, name: str) -> FieldMeta | None:
        return next((a for a in self.aliases if a.name == name or a.join_column == name), None)

    def field_by_join_column(self, column: str) -> FieldMeta | None:
        if not column.endswith("Id"):
            return None
        f = self._by_name.get(column[:-2])
        return f if f is not None and f.join_column == column else None

    def field_by_id(self, field_id: str | None) -> FieldMeta | None:
        return next((f for f in self.fields if f.id == field_id), None) if field_id else None

    @property
    def unique_fields(self) -> tuple[FieldMeta, ...]:
        return tuple(f for f in self.fields if f.is_unique and f.name != "id")


@dataclass(frozen=True)
class WorkspaceModel:
    workspace_id: str
    version: int
    objects: tuple[ObjectMeta, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {o.id: o for o in self.objects})
        object.__setattr__(self, "_by_singular", {o.name_singular: o for o in self.objects})
        object.__setattr__(self, "_by_plural", {o.name_plural: o for o in self.objects})

    def by_id(self, object_id: str) -> ObjectMeta | None:
        return self._by_id.get(object_id)  # type: ignore[attr-defined, no-any-return]

    def by_singular(self, name: str) -> ObjectMeta | None:
        return self._by_singular.get(name)  # type: ignore[attr-defined, no-any-return]

    def by_plural(self, name: str) -> ObjectMeta | None:
        return self._by_plural.get(name)  # type: ignore[attr-defined, no-any-return]

    def target_of(self, relation: FieldMeta) -> ObjectMeta:
        target = self.by_id(relation.target_object_id or "")
        if target is None:
            raise LookupError(f"relation {relation.name!r} points at no active object")
        return target


def field_from_document(doc: Mapping[str, Any]) -> FieldMeta:
    return FieldMeta(
        id=str(doc["_id"]),
        name=doc["name"],
        type=doc["type"],
        label=doc.get("label") or doc["name"],
        description=doc.get("description"),
        is_nullable=doc.get("isNullable", True) is not False,
        is_unique=bool(doc.get("isUnique")),
        is_system=bool(doc.get("isSystem")),
        default_value=doc.get("defaultValue"),
        options=tuple(
            Option(
                value=o["value"],
                label=o.get("label", o["value"]),
                position=o.get("position", i),
                color=o.get("color"),
                id=o.get("id"),
            )
            for i, o in enumerate(doc.get("options") or ())
        ),
        settings=dict(doc.get("settings") or {}),
        target_object_id=doc.get("relationTargetObjectMetadataId"),
        target_field_id=doc.get("relationTargetFieldMetadataId"),
        deprecated_names=tuple(
            (str(d["name"]), str(d.get("reason") or f"Use {doc['name']} instead"))
            for d in doc.get("deprecatedNames") or ()
            if isinstance(d, Mapping) and d.get("name")
        ),
    )


def _criteria(value: Any) -> tuple[tuple[str, ...], ...] | None:
    if not isinstance(value, list | tuple):
        return None
    return tuple(tuple(str(c) for c in group) for group in value if isinstance(group, list | tuple) and group)


def model_from_documents(
    workspace_id: str,
    version: int,
    object_docs: Iterable[Mapping[str, Any]],
    field_docs: Iterable[Mapping[str, Any]],
) -> WorkspaceModel:
    """Assemble the model; relations to inactive or missing objects are dropped."""
    objects = [d for d in object_docs if d.get("isActive", True)]
    active_ids = {str(d["_id"]) for d in objects}
    fields_by_object: dict[str, list[FieldMeta]] = {}
    for doc in field_docs:
        if not doc.get("isActive", True):
            continue
        meta = field_from_document(doc)
        if meta.type == RELATION and meta.target_object_id not in active_ids:
            continue
        fields_by_object.setdefault(str(doc["objectMetadataId"]), []).append(meta)
    return WorkspaceModel(
        workspace_id=workspace_id,
        version=version,
        objects=tuple(
            ObjectMeta(
                id=str(d["_id"]),
                name_singular=d["nameSingular"],
                name_plural=d["namePlural"],
                label_singular=d.get("labelSingular", ""),
                label_plural=d.get("labelPlural", ""),
                description=d.get("description"),
                is_custom=bool(d.get("isCustom")),
                collection=d.get("collectionName") or d["nameSingular"],
                audit_log=bool(d.get("isAuditLog")),
                fields=tuple(fields_by_object.get(str(d["_id"]), ())),
                label_identifier_id=d.get("labelIdentifierFieldMetadataId"),
                image_identifier_id=d.get("imageIdentifierFieldMetadataId"),
                is_searchable=d.get("isSearchable", True) is not False,
                duplicate_criteria=_criteria(d.get("duplicateCriteria")),
            )
            for d in sorted(objects, key=lambda d: d["nameSingular"])
        ),
    )
