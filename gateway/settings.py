"""Settings: read once from the environment at start-up, then passed down.

Every setting has an environment variable, a default and a parser; an invalid value stops
start-up with a message naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


class SettingsError(ValueError):
    pass


def _int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError("must be an integer") from None


def _positive_int(raw: str) -> int:
    value = _int(raw)
    if value <= 0:
        raise ValueError("must be a positive integer")
    return value


def _non_negative_int(raw: str) -> int:
    value = _int(raw)
    if value < 0:
        raise ValueError("must be 0 or a positive integer")
    return value


def _log_format(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"auto", "json", "text"}:
        raise ValueError("must be auto, json or text")
    return value


def _public_url(raw: str) -> str | None:
    raw = raw.strip().rstrip("/")
    if not raw:
        return None
    if not raw.startswith(("http://", "https://")) or "?" in raw or "#" in raw:
        raise ValueError("must be an http:// or https:// URL without a query or fragment")
    return raw


def _port(raw: str) -> int:
    value = _int(raw)
    if not 0 <= value <= 65535:
        raise ValueError("must be a port number between 0 and 65535")
    return value


def _positive_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("must be a number") from None
    if value <= 0:
        raise ValueError("must be a positive number")
    return value


def _non_negative_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("must be a number") from None
    if value < 0:
        raise ValueError("must be zero or a positive number")
    return value


def _bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("must be true or false")


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
    return level


def _mongodb_uri(raw: str) -> str | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.startswith(("mongodb://", "mongodb+srv://", "memory://")):
        raise ValueError("must start with mongodb://, mongodb+srv:// or be memory://")
    return raw


def _db_name(raw: str) -> str:
    if not raw or len(raw) > 30 or any(c in raw for c in '/\\. "$'):
        raise ValueError("must be a database name of 1 to 30 characters without / \\ . \" $ or space")
    return raw


def _secret(raw: str) -> str | None:
    raw = raw.strip()
    if not raw:
        return None
    if len(raw) < 32:
        raise ValueError("must be at least 32 characters (a random secret; unset, one is generated and kept)")
    return raw


def _field(env: str, parse: Callable[[str], Any], default: Any, doc: str) -> Any:
    from dataclasses import field

    return field(default=default, metadata={"env": env, "parse": parse, "doc": doc})


@dataclass(frozen=True)
class Settings:
    mongodb_uri: str | None = _field(
        "MONGODB_URI", _mongodb_uri, None,
        "MongoDB connection string; `memory://` for the in-memory backend; unset starts "
        "the embedded SecantusDB store",
    )
    data_dir: Path = _field(
        "DOCGATE_DATA_DIR", Path, Path(".docgate/data"), "folder of the embedded store's data"
    )
    host: str = _field("DOCGATE_HOST", str, "127.0.0.1", "address `docgate serve` listens on")
    port: int = _field("DOCGATE_PORT", _port, 3000, "port `docgate serve` listens on")
    control_db: str = _field(
        "DOCGATE_CONTROL_DB", _db_name, "docgate",
        "database holding workspaces, keys and metadata; also the prefix of workspace databases",
    )
    default_page_size: int = _field(
        "DOCGATE_DEFAULT_PAGE_SIZE", _positive_int, 60, "records per page when none is asked"
    )
    max_page_size: int = _field(
        "DOCGATE_MAX_PAGE_SIZE", _positive_int, 200, "largest page a client may ask for"
    )
    max_batch_size: int = _field(
        "DOCGATE_MAX_BATCH_SIZE", _positive_int, 60, "records per batch create/upsert"
    )
    max_nested_records: int = _field(
        "DOCGATE_MAX_NESTED_RECORDS", _positive_int, 60,
        "records of a one-to-many relation returned per parent",
    )
    max_affected_records: int = _field(
        "DOCGATE_MUTATION_MAXIMUM_AFFECTED_RECORDS", _positive_int, 100,
        "records one bulk update, delete, restore or destroy may change; one matching more is refused whole",
    )
    max_cascade_records: int = _field(
        "DOCGATE_MAX_CASCADE_RECORDS", _positive_int, 10_000,
        "related records one destroy may change through relations' onDelete (CASCADE, SET_NULL), or one merge "
        "may point at the surviving record; more is refused whole",
    )
    max_merge_records: int = _field(
        "DOCGATE_MUTATION_MAX_MERGE_RECORDS", _positive_int, 9,
        "records one merge may take (Twenty's MUTATION_MAX_MERGE_RECORDS)",
    )
    max_search_candidates: int = _field(
        "DOCGATE_SEARCH_MAX_CANDIDATES", _positive_int, 1000,
        "records of one object a search reads and ranks per search term (the word itself first, then "
        "the words it starts in alphabetical order)",
    )
    max_fields: int = _field(
        "DOCGATE_GRAPHQL_MAX_FIELDS", _positive_int, 2000,
        "fields one GraphQL document may select, fragments and aliases expanded (Twenty's GRAPHQL_MAX_FIELDS)",
    )
    max_root_resolvers: int = _field(
        "DOCGATE_GRAPHQL_MAX_ROOT_RESOLVERS", _positive_int, 20,
        "root fields of one GraphQL document (Twenty's GRAPHQL_MAX_ROOT_RESOLVERS)",
    )
    max_depth: int = _field(
        "DOCGATE_GRAPHQL_MAX_DEPTH", _positive_int, 20, "levels of nested fields in a GraphQL document"
    )
    max_aliases: int = _field("DOCGATE_GRAPHQL_MAX_ALIASES", _positive_int, 100, "aliases in one GraphQL document")
    max_fragments: int = _field(
        "DOCGATE_GRAPHQL_MAX_FRAGMENTS", _positive_int, 100, "fragment definitions in one GraphQL document"
    )
    max_directives: int = _field(
        "DOCGATE_GRAPHQL_MAX_DIRECTIVES", _positive_int, 50, "directives in one GraphQL document"
    )
    max_query_length: int = _field(
        "DOCGATE_GRAPHQL_MAX_QUERY_LENGTH", _positive_int, 100_000,
        "characters of GraphQL query text (values belong in variables)",
    )
    max_query_tokens: int = _field(
        "DOCGATE_GRAPHQL_MAX_QUERY_TOKENS", _positive_int, 30_000, "tokens of GraphQL query text, checked while parsing"
    )
    max_records_per_request: int = _field(
        "DOCGATE_MAX_RECORDS_PER_REQUEST", _positive_int, 50_000,
        "records one request may read, nested relations included; past it the request is refused",
    )
    max_filter_depth: int = _field(
        "DOCGATE_MAX_FILTER_DEPTH", _positive_int, 12, "nesting of and/or/not and relation filters in one filter"
    )
    max_filter_values: int = _field(
        "DOCGATE_MAX_FILTER_VALUES", _positive_int, 1000, "values in one `in` or `containsAny` list"
    )
    max_pattern_length: int = _field(
        "DOCGATE_MAX_PATTERN_LENGTH", _positive_int, 500,
        "characters of one like, ilike, startsWith, endsWith or containsIlike pattern",
    )
    max_pattern_wildcards: int = _field(
        "DOCGATE_MAX_PATTERN_WILDCARDS", _positive_int, 20, "`%` wildcards in one like or ilike pattern"
    )
    max_groups: int = _field(
        "DOCGATE_MAX_GROUPS", _positive_int, 1000,
        "groups one groupBy may return (its `limit`); Twenty's default of 50 applies when none is asked",
    )
    max_aggregate_fields: int = _field(
        "DOCGATE_MAX_AGGREGATE_FIELDS", _positive_int, 100,
        "aggregate fields (totalCount, countEmptyX, sumX, …) one GraphQL document may select, aliases expanded",
    )
    request_timeout_seconds: float = _field(
        "DOCGATE_REQUEST_TIMEOUT_SECONDS", _positive_float, 30.0,
        "deadline of one request; its database calls carry the time left as maxTimeMS; past it: 504",
    )
    document_cache_mb: int = _field(
        "DOCGATE_DOCUMENT_CACHE_MB", _positive_int, 64,
        "memory kept for parsed GraphQL documents (estimated), all workspaces together",
    )
    verify_compiled_plans: bool = _field(
        "DOCGATE_VERIFY_COMPILED_PLANS", _bool, False,
        "for tests: run every query graphql-core's way too and answer 500 when the compiled plan's answer "
        "differs (twice the cost of a query)",
    )
    schema_cache_size: int = _field(
        "DOCGATE_SCHEMA_CACHE_SIZE", _positive_int, 256, "workspace schemas kept in memory (LRU)"
    )
    metadata_poll_seconds: float = _field(
        "DOCGATE_METADATA_POLL_SECONDS", _positive_float, 0.5,
        "how often a replica polls for metadata changes made by other replicas where the server has no "
        "change streams (or while the stream is down)",
    )
    api_key_cache_seconds: float = _field(
        "DOCGATE_API_KEY_CACHE_SECONDS", _positive_float, 5.0,
        "how long a verified API key is trusted before it is looked up again",
    )
    api_key_signing_secret: str | None = _field(
        "DOCGATE_API_KEY_SIGNING_SECRET", _secret, None,
        "secret that signs API key tokens (JWTs); unset, one is generated on first start and kept in the "
        "control database",
    )
    log_level: str = _field("DOCGATE_LOG_LEVEL", _log_level, "INFO", "DEBUG, INFO, WARNING or ERROR")
    # ---- protection and operations: rate limits, body limits, lifecycle, observability ----
    api_rate_limiting_short_limit: int = _field(
        "DOCGATE_API_RATE_LIMITING_SHORT_LIMIT", _non_negative_int, 100,
        "requests one API key may make per short window (Twenty's default); 0 turns the window off",
    )
    api_rate_limiting_short_ttl_in_ms: int = _field(
        "DOCGATE_API_RATE_LIMITING_SHORT_TTL_IN_MS", _non_negative_int, 1000,
        "length of the short rate-limit window in milliseconds; 0 turns the window off",
    )
    api_rate_limiting_long_limit: int = _field(
        "DOCGATE_API_RATE_LIMITING_LONG_LIMIT", _non_negative_int, 100,
        "requests one API key may make per long window (Twenty's default); 0 turns the window off",
    )
    api_rate_limiting_long_ttl_in_ms: int = _field(
        "DOCGATE_API_RATE_LIMITING_LONG_TTL_IN_MS", _non_negative_int, 60000,
        "length of the long rate-limit window in milliseconds; 0 turns the window off",
    )
    auth_failure_limit: int = _field(
        "DOCGATE_AUTH_FAILURE_LIMIT", _non_negative_int, 30,
        "failed authentications one client address may make per window before it gets 429 without a "
        "database look-up (per replica); 0 turns the limit off",
    )
    auth_failure_window_seconds: float = _field(
        "DOCGATE_AUTH_FAILURE_WINDOW_SECONDS", _positive_float, 60.0,
        "the window of DOCGATE_AUTH_FAILURE_LIMIT",
    )
    max_body_bytes: int = _field(
        "DOCGATE_MAX_BODY_BYTES", _positive_int, 5 * 1024 * 1024,
        "largest request body accepted; a larger one gets 413 before it is read whole",
    )
    max_text_length: int = _field(
        "DOCGATE_MAX_TEXT_LENGTH", _positive_int, 100_000,
        "most characters one text value of a record (a TEXT field or a text sub-field) may hold",
    )
    public_url: str | None = _field(
        "DOCGATE_PUBLIC_URL", _public_url, None,
        "the URL clients reach docgate at, for the OpenAPI documents' `servers`; unset, the documents "
        "give a relative server URL (never one taken from the Host header)",
    )
    shutdown_timeout_seconds: float = _field(
        "DOCGATE_SHUTDOWN_TIMEOUT_SECONDS", _positive_float, 10.0,
        "on SIGTERM, how long in-flight requests and webhook deliveries may take to finish before docgate "
        "stops anyway",
    )
    log_format: str = _field(
        "DOCGATE_LOG_FORMAT", _log_format, "auto",
        "`json` (one object per line), `text`, or `auto`: text on a terminal, JSON otherwise",
    )
    metrics_enabled: bool = _field(
        "DOCGATE_METRICS", _bool, True, "serve Prometheus metrics at GET /metrics",
    )
    webhook_allow_private_targets: bool = _field(
        "DOCGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS", _bool, False,
        "allow webhook deliveries to loopback and private addresses",
    )
    webhook_dispatcher: bool = _field(
        "DOCGATE_WEBHOOK_DISPATCHER", _bool, True,
        "run the webhook dispatcher in this replica (events are recorded either way)",
    )
    webhook_timeout_seconds: float = _field(
        "DOCGATE_WEBHOOK_TIMEOUT_SECONDS", _positive_float, 5.0,
        "how long one webhook POST may take before it counts as failed",
    )
    webhook_max_attempts: int = _field(
        "DOCGATE_WEBHOOK_MAX_ATTEMPTS", _positive_int, 12,
        "attempts per webhook delivery before it is marked dead (it can be replayed)",
    )
    webhook_retry_base_seconds: float = _field(
        "DOCGATE_WEBHOOK_RETRY_BASE_SECONDS", _positive_float, 1.0,
        "delay before the first retry; it doubles with each failure (with ±20% jitter)",
    )
    webhook_retry_max_seconds: float = _field(
        "DOCGATE_WEBHOOK_RETRY_MAX_SECONDS", _positive_float, 3600.0, "the longest delay between two attempts"
    )
    webhook_dispatch_interval_seconds: float = _field(
        "DOCGATE_WEBHOOK_DISPATCH_INTERVAL_SECONDS", _positive_float, 1.0,
        "how often an idle dispatcher looks for due deliveries (local changes wake it at once)",
    )
    webhook_lease_seconds: float = _field(
        "DOCGATE_WEBHOOK_LEASE_SECONDS", _positive_float, 30.0,
        "how long a claimed delivery is reserved for one replica; must exceed the timeout",
    )
    webhook_concurrency: int = _field(
        "DOCGATE_WEBHOOK_CONCURRENCY", _positive_int, 32, "webhook POSTs in flight at once per replica"
    )
    webhook_concurrency_per_target: int = _field(
        "DOCGATE_WEBHOOK_CONCURRENCY_PER_TARGET", _positive_int, 4,
        "webhook POSTs in flight at once to one target URL, per replica: a slow receiver holds no more slots",
    )
    webhook_concurrency_per_workspace: int = _field(
        "DOCGATE_WEBHOOK_CONCURRENCY_PER_WORKSPACE", _positive_int, 8,
        "webhook POSTs in flight at once for one workspace, per replica: one workspace never takes every slot",
    )
    max_subscriptions_per_key: int = _field(
        "DOCGATE_MAX_SUBSCRIPTIONS_PER_KEY", _positive_int, 20,
        "subscriptions one API key may have open at once, on one replica (and per WebSocket connection)",
    )
    subscription_queue_size: int = _field(
        "DOCGATE_SUBSCRIPTION_QUEUE_SIZE", _positive_int, 1000,
        "events a subscriber may fall behind by before it is closed as too slow",
    )
    timeline_retention_days: float = _field(
        "DOCGATE_TIMELINE_RETENTION_DAYS", _non_negative_float, 0.0,
        "how long timeline activities (the audit trail of record changes) are kept; 0 keeps them forever",
    )
    webhook_retention_days: float = _field(
        "DOCGATE_WEBHOOK_RETENTION_DAYS", _positive_float, 14.0,
        "how long delivered and dead deliveries are kept before MongoDB removes them",
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            env = f.metadata["env"]
            if env in environ:
                try:
                    values[f.name] = f.metadata["parse"](environ[env])
                except ValueError as exc:
                    raise SettingsError(f"{env}={environ[env]!r} is invalid: {exc}") from None
        settings = cls(**values)
        if settings.default_page_size > settings.max_page_size:
            raise SettingsError(
                "DOCGATE_DEFAULT_PAGE_SIZE must not exceed DOCGATE_MAX_PAGE_SIZE "
                f"({settings.default_page_size} > {settings.max_page_size})"
            )
        if settings.webhook_lease_seconds <= settings.webhook_timeout_seconds:
            raise SettingsError(
                "DOCGATE_WEBHOOK_LEASE_SECONDS must exceed DOCGATE_WEBHOOK_TIMEOUT_SECONDS "
                f"({settings.webhook_lease_seconds} <= {settings.webhook_timeout_seconds})"
            )
        return settings

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def settings_table() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for every setting, for the docs and `--help`."""
    return [
        (f.metadata["env"], "" if f.default is None else str(f.default), f.metadata["doc"])
        for f in fields(Settings)
    ]
