"""The OpenAPI endpoints, the /docs page and the GraphQL playground, through the real app."""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from openapi_spec_validator import validate

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import INTERNAL_TYPES, create_internal_field

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
            assert doc["servers"] == [{"url": "/rest"}]  # relative: DOCGATE_PUBLIC_URL is unset
    metadata = await get_json(gateway, "/rest/open-api/metadata")
    assert metadata["paths"] == {} and metadata["servers"] == [{"url": "/rest/metadata"}]
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


async def test_the_server_url_never_follows_the_host_header(gateway: GatewayUnderTest) -> None:
    """A forged Host must not reach the document (a cache in front would serve it to everyone)."""
    for headers in (gateway.headers, {}):
        forged = await gateway.client.get("/rest/open-api/core", headers={**headers, "Host": "evil.example"})
        plain = await gateway.client.get("/rest/open-api/core", headers=headers)
        assert forged.content == plain.content and b"evil.example" not in forged.content


async def test_the_server_url_is_the_public_url_setting(mongo_uri: str, db_prefix: str) -> None:
    import httpx

    from gateway.app import create_app
    from gateway.db import open_database
    from gateway.workspaces import create_workspace
    from tests.conftest import gateway_settings

    settings = gateway_settings(mongo_uri, db_prefix + "p", public_url="https://api.example.com:8443")
    db = open_database(settings)
    app = create_app(settings, db=db)
    async with app.router.lifespan_context(app):
        _, token = await create_workspace(db, "public")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://docgate") as client:
            core = await client.get("/rest/open-api/core", headers={"Authorization": f"Bearer {token}",
                                                                    "Host": "evil.example"})
            base = await client.get("/rest/open-api/metadata")
    await db.close()
    assert core.json()["servers"] == [{"url": "https://api.example.com:8443/rest"}]
    assert base.json()["servers"] == [{"url": "https://api.example.com:8443/rest/metadata"}]


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
    # Without a key the reference is empty: the page says where the key goes.
    assert 'id="key-hint"' in response.text and "click <b>Authorize</b>" in response.text
    assert "docgate apikey create" in response.text
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
    # API clients still need a key: without one, 403 (Twenty's answer to a missing token).
    assert (await gateway.client.get("/graphql?sdl", headers=html)).status_code == 403
    assert (await gateway.client.get("/graphql")).status_code == 403
    result = await gateway.graphql("{ people { totalCount } }")
    assert result["data"]["people"]["totalCount"] >= 0


async def assert_assets_load(gateway: GatewayUnderTest, assets: list[str]) -> None:
    for asset in assets:
        response = await gateway.client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 1000, asset
        kind = "javascript" if asset.endswith(".js") else "css"
        assert kind in response.headers["content-type"], asset


