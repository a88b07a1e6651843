"""Twenty's `graphql/suites/object-generated/<objects>` specs, for their ports.

Each asks for the records of one object with a list of fields and, when there are records,
checks the first one has them all. Twenty runs them on its seeded workspace; the ports make
one record first (as the seed would have it), so that the checks are not vacuous.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from tests.conformance.twenty import create_one_operation_factory, gql, make_graphql_api_request
from tests.conftest import GatewayUnderTest


def fields_of(selection: str) -> list[str]:
    return selection.split()


def find_many_test(
    singular: str, plural: str, selection: str, seed: dict[str, Any], checked: str | None = None
) -> Callable[[GatewayUnderTest], Coroutine[Any, Any, None]]:
    """The spec's one test: `should find many <objects>`; `checked` when the spec checks
    other names than it selects."""

    async def test(gateway: GatewayUnderTest) -> None:
        await make_graphql_api_request(gateway, create_one_operation_factory(singular, "id", data=seed))
        query = f"query {plural} {{ {plural} {{ edges {{ node {{ {selection} }} }} }} }}"
        response = await make_graphql_api_request(gateway, gql(query))
        assert response.status == 200
        assert "errors" not in response.body, response.body["errors"]
        data = response.body["data"][plural]
        assert isinstance(data["edges"], list)
        if data["edges"]:
            node = data["edges"][0]["node"]
            for name in fields_of(checked if checked is not None else selection):
                assert name in node, name

    return test
