"""A database that cannot be reached, said in one line: which setting, what happened."""

from __future__ import annotations

import re

from pymongo.errors import ConnectionFailure, OperationFailure, PyMongoError

_CREDENTIALS = re.compile(r"//[^@/]*@")


def redacted(uri: str) -> str:
    """A connection string without its user and password."""
    return _CREDENTIALS.sub("//***@", uri)


def database_problem(exc: PyMongoError, uri: str | None) -> str:
    where = f"MONGODB_URI={redacted(uri)}" if uri else "the embedded store (DOCGATE_DATA_DIR)"
    # PyMongo's message carries the whole topology description: keep the cause alone.
    cause = str(exc).split(", Timeout:")[0].split(", full error:")[0].split(" (configured timeouts:")[0]
    cause = cause.replace("\n", " ").strip()
    if isinstance(exc, ConnectionFailure):
        return f"cannot reach the database at {where}: {cause}"
    if isinstance(exc, OperationFailure):
        return f"the database at {where} refused: {cause}"
    return f"the database at {where} failed: {cause}"
