"""Load the stored workspace of the previous release (tests/fixtures) into a database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bson import json_util

from gateway.db import Database

FIXTURE = Path(__file__).parent.parent / "fixtures" / "previous_release_workspace.json"


def fixture() -> dict[str, Any]:
    loaded: dict[str, Any] = json_util.loads(FIXTURE.read_text())
    return loaded


async def load_previous_release(db: Database) -> dict[str, Any]:
    """Write the fixture's control documents, records and indexes; returns the fixture."""
    dump = fixture()
    for name, docs in dump["control"].items():
        if docs:
            await db.control[name].insert_many(docs)
    records = db.workspace(dump["workspaceId"])
    for name, docs in dump["records"].items():
        if docs:
            await records[name].insert_many(docs)
        for index in dump["indexes"].get(name, []):
            options = {k: index[k] for k in ("unique", "partialFilterExpression") if k in index}
            await records[name].create_index([tuple(k) for k in index["key"]], name=index["name"], **options)
    return dump