async def test_records_match_the_documented_schemas(gateway: GatewayUnderTest) -> None:
    """A record of every field type, written and read back, fits `Thing` and `ThingForResponse`.

    (Through GraphQL, whose records the REST shim returns as they are.)
    """
    object_id = await create_object(gateway, "thing", "things")
    company = await standard_object_id(gateway, "company")
    fields: list[dict[str, Any]] = [
        {"name": "count", "type": "NUMBER", "settings": {"dataType": "INT"}},
        {"name": "ratio", "type": "NUMBER"},
        {"name": "size", "type": "NUMERIC"},
        {"name": "done", "type": "BOOLEAN"},
        {"name": "due", "type": "DATE"},
        {"name": "at", "type": "DATE_TIME"},
        {"name": "ref", "type": "UUID"},
        {"name": "extra", "type": "RAW_JSON"},
        {"name": "labels", "type": "ARRAY"},
        {"name": "stage", "type": "SELECT", "options": [{"label": "A", "value": "A"}, {"label": "B", "value": "B"}]},
        {"name": "flags", "type": "MULTI_SELECT", "options": [{"label": "X", "value": "X"}]},
        {"name": "score", "type": "RATING", "options": [{"label": f"{i}", "value": f"RATING_{i}"} for i in (1, 2)]},
        {"name": "owner", "type": "FULL_NAME"},
        {"name": "emails", "type": "EMAILS"},
        {"name": "phones", "type": "PHONES"},
        {"name": "site", "type": "LINKS"},
        {"name": "price", "type": "CURRENCY"},
        {"name": "location", "type": "ADDRESS"},  # `address` is a name Twenty reserves
        {"name": "body", "type": "RICH_TEXT"},
        {"name": "maker", "type": "RELATION", "label": "Maker", "relationCreationPayload": {
            "type": "MANY_TO_ONE", "targetObjectMetadataId": company, "targetFieldLabel": "Things"}},
    ]  # fmt: skip
    for field in fields:
        if field["type"] in INTERNAL_TYPES:  # not creatable through the API, as in Twenty
            await create_internal_field(gateway, object_id, label=field["name"].title(), **field)
            continue
        body = await gateway.metadata(
            "mutation($f: CreateFieldInput!) { createOneField(input: {field: $f}) { id } }",
            {"f": {"objectMetadataId": object_id, "label": field["name"].title(), **field}},
        )
        assert "errors" not in body, (field, body)
    doc = await get_json(gateway, "/rest/open-api/core", gateway.headers)
    company_id = (await gateway.graphql('mutation { createCompany(data: {name: "Acme"}) { id } }'))["data"]
    values = {
        "name": "first", "count": 3, "ratio": 0.5, "size": 12.25, "done": True, "due": "2025-01-31",
        "at": "2025-01-31T12:00:00.000Z", "ref": "4e0b1b84-3a7e-4c11-9c55-2f3c4a1d0e11", "extra": {"a": [1, None]},
        "labels": ["p", "q"], "stage": "B", "flags": ["X"], "score": "RATING_2",
        "owner": {"firstName": "Ada", "lastName": "Lovelace"},
        "emails": {"primaryEmail": "ada@example.com", "additionalEmails": ["a@example.com"]},
        "phones": {"primaryPhoneNumber": "5550100", "primaryPhoneCountryCode": "US", "primaryPhoneCallingCode": "+1"},
        "site": {"primaryLinkUrl": "https://example.com", "primaryLinkLabel": "site", "secondaryLinks": []},
        "price": {"amountMicros": 12_000_000, "currencyCode": "EUR"},
        "location": {"addressCity": "Paris", "addressLat": 48.85, "addressLng": 2.35},
        "body": {"markdown": "# hi", "blocknote": None},
        "makerId": company_id["createCompany"]["id"],
    }  # fmt: skip
    schemas = doc["components"]["schemas"]
    validator(doc, "Thing").validate(values)
    validator(doc, "ThingForUpdate").validate({k: v for k, v in values.items() if k != "name"})
    selection = " ".join(selection_of(schemas, "ThingForResponse"))
    for data in ({}, values):  # a record with nothing set, and one with every field
        body = await gateway.graphql(
            f"mutation($d: ThingCreateInput!) {{ createThing(data: $d) {{ {selection} }} }}", {"d": data}
        )
        assert "errors" not in body, body
        validator(doc, "ThingForResponse").validate(body["data"]["createThing"])
    assert body["data"]["createThing"]["maker"]["name"] == "Acme"


def validator(doc: dict[str, Any], name: str) -> Draft202012Validator:
    root = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def selection_of(schemas: dict[str, Any], name: str) -> list[str]:
    """A GraphQL selection of every property of a response schema (related records by their id and name)."""
    out = []
    for prop, schema in schemas[name]["properties"].items():
        target = (schema.get("anyOf") or [schema])[0].get("$ref", "")
        if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
            continue  # one-to-many: a connection in GraphQL, an array in REST
        if target.endswith("ForResponse"):
            out.append(f"{prop} {{ id name }}")
        elif target:
            subs = schemas[target.rsplit("/", 1)[1]]["properties"]
            out.append(f"{prop} {{ {' '.join(_selected(name, s) for name, s in subs.items())} }}")
        else:
            out.append(_selected(prop, schema))
    return out


def _selected(prop: str, schema: dict[str, Any]) -> str:
    """A property; a list of objects typed in GraphQL (FILES, additionalPhones: their items have
    a title, the name of that type) with the keys of its items."""
    items = schema.get("items") or {}
    return f"{prop} {{ {' '.join(items['properties'])} }}" if "title" in items else prop


async def standard_object_id(gateway: GatewayUnderTest, name: str) -> str:
    body = await gateway.metadata("{ objects(paging: {first: 100}) { edges { node { id nameSingular } } } }")
    return next(str(e["node"]["id"]) for e in body["data"]["objects"]["edges"] if e["node"]["nameSingular"] == name)


async def create_object(gateway: GatewayUnderTest, singular: str, plural: str) -> str:
    body = await gateway.metadata(
        "mutation($o: CreateObjectInput!) { createOneObject(input: {object: $o}) { id } }",
        {"o": {"nameSingular": singular, "namePlural": plural, "labelSingular": "Thing", "labelPlural": "Things"}},
    )
    return str(body["data"]["createOneObject"]["id"])
