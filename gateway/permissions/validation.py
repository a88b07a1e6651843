"""Refusals of role changes, in the shape and words of Twenty's.

Twenty validates a role change as a metadata change: a refused one is one
`METADATA_VALIDATION_FAILED` error listing its problems under `extensions.errors.<kind>`
(`role`, `objectPermission`, `fieldPermission`, `rolePermissionFlag`, …); a role that is not
there is `NOT_FOUND` (`ROLE_NOT_FOUND`).
"""

from __future__ import annotations

from typing import Any

from schema_builder.errors import DocgateError, NotFound

_ACTIONS = {"create": "creating", "update": "updating", "delete": "deleting"}

# Twenty's (code, message, userFriendlyMessage) of each problem docgate reports.
PROBLEMS: dict[str, tuple[str, str]] = {
    "CANNOT_GIVE_WRITING_PERMISSION_WITHOUT_READING_PERMISSION": (
        "Cannot give writing permission without reading permission",
        "You cannot grant edit permissions without also granting read permissions. Please enable read access first.",
    ),
    "CANNOT_GIVE_WRITING_PERMISSION_ON_NON_READABLE_OBJECT": (
        "Cannot give update permission to non-readable object", "Cannot give write permission on non-readable objects.",
    ),
    "ROLE_NOT_EDITABLE": (
        "Role is not editable",
        "This role cannot be modified because it is a system role. Only custom roles can be edited.",
    ),
    "ROLE_LABEL_ALREADY_EXISTS": ("A role with this label already exists", "A role with this label already exists."),
    "ROLE_MUST_HAVE_AT_LEAST_ONE_TARGET": (
        "Role must be assignable to at least one target type", "Role must have at least one target.",
    ),
    "ONLY_FIELD_RESTRICTION_ALLOWED": (
        "Field permission can only introduce a restriction", "Only field restrictions are allowed.",
    ),
    "FIELD_RESTRICTION_ONLY_ALLOWED_ON_READABLE_OBJECT": (
        "Field restriction only makes sense on readable object", "Field restrictions only apply to readable objects.",
    ),
    "FIELD_RESTRICTION_ON_UPDATE_ONLY_ALLOWED_ON_UPDATABLE_OBJECT": (
        "Field restriction on update only makes sense on updatable object",
        "Update field restrictions only apply to updatable objects.",
    ),
    "INVALID_SETTING": ("Invalid permission setting (unknown value)", "Invalid permission setting."),
    "CANNOT_ADD_OBJECT_PERMISSION_ON_SYSTEM_OBJECT": (
        "Cannot add object permission on system object", "Cannot add permissions on system objects.",
    ),
}


def problem(code: str, message: str | None = None) -> dict[str, Any]:
    default, friendly = PROBLEMS[code]
    return {"code": code, "message": message or default, "userFriendlyMessage": friendly}


class RoleValidationFailed(DocgateError):
    """A refused role change, as Twenty's METADATA_VALIDATION_FAILED for roles reports it."""

    code = "METADATA_VALIDATION_FAILED"
    http_status = 400

    def __init__(self, kind: str, action: str, entity: dict[str, Any], problems: list[dict[str, Any]]) -> None:
        super().__init__(f"Multiple validation errors occurred while {_ACTIONS[action]} {kind_label(kind)}")
        summary = f"Validation failed for 1 {kind_label(kind)}"
        self.extensions = {
            "errors": {kind: [{"errors": problems, "flatEntityMinimalInformation": entity, "metadataName": kind,
                               "status": "fail", "type": action}]},
            "message": summary,
            "summary": {kind: 1, "totalErrors": len(problems)},
            "userFriendlyMessage": problems[0]["userFriendlyMessage"] if problems else summary,
        }
        self.problems = problems

    @property
    def details(self) -> str:
        return "; ".join(str(p["message"]) for p in self.problems)


def kind_label(kind: str) -> str:
    """`objectPermission` → "object permission", as Twenty's messages say it."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in kind)


def role_not_found() -> NotFound:
    return NotFound(
        "Role not found", subCode="ROLE_NOT_FOUND",
        userFriendlyMessage="The role you are looking for could not be found. It may have been deleted or you may "
        "not have access to it.",
    )


def not_found(what: str, given: str) -> NotFound:
    """Twenty's answer for a predicate naming metadata that is not there."""
    return NotFound(f"Could not find {what} for given {given}", subCode="RELATION_UNIVERSAL_IDENTIFIER_NOT_FOUND",
                    userFriendlyMessage="An error occurred.")


class DefaultRoleCannotBeDeleted(DocgateError):
    """Twenty answers this one as an internal error (its code, not its HTTP status)."""

    code = "INTERNAL_SERVER_ERROR"
    http_status = 400

    def __init__(self) -> None:
        super().__init__(
            "Default role cannot be deleted",
            userFriendlyMessage="The default role cannot be deleted as it is required for the workspace to function "
            "properly.",
        )
