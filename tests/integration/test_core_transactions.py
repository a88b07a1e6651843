"""Mutations run in bounded transactions: a taken id is a quick 400 (Twenty's 'A duplicate entry was
detected'; 409 before), never a request that hangs.

The hang this guards against: a create with an id already in use reached the insert, whose
duplicate-key error aborts the transaction on the server; the clean-up write that followed
then failed as a *transient* transaction error, which PyMongo's `with_transaction` retries
(callback and all, failing the same way each time) for 120 seconds.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from pymongo.errors import PyMongoError

from gateway.db import TRANSACTION_ATTEMPTS
from schema_builder.errors import Conflict
from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data
from tests.rest_shim.core_rest_helpers import call, fails, ok

QUICK = 5.0  # seconds: far below any client's timeout, far above a normal answer


async def timed(work: Any) -> tuple[Any, float]:
    start = time.monotonic()
    result = await asyncio.wait_for(work, timeout=30)
    return result, time.monotonic() - start


async def test_creating_a_record_whose_id_is_taken_answers_400_at_once(gateway: GatewayUnderTest) -> None:
    record = {"id": "e3e70682-c209-1cac-a29f-6fbed82c07cd", "title": "first"}
    await ok(gateway, "POST", "notes", record)
    (status, message), elapsed = await timed(fails(gateway, "POST", "notes", {**record, "title": "second"}))
    assert status == 400 and elapsed < QUICK
    assert f"a note with id '{record['id']}' already exists" in message
    (status, message), elapsed = await timed(fails(gateway, "POST", "batch/notes", [{"title": "x"}, record]))
    assert status == 400 and elapsed < QUICK
    body = await gateway.graphql('{ notes(filter: {title: {in: ["second", "x"]}}) { totalCount } }')
    assert data(body)["notes"]["totalCount"] == 0  # nothing half-written


async def test_an_id_taken_by_a_trashed_record_is_taken(gateway: GatewayUnderTest) -> None:
    note = (await ok(gateway, "POST", "notes", {"title": "trashed"}))["data"]["createNote"]
    await ok(gateway, "DELETE", f"notes/{note['id']}", soft_delete="true")
    status, message = await fails(gateway, "POST", "notes", {"id": note["id"]})
    assert status == 400 and "(in the trash)" in message
    upserted = await ok(gateway, "POST", "notes", {"id": note["id"], "title": "back"}, upsert="true")
    assert upserted["data"]["createNote"]["title"] == "back"


async def test_concurrent_creates_with_one_id_make_one_record(gateway: GatewayUnderTest) -> None:
    record = {"id": "f728b4fa-4248-1e3a-8a5d-2f346baa9455", "title": "raced"}
    answers, elapsed = await timed(asyncio.gather(*(call(gateway, "POST", "notes", record) for _ in range(5))))
    assert sorted(status for status, _ in answers) == [201, 400, 400, 400, 400], answers
    assert elapsed < QUICK


async def test_a_transaction_failing_as_transient_is_given_up_after_a_few_attempts(
    gateway: GatewayUnderTest,
) -> None:
    """The hang's mechanism itself: a write after a failed one in the same transaction."""
    coll = gateway.db.workspace(gateway.workspace_id)["transactionProbe"]
    await coll.insert_one({"_id": "taken"})
    attempts = 0

    async def work(session: Any) -> None:
        nonlocal attempts
        attempts += 1
        try:
            await coll.insert_one({"_id": "taken"}, session=session)
        except PyMongoError:
            await coll.delete_many({"_id": "other"}, session=session)  # the transaction is gone: transient

    start = time.monotonic()
    with pytest.raises(Conflict, match="conflicted with concurrent changes"):
        await asyncio.wait_for(gateway.db.run_in_transaction(work), timeout=30)
    assert attempts == TRANSACTION_ATTEMPTS and time.monotonic() - start < QUICK


async def test_errors_of_the_work_are_not_retried(gateway: GatewayUnderTest) -> None:
    attempts = 0

    async def work(session: Any) -> None:
        nonlocal attempts
        attempts += 1
        raise Conflict("mine")

    with pytest.raises(Conflict, match="mine"):
        await gateway.db.run_in_transaction(work)
    assert attempts == 1
