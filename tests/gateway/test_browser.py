"""The docs page and the GraphQL playground in a real browser (Debian's Chromium via Playwright).

A person's path: open /docs, authorize with a key, run GET /people with "Execute" and see
the answer; open /graphql, put the key in the Headers tab, run a query and see the answer.
Everything the pages load comes from docgate itself: any request to another host fails
the test. Skipped when no Chromium binary is installed (`apt-get install chromium`).
Set DOCGATE_TEST_SCREENSHOTS=<dir> to keep screenshots of each step.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.gateway.live_server import LiveServer, live_server

CHROMIUM = next(
    (
        p
        for p in (os.environ.get("DOCGATE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"))
        if p and os.path.exists(p)
    ),
    None,
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 30_000

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install chromium)")


@pytest.fixture(scope="module")
async def server(mongo_uri: str) -> AsyncIterator[LiveServer]:
    async with live_server(mongo_uri) as live:
        yield live


@pytest.fixture
async def page(server: LiveServer) -> AsyncIterator[Any]:
    playwright_api = pytest.importorskip("playwright.async_api")
    async with playwright_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1400, "height": 1000})
            page = await context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            foreign: list[str] = []
            problems: list[str] = []

            async def only_local(route: Any) -> None:
                if route.request.url.startswith(server.url):
                    await route.continue_()
                else:  # no CDN, no telemetry: the pages must work air-gapped
                    foreign.append(route.request.url)
                    await route.abort()

            await page.route("**/*", only_local)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "response",
                lambda r: problems.append(f"{r.status} {r.url}") if "/static/" in r.url and r.status >= 400 else None,
            )
            yield page
            assert not foreign, f"requests to other hosts: {foreign}"
            assert not problems, problems
        finally:
            await browser.close()


async def snap(page: Any, name: str) -> None:
    folder = os.environ.get("DOCGATE_TEST_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


async def test_docs_page_authorize_and_try_it_out(page: Any, server: LiveServer) -> None:
    await page.goto(f"{server.url}/docs")
    await page.wait_for_selector(".swagger-ui .info .title")
    assert "docgate API" in await page.inner_text(".swagger-ui .info .title")
    assert await page.locator("#operations-tag-people").count() == 0  # the base document: no objects yet
    assert await page.is_visible("#key-hint")  # which says where the key goes
    await page.click(".swagger-ui .auth-wrapper button.authorize")
    await page.fill("input[aria-label='auth-bearer-value']", server.token)
    await snap(page, "docs-1-authorize")
    await page.click(".auth-container .auth-btn-wrapper button.authorize")
    await page.click(".auth-container .auth-btn-wrapper button.btn-done")
    await page.wait_for_selector("#operations-tag-people")  # reloaded with the key: the workspace's objects
    assert await page.is_hidden("#key-hint")
    status, body = await execute(page, "people", "findManyPeople", "docs-2-people")
    curl = await page.inner_text("#operations-people-findManyPeople .curl-command")
    assert f"Bearer {server.token}" in curl and "/rest/people" in curl
    core_missing = status.startswith("404") and "Not Found" in body and "statusCode" not in body
    if not core_missing:
        assert status.startswith("200"), (status, body)
        assert '"people"' in body and "totalCount" in body
    # The metadata document, from the link at the top: the key is remembered.
    await page.click("nav a[href='/docs?api=metadata']")
    await page.wait_for_selector("#operations-tag-objects")
    status, body = await execute(page, "objects", "findManyObjects", "docs-3-objects")
    assert status.startswith("200"), (status, body)
    assert '"nameSingular": "person"' in body
    if core_missing:
        pytest.skip("the Core REST routes (/rest/{plural}) are not mounted in this build")


async def execute(page: Any, tag: str, operation_id: str, shot: str) -> tuple[str, str]:
    """Open an operation, press Execute, and read the answer's status and body."""
    block = f"#operations-{tag}-{operation_id}"
    await page.click(f"{block} .opblock-summary")
    await page.click(f"{block} button.execute")
    row = f"{block} .live-responses-table tbody tr.response"
    await page.wait_for_selector(row)
    await snap(page, shot)
    status = (await page.inner_text(f"{row} .response-col_status")).strip()
    return status, await page.inner_text(f"{row} .response-col_description")


async def test_graphql_playground_runs_a_query(page: Any, server: LiveServer) -> None:
    await page.goto(f"{server.url}/graphql")
    await page.wait_for_selector(".graphiql-container .graphiql-query-editor .CodeMirror")
    await page.wait_for_selector(".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror")
    headers = json.dumps({"Authorization": f"Bearer {server.token}"})
    await page.evaluate(
        """([query, headers]) => {
            document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(query);
            document.querySelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror')
                .CodeMirror.setValue(headers);
        }""",
        ["{ people { totalCount } }", headers],
    )
    await snap(page, "graphiql-1-ready")
    await page.click(".graphiql-execute-button")
    response = page.locator(".graphiql-response .CodeMirror")
    await response.filter(has_text="totalCount").wait_for()
    await snap(page, "graphiql-2-answered")
    text = await response.inner_text()
    assert '"people"' in text and '"totalCount": 0' in text, text
