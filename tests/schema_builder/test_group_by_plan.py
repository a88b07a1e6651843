"""groupBy arguments → a plan, or Twenty's error naming what is wrong (pure: no database)."""

from __future__ import annotations

from typing import Any

import pytest

from schema_builder.compile.group_by import DEFAULT_GROUPS, compile_group_by
from schema_builder.context import Limits
from schema_builder.errors import BadUserInput
from schema_builder.execute.aggregates import Accumulators
from schema_builder.execute.group_by import dimension_expression, dimension_label, group_by_pipeline
from schema_builder.metadata.model import FieldMeta, ObjectMeta, Option, WorkspaceModel
from schema_builder.synthesis.aggregate_types import aggregates_of

M2O = {"relationType": "MANY_TO_ONE"}
COMPANY = ObjectMeta("c", "company", "companies", fields=(
    FieldMeta("c1", "id", "UUID", is_system=True),
    FieldMeta("c2", "createdAt", "DATE_TIME", is_system=True),
    FieldMeta("c3", "name", "TEXT"),
    FieldMeta("c4", "address", "ADDRESS"),
    FieldMeta("c5", "people", "RELATION", settings={"relationType": "ONE_TO_MANY"}, target_object_id="p"),
    FieldMeta("c6", "parent", "RELATION", settings=M2O, target_object_id="c"),
))
PERSON = ObjectMeta("p", "person", "people", fields=(
    FieldMeta("p1", "id", "UUID", is_system=True),
    FieldMeta("p2", "createdAt", "DATE_TIME", is_system=True),
    FieldMeta("p3", "jobTitle", "TEXT"),
    FieldMeta("p4", "birthday", "DATE"),
    FieldMeta("p5", "stage", "SELECT", options=(Option("NEW", "New", 0), Option("WON", "Won", 1))),
    FieldMeta("p6", "name", "FULL_NAME"),
    FieldMeta("p7", "emails", "EMAILS"),
    FieldMeta("p8", "company", "RELATION", settings=M2O, target_object_id="c"),
    FieldMeta("p9", "data", "RAW_JSON"),
    FieldMeta("p10", "position", "POSITION", is_system=True),
))
MODEL = WorkspaceModel("w", 1, (COMPANY, PERSON))
LIMITS = Limits(max_groups=100, max_records_per_request=1000)


def plan(**args: Any) -> Any:
    return compile_group_by(MODEL, PERSON, args, LIMITS)


def refused(**args: Any) -> str:
    with pytest.raises(BadUserInput) as caught:
        plan(**args)
    return caught.value.message


def test_dimensions_of_every_kind() -> None:
    found = plan(groupBy=[{"jobTitle": True}, {"name": {"lastName": True}},
                          {"createdAt": {"granularity": "MONTH", "timeZone": "Europe/Paris"}},
                          {"company": {"address": {"addressCity": True}}},
                          {"company": {"createdAt": {"granularity": "WEEK", "weekStartDay": "SUNDAY"}}}])
    title, last_name, created, city, company_week = found.dimensions
    assert title.field.name == "jobTitle" and title.sub is None and title.nested is None
    assert last_name.sub == "lastName"
    assert created.granularity == "MONTH" and created.time_zone == "Europe/Paris"
    assert city.nested is not None and city.nested.name == "address" and city.sub == "addressCity"
    assert company_week.time_zone == "UTC" and company_week.week_start == "SUNDAY"  # related dates: UTC, as Twenty
    assert found.limit == DEFAULT_GROUPS


