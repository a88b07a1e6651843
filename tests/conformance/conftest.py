"""The conformance suite's gateway checks every compiled answer against graphql-core's.

Every query a ported Twenty spec sends runs both ways (DOCGATE_VERIFY_COMPILED_PLANS): the
compiled plan's answer must be graphql-core's, key order and errors included, or the request
fails with a server error and so does the spec. That pins the compiled path to the
interpreted one on Twenty's own operations, not only on the ones we thought of.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import GatewayUnderTest, running_gateway


@pytest.fixture(scope="module")
async def gateway(mongo_uri: str, db_prefix: str) -> AsyncIterator[GatewayUnderTest]:
    async with running_gateway(mongo_uri, db_prefix, verify_compiled_plans=True) as running:
        yield running
