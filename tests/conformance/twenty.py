"""The helpers of Twenty's integration specs, for their ports: requests and operation factories.

Twenty's specs build their operations with small factories (`test/integration/graphql/utils/
*-operation-factory.util.ts`) and send them with `makeGraphqlAPIRequest` /
`makeRestAPIRequest`; these are their Python equals, so a port reads like its spec. Requests
go over HTTP to the real ASGI app (the `gateway` fixture), authenticated with the workspace's
API key where a spec uses Twenty's seed admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from tests.conftest import GatewayUnderTest

URL_SAFE = "[]:,.\"()_-"


@dataclass
class Response:
    status: int
    body: Any
    headers: Any


@dataclass
class Operation:
    query: str
    variables: dict[str, Any]


def gql(query: str, variables: dict[str, Any] | None = None) -> Operation:
    """An operation written out in a spec (`{query: gql`...`, variables}`)."""
    return Operation(query, variables or {})


def capitalize(name: str) -> str:
    return name[:1].upper() + name[1:]


async def make_graphql_api_request(
    gateway: GatewayUnderTest, operation: Operation, token: str | None = "default", path: str = "/graphql"
) -> Response:
    """POST the operation; `token=None` sends no Authorization header (as Twenty's util does)."""
    headers = {} if token is None else {"Authorization": f"Bearer {gateway.token if token == 'default' else token}"}
    response = await gateway.client.post(
        path, json={"query": operation.query, "variables": operation.variables}, headers=headers
    )
    return Response(response.status_code, response.json(), response.headers)


async def make_metadata_api_request(
    gateway: GatewayUnderTest, operation: Operation, token: str | None = "default"
) -> Response:
    return await make_graphql_api_request(gateway, operation, token, path="/metadata")


async def make_rest_api_request(
    gateway: GatewayUnderTest, method: str, path: str, body: Any = None, bearer: str | None = "default",
    headers: dict[str, str] | None = None, query_params: str | None = None,
) -> Response:
    """`makeRestAPIRequest({method, path, body, bearer, queryParams})`: `path` is relative to
    `/rest` and may hold a query string; `queryParams` is appended after `?` as sent (as
    supertest's `.query(string)` does)."""
    if query_params is not None:
        # The parameter's value percent-encoded, as a browser or supertest would send it (a
        # raw '#' would cut the URL, a raw '%' start an escape).
        name, _, value = query_params.partition("=")
        path = f"{path}{'&' if '?' in path else '?'}{name}={quote(value, safe=URL_SAFE)}"
    sent = dict(headers or {})
    if bearer is not None:
        sent["Authorization"] = f"Bearer {gateway.token if bearer == 'default' else bearer}"
    kwargs: dict[str, Any] = {}
    if method.lower() in ("post", "patch", "put"):
        kwargs["json"] = {} if body is None else body
    response = await gateway.client.request(method.upper(), f"/rest{path}", headers=sent, **kwargs)
    try:
        decoded = response.json()
    except ValueError:
        decoded = response.text
    return Response(response.status_code, decoded, response.headers)


def find_many_operation_factory(
    object_metadata_singular_name: str, object_metadata_plural_name: str, gql_fields: str,
    filter: Any = None, order_by: Any = None, after: str | None = None, before: str | None = None,
    first: int | None = None, last: int | None = None,
) -> Operation:
    s, p = capitalize(object_metadata_singular_name), capitalize(object_metadata_plural_name)
    query = f"""
    query {p}($filter: {s}FilterInput, $orderBy: [{s}OrderByInput], $after: String, $before: String,
              $first: Int, $last: Int) {{
      {object_metadata_plural_name}(filter: $filter, orderBy: $orderBy, after: $after, before: $before,
                                    first: $first, last: $last) {{
        edges {{ node {{ {gql_fields} }} cursor }}
        pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
      }}
    }}"""
    variables = {"filter": filter or {}, "orderBy": order_by or {}, "after": after, "before": before,
                 "first": first, "last": last}
    return Operation(query, variables)


def find_one_operation_factory(object_metadata_singular_name: str, gql_fields: str, filter: Any = None) -> Operation:
    s = capitalize(object_metadata_singular_name)
    query = f"""
    query {s}($filter: {s}FilterInput!) {{
      {object_metadata_singular_name}(filter: $filter) {{ {gql_fields} }}
    }}"""
    return Operation(query, {"filter": filter or {}})


def create_one_operation_factory(
    object_metadata_singular_name: str, gql_fields: str, data: Any = None, upsert: bool | None = None
) -> Operation:
    s = capitalize(object_metadata_singular_name)
    query = f"""
    mutation Create{s}($data: {s}CreateInput!, $upsert: Boolean) {{
      create{s}(data: $data, upsert: $upsert) {{ {gql_fields} }}
    }}"""
    return Operation(query, {"data": data or {}, "upsert": upsert})


def create_many_operation_factory(
    object_metadata_singular_name: str, object_metadata_plural_name: str, gql_fields: str,
    data: Any = None, upsert: bool = False,
) -> Operation:
    s, p = capitalize(object_metadata_singular_name), capitalize(object_metadata_plural_name)
    query = f"""
    mutation Create{s}($data: [{s}CreateInput!]!, $upsert: Boolean) {{
      create{p}(data: $data, upsert: $upsert) {{ {gql_fields} }}
    }}"""
    return Operation(query, {"data": data or {}, "upsert": upsert})


def update_one_operation_factory(
    object_metadata_singular_name: str, gql_fields: str, record_id: str, data: Any = None
) -> Operation:
    s = capitalize(object_metadata_singular_name)
    query = f"""
    mutation Update{s}(${object_metadata_singular_name}Id: UUID!, $data: {s}UpdateInput!) {{
      update{s}(id: ${object_metadata_singular_name}Id, data: $data) {{ {gql_fields} }}
    }}"""
    return Operation(query, {f"{object_metadata_singular_name}Id": record_id, "data": data or {}})


def update_many_operation_factory(
    object_metadata_singular_name: str, object_metadata_plural_name: str, gql_fields: str,
    data: Any = None, filter: Any = None,
) -> Operation:
    s, p = capitalize(object_metadata_singular_name), capitalize(object_metadata_plural_name)
    query = f"""
    mutation Update{p}($data: {s}UpdateInput!, $filter: {s}FilterInput!) {{
      update{p}(data: $data, filter: $filter) {{ {gql_fields} }}
    }}"""
    return Operation(query, {"data": data or {}, "filter": filter if filter is not None else {}})


def _by_id(verb: str, object_metadata_singular_name: str, gql_fields: str, record_id: str) -> Operation:
    s = capitalize(object_metadata_singular_name)
    query = f"""
    mutation {capitalize(verb)}{s}(${object_metadata_singular_name}Id: UUID!) {{
      {verb}{s}(id: ${object_metadata_singular_name}Id) {{ {gql_fields} }}
    }}"""
    return Operation(query, {f"{object_metadata_singular_name}Id": record_id})


def _by_filter(
    verb: str, object_metadata_singular_name: str, object_metadata_plural_name: str, gql_fields: str, filter: Any
) -> Operation:
    s, p = capitalize(object_metadata_singular_name), capitalize(object_metadata_plural_name)
    query = f"""
    mutation {capitalize(verb)}{p}($filter: {s}FilterInput!) {{
      {verb}{p}(filter: $filter) {{ {gql_fields} }}
    }}"""
    return Operation(query, {"filter": filter if filter is not None else {}})


def delete_one_operation_factory(object_metadata_singular_name: str, gql_fields: str, record_id: str) -> Operation:
    return _by_id("delete", object_metadata_singular_name, gql_fields, record_id)


def destroy_one_operation_factory(object_metadata_singular_name: str, gql_fields: str, record_id: str) -> Operation:
    return _by_id("destroy", object_metadata_singular_name, gql_fields, record_id)


def restore_one_operation_factory(object_metadata_singular_name: str, gql_fields: str, record_id: str) -> Operation:
    return _by_id("restore", object_metadata_singular_name, gql_fields, record_id)


def delete_many_operation_factory(
    object_metadata_singular_name: str, object_metadata_plural_name: str, gql_fields: str, filter: Any = None
) -> Operation:
    return _by_filter("delete", object_metadata_singular_name, object_metadata_plural_name, gql_fields, filter)


def destroy_many_operation_factory(
    object_metadata_singular_name: str, object_metadata_plural_name: str, gql_fields: str, filter: Any = None
) -> Operation:
    return _by_filter("destroy", object_metadata_singular_name, object_metadata_plural_name, gql_fields, filter)


def restore_many_operation_factory(
    object_metadata_singular_name: str, object_metadata_plural_name: str, gql_fields: str, filter: Any = None
) -> Operation:
    return _by_filter("restore", object_metadata_singular_name, object_metadata_plural_name, gql_fields, filter)


async def delete_all_records(gateway: GatewayUnderTest, object_metadata_singular_name: str) -> None:
    """`deleteAllRecords(objectNameSingular)`: empty a collection, trash included, before a spec seeds it."""
    model = await gateway.app.state.gateway.registry.get(gateway.workspace_id)
    obj = model.model.by_singular(object_metadata_singular_name)
    assert obj is not None, object_metadata_singular_name
    await gateway.db.records(gateway.workspace_id, obj.collection).delete_many({})


def expect_one_not_internal_server_error(body: Any, snapshot: dict[str, Any] | None = None) -> dict[str, Any]:
    """`expectOneNotInternalServerErrorSnapshot`: exactly one error, not a fault of ours, and
    (given the spec's stored snapshot) equal to it in `message` and `extensions`."""
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    assert errors[0]["extensions"]["code"] != "INTERNAL_SERVER_ERROR", errors[0]
    error: dict[str, Any] = errors[0]
    if snapshot is not None:
        assert {"message": error["message"], "extensions": error["extensions"]} == snapshot, error
    return error
