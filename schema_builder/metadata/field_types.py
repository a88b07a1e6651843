"""The catalogue of field types: which are atomic, which composite, and their sub-fields.

Composite values are stored as sub-documents under the field's name; their GraphQL types
are named as in Twenty (`FullName`, `Emails`, …).
"""

from __future__ import annotations

from dataclasses import dataclass

ATOMIC_TYPES = frozenset(
    {
        "UUID",
        "TEXT",
        "DATE_TIME",
        "DATE",
        "BOOLEAN",
        "NUMBER",
        "NUMERIC",
        "POSITION",
        "RAW_JSON",
        "ARRAY",
        "SELECT",
        "MULTI_SELECT",
        "RATING",
        "FILES",
        "TS_VECTOR",
    }
)
RELATION = "RELATION"
ALIASES = {"RICH_TEXT_V2": "RICH_TEXT"}
ENUM_TYPES = frozenset({"SELECT", "MULTI_SELECT", "RATING"})
RATING_VALUES = tuple(f"RATING_{i}" for i in range(1, 6))
ACTOR_SOURCES = (
    "EMAIL",
    "CALENDAR",
    "WORKFLOW",
    "AGENT",
    "API",
    "IMPORT",
    "MANUAL",
    "SYSTEM",
    "WEBHOOK",
    "APPLICATION",
)


@dataclass(frozen=True, slots=True)
class ListOf:
    """The shape of a RAW_JSON sub-field that holds a list: of strings, or (with `keys`) of
    objects whose properties are those keys, each a string or null."""

    keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SubField:
    name: str
    type: str  # an atomic type; ACTOR.source is the shared `ActorSourceEnum`
    hidden_from_input: bool = False
    in_unique_key: bool = False  # part of the value that a unique field compares
    items: ListOf | None = None  # RAW_JSON typed in GraphQL, but a list of this shape (or null)
    # A list of objects exposed as a GraphQL type of its own (`[AdditionalPhone!]`, with the
    # input `[AdditionalPhoneInput!]`) rather than as JSON, as current Twenty does.
    item_type: str | None = None
    create_only: bool = False  # hidden from input, except on create (ACTOR's name, member)


@dataclass(frozen=True, slots=True)
class CompositeType:
    graphql_name: str
    sub_fields: tuple[SubField, ...]

    def sub_field(self, name: str) -> SubField | None:
        return next((s for s in self.sub_fields if s.name == name), None)

    @property
    def unique_key(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sub_fields if s.in_unique_key)


def _text(*names: str, unique: tuple[str, ...] = ()) -> tuple[SubField, ...]:
    return tuple(SubField(n, "TEXT", in_unique_key=n in unique) for n in names)


COMPOSITE_TYPES: dict[str, CompositeType] = {
    "FULL_NAME": CompositeType("FullName", _text("firstName", "lastName")),
    "EMAILS": CompositeType(
        "Emails",
        (
            SubField("primaryEmail", "TEXT", in_unique_key=True),
            SubField("additionalEmails", "RAW_JSON", items=ListOf()),
        ),
    ),
    "PHONES": CompositeType(
        "Phones",
        _text(
            "primaryPhoneNumber",
            "primaryPhoneCountryCode",
            "primaryPhoneCallingCode",
            unique=("primaryPhoneNumber", "primaryPhoneCountryCode", "primaryPhoneCallingCode"),
        )
        + (
            SubField(
                "additionalPhones",
                "RAW_JSON",
                items=ListOf(("number", "countryCode", "callingCode")),
                item_type="AdditionalPhone",
            ),
        ),
    ),
    "LINKS": CompositeType(
        "Links",
        _text("primaryLinkLabel", "primaryLinkUrl", unique=("primaryLinkUrl",))
        + (SubField("secondaryLinks", "RAW_JSON", items=ListOf(("url", "label"))),),
    ),
    "CURRENCY": CompositeType("Currency", (SubField("amountMicros", "NUMERIC"), SubField("currencyCode", "TEXT"))),
    "ADDRESS": CompositeType(
        "Address",
        _text(
            "addressStreet1",
            "addressStreet2",
            "addressCity",
            "addressPostcode",
            "addressState",
            "addressCountry",
        )
        + (SubField("addressLat", "NUMERIC"), SubField("addressLng", "NUMERIC")),
    ),
    "ACTOR": CompositeType(
        "Actor",
        (
            SubField("source", "ACTOR_SOURCE"),
            # Twenty fills these from the caller, and takes them as given on create (REST).
            SubField("workspaceMemberId", "UUID", hidden_from_input=True, create_only=True),
            SubField("name", "TEXT", hidden_from_input=True, create_only=True),
            SubField("context", "RAW_JSON"),
        ),
    ),
    "RICH_TEXT": CompositeType("RichText", _text("blocknote", "markdown")),
}

ALL_TYPES = ATOMIC_TYPES | frozenset(COMPOSITE_TYPES) | {RELATION}


def canonical_type(name: str) -> str:
    """The stored type for a type name a client sent (RICH_TEXT_V2 is RICH_TEXT)."""
    return ALIASES.get(name, name)
