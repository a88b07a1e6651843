"""The OpenAPI endpoints, the /docs page and the GraphQL playground, through the real app."""

from __future__ import annotations

import re
from typing import Any

from openapi_spec_validator import validate

from tests.conftest import GatewayUnderTest

ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')


async def get_json(gateway: GatewayUnderTest, path: str, headers: dict[str, str] | None = None) -> Any:
    response = await gateway.client.get(path, headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


async def test_base_documents_without_a_valid_key(gateway: GatewayUnderTest) -> None:
    for path in ("/rest/open-api/core", "/open-api/core"):
        for headers in (None, {"Authorization": "Bearer not-a-key"}, {"Authorization": "Basic x"}):
            doc = await get_json(gateway, path, headers)
            assert doc["paths"] == {} and doc["openapi"] == "3.1.1"
            assert doc["servers"] == [{"url": "http://docgate/rest"}]
    metadata = await get_json(gateway, "/rest/open-api/metadata")
    assert metadata["paths"] == {} and metadata["servers"] == [{"url": "http://docgate/rest/metadata"}]
    validate(metadata)


async def test_workspace_documents_with_a_key(gateway: GatewayUnderTest) -> None:
    core = await get_json(gateway, "/rest/open-api/core", gateway.headers)
    validate(core)
    assert core["paths"]["/people"]["get"]["operationId"] == "findManyPeople"
    assert "company.created" in core["webhooks"]
    assert core == await get_json(gateway, "/open-api/core", gateway.headers)
    metadata = await get_json(gateway, "/open-api/metadata", gateway.headers)
    validate(metadata)
    assert metadata["paths"]["/objects"]["post"]["operationId"] == "createOneObject"


async def test_the_server_url_follows_the_request(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get(
        "/rest/open-api/core", headers={**gateway.headers, "Host": "api.example.com:8443"}
    )
    assert response.json()["servers"] == [{"url": "http://api.example.com:8443/rest"}]


async def test_a_new_object_and_field_appear_on_the_next_request(gateway: GatewayUnderTest) -> None:
    before = await get_json(gateway, "/rest/open-api/core", gateway.headers)
    assert "/invoices" not in before["paths"]
    created = await gateway.metadata(
        'mutation { createOneObject(input: {object: {nameSingular: "invoice", namePlural: "invoices", '
        'labelSingular: "Invoice", labelPlural: "Invoices"}}) { id } }'
    )
    object_id = created["data"]["createOneObject"]["id"]
    doc = await get_json(gateway, "/rest/open-api/core", gateway.headers)
    assert doc["paths"]["/invoices"]["post"]["operationId"] == "createOneInvoice"
    assert doc["paths"]["/restore/invoices/{id}"]["patch"]["operationId"] == "restoreOneInvoice"
    assert "InvoiceForResponse" in doc["components"]["schemas"]
    field = await gateway.metadata(
        "mutation($input: CreateOneFieldMetadataInput!) { createOneField(input: $input) { id } }",
        {
            "input": {
                "field": {
                    "objectMetadataId": object_id,
                    "type": "SELECT",
                    "name": "status",
                    "label": "Status",
                    "isNullable": False,
                    "options": [{"label": "Draft", "value": "DRAFT"}, {"label": "Paid", "value": "PAID"}],
                }
            }
        },
    )
    assert "errors" not in field, field
    doc = await get_json(gateway, "/rest/open-api/core", gateway.headers)
    invoice = doc["components"]["schemas"]["Invoice"]
    assert invoice["properties"]["status"]["enum"] == ["DRAFT", "PAID"]
    assert invoice["required"] == ["status"]
    validate(doc)


async def test_docs_page_and_its_assets(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "/rest/open-api/core" in response.text and "SwaggerUIBundle" in response.text
    assets = ASSET.findall(response.text)
    assert {"/static/swagger-ui/swagger-ui-bundle.js", "/static/swagger-ui/swagger-ui.css"} <= set(assets)
    await assert_assets_load(gateway, assets)


async def test_graphql_playground_for_browsers(gateway: GatewayUnderTest) -> None:
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for endpoint in ("/graphql", "/metadata"):
        response = await gateway.client.get(endpoint, headers=html)  # no key: a browser has none yet
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        assert "GraphiQL.createFetcher" in response.text and f'"{endpoint}"' in response.text
        assets = ASSET.findall(response.text)
        assert "/static/graphiql/graphiql.min.js" in assets and len(assets) == 4
        await assert_assets_load(gateway, assets)
    sdl = await gateway.client.get("/graphql?sdl", headers={**html, **gateway.headers})
    assert sdl.status_code == 200 and "type Query" in sdl.text
    assert (await gateway.client.get("/graphql?sdl", headers=html)).status_code == 401
    assert (await gateway.client.get("/graphql")).status_code == 401  # API clients still need a key
    result = await gateway.graphql("{ people { totalCount } }")
    assert result["data"]["people"]["totalCount"] >= 0


async def assert_assets_load(gateway: GatewayUnderTest, assets: list[str]) -> None:
    for asset in assets:
        response = await gateway.client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 1000, asset
        kind = "javascript" if asset.endswith(".js") else "css"
        assert kind in response.headers["content-type"], asset
