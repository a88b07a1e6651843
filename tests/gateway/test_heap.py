"""Schemas are kept out of the garbage collector's walks (frozen) yet freed when replaced."""

from __future__ import annotations

import gc
import weakref

from gateway import heap
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_field, data, object_id


async def test_a_replaced_schema_is_freed_though_live_schemas_are_frozen(gateway: GatewayUnderTest) -> None:
    registry = gateway.app.state.gateway.registry
    data(await gateway.graphql("{ people(first: 1) { totalCount } }"))
    first = await registry.get(gateway.workspace_id)
    assert gc.get_freeze_count() > 0  # the schema, built, was frozen with the rest
    replaced = weakref.ref(first.schema)
    await create_field(gateway, await object_id(gateway, "person"), name="shoeSize", type="NUMBER")
    data(await gateway.graphql("{ people(first: 1) { edges { node { shoeSize } } } }"))  # built again
    assert (await registry.get(gateway.workspace_id)).schema is not replaced()
    # Still referenced here when the new one was built (as by a request in flight): frozen with
    # it, then freed by the next settle (the next build), not kept for ever.
    del first
    heap.settle()
    assert replaced() is None
