"""Port of packages/twenty-server/test/integration/graphql/suites/group-by-resolver.integration-spec.ts
(twentyhq/twenty, revision 41d242555963991041c474c5267df7d174c6a972): `peopleGroupBy` by a text field,
by dates at every granularity (with time zones and the week's first day), by related records'
fields, with a limit, aggregates and records samples.

Each `describe` with its `beforeAll`/`afterAll` is a class with a class-scoped fixture, so each
sees the records its block creates, and only those (as in Jest, where a block's `afterAll`
runs before the next block). The spec's `expect(x).toBeDefined` without a call (a no-op in a
few week cases) is asserted for real. Parts about views and roles are expected failures:
docgate has no views, and roles are issue 14. The morph-relation cases use Twenty's seed
objects `pet` and `rocket` joined by a MORPH_RELATION field, a field type docgate lacks."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.group_by_factories import (
    create_one_object_metadata,
    create_relation_between_objects,
    deactivate_and_delete_field,
    deactivate_and_delete_object,
    find_object_metadata_id,
    group_by_operation_factory,
)
from tests.conformance.twenty import (
    Response,
    create_one_operation_factory,
    destroy_one_operation_factory,
    make_graphql_api_request,
)
from tests.conftest import GatewayUnderTest

PERSON_GQL_FIELDS = "id name { firstName lastName } jobTitle city companyId createdAt"
COMPANY_GQL_FIELDS = "id name createdAt address { addressCity }"
VIEWS = "views are not part of docgate"
ROLES = "roles: issue 14"
MORPH = "MORPH_RELATION fields (and Twenty's seed objects pet and rocket) are not part of docgate"


async def create(gateway: GatewayUnderTest, singular: str, fields: str, data: dict[str, Any]) -> dict[str, Any]:
    response = await make_graphql_api_request(gateway, create_one_operation_factory(singular, fields, data))
    assert "errors" not in response.body, response.body
    created: dict[str, Any] = response.body["data"][f"create{singular[:1].upper()}{singular[1:]}"]
    return created


async def destroy(gateway: GatewayUnderTest, singular: str, ids: list[str]) -> None:
    for record_id in ids:
        await make_graphql_api_request(gateway, destroy_one_operation_factory(singular, "id", record_id))


async def group_by(gateway: GatewayUnderTest, **kwargs: Any) -> Response:
    return await make_graphql_api_request(gateway, group_by_operation_factory("person", "people", **kwargs))


def groups_of(response: Response) -> list[dict[str, Any]]:
    assert "errors" not in response.body, response.body
    groups: list[dict[str, Any]] = response.body["data"]["peopleGroupBy"]
    assert isinstance(groups, list)
    return groups


def find(groups: list[dict[str, Any]], predicate: Any) -> dict[str, Any]:
    found = next((g for g in groups if predicate(g["groupByDimensionValues"])), None)
    assert found is not None, groups
    return found


def starts(prefix: str) -> Any:
    return lambda values: isinstance(values[0], str) and values[0].startswith(prefix)


FILTER_2025 = {"and": [{"createdAt": {"gte": "2025-01-01T00:00:00.000Z"}},
                       {"createdAt": {"lt": "2025-03-04T00:00:00.000Z"}}]}
FILTER_2024_AND_2025 = {"and": [{"createdAt": {"gte": "2024-01-01T00:00:00.000Z"}},
                                {"createdAt": {"lt": "2025-03-04T00:00:00.000Z"}}]}
RELATION_FILTER_2025 = {"and": [{"createdAt": {"gte": "2025-01-01T00:00:00.000Z"}},
                                {"createdAt": {"lte": "2025-03-03T23:59:59.999Z"}}]}


class TestStandardCase:
    @pytest.fixture
    async def ids(self, gateway: GatewayUnderTest) -> AsyncIterator[list[str]]:
        ids = [str(uuid.uuid4()) for _ in range(3)]
        yield ids
        await destroy(gateway, "person", ids)

    async def test_groups_by_city(self, gateway: GatewayUnderTest, ids: list[str]) -> None:
        for person_id, city in zip(ids, ("City A", "City B", "City B"), strict=True):
            await create(gateway, "person", PERSON_GQL_FIELDS, {"id": person_id, "jobTitle": city})
        groups = groups_of(await group_by(gateway, group_by=[{"jobTitle": True}],
                                          order_by=[{"jobTitle": "AscNullsFirst"}], limit=300))
        assert find(groups, lambda v: v == ["City A"])["totalCount"] == 1
        assert find(groups, lambda v: v == ["City B"])["totalCount"] == 2

    async def test_limits_the_number_of_groups_when_limit_argument_is_provided(
        self, gateway: GatewayUnderTest, ids: list[str]
    ) -> None:
        for person_id, city in zip(ids, ("City A", "City B", "City C"), strict=True):
            await create(gateway, "person", PERSON_GQL_FIELDS, {"id": person_id, "jobTitle": city})
        groups = groups_of(await group_by(gateway, group_by=[{"jobTitle": True}], limit=2))
        assert len(groups) == 2

    async def test_computes_aggregated_metrics_on_date_time_field(self, gateway: GatewayUnderTest,
                                                                  ids: list[str]) -> None:
        person1 = await create(gateway, "person", PERSON_GQL_FIELDS, {"id": ids[0], "jobTitle": "City A"})
        person2 = await create(gateway, "person", PERSON_GQL_FIELDS, {"id": ids[1], "jobTitle": "City B"})
        await create(gateway, "person", PERSON_GQL_FIELDS, {"id": ids[2], "jobTitle": "City B"})
        groups = groups_of(await group_by(gateway, group_by=[{"jobTitle": True}],
                                          order_by=[{"jobTitle": "AscNullsFirst"}], gql_fields="minCreatedAt",
                                          limit=300))
        assert find(groups, lambda v: v == ["City A"])["minCreatedAt"] == person1["createdAt"]
        assert find(groups, lambda v: v == ["City B"])["minCreatedAt"] == person2["createdAt"]


JAN_2, JAN_8, MAR_3 = (str(uuid.uuid4()) for _ in range(3))


@pytest.fixture(scope="class")
async def date_range(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await create(gateway, "person", PERSON_GQL_FIELDS, {"id": JAN_2, "createdAt": "2025-01-02T12:00:00.000Z"})
    await create(gateway, "person", PERSON_GQL_FIELDS, {"id": JAN_8, "createdAt": "2025-01-08T08:00:00.000Z"})
    await create(gateway, "person", PERSON_GQL_FIELDS, {"id": MAR_3, "createdAt": "2025-03-03T09:30:00.000Z"})
    yield
    await destroy(gateway, "person", [JAN_2, JAN_8, MAR_3])


@pytest.mark.usefixtures("date_range")
class TestDateRange:
    async def test_datetime_field_groups_by_created_at_month(self, gateway: GatewayUnderTest) -> None:
        groups = groups_of(await group_by(
            gateway, group_by=[{"createdAt": {"granularity": "MONTH", "timeZone": "Europe/Paris"}}],
            filter=FILTER_2025))
        assert len(groups) == 2
        assert any(g["totalCount"] == 2 for g in groups) and any(g["totalCount"] == 1 for g in groups)


MARCH_1ST, MARCH_2ND, MARCH_3RD = (str(uuid.uuid4()) for _ in range(3))
EDGES = "edges { node { id } }"


@pytest.fixture(scope="class")
async def march_people(gateway: GatewayUnderTest, date_range: None) -> AsyncIterator[None]:
    for person_id, created_at in ((MARCH_3RD, "2025-03-03T09:30:00.000Z"),  # monday, march, Q1, 2025
                                  (MARCH_2ND, "2025-03-02T09:30:00.000Z"),  # sunday
                                  (MARCH_1ST, "2025-03-01T09:30:00.000Z")):  # saturday
        await create(gateway, "person", PERSON_GQL_FIELDS, {"id": person_id, "createdAt": created_at})
    yield
    await destroy(gateway, "person", [MARCH_1ST, MARCH_2ND, MARCH_3RD])


def edge_ids(group: dict[str, Any]) -> set[str]:
    return {edge["node"]["id"] for edge in group["edges"]}


@pytest.mark.usefixtures("march_people")
class TestDateRangeGroupByWeek:
    async def week(self, gateway: GatewayUnderTest, **granularity: str) -> list[dict[str, Any]]:
        return groups_of(await group_by(
            gateway, group_by=[{"createdAt": {"granularity": "WEEK", **granularity, "timeZone": "Europe/Paris"}}],
            gql_fields=EDGES, filter=FILTER_2025, limit=10))

    async def test_groups_by_created_at_week_with_default_monday(self, gateway: GatewayUnderTest) -> None:
        groups = await self.week(gateway)
        assert len(groups) == 4
        dec_30 = find(groups, starts("2024-12-30"))
        assert dec_30["edges"][0]["node"]["id"] == JAN_2 and dec_30["totalCount"] == 1
        jan_6 = find(groups, starts("2025-01-06"))
        assert jan_6["edges"][0]["node"]["id"] == JAN_8 and jan_6["totalCount"] == 1
        feb_24 = find(groups, starts("2025-02-24"))
        assert len(feb_24["edges"]) == 2 and edge_ids(feb_24) == {MARCH_1ST, MARCH_2ND}
        march_3 = find(groups, starts("2025-03-03"))
        assert len(march_3["edges"]) == 2 and edge_ids(march_3) == {MARCH_3RD, MAR_3}

    async def test_groups_by_created_at_week_with_week_start_day_sunday(self, gateway: GatewayUnderTest) -> None:
        groups = await self.week(gateway, weekStartDay="SUNDAY")
        assert len(groups) == 4
        for prefix, count, expected in (("2024-12-29", 1, {JAN_2}), ("2025-01-05", 1, {JAN_8}),
                                        ("2025-02-23", 1, {MARCH_1ST}),
                                        ("2025-03-02", 3, {MARCH_2ND, MARCH_3RD, MAR_3})):
            group = find(groups, starts(prefix))
            assert group["totalCount"] == count and expected <= edge_ids(group)

    async def test_groups_by_created_at_week_with_week_start_day_saturday(self, gateway: GatewayUnderTest) -> None:
        groups = await self.week(gateway, weekStartDay="SATURDAY")
        assert len(groups) == 3
        for prefix, count, expected in (("2024-12-28", 1, {JAN_2}), ("2025-01-04", 1, {JAN_8}),
                                        ("2025-03-01", 4, {MARCH_1ST, MARCH_2ND, MARCH_3RD, MAR_3})):
            group = find(groups, starts(prefix))
            assert group["totalCount"] == count and expected <= edge_ids(group)


PERSON_2024 = str(uuid.uuid4())


@pytest.fixture(scope="class")
async def person_2024(gateway: GatewayUnderTest, date_range: None) -> AsyncIterator[None]:
    # thursday, april, Q2, 2024
    await create(gateway, "person", PERSON_GQL_FIELDS, {"id": PERSON_2024, "createdAt": "2024-04-11T12:00:00.000Z"})
    yield
    await destroy(gateway, "person", [PERSON_2024])


@pytest.mark.usefixtures("person_2024")
class TestDateRangeCyclicDate:
    async def cyclic(self, gateway: GatewayUnderTest, granularity: str) -> list[dict[str, Any]]:
        # a filter for the test not to fail when we are in january again
        return groups_of(await group_by(gateway, group_by=[{"createdAt": {"granularity": granularity}}],
                                        filter=FILTER_2024_AND_2025))

    async def test_groups_by_created_at_day_of_the_week(self, gateway: GatewayUnderTest) -> None:
        groups = await self.cyclic(gateway, "DAY_OF_THE_WEEK")
        assert find(groups, starts("Thursday"))["totalCount"] == 2
        assert find(groups, starts("Monday"))["totalCount"] == 1
        assert find(groups, starts("Wednesday"))["totalCount"] == 1

    async def test_groups_by_created_at_month_of_the_year(self, gateway: GatewayUnderTest) -> None:
        groups = await self.cyclic(gateway, "MONTH_OF_THE_YEAR")
        assert find(groups, starts("January"))["totalCount"] == 2
        assert find(groups, starts("March"))["totalCount"] == 1
        assert find(groups, starts("April"))["totalCount"] == 1

    async def test_groups_by_created_at_quarter_of_the_year(self, gateway: GatewayUnderTest) -> None:
        groups = await self.cyclic(gateway, "QUARTER_OF_THE_YEAR")
        assert find(groups, starts("Q1"))["totalCount"] == 3
        assert find(groups, starts("Q2"))["totalCount"] == 1


class TestWithViewIdDefined:
    """Both cases create a view (with a view filter, or `anyFieldFilterValue`) through Twenty's
    metadata API and group by `viewId`; docgate answers `viewId` with a clear refusal."""

    @pytest.mark.xfail(reason=VIEWS, strict=True)
    async def test_groups_by_city(self, gateway: GatewayUnderTest) -> None:
        groups_of(await group_by(gateway, group_by=[{"jobTitle": True}], view_id=str(uuid.uuid4())))

    @pytest.mark.xfail(reason=VIEWS, strict=True)
    async def test_groups_by_city_with_any_field_filter(self, gateway: GatewayUnderTest) -> None:
        groups_of(await group_by(gateway, group_by=[{"jobTitle": True}], view_id=str(uuid.uuid4()),
                                 order_by=[{"jobTitle": "AscNullsFirst"}], limit=300))


PERSON_IDS = [str(uuid.uuid4()) for _ in range(3)]
COMPANY_IDS = [str(uuid.uuid4()) for _ in range(2)]


@pytest.fixture(scope="class")
async def related(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await create(gateway, "company", COMPANY_GQL_FIELDS, {  # Thursday
        "id": COMPANY_IDS[0], "name": "Company A", "createdAt": "2025-01-02T12:00:00.000Z",
        "address": {"addressCity": "City A"}})
    await create(gateway, "company", COMPANY_GQL_FIELDS, {  # Wednesday
        "id": COMPANY_IDS[1], "name": "Company B", "createdAt": "2025-01-08T08:00:00.000Z",
        "address": {"addressCity": "City B"}})
    for person_id, company_id in zip(PERSON_IDS, (COMPANY_IDS[0], COMPANY_IDS[0], COMPANY_IDS[1]), strict=True):
        await create(gateway, "person", PERSON_GQL_FIELDS, {
            "id": person_id, "companyId": company_id, "createdAt": "2025-03-03T09:30:00.000Z"})
    yield
    await destroy(gateway, "person", PERSON_IDS)
    await destroy(gateway, "company", COMPANY_IDS)


@pytest.mark.usefixtures("related")
class TestRelationFieldsGroupByRelationFields:
    async def test_groups_by_one_relation_field_company_created_at_with_day_of_the_week_granularity(
        self, gateway: GatewayUnderTest
    ) -> None:
        groups = groups_of(await group_by(
            gateway, group_by=[{"company": {"createdAt": {"granularity": "DAY_OF_THE_WEEK"}}}],
            filter=RELATION_FILTER_2025))
        assert find(groups, starts("Thursday"))["totalCount"] == 2
        assert find(groups, starts("Wednesday"))["totalCount"] == 1

    async def test_orders_by_a_base_object_date_field_while_grouping_by_a_relation_field(
        self, gateway: GatewayUnderTest
    ) -> None:
        response = await group_by(
            gateway,
            group_by=[{"createdAt": {"granularity": "DAY_OF_THE_WEEK"}},
                      {"company": {"createdAt": {"granularity": "DAY_OF_THE_WEEK"}}}],
            order_by=[{"createdAt": {"granularity": "DAY_OF_THE_WEEK", "orderBy": "AscNullsFirst"}}],
            filter=RELATION_FILTER_2025)
        assert response.body.get("errors") is None
        assert isinstance(response.body["data"]["peopleGroupBy"], list)

    async def test_groups_by_company_created_at_with_week_granularity_and_week_start_day_sunday(
        self, gateway: GatewayUnderTest
    ) -> None:
        groups = groups_of(await group_by(
            gateway, group_by=[{"company": {"createdAt": {"granularity": "WEEK", "weekStartDay": "SUNDAY"}}}],
            filter=RELATION_FILTER_2025, limit=10))
        assert sum(g["totalCount"] for g in groups) == 3

    async def test_groups_by_two_relation_fields_from_the_same_joined_table(self, gateway: GatewayUnderTest) -> None:
        groups = groups_of(await group_by(
            gateway, group_by=[{"company": {"createdAt": {"granularity": "DAY_OF_THE_WEEK"}}},
                               {"company": {"address": {"addressCity": True}}}],
            filter=RELATION_FILTER_2025))
        assert find(groups, lambda v: starts("Thursday")(v) and v[1] == "City A")["totalCount"] == 2
        assert find(groups, lambda v: starts("Wednesday")(v) and v[1] == "City B")["totalCount"] == 1


LISTING_IDS = [str(uuid.uuid4()) for _ in range(2)]
OTHER_PERSON_IDS = [str(uuid.uuid4()) for _ in range(3)]
OTHER_COMPANY_IDS = [str(uuid.uuid4()) for _ in range(2)]


@pytest.fixture(scope="class")
async def listings(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    person_object_id = await find_object_metadata_id(gateway, "person")
    listing_object_id = await create_one_object_metadata(gateway, {
        "nameSingular": "listing", "namePlural": "listings", "labelSingular": "Listing",
        "labelPlural": "Listings", "icon": "IconPaw"})
    relation_id = await create_relation_between_objects(
        gateway, person_object_id, listing_object_id, "MANY_TO_ONE", "assignedListing")
    for company_id, name in zip(OTHER_COMPANY_IDS, ("Company A", "Company B"), strict=True):
        await create(gateway, "company", COMPANY_GQL_FIELDS, {"id": company_id, "name": name})
    for listing_id, name in zip(LISTING_IDS, ("Flat in Paris", "House in Marseille"), strict=True):
        await create(gateway, "listing", "id name", {"id": listing_id, "name": name})
    for person_id, listing_id in zip(OTHER_PERSON_IDS, (LISTING_IDS[0], LISTING_IDS[1], LISTING_IDS[1]),
                                     strict=True):
        await create(gateway, "person", PERSON_GQL_FIELDS, {
            "id": person_id, "companyId": OTHER_COMPANY_IDS[0], "assignedListingId": listing_id,
            "createdAt": "2025-03-03T09:30:00.000Z"})
    yield
    await destroy(gateway, "person", OTHER_PERSON_IDS)
    await destroy(gateway, "listing", LISTING_IDS)
    await destroy(gateway, "company", OTHER_COMPANY_IDS)
    await deactivate_and_delete_field(gateway, relation_id)
    await deactivate_and_delete_object(gateway, listing_object_id)


@pytest.mark.usefixtures("listings")
class TestRelationFieldsGroupByRelationFieldsFromDifferentTables:
    async def test_groups_by_two_relation_fields_from_different_tables(self, gateway: GatewayUnderTest) -> None:
        groups = groups_of(await group_by(
            gateway, group_by=[{"company": {"name": True}}, {"assignedListing": {"name": True}}],
            filter=RELATION_FILTER_2025))
        assert find(groups, lambda v: v == ["Company A", "Flat in Paris"])["totalCount"] == 1
        assert find(groups, lambda v: v == ["Company A", "House in Marseille"])["totalCount"] == 2


class TestRelationFieldsGroupByMorphRelationFields:
    @pytest.mark.xfail(reason=MORPH, strict=True)
    async def test_groups_by_morph_relation_field_polymorphic_owner_rocket_name(
        self, gateway: GatewayUnderTest
    ) -> None:
        response = await make_graphql_api_request(gateway, group_by_operation_factory(
            "pet", "pets", group_by=[{"polymorphicOwnerRocket": {"name": True}}], filter=RELATION_FILTER_2025))
        assert "errors" not in response.body, response.body


class TestRelationFieldsWithoutReadingRights:
    @pytest.mark.xfail(reason=ROLES, strict=True)
    async def test_should_throw_a_permission_error_when_grouping_by_polymorphic_owner_rocket_without_permission(
        self, gateway: GatewayUnderTest
    ) -> None:
        response = await make_graphql_api_request(gateway, group_by_operation_factory(
            "pet", "pets", group_by=[{"polymorphicOwnerRocket": {"name": True}}], filter=RELATION_FILTER_2025))
        assert response.body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
