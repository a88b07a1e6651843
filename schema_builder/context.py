"""What a resolver needs to know about the request it serves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class DatabaseHandle(Protocol):
    """The part of the gateway's database handle that resolvers use."""

    @property
    def control(self) -> Any: ...

    def workspace(self, workspace_id: str) -> Any: ...

    def records(self, workspace_id: str, collection: str) -> Any:
        """A collection of a workspace's records (the same handle each time)."""
        ...

    async def run_in_transaction(self, work: Callable[[Any], Awaitable[T]]) -> T:
        """Run `work(session)` in a transaction (session None where the server has none)."""
        ...


@dataclass(frozen=True, slots=True)
class Limits:
    default_page_size: int = 60
    max_page_size: int = 200
    max_batch_size: int = 60
    max_nested_records: int = 60
    max_affected_records: int = 100  # Twenty's MUTATION_MAXIMUM_AFFECTED_RECORDS
    max_text_length: int = 100_000  # characters of one text value of a record


@dataclass
class RequestContext:
    """Per request: who is calling, where their data is, and request-scoped caches."""

    workspace_id: str
    api_key_id: str | None
    db: DatabaseHandle
    limits: Limits = field(default_factory=Limits)
    # Called after each metadata change with (workspace_id, new version).
    on_metadata_change: Any = None
    # Awaited with each record change, inside the change's transaction, for webhooks:
    # (context, object, action, records, updated_fields); writes must use `context.session`.
    on_record_change: Any = None
    # The session of the mutation's transaction, or None (no transaction, or a read).
    session: Any = None
    # Data loaders and other per-request memo, keyed by the resolver that owns them.
    loaders: dict[Any, Any] = field(default_factory=dict)