@pytest.mark.parametrize("args, message", [
    ({"groupBy": [{"jobTitle": True, "stage": True}]},
     "You cannot provide multiple fields in one GroupByInput, split them into multiple GroupByInput"),
    ({"groupBy": [{"nope": True}]}, "Unidentified field in groupBy: nope"),
    ({"groupBy": [{"data": True}]}, 'Field "data" is not supported in groupBy'),
    ({"groupBy": [{"position": True}]}, 'Field "position" is not supported in groupBy'),
    ({"groupBy": [{"jobTitle": False}]}, 'Invalid groupBy definition for field "jobTitle"'),
    ({"groupBy": [{"jobTitle": {"x": True}}]}, 'Field "jobTitle" does not support nested subfields in groupBy'),
    ({"groupBy": [{"name": {"firstName": True, "lastName": True}}]},
     "You cannot provide multiple subfields in one GroupByInput, split them into multiple GroupByInput"),
    ({"groupBy": [{"name": {"firstName": False}}]},
     'Composite subfield "firstName" must be set to true in groupBy for "name"'),
    ({"groupBy": [{"emails": {"additionalEmails": True}}]},
     'Composite subfield "additionalEmails" is not supported in groupBy for "emails"'),
    ({"groupBy": [{"createdAt": {"granularity": "DAY"}}]},
     "Time zone should be specified for a group by date on Day, Week, Month, Quarter or Year"),
    ({"groupBy": [{"createdAt": {"granularity": "YEAR", "timeZone": "Mars/Olympus"}}]},
     "Invalid timezone: Mars/Olympus"),
    ({"groupBy": [{"createdAt": {"granularity": "YEAR", "timeZone": "+02:00"}}]}, "Invalid timezone: +02:00"),
    ({"groupBy": [{"company": {"people": True}}]},
     'Cannot group by a relation field of the relation field: "people" is a relation field of "company"'),
    ({"groupBy": [{"company": {"parent": {"name": True}}}]},
     'Cannot group by a relation field of the relation field: "parent" is a relation field of "company"'),
    ({"groupBy": [{"company": {"nope": True}}]}, 'Nested field "nope" not found in target object "company"'),
    ({"groupBy": [{"company": {"name": True, "createdAt": True}}]},
     "You cannot provide multiple nested fields in one relation GroupByInput, split them into multiple GroupByInput"),
    ({"groupBy": [{"company": {"address": True}}]}, 'Composite field "address" requires a subfield to be specified'),
    ({"groupBy": [{"company": True}]}, 'Invalid groupBy definition for relation field "company"'),
    ({"groupBy": [{"jobTitle": True}], "limit": 101}, "DOCGATE_MAX_GROUPS"),
    ({"groupBy": [{"jobTitle": True}], "offsetForRecords": -1}, "'offsetForRecords' must not be negative"),
    ({"groupBy": [{"jobTitle": True}], "offsetForRecords": 500}, "DOCGATE_MAX_RECORDS_PER_REQUEST"),
    ({"groupBy": [{"jobTitle": True}] * 21}, "groupBy groups by at most 20 fields"),
    ({"groupBy": [{"jobTitle": True}], "viewId": "6f1a4cb8-5bd6-4d3a-93d5-84b6e58f5bc3"},
     "views are not part of docgate"),
    ({"groupBy": [{"jobTitle": True}], "orderBy": [{"aggregate": {"nope": "AscNullsFirst"}}]},
     "Unknown aggregate field: nope"),
    ({"groupBy": [{"jobTitle": True}], "orderBy": [{"aggregate": {"totalCount": "AscNullsFirst",
                                                                   "countEmptyJobTitle": "AscNullsFirst"}}]},
     "Please provide aggregate criteria one by one in orderBy array"),
    ({"groupBy": [{"jobTitle": True}], "orderBy": [{"stage": "AscNullsFirst"}]},
     "Cannot order by a field that is not an aggregate nor in groupBy criteria: stage."),
    ({"groupBy": [{"jobTitle": True}], "orderBy": [{"jobTitle": "AscNullsFirst", "stage": "AscNullsFirst"}]},
     "Please provide orderBy field criteria one by one in orderBy array"),
    ({"groupBy": [{"createdAt": {"granularity": "DAY_OF_THE_WEEK"}}],
      "orderBy": [{"createdAt": {"granularity": "MONTH_OF_THE_YEAR", "orderBy": "AscNullsFirst"}}]},
     "Cannot order by a date granularity that is not in groupBy criteria: MONTH_OF_THE_YEAR"),
    ({"groupBy": [{"name": {"firstName": True}}], "orderBy": [{"name": {"lastName": "AscNullsFirst"}}]},
     "Cannot order by a field that is not in groupBy or that is not an aggregate field: lastName"),
    ({"groupBy": [{"jobTitle": True}], "orderBy": [{"nope": "AscNullsFirst"}]}, "Cannot orderBy unknown field: nope."),
])
def test_refusals_name_the_problem(args: dict[str, Any], message: str) -> None:
    assert message in refused(**args)


