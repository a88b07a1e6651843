"""The answers of limits: 429 (too many requests) and 413 (a body too large), in Twenty's shape."""

from __future__ import annotations

import math
import time
from typing import Any

from schema_builder.errors import DocgateError


class RateLimited(DocgateError):
    """Twenty's RATE_LIMITED: the body fields and headers of its usage-limit REST filter.

    GraphQL shows the scope in `extensions` (as Twenty's GraphQL filter does); REST puts it
    beside `statusCode`/`error`/`messages`, with `Retry-After` and the X-RateLimit headers.
    """

    code = "RATE_LIMITED"
    http_status = 429
    rest_error = "RATE_LIMITED"  # as Twenty's usage-limit filter names it

    def __init__(
        self, message: str, *, spender_type: str, spender_id: str | None, limit: int, window_ms: int,
        retry_after_ms: int,
    ) -> None:
        period = max(1, math.ceil(window_ms / 1000))
        scope = {"spenderType": spender_type, "spenderId": spender_id, "operationType": "API_REQUEST"}
        super().__init__(
            message, limitKind="speed", scope=scope, limit=limit, remaining=0, periodCount=period,
            periodUnit="second", retryAfterMs=retry_after_ms,
        )
        self.retry_after_seconds = max(1, math.ceil(retry_after_ms / 1000))  # never "retry in 0 s"
        self.rest_fields: dict[str, Any] = {
            "limitKind": "speed", "exhaustedKind": "limit", "scope": scope, "limit": limit, "remaining": 0,
            "periodCount": period, "periodUnit": "second", "retryAfterSeconds": self.retry_after_seconds,
        }
        self.headers = {
            "Retry-After": str(self.retry_after_seconds),
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(math.ceil(time.time()) + self.retry_after_seconds),
        }


class PayloadTooLarge(DocgateError):
    code = "PAYLOAD_TOO_LARGE"
    http_status = 413
    rest_error = "PAYLOAD_TOO_LARGE"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the request body is larger than {limit} bytes (DOCGATE_MAX_BODY_BYTES): send less at once, "
            "e.g. a smaller batch"
        )
