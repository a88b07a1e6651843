"""Limits on what one client may cost: rate limits per API key (shared through the database),
failed authentications per client address, and the request body size.

Entry point: `Limiters.from_settings`, used by the app for every authenticated request, and
`BodyLimitMiddleware` for every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .admission import admit
from .auth_failures import AuthFailureLimiter
from .body import BodyLimitMiddleware
from .counters import ensure_indexes
from .errors import PayloadTooLarge, RateLimited
from .rate_limits import RateLimiter


@dataclass
class Limiters:
    rate: RateLimiter
    auth_failures: AuthFailureLimiter

    @classmethod
    async def start(cls, control: Any, settings: Any) -> Limiters:
        await ensure_indexes(control)
        return cls(
            RateLimiter(control, settings, settings.api_key_cache_seconds),
            AuthFailureLimiter(settings.auth_failure_limit, settings.auth_failure_window_seconds),
        )


__all__ = [
    "AuthFailureLimiter", "BodyLimitMiddleware", "Limiters", "PayloadTooLarge", "RateLimited", "RateLimiter", "admit",
]
