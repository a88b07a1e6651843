"""Which permissions a request carries: its key's role, compiled and cached.

A role is compiled once per (workspace, role, model version, access version) and shared by
every request of every key that holds it. Admin (and any role granting everything) compiles
to None: once its id is known, an Admin key costs one set lookup per request. A key whose
role no longer exists is refused everything (it does not fall back to another role).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from schema_builder.metadata.model import WorkspaceModel
from schema_builder.permissions.compile import ADMIN, compile_role, is_unrestricted
from schema_builder.permissions.model import READ, CompiledPermissions

from .roles import ROLES

CACHE_SIZE = 4096  # compiled roles kept, all workspaces together


@dataclass(frozen=True)
class _Entry:
    model: WorkspaceModel
    version: int
    permissions: CompiledPermissions | None


def deny_all(role_id: str, model: WorkspaceModel) -> CompiledPermissions:
    """The permissions of a key whose role is gone: nothing."""
    return CompiledPermissions(role_id=role_id, label="(deleted role)", model=model, objects={}, flags=frozenset())


class AccessControl:
    def __init__(self, control: Any, model_of: Callable[[str], Awaitable[WorkspaceModel]]) -> None:
        self.control = control
        self.model_of = model_of
        self.versions: dict[str, int] = {}
        self._admin_roles: set[str] = set()
        self._compiled: OrderedDict[tuple[str, str], _Entry] = OrderedDict()

    def note(self, workspace_id: str, version: int) -> None:
        if version > self.versions.get(workspace_id, -1):
            self.versions[workspace_id] = version

    async def permissions(self, workspace_id: str, role_id: str | None) -> CompiledPermissions | None:
        """What a key holding `role_id` may do (None: everything). Keys made before roles
        existed hold none: they are Admin keys."""
        if role_id is None or role_id in self._admin_roles:
            return None
        version = self.versions.get(workspace_id, 0)  # read before the role, so a later change is seen
        model = await self.model_of(workspace_id)
        key = (workspace_id, role_id)
        entry = self._compiled.get(key)
        if entry is not None and entry.model is model and entry.version >= version:
            self._compiled.move_to_end(key)
            return entry.permissions
        role = await self.control[ROLES].find_one({"_id": role_id, "workspaceId": workspace_id})
        if role is None:
            compiled: CompiledPermissions | None = deny_all(role_id, model)
        elif role.get("standardId") == ADMIN:
            self._admin_roles.add(role_id)  # Admin cannot change: never looked up again
            return None
        else:
            compiled = compile_role(role, model)
        self._compiled[key] = _Entry(model, version, compiled)
        self._compiled.move_to_end(key)
        while len(self._compiled) > CACHE_SIZE:
            self._compiled.popitem(last=False)
        return compiled


def role_within(candidate: Mapping[str, Any], caller: CompiledPermissions | None, model: WorkspaceModel) -> bool:
    """Whether a key given `candidate` could do nothing its creator (`caller`) cannot: the
    scope Twenty requires of the role bound to an API key (no escalation through keys)."""
    if caller is None:
        return True
    if caller.role_id == str(candidate.get("_id")):
        return True
    if is_unrestricted(candidate):
        return False
    mine = compile_role(candidate, model)
    if mine is None:
        return False
    if not mine.flags <= caller.flags:
        return False
    for obj in model.objects:
        theirs, ours = caller.access(obj), mine.access(obj)
        if not ours.read:
            continue
        if any(ours.allows(a) and not theirs.allows(a) for a in (READ, "update", "softDelete", "destroy")):
            return False
        if not (theirs.unreadable <= ours.unreadable and theirs.unwritable <= ours.unwritable):
            return False
        if theirs.row_filter is not None and ours.row_filter != theirs.row_filter:
            return False
    return True
