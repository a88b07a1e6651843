"""Port of packages/twenty-server/test/integration/metadata/suites/object-metadata/
object-record-counts.integration-spec.ts (twentyhq/twenty, revision
41d242555963991041c474c5267df7d174c6a972): `objectRecordCounts` on /metadata."""

from __future__ import annotations

from typing import Any

from tests.conformance.twenty import Operation, make_metadata_api_request
from tests.conftest import GatewayUnderTest

OBJECT_RECORD_COUNTS_QUERY = Operation("""
  query ObjectRecordCounts {
    objectRecordCounts {
      objectNamePlural
      totalCount
    }
  }
""", {})
INVALID_ACCESS_TOKEN = "invalid-token"  # Twenty's INVALID_ACCESS_TOKEN: a token no workspace issued


async def _counts(gateway: GatewayUnderTest) -> list[dict[str, Any]]:
    response = await make_metadata_api_request(gateway, OBJECT_RECORD_COUNTS_QUERY)
    counts: list[dict[str, Any]] = response.body["data"]["objectRecordCounts"]
    return counts


async def test_should_return_counts_for_all_workspace_objects(gateway: GatewayUnderTest) -> None:
    response = await make_metadata_api_request(gateway, OBJECT_RECORD_COUNTS_QUERY)
    assert "errors" not in response.body
    counts = response.body["data"]["objectRecordCounts"]
    assert isinstance(counts, list) and len(counts) > 0
    for entry in counts:
        assert isinstance(entry["objectNamePlural"], str) and len(entry["objectNamePlural"]) > 0
        assert isinstance(entry["totalCount"], int) and entry["totalCount"] >= 0


async def test_should_include_well_known_standard_objects(gateway: GatewayUnderTest) -> None:
    object_names = [entry["objectNamePlural"] for entry in await _counts(gateway)]
    assert "people" in object_names
    assert "companies" in object_names
    assert "opportunities" in object_names


async def test_should_return_non_negative_total_count_values(gateway: GatewayUnderTest) -> None:
    assert [entry for entry in await _counts(gateway) if entry["totalCount"] < 0] == []


async def test_should_reject_requests_with_an_invalid_token(gateway: GatewayUnderTest) -> None:
    response = await make_metadata_api_request(gateway, OBJECT_RECORD_COUNTS_QUERY, INVALID_ACCESS_TOKEN)
    assert response.body["errors"]
    assert len(response.body["errors"]) > 0
