"""The eighteen steps shared by Twenty's `all-<objects>-resolvers` specs, for their ports.

Each of those specs walks one object through the same life: create many (records 1 and 2)
and one (record 3), find them, update them, find them by the updated value, soft-delete
them, miss them, find them in the trash with `not: {deletedAt: {is: NULL}}`, destroy them
and miss them for good. Only the object, its fields, its data and a few checks differ, so
a port states those (`Lifecycle`) and takes its test functions from `lifecycle_tests`, one
per `it` of the spec, named after it. Steps run in order on the module's workspace, as
Jest runs the `it`s of a file in order.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conformance.twenty import (
    Operation,
    create_many_operation_factory,
    create_one_operation_factory,
    delete_many_operation_factory,
    delete_one_operation_factory,
    destroy_many_operation_factory,
    destroy_one_operation_factory,
    find_many_operation_factory,
    find_one_operation_factory,
    make_graphql_api_request,
    update_many_operation_factory,
    update_one_operation_factory,
)
from tests.conftest import GatewayUnderTest

Check = Callable[[dict[str, Any]], None]
Test = Callable[[GatewayUnderTest], Coroutine[Any, Any, None]]


@dataclass
class Lifecycle:
    singular: str
    plural: str
    gql_fields: str
    ids: tuple[str, str, str]
    properties: tuple[str, ...]  # `expect(record).toHaveProperty(...)` of the create and find steps
    create_data: Callable[[str], dict[str, Any]]  # the input of record `id`
    created_check: Callable[[dict[str, Any], list[str]], None]  # the record, and the values step 1 allowed
    update_many_data: dict[str, Any]
    update_many_check: Check
    update_one_data: dict[str, Any]
    update_one_check: Check
    find_updated_many_filter: dict[str, Any]
    find_updated_one_filter: dict[str, Any]
    find_updated_one_check: Check
    # Steps Twenty expects docgate not to meet yet: step name → xfail reason.
    xfail: Mapping[str, str] = field(default_factory=dict)

    async def send(self, gateway: GatewayUnderTest, operation: Operation) -> Any:
        return (await make_graphql_api_request(gateway, operation)).body

    def has_properties(self, record: dict[str, Any]) -> None:
        for name in self.properties:
            assert name in record, (name, record)

    @property
    def s(self) -> str:
        return self.singular[:1].upper() + self.singular[1:]

    @property
    def p(self) -> str:
        return self.plural[:1].upper() + self.plural[1:]

    def trash_filter(self, ids: list[str]) -> dict[str, Any]:
        return {"id": {"in": ids}, "not": {"deletedAt": {"is": "NULL"}}}


def expect_equal(actual: object, expected: object) -> None:
    """`expect(actual).toEqual(expected)`, for the checks a port states as lambdas."""
    assert actual == expected, (actual, expected)


def lifecycle_tests(spec: Lifecycle) -> dict[str, Test]:
    """The test functions of a port, by name (`test_1_...`), for the module's globals."""
    one, two, three = spec.ids
    many_ids = [one, two]

    async def create_many(gateway: GatewayUnderTest) -> None:
        allowed = [spec.create_data(one), spec.create_data(two)]
        op = create_many_operation_factory(spec.singular, spec.plural, spec.gql_fields, data=allowed)
        records = (await spec.send(gateway, op))["data"][f"create{spec.p}"]
        assert len(records) == 2
        for record in records:
            spec.created_check(record, [one, two])
            spec.has_properties(record)

    async def create_one(gateway: GatewayUnderTest) -> None:
        op = create_one_operation_factory(spec.singular, spec.gql_fields, data=spec.create_data(three))
        record = (await spec.send(gateway, op))["data"][f"create{spec.s}"]
        spec.created_check(record, [three])
        spec.has_properties(record)

    async def find_many(gateway: GatewayUnderTest) -> None:
        op = find_many_operation_factory(spec.singular, spec.plural, spec.gql_fields)
        data = (await spec.send(gateway, op))["data"][spec.plural]
        assert isinstance(data["edges"], list)
        if data["edges"]:
            spec.has_properties(data["edges"][0]["node"])

    async def find_one(gateway: GatewayUnderTest) -> None:
        op = find_one_operation_factory(spec.singular, spec.gql_fields, filter={"id": {"eq": three}})
        record = (await spec.send(gateway, op))["data"][spec.singular]
        spec.has_properties(record)

    async def update_many(gateway: GatewayUnderTest) -> None:
        op = update_many_operation_factory(
            spec.singular, spec.plural, spec.gql_fields, data=spec.update_many_data, filter={"id": {"in": many_ids}}
        )
        records = (await spec.send(gateway, op))["data"][f"update{spec.p}"]
        assert len(records) == 2
        for record in records:
            spec.update_many_check(record)

    async def update_one(gateway: GatewayUnderTest) -> None:
        op = update_one_operation_factory(spec.singular, spec.gql_fields, three, data=spec.update_one_data)
        spec.update_one_check((await spec.send(gateway, op))["data"][f"update{spec.s}"])

    async def find_updated_many(gateway: GatewayUnderTest) -> None:
        op = find_many_operation_factory(spec.singular, spec.plural, spec.gql_fields,
                                         filter=spec.find_updated_many_filter)
        assert len((await spec.send(gateway, op))["data"][spec.plural]["edges"]) == 2

    async def find_updated_one(gateway: GatewayUnderTest) -> None:
        op = find_one_operation_factory(spec.singular, spec.gql_fields, filter=spec.find_updated_one_filter)
        spec.find_updated_one_check((await spec.send(gateway, op))["data"][spec.singular])

    async def delete_many(gateway: GatewayUnderTest) -> None:
        op = delete_many_operation_factory(spec.singular, spec.plural, spec.gql_fields, filter={"id": {"in": many_ids}})
        records = (await spec.send(gateway, op))["data"][f"delete{spec.p}"]
        assert len(records) == 2
        assert all(record["deletedAt"] for record in records)

    async def delete_one(gateway: GatewayUnderTest) -> None:
        op = delete_one_operation_factory(spec.singular, spec.gql_fields, three)
        assert (await spec.send(gateway, op))["data"][f"delete{spec.s}"]["deletedAt"]

    async def miss_many(gateway: GatewayUnderTest) -> None:
        op = find_many_operation_factory(spec.singular, spec.plural, spec.gql_fields, filter={"id": {"in": many_ids}})
        assert (await spec.send(gateway, op))["data"][spec.plural]["edges"] == []

    async def miss_one(gateway: GatewayUnderTest) -> None:
        op = find_one_operation_factory(spec.singular, spec.gql_fields, filter={"id": {"eq": three}})
        assert (await spec.send(gateway, op))["data"][spec.singular] is None

    async def find_deleted_many(gateway: GatewayUnderTest) -> None:
        op = find_many_operation_factory(spec.singular, spec.plural, spec.gql_fields,
                                         filter=spec.trash_filter(many_ids))
        assert len((await spec.send(gateway, op))["data"][spec.plural]["edges"]) == 2

    async def find_deleted_one(gateway: GatewayUnderTest) -> None:
        op = find_one_operation_factory(spec.singular, spec.gql_fields,
                                        filter={"id": {"eq": three}, "not": {"deletedAt": {"is": "NULL"}}})
        assert (await spec.send(gateway, op))["data"][spec.singular]["id"] == three

    async def destroy_many(gateway: GatewayUnderTest) -> None:
        op = destroy_many_operation_factory(spec.singular, spec.plural, spec.gql_fields,
                                            filter={"id": {"in": many_ids}})
        assert len((await spec.send(gateway, op))["data"][f"destroy{spec.p}"]) == 2

    async def destroy_one(gateway: GatewayUnderTest) -> None:
        op = destroy_one_operation_factory(spec.singular, spec.gql_fields, three)
        assert (await spec.send(gateway, op))["data"][f"destroy{spec.s}"]

    async def miss_destroyed_many(gateway: GatewayUnderTest) -> None:
        op = find_many_operation_factory(spec.singular, spec.plural, spec.gql_fields,
                                         filter=spec.trash_filter(many_ids))
        assert (await spec.send(gateway, op))["data"][spec.plural]["edges"] == []

    async def miss_destroyed_one(gateway: GatewayUnderTest) -> None:
        op = find_one_operation_factory(spec.singular, spec.gql_fields,
                                        filter={"id": {"eq": three}, "not": {"deletedAt": {"is": "NULL"}}})
        assert (await spec.send(gateway, op))["data"][spec.singular] is None

    steps: dict[str, Test] = {
        "test_1_should_create_and_return_many": create_many,
        "test_1b_should_create_and_return_one": create_one,
        "test_2_should_find_many": find_many,
        "test_2b_should_find_one": find_one,
        "test_3_should_update_many": update_many,
        "test_3b_should_update_one": update_one,
        "test_4_should_find_many_with_updated_value": find_updated_many,
        "test_4b_should_find_one_with_updated_value": find_updated_one,
        "test_5_should_delete_many": delete_many,
        "test_5b_should_delete_one": delete_one,
        "test_6_should_not_find_many_anymore": miss_many,
        "test_6b_should_not_find_one_anymore": miss_one,
        "test_7_should_find_many_deleted_with_deleted_at_filter": find_deleted_many,
        "test_7b_should_find_one_deleted_with_deleted_at_filter": find_deleted_one,
        "test_8_should_destroy_many": destroy_many,
        "test_8b_should_destroy_one": destroy_one,
        "test_9_should_not_find_many_anymore": miss_destroyed_many,
        "test_9b_should_not_find_one_anymore": miss_destroyed_one,
    }
    unknown = set(spec.xfail) - set(steps)
    assert not unknown, f"xfail names no step: {unknown}"
    for name, reason in spec.xfail.items():
        steps[name] = pytest.mark.xfail(strict=True, reason=reason)(steps[name])
    return steps
