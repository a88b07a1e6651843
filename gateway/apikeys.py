"""API keys: a workspace, a name, a role, an optional expiry; revocable.

A key's token is a signed JWT shaped as Twenty's (`apikey_tokens`), shown once and stored
only as a SHA-256 hash: every request looks the key up by the token's `jti` and checks that
the token is the key's current one (`generateApiKeyToken` replaces it), that the key is not
revoked and has not expired. Keys made by earlier releases have opaque `dg_…` tokens, looked
up by their hash: they keep working, as Admin keys (the migration gives them that role).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from schema_builder.errors import AuthForbidden, BadUserInput, NotFound, Unauthenticated

from .apikey_tokens import ExpiredToken, InvalidToken, mint, verified_claims
from .permissions.roles import ensure_standard_roles

API_KEYS = "apiKeys"
TOKEN_PREFIX = "dg_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def public_view(doc: dict[str, Any]) -> dict[str, Any]:
    """The key as clients see it: never the hash."""
    view = {k: v for k, v in doc.items() if k not in ("_id", "tokenHash")}
    return {"id": doc["_id"], **view, "roleId": doc.get("roleId")}


@dataclass(frozen=True, slots=True)
class VerifiedKey:
    workspace_id: str
    api_key_id: str
    expires_at: datetime | None
    name: str | None = None  # what `createdBy`/`updatedBy` name the records it writes
    role_id: str | None = None  # None: a key of an earlier release, an Admin key
    permissions: Any = None  # what its role allows, compiled (None: everything); see permissions.access


async def admin_role_id(control: Any, workspace_id: str) -> str:
    return (await ensure_standard_roles(control, workspace_id))["admin"]


async def create_api_key(
    control: Any, workspace_id: str, name: str, expires_at: datetime | None = None, role_id: str | None = None
) -> tuple[dict[str, Any], str]:
    """Make a key with `role_id` (default: Admin); returns its document and the token,
    which is never stored."""
    if not isinstance(name, str) or not name.strip():
        raise BadUserInput("an API key needs a non-empty name")
    if expires_at is not None and expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise BadUserInput("expiresAt must be in the future")
    key_id = str(uuid.uuid4())
    token = await mint(control, workspace_id, key_id, expires_at)
    stamp = datetime.now(UTC)
    doc = {
        "_id": key_id,
        "workspaceId": workspace_id,
        "name": name.strip(),
        "roleId": role_id or await admin_role_id(control, workspace_id),
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


def parse_expiry(text: str) -> datetime:
    """`--expires`: an ISO date or date-time (UTC when it names no zone), or `<N>d`."""
    text = text.strip()
    if text.endswith("d") and text[:-1].isdigit():
        return expiry_in_days(int(text[:-1])) or datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadUserInput(
            f"--expires must be an ISO date (2030-01-31) or a number of days (30d), got {text!r}"
        ) from None
    parsed = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    if parsed <= datetime.now(UTC):
        raise BadUserInput(f"--expires must be in the future, got {text!r}")
    return parsed


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
    token = await mint(control, workspace_id, key_id, expires_at)
    await control[API_KEYS].update_one(
        {"_id": key_id},
        {"$set": {"tokenHash": hash_token(token), "expiresAt": expires_at, "updatedAt": datetime.now(UTC)}},
    )
    return token


async def assign_role(control: Any, key_id: str, workspace_id: str, role_id: str) -> dict[str, Any]:
    """Give a key another role (Twenty's assignRoleToApiKey)."""
    doc = await get_api_key(control, key_id, workspace_id)
    stamp = datetime.now(UTC)
    await control[API_KEYS].update_one({"_id": key_id}, {"$set": {"roleId": role_id, "updatedAt": stamp}})
    return {**doc, "roleId": role_id, "updatedAt": stamp}


async def _stored_key(control: Any, token: str) -> dict[str, Any]:
    """The key document a token stands for: by its `jti` (a JWT), or by its hash (an opaque
    token of an earlier release)."""
    if token.startswith(TOKEN_PREFIX):
        doc = await control[API_KEYS].find_one({"tokenHash": hash_token(token)})
        if doc is None:
            raise Unauthenticated("Token invalid.")
        return dict(doc)
    try:
        claims = await verified_claims(control, token)
    except ExpiredToken:
        raise Unauthenticated("Token has expired.") from None
    except InvalidToken:
        raise Unauthenticated("Token invalid.") from None
    doc = await control[API_KEYS].find_one({"_id": str(claims["jti"]), "workspaceId": claims["sub"]})
    if doc is None:
        raise Unauthenticated("This API Key is revoked.")  # as Twenty answers a key that is gone
    if doc.get("tokenHash") != hash_token(token):
        raise Unauthenticated("Token invalid: this API key has a newer token (generateApiKeyToken).")
    return dict(doc)


async def verify_token(control: Any, token: str) -> VerifiedKey:
    """The key a token stands for, or an error saying why not (Twenty's texts)."""
    doc = await _stored_key(control, token)
    if doc.get("revokedAt") is not None:
        raise AuthForbidden("This API Key is revoked")  # Twenty: 403 FORBIDDEN_EXCEPTION
    expires_at = doc.get("expiresAt")
    if expires_at is not None:
        if expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=UTC)
        if expires_at <= datetime.now(UTC):
            raise Unauthenticated("Token has expired.")
    return VerifiedKey(doc["workspaceId"], doc["_id"], expires_at, doc.get("name"), doc.get("roleId"))
