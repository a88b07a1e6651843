"""GraphQL over HTTP: the status and media type of each kind of answer, under the legacy
`application/json` (what Twenty answers) and under `application/graphql-response+json`."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.graphql_http import wants_graphql_response
from tests.conftest import GatewayUnderTest

NEW = "application/graphql-response+json"


async def post(gateway: GatewayUnderTest, body: Any, accept: str | None = None, token: bool = True) -> Any:
    headers = dict(gateway.headers) if token else {}
    if accept is not None:
        headers["Accept"] = accept
    return await gateway.client.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize(
    ("body", "new_status"),
    [
        ({"query": "{ people { nope } }"}, 400),  # validation
        ({"query": "{ people {"}, 400),  # parse
        ({"query": "query($f: PersonFilterInput) { people(filter: $f) { totalCount } }",
          "variables": {"f": {"nope": {"eq": 1}}}}, 400),  # variable coercion: no data at all
        ({"query": '{ person(filter: {id: {eq: "00000000-0000-4000-8000-000000000000"}}) { id } }'}, 200),  # field
    ],
)
async def test_errors_are_200_under_json_and_statuses_under_graphql_response_json(
    gateway: GatewayUnderTest, body: dict[str, Any], new_status: int
) -> None:
    legacy = await post(gateway, body)
    assert legacy.status_code == 200 and legacy.headers["content-type"].startswith("application/json")
    assert legacy.json()["errors"]
    new = await post(gateway, body, accept=NEW)
    assert new.status_code == new_status and new.headers["content-type"].startswith(NEW)
    assert new.json()["errors"] == legacy.json()["errors"]


@pytest.mark.parametrize("raw", [b"not json", b"[]", b'{"query": 42}', b'{"query": "{ __typename }", "variables": []}'])
async def test_a_body_that_is_no_graphql_request_is_400_either_way(gateway: GatewayUnderTest, raw: bytes) -> None:
    for accept in (None, NEW):
        headers = {**gateway.headers, "Content-Type": "application/json", **({"Accept": accept} if accept else {})}
        response = await gateway.client.post("/graphql", content=raw, headers=headers)
        assert response.status_code == 400, (raw, accept)
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("accept", "new"),
    [
        ("", False),
        ("*/*", False),
        ("application/json", False),
        (NEW, True),
        (f"{NEW}, application/json", True),
        (f"application/json, {NEW}", True),  # equal preference: the specification's own type
        (f"application/json, {NEW};q=0.5", False),
        (f"application/json;q=0.2, {NEW};q=0.9", True),
        (f"{NEW};q=0", False),
        (f"{NEW};q=oops", False),  # a malformed q-value counts as 0
        ("text/html", False),
    ],
)
def test_which_media_type_a_client_asks_for(accept: str, new: bool) -> None:
    class Request:
        headers = {"accept": accept}

    assert wants_graphql_response(Request()) is new  # type: ignore[arg-type]


async def test_without_a_token_graphql_serves_the_schema_of_no_workspace(gateway: GatewayUnderTest) -> None:
    """As Twenty's /graphql: no records, whatever the query asks; introspection of an empty
    Query works; costly documents are refused as for anyone."""
    people = await post(gateway, {"query": "{ people { totalCount } }"}, token=False)
    assert people.status_code == 200
    assert people.json()["errors"][0]["message"] == 'Cannot query field "people" on type "Query".'
    typename = await post(gateway, {"query": "{ __typename }"}, token=False)
    assert typename.status_code == 200 and typename.json() == {"data": {"__typename": "Query"}}
    deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }"
    nested = await post(gateway, {"query": "{" + "a: __typename " * 5000 + "}"}, token=False)
    assert nested.status_code == 200 and nested.json()["errors"]  # too many fields: refused before running
    assert (await post(gateway, {"query": deep}, token=False)).status_code == 200
    new = await post(gateway, {"query": "{ people { totalCount } }"}, accept=NEW, token=False)
    assert new.status_code == 400
