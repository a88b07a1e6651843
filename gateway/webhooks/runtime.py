"""Webhooks in a running gateway: the outbox hook for requests and this replica's dispatcher."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from .deliveries import ensure_indexes
from .dispatcher import Dispatcher, DispatchPolicy
from .outbox import Outbox
from .store import ensure_webhook_indexes

log = logging.getLogger("docgate.webhooks")


@dataclass
class WebhookRuntime:
    outbox: Outbox
    dispatcher: Dispatcher | None

    async def stop(self, grace_seconds: float | None = None) -> None:
        """Stop the dispatcher: sends in flight get `grace_seconds` (default: the POST timeout)."""
        if self.dispatcher is not None:
            await self.dispatcher.stop(grace_seconds)


async def start_webhooks(settings: Any, control: Any) -> WebhookRuntime:
    """Indexes, the outbox hook, and (unless DOCGATE_WEBHOOK_DISPATCHER is off) a dispatcher."""
    await ensure_indexes(control)
    await ensure_webhook_indexes(control)
    policy = DispatchPolicy.from_settings(settings)
    dispatcher = Dispatcher(control, policy) if settings.webhook_dispatcher else None
    outbox = Outbox(
        allow_private=policy.allow_private,
        retention_seconds=policy.retention_seconds,
        nudge=dispatcher.nudge if dispatcher is not None else None,
    )
    if dispatcher is not None:
        await dispatcher.start()
        log.debug("webhook dispatcher %s started", dispatcher.owner)
    return WebhookRuntime(outbox, dispatcher)
