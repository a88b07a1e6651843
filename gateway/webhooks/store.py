"""Webhooks of a workspace (`webhooks` in the control database): validation and CRUD.

A webhook is `{targetUrl, operations, description, secret}` as in Twenty; `operations`
are `<object>.<action>` patterns where either side may be `*`.

Its id (`id`, which a client may choose) is unique within its workspace only; the
document's `_id` is a storage key of docgate's own. So no answer depends on the ids other
workspaces use: creating a webhook with an id another workspace holds just works.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from gateway.applications import application_id
from schema_builder.errors import BadUserInput, NotFound

from .signing import generate_secret
from .targets import refuse_obviously_private, validate_target_url

WEBHOOKS = "webhooks"
ACTIONS = ("created", "updated", "deleted", "destroyed", "restored", "upserted")
DEFAULT_OPERATIONS = ["*.*"]
MAX_OPERATIONS = 100
MAX_SECRET_LENGTH = 512
MAX_DESCRIPTION_LENGTH = 2000

_OBJECT = re.compile(r"^(\*|[a-zA-Z][a-zA-Z0-9]{0,62})$")

Doc = dict[str, Any]


def _now() -> datetime:
    stamp = datetime.now(UTC)
    return stamp.replace(microsecond=stamp.microsecond // 1000 * 1000)


def validate_operations(operations: object) -> list[str]:
    """Each `<object|*>.<action|*>`, duplicates dropped, order kept; null means `*.*`."""
    if operations is None:
        return list(DEFAULT_OPERATIONS)
    if not isinstance(operations, list) or not operations:
        raise BadUserInput("operations must be a non-empty list such as [\"person.created\", \"*.updated\"]")
    if len(operations) > MAX_OPERATIONS:
        raise BadUserInput(f"a webhook has at most {MAX_OPERATIONS} operations")
    seen: dict[str, None] = {}
    for op in operations:
        if not isinstance(op, str):
            raise BadUserInput("each operation must be a string such as \"person.created\"")
        name, dot, action = op.strip().partition(".")
        if not dot or not _OBJECT.match(name) or (action != "*" and action not in ACTIONS):
            raise BadUserInput(
                f"operation '{op[:100]}' must be '<object>.<action>' where object is a singular object name "
                f"or *, and action one of {', '.join(ACTIONS)} or *"
            )
        seen[f"{name}.{action}"] = None
    return list(seen)


def _secret(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_SECRET_LENGTH:
        raise BadUserInput(f"secret must be a non-empty string of at most {MAX_SECRET_LENGTH} characters")
    return value


def _description(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION_LENGTH:
        raise BadUserInput(f"description must be a string of at most {MAX_DESCRIPTION_LENGTH} characters")
    return value


def _target(value: object, allow_private: bool) -> str:
    url = validate_target_url(value)
    if not allow_private:
        refuse_obviously_private(url)
    return url


async def ensure_webhook_indexes(control: Any) -> None:
    """Ids unique per workspace; webhooks stored before ids were (whose `_id` was the id) get `id`."""
    webhooks = control[WEBHOOKS]
    async for doc in webhooks.find({"id": {"$exists": False}}, {"_id": 1}):
        await webhooks.update_one({"_id": doc["_id"]}, {"$set": {"id": doc["_id"]}})
    await webhooks.create_index([("workspaceId", ASCENDING), ("id", ASCENDING)], unique=True)
    await webhooks.create_index([("workspaceId", ASCENDING), ("createdAt", ASCENDING)])


def public_view(doc: Mapping[str, Any]) -> Doc:
    """A webhook as the APIs show it (the secret included, as in Twenty: receivers need it)."""
    return {
        "id": doc["id"],
        "targetUrl": doc["targetUrl"],
        "operations": list(doc.get("operations") or DEFAULT_OPERATIONS),
        "description": doc.get("description"),
        "secret": doc["secret"],
        # Webhooks are the workspace's own, as Twenty's belong to its custom application.
        "applicationId": application_id(doc["workspaceId"], standard=False),
        "createdAt": doc["createdAt"],
        "updatedAt": doc["updatedAt"],
        "deletedAt": None,
    }


async def list_webhooks(control: Any, workspace_id: str, *, session: Any = None) -> list[Doc]:
    cursor = control[WEBHOOKS].find({"workspaceId": workspace_id}, session=session).sort("createdAt", 1)
    return list(await cursor.to_list(None))


async def get_webhook(control: Any, workspace_id: str, webhook_id: str) -> Doc:
    doc = await control[WEBHOOKS].find_one({"workspaceId": workspace_id, "id": webhook_id})
    if doc is None:
        raise NotFound(f"webhook '{webhook_id}' not found")
    return dict(doc)


async def create_webhook(control: Any, workspace_id: str, data: Mapping[str, Any], *, allow_private: bool) -> Doc:
    webhook_id = data.get("id") or str(uuid.uuid4())
    if await control[WEBHOOKS].find_one({"workspaceId": workspace_id, "id": webhook_id}, {"_id": 1}) is not None:
        raise BadUserInput(f"a webhook with id '{webhook_id}' already exists")
    stamp = _now()
    secret = data.get("secret")
    doc: Doc = {
        "_id": str(uuid.uuid4()),
        "id": webhook_id,
        "workspaceId": workspace_id,
        "targetUrl": _target(data.get("targetUrl"), allow_private),
        "operations": validate_operations(data.get("operations")),
        "description": _description(data.get("description")),
        "secret": generate_secret() if secret is None else _secret(secret),
        "createdAt": stamp,
        "updatedAt": stamp,
    }
    try:
        await control[WEBHOOKS].insert_one(doc)
    except DuplicateKeyError:  # the same id, created by a concurrent request of this workspace
        raise BadUserInput(f"a webhook with id '{webhook_id}' already exists") from None
    return doc


async def update_webhook(
    control: Any, workspace_id: str, webhook_id: str, update: Mapping[str, Any], *, allow_private: bool
) -> Doc:
    """Change the given properties; null leaves one as it is, except description (cleared)."""
    values: Doc = {}
    if update.get("targetUrl") is not None:
        values["targetUrl"] = _target(update["targetUrl"], allow_private)
    if update.get("operations") is not None:
        values["operations"] = validate_operations(update["operations"])
    if "description" in update:
        values["description"] = _description(update["description"])
    if update.get("secret") is not None:
        values["secret"] = _secret(update["secret"])
    values["updatedAt"] = _now()
    doc = await control[WEBHOOKS].find_one_and_update(
        {"workspaceId": workspace_id, "id": webhook_id}, {"$set": values}, return_document=ReturnDocument.AFTER
    )
    if doc is None:
        raise NotFound(f"webhook '{webhook_id}' not found")
    return dict(doc)


async def delete_webhook(control: Any, workspace_id: str, webhook_id: str) -> Doc:
    """Remove the webhook; its deliveries not yet sent will not be (they end up dead)."""
    doc = await control[WEBHOOKS].find_one_and_delete({"workspaceId": workspace_id, "id": webhook_id})
    if doc is None:
        raise NotFound(f"webhook '{webhook_id}' not found")
    return dict(doc)
