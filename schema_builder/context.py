"""What a resolver needs to know about the request it serves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from schema_builder.errors import BadUserInput
from schema_builder.permissions.model import CompiledPermissions

T = TypeVar("T")


class DatabaseHandle(Protocol):
    """The part of the gateway's database handle that resolvers use."""

    @property
    def control(self) -> Any: ...

    @property
    def in_memory(self) -> bool:
        """The in-memory backend (mongomock), which lacks some of MongoDB's operators."""
        ...

    def workspace(self, workspace_id: str) -> Any: ...

    def records(self, workspace_id: str, collection: str) -> Any:
        """A collection of a workspace's records (the same handle each time)."""
        ...

    async def run_in_transaction(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """Run `work(session)` in a transaction (session None where the server has none)."""
        ...

    async def read_by_id(
        self, collection: Any, record_id: Any, lookups: tuple[tuple[str, str, str], ...] = ()
    ) -> dict[str, Any] | None:
        """The whole record of `collection` with this `_id` (outside any transaction), or None;
        each of `lookups` (related collection, field of its id, field to put it in) joined.
        Reads arriving together may share one command (`gateway.coalesced_reads`)."""
        ...


@dataclass(frozen=True, slots=True)
class Limits:
    default_page_size: int = 60
    max_page_size: int = 200
    max_batch_size: int = 60
    max_nested_records: int = 60
    max_affected_records: int = 100  # Twenty's MUTATION_MAXIMUM_AFFECTED_RECORDS
    max_text_length: int = 100_000  # characters of one text value of a record
    max_cascade_records: int = 10_000  # related records one destroy (onDelete) or merge may change
    max_merge_records: int = 9  # Twenty's MUTATION_MAX_MERGE_RECORDS
    max_search_candidates: int = 1_000  # records of one object `search` ranks per term
    # What one GraphQL document may ask for (compile.cost), Twenty's names where it has them.
    max_fields: int = 2000  # GRAPHQL_MAX_FIELDS
    max_root_resolvers: int = 20  # GRAPHQL_MAX_ROOT_RESOLVERS
    max_depth: int = 20
    max_aliases: int = 100
    max_fragments: int = 100
    max_directives: int = 50
    max_query_length: int = 100_000  # characters of query text
    max_query_tokens: int = 30_000
    # What one request may make the database do (compile.filters, execute.reads).
    max_records_per_request: int = 50_000  # records read to answer one request
    max_filter_depth: int = 12  # nesting of and/or/not and relation filters
    max_filter_values: int = 1000  # values of one `in` / `containsAny` list
    max_pattern_length: int = 500  # characters of a like/ilike/startsWith/endsWith pattern
    max_pattern_wildcards: int = 20  # `%` in one pattern
    # What aggregates and groupBy may ask for (compile.cost, compile.group_by).
    max_groups: int = 1000  # groups of one groupBy (Twenty has no limit; its default is 50)
    max_aggregate_fields: int = 100  # aggregate fields selected in one document


@dataclass
class RequestContext:
    """Per request: who is calling, where their data is, and request-scoped caches."""

    workspace_id: str
    api_key_id: str | None
    db: DatabaseHandle
    limits: Limits = field(default_factory=Limits)
    # Called after each metadata change with (workspace_id, new version).
    on_metadata_change: Any = None
    # Called after each change of roles or keys with (workspace_id, new access version).
    on_access_change: Any = None
    # Awaited with each record change, inside the change's transaction, for webhooks:
    # (context, object, action, records, updated_fields); writes must use `context.session`.
    on_record_change: Any = None
    # The session of the mutation's transaction, or None (no transaction, or a read).
    session: Any = None
    # Data loaders and other per-request memo, keyed by the resolver that owns them.
    loaders: dict[Any, Any] = field(default_factory=dict)
    # Who is writing, as `createdBy`/`updatedBy` record it (an API key: its name).
    api_key_name: str | None = None
    records_read: int = 0  # by this request so far, against `limits.max_records_per_request`
    # For subscriptions: `await record_events()` registers a feed of (position, timeline activity)
    # of the caller's workspace from the position the client resumes from, to iterate and then
    # `close()`; set by the gateway.
    record_events: Any = None
    last_position: str | None = None  # of the last event a subscription delivered (for resuming)
    event_streams: Any = None  # Twenty's event streams (`/metadata`), for their resolvers
    # What the caller's role allows; None for an unrestricted key (Admin), which skips every check.
    permissions: CompiledPermissions | None = None

    @property
    def actor(self) -> dict[str, Any]:
        return {"source": "API", "workspaceMemberId": None, "name": self.api_key_name or "API", "context": {}}

    def charge(self, records: int) -> None:
        """Count records read; past the request's budget, the request is refused."""
        self.records_read += records
        if self.records_read > self.limits.max_records_per_request:
            raise BadUserInput(
                f"Query too complex - the answer would hold more than {self.limits.max_records_per_request} records "
                "(DOCGATE_MAX_RECORDS_PER_REQUEST): ask for smaller pages or fewer nested relations",
                subCode="TOO_COMPLEX_QUERY",
            )
