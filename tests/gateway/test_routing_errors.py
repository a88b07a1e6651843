"""Every answer is docgate's JSON error body, also where no route (or no method) matches."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.app import rest_error
from gateway.http_errors import error_handlers
from tests.conftest import GatewayUnderTest


def error_body(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) - {"requestId"} == {"statusCode", "error", "messages"} and body["statusCode"] == status, body
    assert body["error"] == code, body
    message: str = body["messages"][0]
    return message


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", "/rest/restore/opportunities/%C2%87D%0Ak"),  # `{path:path}` matches no newline
        ("GET", "/rest/people/abc%0Adef"),
        ("POST", "/nothing/here"),
        ("GET", "/static/missing.js"),
    ],
)
async def test_unmatched_paths_answer_a_json_404(gateway: GatewayUnderTest, method: str, path: str) -> None:
    response = await gateway.client.request(method, path, headers=gateway.headers)
    message = error_body(response, 404, "NotFoundException")
    assert f"no route for {method}" in message or "not found" in message.lower(), message


async def test_a_newline_in_the_path_is_shown_in_the_message(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.patch("/rest/restore/opportunities/x%0Ay", headers=gateway.headers)
    assert "'/rest/restore/opportunities/x\\ny'" in error_body(response, 404, "NotFoundException")


@pytest.mark.parametrize(("method", "path"), [("PUT", "/graphql"), ("DELETE", "/metadata"), ("POST", "/healthz")])
async def test_a_method_a_route_does_not_serve_answers_a_json_405(
    gateway: GatewayUnderTest, method: str, path: str
) -> None:
    response = await gateway.client.request(method, path, headers=gateway.headers)
    message = error_body(response, 405, "MethodNotAllowedException")
    assert f"{method} is not allowed on '{path}'" in message and "GET" in message
    assert "GET" in response.headers["allow"]


async def test_an_unhandled_exception_answers_a_json_500() -> None:
    async def crash(request: Request) -> Response:
        raise RuntimeError("boom")

    app = Starlette(routes=[Route("/crash", crash)], exception_handlers=error_handlers(rest_error))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://docgate") as client:
        response = await client.get("/crash")
    assert error_body(response, 500, "InternalServerErrorException") == "Internal server error"
