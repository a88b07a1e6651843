"""The subscription types of a workspace's schema: a record-event stream per object.

`personEvents(filter: PersonFilterInput, operations: [DatabaseEventAction!]): PersonEvent!`
delivers the changes of people whose record matches `filter` (the record after the change,
or before it for a deletion), with the action, the position to resume from, and the record's
before/after/diff as the timeline keeps them (Twenty's `properties`).
"""

from __future__ import annotations

from collections.abc import Iterator

from schema_builder.metadata.model import ObjectMeta, pascal
from schema_builder.synthesis.sdl import FieldDef, TypeDef

ACTIONS = ("CREATED", "UPDATED", "DELETED", "DESTROYED", "RESTORED", "UPSERTED")


def common_event_types() -> Iterator[TypeDef]:
    yield TypeDef("enum", "DatabaseEventAction", values=ACTIONS)


def event_types(obj: ObjectMeta) -> Iterator[TypeDef]:
    p = pascal(obj.name_singular)
    yield TypeDef("type", f"{p}Event", (
        FieldDef("action", "DatabaseEventAction!"),
        FieldDef("position", "String!"),
        FieldDef("recordId", "UUID!"),
        FieldDef("record", p),
        FieldDef("updatedFields", "[String!]"),
        FieldDef("before", "JSON"),
        FieldDef("after", "JSON"),
        FieldDef("diff", "JSON"),
        FieldDef("happensAt", "DateTime!"),
        FieldDef("apiKeyId", "UUID"),
    ))


def subscription_field(obj: ObjectMeta) -> FieldDef:
    p = pascal(obj.name_singular)
    return FieldDef(f"{obj.name_singular}Events", f"{p}Event!",
                    (("filter", f"{p}FilterInput"), ("operations", "[DatabaseEventAction!]")))
