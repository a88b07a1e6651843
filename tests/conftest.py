"""Shared fixtures: one SecantusDB daemon for the whole run, a fresh database per module."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from gateway.embedded import EmbeddedServer


@pytest.fixture(scope="session")
def mongo_uri() -> Iterator[str]:
    """The URI of a real MongoDB wire-protocol server (an ephemeral SecantusDB daemon).

    Set DOCGATE_TEST_MONGODB_URI to run the suite against another server instead.
    """
    external = os.environ.get("DOCGATE_TEST_MONGODB_URI")
    if external:
        yield external
        return
    with EmbeddedServer(None) as server:
        yield server.uri


@pytest.fixture(scope="module")
def db_prefix() -> str:
    """A name prefix unique to the test module, so modules never see each other's data."""
    return f"t{uuid.uuid4().hex[:10]}"
