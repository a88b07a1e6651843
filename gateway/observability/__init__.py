"""What an operator sees: Prometheus metrics at /metrics, database command timing, and the
per-request operation label. Logs (JSON or text, with request ids) are in `gateway.logs`."""

from __future__ import annotations

from .metrics import (
    RATE_LIMITED,
    WEBHOOK_ATTEMPTS,
    CommandTimer,
    MetricsMiddleware,
    count_error,
    metrics_endpoint,
    operation_kind,
)

__all__ = [
    "RATE_LIMITED", "WEBHOOK_ATTEMPTS", "CommandTimer", "MetricsMiddleware", "count_error", "metrics_endpoint",
    "operation_kind",
]
