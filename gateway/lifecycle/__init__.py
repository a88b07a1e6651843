"""docgate's life as a process: graceful drain on SIGTERM, readiness, and the embedded store's
supervision. Entry points: `Lifecycle` (shared state), `LifecycleMiddleware`,
`draining_server` (the uvicorn server `docgate serve` runs) and `StoreSupervisor`."""

from __future__ import annotations

from .drain import Lifecycle, LifecycleMiddleware, draining_server
from .supervisor import StoreSupervisor

__all__ = ["Lifecycle", "LifecycleMiddleware", "StoreSupervisor", "draining_server"]
