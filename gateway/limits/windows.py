"""Rate-limit windows: the settings' two (short and long), or a workspace's own override."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from schema_builder.errors import BadUserInput

# The workspace document's field holding its override, and the keys it may set.
OVERRIDE_FIELD = "apiRateLimits"
OVERRIDE_KEYS = ("shortLimit", "shortTtlInMs", "longLimit", "longTtlInMs")


@dataclass(frozen=True, slots=True)
class Window:
    name: str  # "short" or "long"
    limit: int  # requests per window
    ttl_ms: int  # window length

    @property
    def enabled(self) -> bool:
        return self.limit > 0 and self.ttl_ms > 0


def default_windows(settings: Any) -> tuple[Window, Window]:
    return (
        Window("short", settings.api_rate_limiting_short_limit, settings.api_rate_limiting_short_ttl_in_ms),
        Window("long", settings.api_rate_limiting_long_limit, settings.api_rate_limiting_long_ttl_in_ms),
    )


def with_override(defaults: tuple[Window, Window], override: Mapping[str, Any] | None) -> tuple[Window, ...]:
    """The windows in force for a workspace: its override's values where set, else the defaults."""
    if not override:
        return defaults
    short, long = defaults
    return (
        Window("short", int(override.get("shortLimit", short.limit)), int(override.get("shortTtlInMs", short.ttl_ms))),
        Window("long", int(override.get("longLimit", long.limit)), int(override.get("longTtlInMs", long.ttl_ms))),
    )


def check_override(values: Mapping[str, Any]) -> dict[str, int]:
    """An override as the CLI sets it: known keys, whole numbers ≥ 0 (0 turns a window off)."""
    checked: dict[str, int] = {}
    for key, value in values.items():
        if key not in OVERRIDE_KEYS:
            raise BadUserInput(f"unknown rate-limit setting '{key}'; known: {', '.join(OVERRIDE_KEYS)}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise BadUserInput(f"{key} must be 0 or a positive whole number, got {value!r}")
        checked[key] = value
    return checked
