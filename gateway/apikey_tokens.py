"""API key tokens shaped as Twenty's: signed JWTs (HS256) with `type: API_KEY`, `sub` and
`workspaceId` = the workspace, `jti` = the key's id, `iat`, `exp`.

Clients that decode a token (to show its expiry, or which workspace it is for) work as with
Twenty. A token is still only a pointer to the stored key: every request looks the key up
(revocation, expiry and a replaced token answer at once — `apikeys.verify_token`).

The signing secret is the setting DOCGATE_API_KEY_SIGNING_SECRET; unset, one is generated on
first start and kept in the control database (`settings`), so every replica and restart signs
alike. Each workspace signs with its own key derived from it (HMAC-SHA256 of the workspace
id), as Twenty derives one per workspace and token type.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from pymongo import ReturnDocument

SETTINGS = "settings"
_SECRET_ID = "apiKeySigningSecret"
TOKEN_TYPE = "API_KEY"
ALGORITHM = "HS256"
NEVER = timedelta(days=365 * 100)  # `exp` of a key that never expires (docgate's keys may not)

_secrets: dict[str, bytes] = {}  # by control database name: read once per process


def configure_secret(control: Any, secret: str | None) -> None:
    """Use `secret` (the setting) to sign this control database's tokens."""
    if secret:
        _secrets[control.name] = secret.encode()


async def signing_secret(control: Any) -> bytes:
    """The secret of this store: the setting, else the one kept in the database (made once)."""
    found = _secrets.get(control.name)
    if found is None:
        doc = await control[SETTINGS].find_one_and_update(
            {"_id": _SECRET_ID},
            {"$setOnInsert": {"value": secrets.token_urlsafe(48), "createdAt": datetime.now(UTC)}},
            upsert=True, return_document=ReturnDocument.AFTER,
        )
        found = _secrets[control.name] = str(doc["value"]).encode()
    return found


def workspace_key(secret: bytes, workspace_id: str) -> bytes:
    return hmac.new(secret, f"{TOKEN_TYPE}:{workspace_id}".encode(), hashlib.sha256).digest()


async def mint(control: Any, workspace_id: str, key_id: str, expires_at: datetime | None) -> str:
    issued = datetime.now(UTC)
    claims = {
        "sub": workspace_id, "type": TOKEN_TYPE, "workspaceId": workspace_id, "jti": key_id,
        "iat": int(issued.timestamp()), "exp": int((expires_at or issued + NEVER).timestamp()),
        "nonce": secrets.token_hex(8),  # two tokens of one key are never the same, whenever made
    }
    key = workspace_key(await signing_secret(control), workspace_id)
    return jwt.encode(claims, key, algorithm=ALGORITHM)


class InvalidToken(Exception):
    """The token is not one of ours, or was tampered with."""


class ExpiredToken(Exception):
    pass


def unverified_claims(token: str) -> dict[str, Any]:
    """The claims, to find the workspace whose key verifies them (nothing is trusted yet)."""
    try:
        if jwt.get_unverified_header(token).get("alg") != ALGORITHM:
            raise InvalidToken
        claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise InvalidToken from None
    if claims.get("type") != TOKEN_TYPE or not isinstance(claims.get("sub"), str) or not claims.get("jti"):
        raise InvalidToken
    return claims


async def verified_claims(control: Any, token: str) -> dict[str, Any]:
    workspace_id = unverified_claims(token)["sub"]
    key = workspace_key(await signing_secret(control), workspace_id)
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[ALGORITHM], options={"require": ["sub", "jti", "exp"]}
        )
    except jwt.ExpiredSignatureError:
        raise ExpiredToken from None
    except jwt.PyJWTError:
        raise InvalidToken from None
    return claims
