"""Twenty's webhook signature, so a receiver written for Twenty verifies docgate unchanged.

`X-Twenty-Webhook-Signature` is the hex HMAC-SHA256, keyed with the webhook's secret, of
`"{X-Twenty-Webhook-Timestamp}:{raw body}"`; the timestamp is in milliseconds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

TIMESTAMP_HEADER = "X-Twenty-Webhook-Timestamp"
SIGNATURE_HEADER = "X-Twenty-Webhook-Signature"
NONCE_HEADER = "X-Twenty-Webhook-Nonce"


def generate_secret() -> str:
    """32 random bytes in hex, as Twenty generates them."""
    return secrets.token_hex(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b":" + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, *, now_ms: int | None = None) -> dict[str, str]:
    """The three Twenty headers for one POST of `body` (a fresh timestamp and nonce each time)."""
    timestamp = str(int(time.time() * 1000) if now_ms is None else now_ms)
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        NONCE_HEADER: secrets.token_hex(16),
    }


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    given: str,
    *,
    tolerance_seconds: float = 300.0,
    now_ms: int | None = None,
) -> bool:
    """What a receiver does: recompute, compare in constant time, refuse stale timestamps."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    current = int(time.time() * 1000) if now_ms is None else now_ms
    if abs(current - sent) > tolerance_seconds * 1000:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), given)
