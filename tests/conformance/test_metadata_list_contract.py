"""Port of packages/twenty-server/test/integration/rest/suites/metadata-list-contract.integration-spec.ts
(twentyhq/twenty, revision 41d242555963991041c474c5267df7d174c6a972): the list envelope of every
Metadata REST resource, and the legacy `/rest/webhooks` and `/rest/apiKeys` routes.

The spec turns Twenty's feature flag IS_REST_METADATA_API_NEW_FORMAT_DIRECT on (`data` as the bare
list); the flag is off by default in Twenty and docgate answers the default envelope
(`data.<plural>`), so the first case is an expected failure for every path. Views and page layouts
are out of this port's scope (a later issue), and are not served. Adapted: the seed admin token
is the workspace's API key.
"""

from __future__ import annotations

import pytest

from tests.conformance.metadata_factories import assert_metadata_rest_list_response
from tests.conformance.twenty import make_rest_api_request
from tests.conftest import GatewayUnderTest

EMPTY_PARENT_ID = "00000000-0000-4000-8000-000000000000"
NEW_FORMAT = "the bare-list envelope is behind Twenty's feature flag IS_REST_METADATA_API_NEW_FORMAT_DIRECT, off by " \
             "default; docgate answers Twenty's default envelope (data.<plural>)"
NOT_SERVED = "views and page layouts are not served by docgate (out of issue 11's scope); " + NEW_FORMAT


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, marks=pytest.mark.xfail(strict=True, reason=NEW_FORMAT if served else NOT_SERVED))
        for path, served in [
            ("/metadata/objects", True),
            ("/metadata/fields", True),
            ("/metadata/webhooks", True),
            ("/metadata/apiKeys", True),
            ("/metadata/views", False),
            ("/metadata/viewFields", False),
            ("/metadata/viewFilters", False),
            ("/metadata/viewSorts", False),
            ("/metadata/viewGroups", False),
            ("/metadata/viewFilterGroups", False),
            ("/metadata/pageLayouts", False),
            (f"/metadata/pageLayoutTabs?pageLayoutId={EMPTY_PARENT_ID}", False),
            (f"/metadata/pageLayoutWidgets?pageLayoutTabId={EMPTY_PARENT_ID}", False),
        ]
    ],
)
async def test_returns_the_unified_page_envelope(gateway: GatewayUnderTest, path: str) -> None:
    response = await make_rest_api_request(gateway, "get", path)
    assert_metadata_rest_list_response(response)


async def test_keeps_deprecated_non_metadata_aliases_as_raw_arrays(gateway: GatewayUnderTest) -> None:
    for path in ("/webhooks", "/apiKeys"):
        response = await make_rest_api_request(gateway, "get", path)
        assert response.status == 200
        assert isinstance(response.body, list)
