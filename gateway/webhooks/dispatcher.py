"""The background dispatcher: claims due deliveries with a lease, POSTs them, and records
the outcome (delivered, retry later with backoff, or dead).

Several replicas may run one each against the same database: a claim is a conditional
update (still PENDING and due) that pushes each delivery's `dueAt` past the lease and stamps
a fresh lease token, so no other dispatcher can take it while it is being sent, and an
outcome is recorded only by the holder of the current token. A replica that dies mid-send loses
nothing: its lease runs out and another dispatcher sends the delivery again (delivery is
at least once; `X-Docgate-Delivery-Id` lets a receiver drop repeats).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from ..observability.metrics import WEBHOOK_ATTEMPTS
from .batching import OutcomeWriter
from .deliveries import ATTEMPT_LOG_SIZE, DEAD, DELIVERED, DELIVERIES, PENDING, utcnow
from .signing import signed_headers
from .store import WEBHOOKS
from .targets import PinnedRequest, TargetRefused, TargetUnresolved, check_target, pin

log = logging.getLogger("docgate.webhooks")

USER_AGENT = "docgate-webhooks/1"
DELIVERY_ID_HEADER = "X-Docgate-Delivery-Id"
_RESPONSE_READ_LIMIT = 64 * 1024  # read this much of a reply (so the connection is reused)
_ERROR_SNIPPET = 200
_FAIR_ROUNDS = 4  # claim queries per claim at most, when caps keep skipping candidates

Doc = dict[str, Any]


@dataclass(frozen=True)
class DispatchPolicy:
    timeout_seconds: float = 5.0
    max_attempts: int = 12
    retry_base_seconds: float = 1.0
    retry_max_seconds: float = 3600.0
    interval_seconds: float = 1.0
    lease_seconds: float = 30.0
    concurrency: int = 32
    per_target: int = 4  # POSTs in flight to one target URL
    per_workspace: int = 8  # POSTs in flight for one workspace
    retention_seconds: float = 14 * 86400.0
    allow_private: bool = False

    @classmethod
    def from_settings(cls, settings: Any) -> DispatchPolicy:
        return cls(
            timeout_seconds=settings.webhook_timeout_seconds,
            max_attempts=settings.webhook_max_attempts,
            retry_base_seconds=settings.webhook_retry_base_seconds,
            retry_max_seconds=settings.webhook_retry_max_seconds,
            interval_seconds=settings.webhook_dispatch_interval_seconds,
            lease_seconds=settings.webhook_lease_seconds,
            concurrency=settings.webhook_concurrency,
            per_target=settings.webhook_concurrency_per_target,
            per_workspace=settings.webhook_concurrency_per_workspace,
            retention_seconds=settings.webhook_retention_days * 86400.0,
            allow_private=settings.webhook_allow_private_targets,
        )


def retry_delay(policy: DispatchPolicy, attempts: int, rand: Callable[[], float] = random.random) -> float:
    """Seconds before the next attempt after `attempts` failures: base·2^(n-1), ±20%, capped."""
    doubled = policy.retry_base_seconds * 2.0 ** min(attempts - 1, 62)
    return min(policy.retry_max_seconds, doubled * (0.8 + 0.4 * rand()))


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    permanent: bool = False  # no point retrying (refused target, webhook gone)

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Dispatcher:
    """Sends the outbox's due deliveries, `policy.concurrency` at a time.

    Fair: at most `policy.per_target` at once go to one target URL and `policy.per_workspace`
    to one workspace's targets, so a receiver that hangs holds a few slots, never all of
    them, and other workspaces' events go out meanwhile (a claim skips saturated targets
    and workspaces in the query itself).
    """

    def __init__(
        self,
        control: Any,
        policy: DispatchPolicy,
        *,
        owner: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.control = control
        self.policy = policy
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._own_client = client is None
        self._client = client
        self._wake = asyncio.Event()  # new work may be due
        self._slot_freed = asyncio.Event()
        # Claim again once this many slots are free: one claim serves several deliveries.
        self._low_water = max(1, policy.concurrency // 2)
        self._loop_task: asyncio.Task[None] | None = None
        self._inflight: dict[asyncio.Task[None], Doc] = {}  # task -> its claimed delivery
        self._by_target: Counter[str] = Counter()
        self._by_workspace: Counter[str] = Counter()
        self._outcomes = OutcomeWriter(control[DELIVERIES])
        self.sent = 0  # POSTs made, whatever their outcome (for the bench and logs)

    # ---- life cycle --------------------------------------------------------------------

    @property
    def in_flight(self) -> int:
        return len(self._inflight)

    def nudge(self) -> None:
        """Look for due deliveries now (a local change was just committed)."""
        self._wake.set()

    async def start(self) -> None:
        if self._client is None:
            limits = httpx.Limits(
                max_connections=self.policy.concurrency, max_keepalive_connections=self.policy.concurrency
            )
            # trust_env off: no proxy from the environment, so the address check means something.
            self._client = httpx.AsyncClient(
                timeout=self.policy.timeout_seconds, follow_redirects=False, limits=limits, trust_env=False
            )
        self._loop_task = asyncio.create_task(self._run(), name=f"webhook-dispatcher {self.owner}")

    async def stop(self, grace_seconds: float | None = None) -> None:
        """Stop claiming; let sends in flight finish (up to the timeout), release the rest."""
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        if self._inflight:
            grace = self.policy.timeout_seconds if grace_seconds is None else grace_seconds
            _, pending = await asyncio.wait(list(self._inflight), timeout=grace)
            unfinished = [self._inflight[t] for t in pending if t in self._inflight]
            leases = [(d["_id"], d["leaseToken"]) for d in unfinished]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            await self._outcomes.close()
            await self._release(leases)
        await self._outcomes.close()
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _release(self, leases: list[tuple[str, str]]) -> None:
        """Hand unfinished claims back at once instead of waiting for their leases to end."""
        for delivery_id, token in leases:
            with contextlib.suppress(Exception):
                await self.control[DELIVERIES].update_one(
                    {"_id": delivery_id, "leaseToken": token},
                    {"$set": {"dueAt": utcnow(), "leaseToken": None}, "$inc": {"attempts": -1}},
                )

    # ---- the loop ----------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            free = self.policy.concurrency - len(self._inflight)
            if free < self._low_water and self._inflight:
                self._slot_freed.clear()
                await self._slot_freed.wait()
                continue
            self._wake.clear()  # before the claim: a nudge during it is not lost
            try:
                batch = await self.claim(free)
                secrets = await self._secrets(batch)
            except Exception:
                log.warning("could not claim webhook deliveries", exc_info=True)
                batch, secrets = [], {}
            for delivery in batch:
                secret = secrets.get((delivery["workspaceId"], delivery["webhookId"]))
                task = asyncio.create_task(self._deliver_guarded(delivery, secret))
                self._inflight[task] = delivery
                self._by_target[delivery["targetUrl"]] += 1
                self._by_workspace[delivery["workspaceId"]] += 1
                task.add_done_callback(self._finished)
            if len(batch) < free:  # caught up: sleep until a local change or the next poll
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.policy.interval_seconds)

    def _finished(self, task: asyncio.Task[None]) -> None:
        delivery = self._inflight.pop(task, None)
        self._slot_freed.set()
        if delivery is None:
            return
        target, workspace = delivery["targetUrl"], delivery["workspaceId"]
        was_capped = (
            self._by_target[target] >= self.policy.per_target
            or self._by_workspace[workspace] >= self.policy.per_workspace
        )
        _decrement(self._by_target, target)
        _decrement(self._by_workspace, workspace)
        if was_capped:  # its target's or workspace's other due deliveries may go now
            self._wake.set()

    async def claim(self, limit: int = 1) -> list[Doc]:
        """Take up to `limit` due deliveries, most overdue first, for one lease.

        Three round trips whatever the number: the candidates, one conditional update that
        stamps this claim's token on those still due (another dispatcher may win some), and
        the documents that now carry the token. The update's filter is the ids and `dueAt`
        alone (null once finished), which keeps even a simple query planner on `_id`.
        """
        coll = self.control[DELIVERIES]
        now = utcnow()
        ids = await self._fair_candidates(coll, now, limit)
        if not ids:
            return []
        token = uuid.uuid4().hex
        await coll.update_many(
            {"_id": {"$in": ids}, "dueAt": {"$lte": now}},
            {
                "$set": {
                    "dueAt": now + timedelta(seconds=self.policy.lease_seconds),
                    "leaseToken": token,
                    "leaseOwner": self.owner,
                },
                "$inc": {"attempts": 1},
            },
        )
        claimed = await coll.find({"_id": {"$in": ids}, "leaseToken": token}).to_list(limit)
        return [dict(d) for d in claimed]

    async def _fair_candidates(self, coll: Any, now: Any, limit: int) -> list[str]:
        """Up to `limit` due deliveries, most overdue first, within the per-target and
        per-workspace caps (counting those in flight); a few rounds, each query excluding the
        targets and workspaces already full, so one busy workspace cannot hide the others."""
        targets, workspaces = Counter(self._by_target), Counter(self._by_workspace)
        chosen: list[str] = []
        for _ in range(_FAIR_ROUNDS):
            full_targets = [t for t, n in targets.items() if n >= self.policy.per_target]
            full_workspaces = [w for w, n in workspaces.items() if n >= self.policy.per_workspace]
            due: Doc = {"status": PENDING, "dueAt": {"$lte": now}}
            if chosen:
                due["_id"] = {"$nin": chosen}
            if full_targets:
                due["targetUrl"] = {"$nin": full_targets}
            if full_workspaces:
                due["workspaceId"] = {"$nin": full_workspaces}
            wanted = limit - len(chosen)
            found = await coll.find(due, {"_id": 1, "targetUrl": 1, "workspaceId": 1}).sort("dueAt", 1).limit(
                wanted
            ).to_list(wanted)
            skipped = False
            for doc in found:
                target, workspace = doc.get("targetUrl", ""), doc.get("workspaceId", "")
                if targets[target] >= self.policy.per_target or workspaces[workspace] >= self.policy.per_workspace:
                    skipped = True
                    continue
                targets[target] += 1
                workspaces[workspace] += 1
                chosen.append(doc["_id"])
            if len(chosen) >= limit or not skipped:
                break
        return chosen

    async def _secrets(self, batch: list[Doc]) -> dict[tuple[str, str], str]:
        """The secrets of the batch's webhooks by (workspace, id), in one query (deleted ones are absent)."""
        if not batch:
            return {}
        ids = list({d["webhookId"] for d in batch})
        found = await self.control[WEBHOOKS].find(
            {"id": {"$in": ids}}, {"id": 1, "workspaceId": 1, "secret": 1}
        ).to_list(None)
        return {(w["workspaceId"], w["id"]): w["secret"] for w in found}

    async def _deliver_guarded(self, delivery: Doc, secret: str | None) -> None:
        try:
            await self.deliver(delivery, secret)
        except asyncio.CancelledError:
            raise
        except Exception:  # e.g. the database went away: the lease ends and it is sent again
            log.warning("webhook delivery %s failed unexpectedly", delivery["_id"], exc_info=True)

    # ---- one delivery ------------------------------------------------------------------

    async def deliver(self, delivery: Doc, secret: str | None) -> Outcome:
        """Send one claimed delivery and record what happened (no secret: the webhook is gone)."""
        started = utcnow()
        clock = time.monotonic()
        outcome = await self._attempt(delivery, secret)
        await self._record(delivery, outcome, started, time.monotonic() - clock)
        return outcome

    async def _attempt(self, delivery: Doc, secret: str | None) -> Outcome:
        if secret is None:
            return Outcome(None, "the webhook was deleted", permanent=True)
        url = delivery["targetUrl"]
        try:
            address = await check_target(url, allow_private=self.policy.allow_private)
        except TargetRefused as exc:
            return Outcome(None, f"target refused: {exc}", permanent=True)
        except TargetUnresolved as exc:
            return Outcome(None, str(exc))
        return await self._post(pin(url, address), delivery["body"].encode(), secret, delivery["_id"])

    async def _post(self, target: PinnedRequest, body: bytes, secret: str, delivery_id: str) -> Outcome:
        assert self._client is not None, "start() the dispatcher first"
        headers = {
            **target.headers,
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            DELIVERY_ID_HEADER: delivery_id,
            **signed_headers(secret, body),
        }
        self.sent += 1
        try:
            async with asyncio.timeout(self.policy.timeout_seconds):
                request = self._client.build_request(
                    "POST", target.url, content=body, headers=headers, extensions=target.extensions
                )
                response = await self._client.send(request, stream=True)
                try:
                    reply = await _read_some(response)
                finally:
                    await response.aclose()
        except (TimeoutError, httpx.TimeoutException):
            return Outcome(None, f"no answer within {self.policy.timeout_seconds:g} s")
        except httpx.HTTPError as exc:
            return Outcome(None, f"{type(exc).__name__}: {exc}"[:_ERROR_SNIPPET] if str(exc) else type(exc).__name__)
        status = response.status_code
        if 200 <= status < 300:
            return Outcome(status, None)
        text = reply[:_ERROR_SNIPPET].decode("utf-8", "replace").strip()
        return Outcome(status, f"HTTP {status}" + (f": {text}" if text else ""))

    async def _record(self, delivery: Doc, outcome: Outcome, started: Any, seconds: float) -> None:
        now = utcnow()
        attempts = int(delivery["attempts"])
        values: Doc = {
            "lastAttemptAt": started,
            "lastStatusCode": outcome.status_code,
            "lastError": outcome.error,
            "leaseToken": None,
        }
        expires = now + timedelta(seconds=self.policy.retention_seconds)
        if outcome.ok:
            values.update(status=DELIVERED, deliveredAt=now, expiresAt=expires, dueAt=None)
            WEBHOOK_ATTEMPTS.labels("delivered").inc()
        elif outcome.permanent or attempts >= self.policy.max_attempts:
            values.update(status=DEAD, expiresAt=expires, dueAt=None)
            WEBHOOK_ATTEMPTS.labels("dead").inc()
        else:
            values.update(status=PENDING, dueAt=now + timedelta(seconds=retry_delay(self.policy, attempts)))
            WEBHOOK_ATTEMPTS.labels("retry").inc()
        entry = {
            "attempt": attempts,
            "at": started,
            "statusCode": outcome.status_code,
            "error": outcome.error,
            "durationMs": round(seconds * 1000),
        }
        # Only the holder of the current lease records (a batch reports any that were not).
        await self._outcomes.write(
            {"_id": delivery["_id"], "leaseToken": delivery["leaseToken"]},
            {"$set": values, "$push": {"attemptLog": {"$each": [entry], "$slice": -ATTEMPT_LOG_SIZE}}},
        )
        if not outcome.ok:
            log.info("webhook delivery %s attempt %d failed: %s", delivery["_id"], attempts, outcome.error)


def _decrement(counter: Counter[str], key: str) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]


async def _read_some(response: httpx.Response) -> bytes:
    data = b""
    async for chunk in response.aiter_raw():
        data += chunk
        if len(data) >= _RESPONSE_READ_LIMIT:
            break
    return data

