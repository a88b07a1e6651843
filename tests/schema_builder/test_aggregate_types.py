"""Aggregate and groupBy types: Twenty's names and types per field type, and the SDL they make."""

from __future__ import annotations

from graphql import build_schema

from schema_builder.metadata.model import FieldMeta, ObjectMeta, Option, WorkspaceModel
from schema_builder.permissions.model import CompiledPermissions, ObjectAccess
from schema_builder.permissions.views import readable_model
from schema_builder.synthesis.aggregate_types import (
    aggregates_of,
    field_aggregates,
    is_aggregate_field,
    is_groupable,
)
from schema_builder.synthesis.sdl import build_sdl


def names(meta: FieldMeta) -> list[tuple[str, str]]:
    return [(a.name, a.graphql_type) for a in field_aggregates(meta)]


COUNTS = ["countUniqueValues{F}", "countEmpty{F}", "countNotEmpty{F}", "percentageEmpty{F}", "percentageNotEmpty{F}"]


def counts(field: str) -> list[tuple[str, str]]:
    return [(c.format(F=field), "Float" if c.startswith("percentage") else "Int") for c in COUNTS]


def test_every_field_has_the_counts_and_percentages() -> None:
    assert names(FieldMeta("f", "jobTitle", "TEXT")) == counts("JobTitle")
    assert names(FieldMeta("f", "tags", "MULTI_SELECT")) == counts("Tags")


def test_dates_numbers_currencies_and_booleans_add_their_own() -> None:
    assert names(FieldMeta("f", "closeDate", "DATE_TIME"))[5:] == [("minCloseDate", "DateTime"),
                                                                  ("maxCloseDate", "DateTime")]
    assert names(FieldMeta("f", "birthday", "DATE"))[5:] == [("minBirthday", "DateTime"), ("maxBirthday", "DateTime")]
    assert names(FieldMeta("f", "employees", "NUMBER"))[5:] == [
        ("minEmployees", "Float"), ("maxEmployees", "Float"), ("avgEmployees", "Float"), ("sumEmployees", "Float")]
    assert names(FieldMeta("f", "amount", "CURRENCY"))[5:] == [
        ("minAmountAmountMicros", "Float"), ("maxAmountAmountMicros", "Float"), ("sumAmountAmountMicros", "Float"),
        ("avgAmountAmountMicros", "Float")]
    assert names(FieldMeta("f", "isVip", "BOOLEAN"))[5:] == [("countTrueIsVip", "Int"), ("countFalseIsVip", "Int")]


def test_relations_have_no_aggregate_and_composites_count_their_parts() -> None:
    relation = FieldMeta("f", "company", "RELATION", settings={"relationType": "MANY_TO_ONE"})
    assert names(relation) == []
    [unique, *_] = field_aggregates(FieldMeta("f", "amount", "CURRENCY"))
    assert unique.sub_fields == ("amountMicros", "currencyCode")
    [unique, *_] = field_aggregates(FieldMeta("f", "emails", "EMAILS"))
    assert unique.sub_fields == ("primaryEmail",)


def test_total_count_comes_first_and_names_are_unique() -> None:
    obj = ObjectMeta("o", "invoice", "invoices", fields=(FieldMeta("a", "amount", "CURRENCY"),
                                                         FieldMeta("b", "paid", "BOOLEAN")))
    found = list(aggregates_of(obj))
    assert found[0] == "totalCount" and len(found) == len(set(found)) == 1 + 9 + 7


def test_a_role_that_may_not_read_a_field_sees_none_of_its_aggregates() -> None:
    # The object keeps its aggregates once worked out; the role's view of it must not inherit them.
    obj = ObjectMeta("o", "invoice", "invoices", fields=(FieldMeta("a", "amount", "CURRENCY"),
                                                         FieldMeta("b", "paid", "BOOLEAN")))
    model = WorkspaceModel("w", 1, (obj,))
    assert "sumAmountAmountMicros" in aggregates_of(obj)
    role = CompiledPermissions("r", "Sales", model, {"o": ObjectAccess(read=True, unreadable=frozenset({"amount"}))},
                               frozenset())
    [seen] = readable_model(model, role).objects
    assert [n for n in aggregates_of(seen) if "Amount" in n] == []
    assert "countTruePaid" in aggregates_of(seen) and "sumAmountAmountMicros" in aggregates_of(obj)


