"""Port of
`packages/twenty-server/test/integration/graphql/suites/args-validation/filter-validation/select-field-filter-input-validation.integration-spec.ts`
at 7bba9416584fa61a91dc93e32b0a44b8e455c84f (the per-type files share one template, read at
4007d0ccd77c07a06bc3b27eec24dbca980d4a1a; not stored at 41d242555963991041c474c5267df7d174c6a972).
The cases, the set-up and the adaptations are in `filter_validation`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conformance.filter_validation import filter_validation_tests, setup_test_objects_with_all_field_types
from tests.conftest import GatewayUnderTest


@pytest.fixture(scope="module", autouse=True)
async def before_all(gateway: GatewayUnderTest) -> AsyncIterator[None]:
    await setup_test_objects_with_all_field_types(gateway)
    yield


globals().update(filter_validation_tests("SELECT"))
