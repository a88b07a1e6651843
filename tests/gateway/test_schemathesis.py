"""Schemathesis against a live server: every operation of a workspace's documents, a few cases each.

It fetches the document with a real key, as a client would, then lets schemathesis generate
requests from it (valid and invalid) and checks that no answer is a 5xx and that every
answer matches the document (status code, content type, body schema). Bounded: a few
examples per operation, one worker, a fixed seed. Set DOCGATE_SCHEMATHESIS_EXAMPLES to
raise the number of cases per operation.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import orjson
import pytest

from tests.gateway.live_server import LiveServer, live_server

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXAMPLES = os.environ.get("DOCGATE_SCHEMATHESIS_EXAMPLES", "5")
TIME_LIMIT = 900  # seconds, the whole run of one document


async def run(command: list[str], cwd: Path) -> tuple[int, str]:
    """Run the CLI to completion (bounded in time): its exit code and whole output."""
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=cwd
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), timeout=TIME_LIMIT)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    return process.returncode or 0, output.decode(errors="replace")


def schemathesis_cli() -> str | None:
    local = Path(sys.executable).parent / "st"
    return str(local) if local.exists() else shutil.which("st")


@pytest.fixture(scope="module")
async def server(mongo_uri: str) -> AsyncIterator[LiveServer]:
    async with live_server(mongo_uri) as live:
        await seed(live)
        yield live


async def seed(live: LiveServer) -> None:
    """A workspace with data: companies with people, opportunities, a note on a person, so
    generated requests meet records, relations and cursors, not only empty pages."""
    headers = {"Authorization": f"Bearer {live.token}"}
    async with httpx.AsyncClient(base_url=live.url, headers=headers) as client:
        for c in range(3):
            company = (await client.post("/rest/companies", json={"name": f"Fuzz Co {c}", "employees": c * 10})).json()
            company_id = company["data"]["createCompany"]["id"]
            people = [{"name": {"firstName": f"P{c}{i}", "lastName": "Fuzz"}, "companyId": company_id,
                       "emails": {"primaryEmail": f"p{c}{i}@fuzz.example"}, "jobTitle": "Tester"} for i in range(4)]
            created = (await client.post("/rest/batch/people", json=people)).json()["data"]["createPeople"]
            await client.post("/rest/opportunities", json={
                "name": f"Deal {c}", "companyId": company_id, "pointOfContactId": created[0]["id"],
                "amount": {"amountMicros": 1_000_000 * (c + 1), "currencyCode": "EUR"}})
            note = (await client.post("/rest/notes", json={"title": f"Note {c}"})).json()["data"]["createNote"]
            await client.post("/rest/noteTargets", json={"noteId": note["id"], "targetPersonId": created[1]["id"]})


@pytest.mark.parametrize("kind", ["core", "metadata"])
async def test_schemathesis_finds_nothing(kind: str, server: LiveServer, tmp_path: Path) -> None:
    cli = schemathesis_cli()
    if cli is None:
        pytest.skip("schemathesis is not installed (pip install schemathesis)")
    async with httpx.AsyncClient(base_url=server.url) as client:
        response = await client.get(f"/rest/open-api/{kind}", headers={"Authorization": f"Bearer {server.token}"})
    document = response.json()
    assert document["paths"], "the document of a workspace lists its operations"
    spec = tmp_path / f"{kind}.json"
    spec.write_bytes(orjson.dumps(document))
    command = [
        cli, "run", str(spec),
        "--url", document["servers"][0]["url"],
        "--header", f"Authorization: Bearer {server.token}",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", EXAMPLES,
        "--seed", "20251123",
        "--workers", "1",
        "--request-timeout", "20",
        "--suppress-health-check", "all",
        "--generation-database", "none",
        "--exclude-path-regex", "^/apiKeys",  # revoking keys would revoke this run's key
        # Webhooks to generated URLs are never created (the server's dispatcher is off as well).
        "--exclude-operation-id", "createWebhook",
        "--exclude-operation-id", "UpdateOneWebhook",
        "--no-color",
    ]  # fmt: skip
    status, text = await run(command, tmp_path)
    (Path(os.environ.get("DOCGATE_SCHEMATHESIS_LOG_DIR", tmp_path)) / f"schemathesis-{kind}.log").write_text(text)
    assert status == 0, text[-30_000:]


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def summary(record: logging.LogRecord) -> str:
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        return f"{record.getMessage()}: {type(error).__name__}: {str(error)[:200]}"
    return record.getMessage()


@pytest.mark.parametrize("endpoint", ["/graphql", "/metadata"])
async def test_graphql_fuzzing_finds_no_internal_error(endpoint: str, server: LiveServer, tmp_path: Path) -> None:
    """Generated GraphQL operations never end in an INTERNAL_SERVER_ERROR (a resolver that raised).

    Schemathesis counts every GraphQL error as a failure (NOT_FOUND too), so its verdict
    is not used: the server's own error log is.
    """
    cli = schemathesis_cli()
    if cli is None:
        pytest.skip("schemathesis is not installed (pip install schemathesis)")
    command = [
        cli, "run", f"{server.url}{endpoint}",
        "--header", f"Authorization: Bearer {server.token}",
        "--checks", "not_a_server_error",
        "--max-examples", EXAMPLES,
        "--seed", "20251123",
        "--workers", "1",
        "--request-timeout", "20",
        "--suppress-health-check", "all",
        "--generation-database", "none",
        "--no-color",
    ]  # fmt: skip
    errors = Collect()
    logger = logging.getLogger("docgate")
    logger.addHandler(errors)
    try:
        _, text = await run(command, tmp_path)  # its verdict counts NOT_FOUND errors too
    finally:
        logger.removeHandler(errors)
    name = f"schemathesis-graphql-{endpoint.strip('/')}.log"
    (Path(os.environ.get("DOCGATE_SCHEMATHESIS_LOG_DIR", tmp_path)) / name).write_text(text)
    assert "Test cases:" in text, text[-5000:]
    assert not errors.records, sorted({summary(r) for r in errors.records})
