"""What a compiled role allows (pure data): per object, the actions, the fields it may not read
or write, and the rows it may see.

A role is compiled once per (workspace, role, metadata version, access version) — see
`compile.compile_role` — and shared by every request of every key holding it. The Admin role
compiles to no object at all (`None` in the request context): unrestricted keys pay nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from schema_builder.metadata.model import ObjectMeta, WorkspaceModel

READ, CREATE, UPDATE, SOFT_DELETE, DESTROY = "read", "create", "update", "softDelete", "destroy"
NOTHING: Mapping[str, Any] = {"_id": {"$in": []}}  # the row filter of an object the role cannot read

# Twenty's PermissionFlagType values; docgate enforces DATA_MODEL, API_KEYS_AND_WEBHOOKS and
# ROLES, and keeps the others so that roles written for Twenty round-trip.
PERMISSION_FLAGS = (
    "API_KEYS_AND_WEBHOOKS", "WORKSPACE", "WORKSPACE_MEMBERS", "ROLES", "DATA_MODEL", "SECURITY", "WORKFLOWS",
    "IMPERSONATE", "SSO_BYPASS", "APPLICATIONS", "MARKETPLACE_APPS", "LAYOUTS", "BILLING", "AI_SETTINGS", "AI",
    "VIEWS", "UPLOAD_FILE", "DOWNLOAD_FILE", "SEND_EMAIL_TOOL", "CREATE_CALENDAR_EVENT_TOOL", "HTTP_REQUEST_TOOL",
    "CODE_INTERPRETER_TOOL", "IMPORT_CSV", "EXPORT_CSV", "CONNECTED_ACCOUNTS", "PROFILE_INFORMATION",
)
# The flags `canAccessAllTools` grants; `canUpdateAllSettings` grants every other one.
TOOL_FLAGS = frozenset({
    "AI", "UPLOAD_FILE", "DOWNLOAD_FILE", "SEND_EMAIL_TOOL", "CREATE_CALENDAR_EVENT_TOOL", "HTTP_REQUEST_TOOL",
    "CODE_INTERPRETER_TOOL", "IMPORT_CSV", "EXPORT_CSV", "CONNECTED_ACCOUNTS", "PROFILE_INFORMATION",
})


@dataclass(frozen=True, slots=True)
class ObjectAccess:
    """One object as a role sees it."""

    read: bool = False
    update: bool = False  # also creates, as in Twenty
    soft_delete: bool = False  # also restores
    destroy: bool = False
    # Names the role may not read: fields, their join columns and their older Twenty names.
    unreadable: frozenset[str] = frozenset()
    # Names the role may not write (the unreadable ones included).
    unwritable: frozenset[str] = frozenset()
    # The MongoDB query of the rows the role may see, or None for all of them.
    row_filter: Mapping[str, Any] | None = None
    # Fields the row predicates name: a create may set them even where they are unwritable
    # (the record must be able to satisfy its predicates), as in Twenty.
    row_fields: frozenset[str] = frozenset()

    def allows(self, action: str) -> bool:
        if action == READ:
            return self.read
        if action in (CREATE, UPDATE):
            return self.read and self.update
        if action == SOFT_DELETE:
            return self.read and self.soft_delete
        return self.read and self.destroy

    @property
    def restricted(self) -> bool:
        """Whether anything about this object differs from full access."""
        return not (self.read and self.update and self.soft_delete and self.destroy) or bool(
            self.unreadable or self.unwritable or self.row_filter is not None
        )


NO_ACCESS = ObjectAccess(row_filter=NOTHING)


@dataclass(eq=False)
class CompiledPermissions:
    """A restricted role, compiled against one version of a workspace's model."""

    role_id: str
    label: str
    model: WorkspaceModel
    objects: Mapping[str, ObjectAccess]  # by object id
    flags: frozenset[str]
    # Per document: what the compile step decided for this role (see compile.permissions).
    verdicts: WeakKeyDictionary[Any, Any] = field(default_factory=WeakKeyDictionary)
    # Derived per role and reused (e.g. the REST shim's operations, the OpenAPI document).
    derived: dict[Any, Any] = field(default_factory=dict)

    def access(self, obj: ObjectMeta) -> ObjectAccess:
        return self.objects.get(obj.id, NO_ACCESS)

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags

    def can(self, obj: ObjectMeta, action: str) -> bool:
        return self.access(obj).allows(action)

    def readable(self, obj: ObjectMeta, name: str) -> bool:
        """Whether `name` (a field, join column or older name) of `obj` may be read."""
        access = self.access(obj)
        return access.read and name not in access.unreadable
