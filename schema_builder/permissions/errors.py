"""The errors of permission checks, with Twenty's codes and messages.

Twenty answers a refused operation with `PermissionsException(PERMISSION_DENIED)`, which its
GraphQL filter turns into `FORBIDDEN` with the message "Entity performing the request does
not have permission" (a field-level refusal adds which field). A record that would end
outside the role's rows is Twenty's `RLS_VALIDATION_FAILED`, a `BAD_USER_INPUT`.
"""

from __future__ import annotations

from schema_builder.errors import BadUserInput, Forbidden

PERMISSION_DENIED = "Entity performing the request does not have permission"
ROW_LEVEL_REFUSAL = "Record does not satisfy row-level security constraints of your current role"


class PermissionDenied(Forbidden):
    """The role may not do this (Twenty's PERMISSION_DENIED); REST answers 403."""

    def __init__(self, message: str = PERMISSION_DENIED) -> None:
        super().__init__(message, subCode="PERMISSION_DENIED", userFriendlyMessage="User does not have permission.")


class FieldPermissionDenied(PermissionDenied):
    """A field the role may not read or write; REST answers it as Twenty does, with a 400."""

    http_status = 400

    def __init__(self, action: str, field: str, entity: str) -> None:
        super().__init__(f'{PERMISSION_DENIED}: no permission to {action} field "{field}" on "{entity}"')


class RowLevelRefusal(BadUserInput):
    """A write that would put a record outside the rows the role may see."""

    def __init__(self) -> None:
        super().__init__(ROW_LEVEL_REFUSAL, userFriendlyMessage="Record does not satisfy security constraints.")
