"""API keys: opaque random tokens, shown once, stored only as a SHA-256 hash.

A key belongs to exactly one workspace, has a name, an optional expiry and can be revoked.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from schema_builder.errors import AuthForbidden, BadUserInput, NotFound, Unauthenticated

API_KEYS = "apiKeys"
TOKEN_PREFIX = "dg_"
TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def public_view(doc: dict[str, Any]) -> dict[str, Any]:
    """The key as clients see it: never the hash."""
    view = {k: v for k, v in doc.items() if k not in ("_id", "tokenHash")}
    return {"id": doc["_id"], **view}


@dataclass(frozen=True, slots=True)
class VerifiedKey:
    workspace_id: str
    api_key_id: str
    expires_at: datetime | None
    name: str | None = None  # what `createdBy`/`updatedBy` name the records it writes


async def create_api_key(
    control: Any, workspace_id: str, name: str, expires_at: datetime | None = None
) -> tuple[dict[str, Any], str]:
    """Make a key; returns its document and the token, which is never stored."""
    if not isinstance(name, str) or not name.strip():
        raise BadUserInput("an API key needs a non-empty name")
    if expires_at is not None and expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise BadUserInput("expiresAt must be in the future")
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    stamp = datetime.now(UTC)
    doc = {
        "_id": str(uuid.uuid4()),
        "workspaceId": workspace_id,
        "name": name.strip(),
        "tokenHash": hash_token(token),
        "expiresAt": expires_at,
        "revokedAt": None,
        "createdAt": stamp,
        "updatedAt": stamp,
    }
    await control[API_KEYS].insert_one(doc)
    return doc, token


def expiry_in_days(days: int | None) -> datetime | None:
    if days is None:
        return None
    if days <= 0:
        raise BadUserInput(f"--expires-in-days must be a positive number of days, got {days}")
    return datetime.now(UTC) + timedelta(days=days)


async def list_api_keys(control: Any, workspace_id: str) -> list[dict[str, Any]]:
    cursor = control[API_KEYS].find({"workspaceId": workspace_id}).sort("createdAt", 1)
    return list(await cursor.to_list(None))


async def get_api_key(control: Any, key_id: str, workspace_id: str | None = None) -> dict[str, Any]:
    query: dict[str, Any] = {"_id": key_id}
    if workspace_id is not None:
        query["workspaceId"] = workspace_id
    doc = await control[API_KEYS].find_one(query)
    if doc is None:
        raise NotFound(f"API key '{key_id}' not found")
    return dict(doc)


async def revoke_api_key(control: Any, key_id: str, workspace_id: str | None = None) -> dict[str, Any]:
    doc = await get_api_key(control, key_id, workspace_id)
    if doc["revokedAt"] is None:
        stamp = datetime.now(UTC)
        await control[API_KEYS].update_one({"_id": key_id}, {"$set": {"revokedAt": stamp, "updatedAt": stamp}})
        doc["revokedAt"] = doc["updatedAt"] = stamp
    return doc


async def update_api_key(
    control: Any, key_id: str, workspace_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Rename a key, change its expiry or revoke it (Twenty's updateApiKey)."""
    doc = await get_api_key(control, key_id, workspace_id)
    if "name" in changes and (not isinstance(changes["name"], str) or not changes["name"].strip()):
        raise BadUserInput("an API key needs a non-empty name")
    values = {k: (v.strip() if k == "name" else v) for k, v in changes.items()}
    if values:
        values["updatedAt"] = datetime.now(UTC)
        await control[API_KEYS].update_one({"_id": key_id}, {"$set": values})
    return {**doc, **values}


async def new_api_key_token(control: Any, key_id: str, workspace_id: str, expires_at: datetime | None) -> str:
    """A new token for a key (Twenty's generateApiKeyToken), with a new expiry. docgate keeps
    one token per key: the previous one stops working."""
    doc = await get_api_key(control, key_id, workspace_id)
    if doc.get("revokedAt") is not None:
        raise BadUserInput("This API Key is revoked: create a new key")
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise BadUserInput("expiresAt must be in the future")
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    await control[API_KEYS].update_one(
        {"_id": key_id},
        {"$set": {"tokenHash": hash_token(token), "expiresAt": expires_at, "updatedAt": datetime.now(UTC)}},
    )
    return token


async def verify_token(control: Any, token: str) -> VerifiedKey:
    """The key a token stands for, or an error saying why not (Twenty's texts)."""
    doc = await control[API_KEYS].find_one({"tokenHash": hash_token(token)})
    if doc is None:
        raise Unauthenticated("Token invalid.")
    if doc.get("revokedAt") is not None:
        raise AuthForbidden("This API Key is revoked")  # Twenty: 403 FORBIDDEN_EXCEPTION
    expires_at = doc.get("expiresAt")
    if expires_at is not None:
        if expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=UTC)
        if expires_at <= datetime.now(UTC):
            raise Unauthenticated("Token has expired.")
    return VerifiedKey(doc["workspaceId"], doc["_id"], expires_at, doc.get("name"))
