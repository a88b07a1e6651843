"""Helpers of the Core REST tests: calls, error checks, and the GraphQL twin of a REST read."""

from __future__ import annotations

from typing import Any

from tests.conftest import GatewayUnderTest

# The `error` of Twenty's REST error bodies (its exception filter names them after the status;
# an authentication failure after its AuthException code). docgate answered GraphQL codes before.
CODES = {400: "BadRequestException", 401: "UNAUTHENTICATED", 403: "FORBIDDEN_EXCEPTION", 404: "NotFoundException",
         409: "ConflictException"}


async def call(
    gateway: GatewayUnderTest, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None,
    *, content: bytes | None = None,
) -> tuple[int, Any]:
    """One REST call; returns (status, decoded body)."""
    kwargs: dict[str, Any] = {"content": content} if content is not None else {"json": body}
    response = await gateway.client.request(
        method, f"/rest/{path}", params=params, headers=gateway.headers, **kwargs
    )
    return response.status_code, response.json()


async def ok(gateway: GatewayUnderTest, method: str, path: str, body: Any = None, **params: Any) -> Any:
    """A call that must succeed: 201 for creates, 200 otherwise."""
    status, answer = await call(gateway, method, path, body, params or None)
    assert status == (201 if method == "POST" else 200), answer
    return answer


async def fails(gateway: GatewayUnderTest, method: str, path: str, body: Any = None, **params: Any) -> tuple[int, str]:
    """A call that must fail with the REST error body; returns (status, message)."""
    return error_of(*await call(gateway, method, path, body, params or None))


def error_of(status: int, answer: Any) -> tuple[int, str]:
    """(status, message) of a REST error answer, checking its shape."""
    assert set(answer) - {"requestId"} == {"statusCode", "error", "messages"}, answer
    assert answer["statusCode"] == status and answer["error"] == CODES[status], answer
    message: str = answer["messages"][0]
    return status, message


def selection(records: list[dict[str, Any]], json_fields: tuple[str, ...] = ()) -> str:
    """The GraphQL selection asking for exactly the fields of REST records (depth 0); a
    composite's sub-fields are read from the first record where it is not null."""
    parts = []
    for key in records[0]:
        value = next((r[key] for r in records if isinstance(r[key], dict)), None)
        if value is not None and key not in json_fields:
            parts.append(f"{key} {{ {' '.join(value)} }}")
        else:
            parts.append(key)
    return " ".join(parts)


async def graphql_page(
    gateway: GatewayUnderTest, plural: str, type_name: str, fields: str, **args: Any
) -> dict[str, Any]:
    """A findMany through /graphql, flattened like REST: (records, totalCount, pageInfo)."""
    body = await gateway.graphql(
        f"query($filter: {type_name}FilterInput, $orderBy: [{type_name}OrderByInput], $first: Int, $last: Int, "
        f"$before: String, $after: String) {{ {plural}(filter: $filter, orderBy: $orderBy, first: $first, "
        "last: $last, before: $before, after: $after) { totalCount "
        "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
        f"edges {{ node {{ {fields} }} }} }} }}",
        args,
    )
    assert "errors" not in body, body["errors"]
    connection = body["data"][plural]
    return {
        "data": {plural: [edge["node"] for edge in connection["edges"]]},
        "totalCount": connection["totalCount"],
        "pageInfo": connection["pageInfo"],
    }