def test_what_can_be_grouped_by() -> None:
    assert is_groupable(FieldMeta("f", "createdAt", "DATE_TIME", is_system=True))
    assert not is_groupable(FieldMeta("f", "position", "POSITION", is_system=True))
    assert not is_groupable(FieldMeta("f", "id", "UUID", is_system=True))
    assert not is_groupable(FieldMeta("f", "deletedAt", "DATE_TIME", is_system=True))
    assert not is_groupable(FieldMeta("f", "data", "RAW_JSON"))
    assert is_groupable(FieldMeta("f", "stage", "SELECT"))
    assert not is_groupable(FieldMeta("f", "people", "RELATION", settings={"relationType": "ONE_TO_MANY"}))
    assert is_groupable(FieldMeta("f", "company", "RELATION", settings={"relationType": "MANY_TO_ONE"}))


def test_cost_counts_only_the_aggregates_of_connections() -> None:
    assert is_aggregate_field("PersonConnection", "countEmptyCity")
    assert is_aggregate_field("PersonGroupByConnection", "totalCount")
    assert not is_aggregate_field("PersonGroupByConnection", "groupByDimensionValues")
    assert not is_aggregate_field("PersonConnection", "edges")
    assert not is_aggregate_field("Person", "city")


def test_the_schema_has_group_by_with_twentys_names() -> None:
    fields = (
        FieldMeta("1", "id", "UUID", is_nullable=False, is_system=True),
        FieldMeta("2", "createdAt", "DATE_TIME", is_system=True),
        FieldMeta("3", "status", "SELECT", options=(Option("DRAFT", "Draft"),)),
        FieldMeta("4", "amount", "CURRENCY"),
    )
    model = WorkspaceModel("w", 1, (ObjectMeta("o1", "invoice", "invoices", fields=fields),))
    sdl = build_sdl(model)
    for fragment in (
        "invoicesGroupBy(groupBy: [InvoiceGroupByInput]!, filter: InvoiceFilterInput, "
        "orderBy: [InvoiceOrderByWithGroupByInput], orderByForRecords: [InvoiceOrderByInput], viewId: UUID, "
        "limit: Int, offsetForRecords: Int): [InvoiceGroupByConnection!]",
        "type InvoiceGroupByConnection {", "groupByDimensionValues: JSON!", "sumAmountAmountMicros: Float",
        "input InvoiceGroupByInput {\n  createdAt: GroupByDateGranularityInput\n  status: Boolean\n"
        "  amount: CurrencyGroupByInput\n}",
        "input InvoiceOrderByWithGroupByInput {\n  aggregate: InvoiceOrderByWithGroupByAggregateInput\n",
        "createdAt: OrderByDateGranularityInput", "enum DateGranularityEnum {", "enum FirstDayOfTheWeek {",
        "input GroupByDateGranularityInput {\n  granularity: DateGranularityEnum\n  weekStartDay: FirstDayOfTheWeek\n"
        "  timeZone: String\n}",
    ):
        assert fragment in sdl, fragment
    connection = sdl[sdl.index("type InvoiceConnection {"):]
    assert "countEmptyStatus: Int" in connection[:connection.index("}")]
    build_schema(sdl)


def test_an_object_with_nothing_to_group_by_has_no_group_by() -> None:
    model = WorkspaceModel("w", 1, (ObjectMeta("o1", "thing", "things", fields=(FieldMeta("1", "id", "UUID"),)),))
    sdl = build_sdl(model)
    assert "thingsGroupBy" not in sdl and "ThingGroupByInput" not in sdl
    build_schema(sdl)
