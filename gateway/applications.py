"""The applications metadata belongs to, as Twenty's `applicationId` names them.

In Twenty every object, field and webhook belongs to an application: its standard one
(Twenty's own data model) or the workspace's custom application (what the workspace's users
made). docgate has no installable applications, but the same two owners: each gets a stable
id per workspace, so that a client grouping metadata by application sees Twenty's grouping.
"""

from __future__ import annotations

import uuid

_NAMESPACE = uuid.UUID("9e3c1b7a-4d2f-5a6e-8c0b-1f2e3d4c5b6a")


def application_id(workspace_id: str, *, standard: bool) -> str:
    """The id of the standard application (`standard`) or of the custom one of a workspace."""
    return str(uuid.uuid5(_NAMESPACE, f"{'standard' if standard else 'custom'}:{workspace_id}"))
