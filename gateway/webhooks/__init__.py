"""Webhooks: management, a transactional outbox of record events, and a leased dispatcher.

See docs/webhooks.md for the contract (events, payload, signature, retries).
"""

from __future__ import annotations

from .dispatcher import Dispatcher, DispatchPolicy
from .outbox import Outbox
from .runtime import WebhookRuntime, start_webhooks

__all__ = ["Dispatcher", "DispatchPolicy", "Outbox", "WebhookRuntime", "start_webhooks"]