def test_limits_as_twentys_get_group_limit() -> None:
    assert plan(groupBy=[], limit=0).limit == DEFAULT_GROUPS
    assert plan(groupBy=[], limit=-3).limit == DEFAULT_GROUPS
    assert plan(groupBy=[], limit=100).limit == 100


def test_orders_of_every_kind() -> None:
    found = plan(
        groupBy=[{"stage": True}, {"createdAt": {"granularity": "DAY_OF_THE_WEEK"}}, {"company": {"name": True}}],
        orderBy=[{"aggregate": {"countEmptyJobTitle": None}}, {"aggregate": {"totalCount": "DescNullsLast"}},
                 {"createdAt": {"granularity": "DAY_OF_THE_WEEK", "orderBy": "AscNullsLast"}},
                 {"company": {"name": "DescNullsFirst"}}, {"stage": "AscNullsFirst"}],
    )
    by_aggregate, by_day, by_company, by_stage = found.order  # a null direction orders nothing
    assert by_aggregate.aggregate == "totalCount" and not by_aggregate.ascending and not by_aggregate.nulls_first
    assert by_day.dimension == 1 and by_day.ascending and not by_day.nulls_first
    assert by_company.dimension == 2 and not by_company.ascending and by_company.nulls_first
    assert by_stage.dimension == 0


def test_dimension_expressions_and_labels() -> None:
    day, month, quarter, week, raw_date = plan(groupBy=[
        {"createdAt": {"granularity": "DAY_OF_THE_WEEK"}}, {"createdAt": {"granularity": "MONTH_OF_THE_YEAR"}},
        {"createdAt": {"granularity": "QUARTER_OF_THE_YEAR"}},
        {"birthday": {"granularity": "WEEK", "weekStartDay": "SATURDAY"}}, {"birthday": {"granularity": "NONE"}},
    ]).dimensions
    assert dimension_expression(day, {}) == {"$isoDayOfWeek": {"date": {"$ifNull": ["$createdAt", None]},
                                                                "timezone": "UTC"}}
    assert dimension_label(day, 4) == "Thursday" and dimension_label(month, 12) == "December"
    assert dimension_label(quarter, 2.0) == "Q2" and dimension_label(quarter, None) is None
    week_expr = dimension_expression(week, {})
    truncated = week_expr["$dateToString"]["date"]["$dateTrunc"]
    assert truncated["startOfWeek"] == "saturday" and "$dateFromString" in truncated["date"]  # a DATE is a string
    assert dimension_expression(raw_date, {}) == {"$ifNull": ["$birthday", None]}


def test_one_pipeline_match_lookup_group_sort_limit_sample() -> None:
    found = plan(groupBy=[{"company": {"name": True}}, {"stage": True}], limit=7,
                 orderBy=[{"aggregate": {"totalCount": "DescNullsLast"}}])
    accumulators = Accumulators([aggregates_of(PERSON)["totalCount"], aggregates_of(PERSON)["countEmptyJobTitle"]])
    pipeline = group_by_pipeline(MODEL, PERSON, found, {"deletedAt": None}, accumulators, {"_id": 1}, True)
    stages = [next(iter(stage)) for stage in pipeline]
    assert stages == ["$match", "$lookup", "$group", "$project", "$sort", "$limit", "$lookup", "$project"]
    group = pipeline[2]["$group"]
    assert group["_dgSample"]["$topN"]["n"] == 10 and group["_dgSample"]["$topN"]["output"] == "$_id"
    assert pipeline[4]["$sort"] == {"totalCount": -1, "_id.d0": 1, "_id.d1": 1}  # then every dimension
    assert pipeline[5] == {"$limit": 7}


def test_groups_are_ordered_by_their_dimensions_by_default_a_select_in_its_options_order() -> None:
    found = plan(groupBy=[{"company": {"name": True}}, {"stage": True}])
    pipeline = group_by_pipeline(MODEL, PERSON, found, {}, Accumulators([]), None, False)
    assert [next(iter(stage)) for stage in pipeline] == ["$match", "$lookup", "$group", "$project", "$addFields",
                                                        "$sort", "$limit"]
    assert pipeline[5]["$sort"] == {"_id.d0": 1, "_dgGroupRank1": 1, "_id.d1": 1}
