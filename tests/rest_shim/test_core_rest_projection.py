"""REST's `fields=` and `omit_null_values=`, and the errors a hostile client can provoke with them."""

from __future__ import annotations

from typing import Any

import pytest

from schema_builder.synthesis.core_schema import CoreSchema
from tests.conftest import GatewayUnderTest
from tests.rest_shim.core_rest_helpers import call, error_of, fails, ok


async def person(gateway: GatewayUnderTest, **values: Any) -> dict[str, Any]:
    created: dict[str, Any] = (await ok(gateway, "POST", "people", values))["data"]["createPerson"]
    return created


async def test_fields_keeps_the_named_fields_of_every_answer(gateway: GatewayUnderTest) -> None:
    created = await person(gateway, jobTitle="Projected", city="Lyon")
    one = await ok(gateway, "GET", f"people/{created['id']}", fields="jobTitle,name")
    assert one["data"]["person"] == {"jobTitle": "Projected", "name": created["name"]}
    many = await ok(gateway, "GET", "people", fields=" id , city ,, id", filter=f"id[eq]:{created['id']}")
    assert many["data"]["people"] == [{"id": created["id"], "city": "Lyon"}]
    assert many["totalCount"] == 1 and "pageInfo" in many  # the envelope stays whole
    updated = await ok(gateway, "PATCH", f"people/{created['id']}", {"city": "Nice"}, fields="city")
    assert updated["data"]["updatePerson"] == {"city": "Nice"}


async def test_fields_names_a_relation_for_its_join_column_and_at_depth_1_its_record(
    gateway: GatewayUnderTest,
) -> None:
    company = (await ok(gateway, "POST", "companies", {"name": "Projected Inc"}))["data"]["createCompany"]
    created = await person(gateway, companyId=company["id"])
    flat = await ok(gateway, "GET", f"people/{created['id']}", fields="company")
    assert flat["data"]["person"] == {"companyId": company["id"]}
    deep = await ok(gateway, "GET", f"people/{created['id']}", fields="company", depth="1")
    assert deep["data"]["person"]["companyId"] == company["id"]
    assert deep["data"]["person"]["company"]["name"] == "Projected Inc"


async def test_repeated_fields_parameters_merge(gateway: GatewayUnderTest) -> None:
    created = await person(gateway, jobTitle="Twice", city="Metz")
    status, answer = await call(gateway, "GET", f"people/{created['id']}", params=[("fields", "city"),
                                                                                     ("fields", "jobTitle")])
    assert status == 200 and answer["data"]["person"] == {"city": "Metz", "jobTitle": "Twice"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("", "'fields' parameter is empty"),
        (" , ,", "'fields' parameter is empty"),
        ("nope,city", "Unknown or unreadable fields on 'person': nope"),
        ("companyId", "Unknown or unreadable fields on 'person': companyId"),  # a join column is no field name
        ("name.firstName", "Unknown or unreadable fields on 'person': name.firstName"),
        ("x" * 5000, "Unknown or unreadable fields on 'person': xxx"),
    ],
)
async def test_bad_fields_are_400_naming_them(gateway: GatewayUnderTest, fields: str, message: str) -> None:
    status, text = await fails(gateway, "GET", "people", fields=fields)
    assert status == 400 and message in text
    assert len(text) < 600  # a huge name is shown cut short


async def test_projected_shapes_kept_per_schema_are_bounded(gateway: GatewayUnderTest) -> None:
    """Every combination of `fields` is a document shape; a client sending thousands of them
    makes each work, and the schema keeps at most MAX_PROJECTED_SHAPES."""
    from rest_shim.operations import MAX_PROJECTED_SHAPES

    names = ["id", "city", "jobTitle", "avatarUrl", "name", "emails", "phones", "position", "createdAt", "updatedAt"]
    for i in range(1, 2**len(names), 3):
        chosen = ",".join(n for bit, n in enumerate(names) if i >> bit & 1)
        await ok(gateway, "GET", "people", fields=chosen, limit="1")
    core: CoreSchema = await gateway.app.state.gateway.registry.get(gateway.workspace_id)
    projected = [k for k in core.derived if isinstance(k, tuple) and len(k) == 5 and k[4] is not None]
    assert 0 < len(projected) <= MAX_PROJECTED_SHAPES


async def test_omit_null_values_drops_nulls_everywhere_in_the_records(gateway: GatewayUnderTest) -> None:
    created = await person(gateway, jobTitle="Sparse", name={"firstName": "Only", "lastName": None})
    plain = await ok(gateway, "GET", f"people/{created['id']}")
    assert plain["data"]["person"]["city"] is None
    sparse = await ok(gateway, "GET", f"people/{created['id']}", omit_null_values="true")
    record = sparse["data"]["person"]
    assert "city" not in record and "deletedAt" not in record
    assert record["jobTitle"] == "Sparse" and record["name"] == {"firstName": "Only"}
    assert all(value is not None for value in record.values())
    listed = await ok(gateway, "GET", "people", omit_null_values="true", filter=f"id[eq]:{created['id']}")
    assert listed["data"]["people"] == [record]
    assert listed["pageInfo"]["hasPreviousPage"] is False  # the envelope is not touched
    same = await ok(gateway, "GET", f"people/{created['id']}", omit_null_values="false")
    assert same == plain


async def test_omit_null_values_takes_a_boolean(gateway: GatewayUnderTest) -> None:
    status, answer = await call(gateway, "GET", "people", params={"omit_null_values": "yes"})
    status, message = error_of(status, answer)
    assert status == 400 and "'omit_null_values' must be true or false" in message


@pytest.mark.parametrize(("method", "kind"), [("POST", "create"), ("PATCH", "update"), ("BATCH", "create")])
async def test_a_body_naming_an_unknown_or_unwritable_field_is_400_naming_it(
    gateway: GatewayUnderTest, method: str, kind: str
) -> None:
    created = await person(gateway, city="Brest")
    paths = {"POST": ("POST", "people"), "PATCH": ("PATCH", f"people/{created['id']}"),
             "BATCH": ("POST", "batch/people")}
    verb, path = paths[method]
    for body, message in (
        ({"nope": 1}, "field 'nope' does not exist in 'person' object"),
        ({"cty": "x"}, "Did you mean 'city'?"),
        ({"updatedAt": "2020-01-01T00:00:00Z"}, "field 'updatedAt' cannot be written"),  # createdAt may be, on create
        ({"stage": "NEW"}, "field 'stage' does not exist in 'person' object"),
    ):
        status, text = await fails(gateway, verb, path, [body] if method == "BATCH" else body)
        assert status == 400 and message in text, (kind, body, text)
    assert (await ok(gateway, "GET", f"people/{created['id']}"))["data"]["person"]["city"] == "Brest"
