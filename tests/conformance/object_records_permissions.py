"""What the ports of Twenty's `object-records-permissions/*-object-records-permissions` specs
share: Twenty's seed Guest role (it may read records, not change them), given to an API key
(Twenty calls with a seed guest user's token), and the assertion of a refused root field."""

from __future__ import annotations

from typing import Any

from tests.conformance.permission_checks import PERMISSION_DENIED
from tests.conformance.role_factories import api_key_with_role, create_one_role
from tests.conftest import GatewayUnderTest

# Twenty's PERSON_GQL_FIELDS, as far as they are fields of docgate's standard person.
PERSON_GQL_FIELDS = """
  id name { firstName lastName } emails { primaryEmail additionalEmails } linkedinLink { primaryLinkUrl }
  xLink { primaryLinkUrl } jobTitle city avatarUrl position createdAt updatedAt deletedAt companyId
"""
_GUESTS: dict[int, str] = {}


async def guest_token(gateway: GatewayUnderTest) -> str:
    """A key of a Guest role (read every record, change none, no settings), made once per gateway."""
    token = _GUESTS.get(id(gateway))
    if token is None:
        data, errors = await create_one_role(gateway, {
            "label": "Guest", "canUpdateAllSettings": False, "canAccessAllTools": False,
            "canReadAllObjectRecords": True, "canUpdateAllObjectRecords": False,
            "canSoftDeleteAllObjectRecords": False, "canDestroyAllObjectRecords": False,
        }, "id")
        assert errors is None, errors
        token = _GUESTS[id(gateway)] = await api_key_with_role(gateway, data["createOneRole"]["id"], "guest")
    return token


def expect_refused(body: Any, root_field: str) -> None:
    """`expect(body.data).toStrictEqual({<root>: null})` and a PERMISSION_DENIED / FORBIDDEN error."""
    assert body.get("data") == {root_field: None}, body
    assert body.get("errors")
    assert body["errors"][0]["message"] == PERMISSION_DENIED
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
