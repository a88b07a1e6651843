"""Field properties typed JSON in the metadata API (defaultValue, options, settings) must be
storable: a refusal names the property, the key and the rule, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.test_metadata_graphql import (
    CREATE_FIELD,
    UPDATE_FIELD,
    create_field,
    create_object,
    fails,
    unique,
    version,
)


@pytest.mark.parametrize(
    ("field", "parts"),
    [
        ({"type": "RAW_JSON", "defaultValue": {"a\u0000": 1}}, ["'defaultValue' of field", "'a\\x00'", "NUL"]),
        ({"type": "RAW_JSON", "defaultValue": {"$set": 1}}, ["'defaultValue'", "'$set'", "'$'"]),
        ({"type": "TEXT", "settings": {"x": {"a.b": 1}}}, ["'settings'", "settings.x", "'.'"]),
        ({"type": "NUMBER", "defaultValue": 2**63}, ["'defaultValue'", "64 bits"]),
        ({"type": "SELECT", "options": [{"value": "A", "label": "a", "color": {"k\u0000": 1}}]},
         ["'options'", "options[0].color", "NUL"]),
    ],
)
async def test_unstorable_json_properties_are_refused(gateway: Any, field: dict[str, Any], parts: list[str]) -> None:
    owner = await create_object(gateway, "jsonprops")
    before = await version(gateway)
    spec = {"objectMetadataId": owner["id"], "name": unique("probe"), "label": "Probe", **field}
    code, message = await fails(gateway, CREATE_FIELD, {"input": {"field": spec}})
    assert code == "BAD_USER_INPUT" and all(p in message for p in parts), message
    assert await version(gateway) == before


async def test_updates_of_json_properties_are_checked_too(gateway: Any) -> None:
    owner = await create_object(gateway, "jsonupd")
    field = await create_field(gateway, owner["id"], name="blob", type="RAW_JSON", defaultValue={"ok": True})
    update = {"id": field["id"], "update": {"defaultValue": {"ok": {"$gt": 1}}}}
    code, message = await fails(gateway, UPDATE_FIELD, {"input": update})
    assert code == "BAD_USER_INPUT" and "'defaultValue' of field 'blob'" in message and "'$gt'" in message
