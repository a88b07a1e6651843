"""Bearer-token authentication, with a short cache so a key is not looked up on every request.

A metadata change made through this replica (which includes revoking a key) clears the
cache at once; other replicas trust a verified key for `api_key_cache_seconds` at most.
"""

from __future__ import annotations

import time
from typing import Any

from schema_builder.errors import MissingToken, Unauthenticated

from .apikeys import VerifiedKey, hash_token, verify_token

# Twenty's texts: a header that holds no bearer token (none, another scheme, an empty
# token) is a missing token; one that holds a token no key has is an invalid one.
MISSING = "Missing authentication token"
MALFORMED = "Token invalid."


def bearer_token(header: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header; MissingToken when the header
    holds none (no header, another scheme, an empty token), Unauthenticated when malformed."""
    scheme, _, token = (header or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise MissingToken(MISSING)
    if " " in token:
        raise Unauthenticated(MALFORMED)
    return token


class Authenticator:
    def __init__(self, control: Any, cache_seconds: float) -> None:
        self.control = control
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[VerifiedKey, float]] = {}

    async def authenticate(self, header: str | None) -> VerifiedKey:
        token = bearer_token(header)
        key = self.cached(token)
        if key is not None:
            return key
        key = await verify_token(self.control, token)
        digest = hash_token(token)
        now = time.monotonic()
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[digest] = (key, now + self.cache_seconds)
        return key

    def cached(self, token: str) -> VerifiedKey | None:
        """The key a token stands for when it was verified lately (no I/O), else None."""
        cached = self._cache.get(hash_token(token))
        if cached is not None and cached[1] > time.monotonic():
            key = cached[0]
            if key.expires_at is None or key.expires_at.timestamp() > time.time():
                return key
        return None

    def forget_all(self) -> None:
        self._cache.clear()
