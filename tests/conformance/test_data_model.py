"""Port of `packages/twenty-server/test/integration/graphql/suites/settings-permissions/
data-model.integration-spec.ts` (revision 41d242555963991041c474c5267df7d174c6a972).

Adapted: Twenty's member user is an API key of the Member role (no DATA_MODEL permission)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conformance.metadata_factories import (
    create_one_field_metadata,
    create_one_field_metadata_query_factory,
    create_one_object_metadata,
    create_one_object_metadata_query_factory,
    delete_one_field_metadata_query_factory,
    delete_one_object_metadata,
    delete_one_object_metadata_query_factory,
    update_one_field_metadata_query_factory,
    update_one_object_metadata,
    update_one_object_metadata_query_factory,
)
from tests.conformance.permission_checks import PERMISSION_DENIED
from tests.conformance.role_factories import member_token
from tests.conformance.twenty import Operation, make_metadata_api_request
from tests.conftest import GatewayUnderTest


@pytest.fixture(scope="module")
async def member(gateway: GatewayUnderTest) -> str:
    return await member_token(gateway)


@pytest.fixture(scope="module")
async def listing(gateway: GatewayUnderTest) -> AsyncIterator[dict[str, str]]:
    data, _ = await create_one_object_metadata(gateway, {
        "nameSingular": "listing", "namePlural": "listings", "labelSingular": "Listing", "labelPlural": "Listings",
        "icon": "IconBuildingSkyscraper"})
    object_id = data["createOneObject"]["id"]
    field, _ = await create_one_field_metadata(gateway, {
        "name": "house", "type": "TEXT", "label": "House", "objectMetadataId": object_id})
    yield {"object": object_id, "field": field["createOneField"]["id"]}
    await update_one_object_metadata(gateway, object_id, {"isActive": False})
    await delete_one_object_metadata(gateway, object_id)


async def expect_denied(gateway: GatewayUnderTest, operation: Operation, token: str) -> None:
    body: Any = (await make_metadata_api_request(gateway, operation, token)).body
    assert body["data"] is None
    assert body["errors"][0]["message"] == PERMISSION_DENIED
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_field_metadata_create_one_should_throw_a_permission_error_when_user_does_not_have_permission(
    gateway: GatewayUnderTest, member: str, listing: dict[str, str]
) -> None:
    operation = create_one_field_metadata_query_factory({
        "name": "testFieldForCreateOne", "label": "Test Field For CreateOne", "type": "TEXT",
        "objectMetadataId": listing["object"]}, "id name")
    await expect_denied(gateway, operation, member)


async def test_field_metadata_update_one_should_throw_a_permission_error_when_user_does_not_have_permission(
    gateway: GatewayUnderTest, member: str, listing: dict[str, str]
) -> None:
    operation = update_one_field_metadata_query_factory(
        listing["field"], {"name": "updatedName", "label": "Updated Name"}, "id name")
    await expect_denied(gateway, operation, member)


async def test_field_metadata_delete_one_should_throw_a_permission_error_when_user_does_not_have_permission(
    gateway: GatewayUnderTest, member: str, listing: dict[str, str]
) -> None:
    await expect_denied(gateway, delete_one_field_metadata_query_factory(listing["field"]), member)


async def test_object_metadata_create_one_should_throw_a_permission_error_when_user_does_not_have_permission(
    gateway: GatewayUnderTest, member: str
) -> None:
    operation = create_one_object_metadata_query_factory({
        "labelPlural": "Test Objects", "labelSingular": "Test Object", "namePlural": "testObjects",
        "nameSingular": "testObject"}, "id")
    await expect_denied(gateway, operation, member)


async def test_object_metadata_update_one_should_throw_a_permission_error_when_user_does_not_have_permission(
    gateway: GatewayUnderTest, member: str, listing: dict[str, str]
) -> None:
    operation = update_one_object_metadata_query_factory(
        listing["object"], {"labelPlural": "Updated Test Objects", "labelSingular": "Updated Test Object"}, "id")
    await expect_denied(gateway, operation, member)


async def test_object_metadata_delete_one_should_throw_a_permission_error_when_user_does_not_have_permission(
    gateway: GatewayUnderTest, member: str, listing: dict[str, str]
) -> None:
    await expect_denied(gateway, delete_one_object_metadata_query_factory(listing["object"]), member)
