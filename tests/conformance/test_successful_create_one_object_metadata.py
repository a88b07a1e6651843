"""Port of packages/twenty-server/test/integration/metadata/suites/object-metadata/
successful-create-one-object-metadata.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): creating an object with the spec's mock input."""

from __future__ import annotations

import pytest

from tests.conformance.metadata_factories import (
    create_one_object_metadata,
    delete_one_object_metadata,
    get_mock_create_object_input,
    update_one_object_metadata,
)
from tests.conftest import GatewayUnderTest


@pytest.mark.parametrize("context", [pytest.param({}, id="with basic input")])
async def test_object_metadata_creation_should_succeed(gateway: GatewayUnderTest, context: dict[str, str]) -> None:
    data, errors = await create_one_object_metadata(gateway, get_mock_create_object_input(**context))
    assert errors is None
    assert data["createOneObject"]["id"]
    created_id = data["createOneObject"]["id"]
    # afterEach: deactivate, then delete.
    _, errors = await update_one_object_metadata(gateway, created_id, {"isActive": False})
    assert errors is None
    _, errors = await delete_one_object_metadata(gateway, created_id)
    assert errors is None
