"""The `webhooks` section of the Core document: what docgate POSTs to a webhook's target URL.

One entry per object and event (`person.created`, …), with the signature headers. The
receiver verifies `X-Twenty-Webhook-Signature` = hex HMAC-SHA256 of
`"{timestamp}:{raw body}"` with the webhook's secret.
"""

from __future__ import annotations

from schema_builder.metadata.model import WorkspaceModel, pascal

from .openapi_schemas import Schema, ref

ACTIONS = ("created", "updated", "deleted", "destroyed", "restored", "upserted")
_ACTION_TEXT = {
    "created": "was created",
    "updated": "was updated (`updatedFields` names the changed fields)",
    "deleted": "was soft-deleted",
    "destroyed": "was deleted for good (the record as it was)",
    "restored": "was restored after a soft delete",
    "upserted": "was created or updated by an upsert",
}


def _header(name: str, description: str) -> Schema:
    return {"name": name, "in": "header", "required": True, "schema": {"type": "string"}, "description": description}


WEBHOOK_HEADERS: dict[str, Schema] = {
    "webhookSignature": _header(
        "X-Twenty-Webhook-Signature",
        "hex HMAC-SHA256, keyed with the webhook's secret, of `{X-Twenty-Webhook-Timestamp}:{raw body}`",
    ),
    "webhookTimestamp": _header("X-Twenty-Webhook-Timestamp", "when it was sent, in milliseconds since the epoch"),
    "webhookNonce": _header("X-Twenty-Webhook-Nonce", "16 random bytes in hex, different for every delivery"),
}

_NULLABLE_UUID = {"type": ["string", "null"], "format": "uuid"}


def webhook_schemas() -> dict[str, Schema]:
    return {
        "Common.WebhookEvent": {
            "type": "object",
            "description": "The JSON body of a webhook delivery: one record event.",
            "properties": {
                "targetUrl": {"type": "string", "format": "uri"},
                "eventName": {"type": "string", "description": "`<object>.<action>`, e.g. person.created"},
                "objectMetadata": {
                    "type": "object",
                    "properties": {"id": {"type": "string", "format": "uuid"}, "nameSingular": {"type": "string"}},
                },
                "workspaceId": {"type": "string"},
                "webhookId": {"type": "string", "format": "uuid"},
                "eventDate": {"type": "string", "format": "date-time"},
                "userId": _NULLABLE_UUID,
                "workspaceMemberId": _NULLABLE_UUID,
                "record": {"type": "object", "description": "the record after the change (before, for deletions)"},
                "updatedFields": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["eventName", "objectMetadata", "workspaceId", "webhookId", "eventDate", "record"],
        },
    }


def webhooks(model: WorkspaceModel) -> dict[str, Schema]:
    """`<object>.<action>` → the POST docgate sends for it."""
    out: dict[str, Schema] = {}
    for obj in model.objects:
        p, s = pascal(obj.name_singular), obj.name_singular
        for action in ACTIONS:
            event = f"{s}.{action}"
            payload = {
                "allOf": [
                    ref("Common.WebhookEvent"),
                    {"type": "object", "properties": {"eventName": {"const": event}, "record": ref(f"{p}ForResponse")}},
                ]
            }
            out[event] = {
                "post": {
                    "tags": [obj.name_plural],
                    "summary": f"A {obj.label_singular or s} {_ACTION_TEXT[action]}",
                    "operationId": f"webhook{p}{pascal(action)}",
                    "parameters": [{"$ref": f"#/components/parameters/{n}"} for n in WEBHOOK_HEADERS],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": payload}}},
                    "responses": {"200": {"description": "any 2xx status acknowledges the delivery"}},
                }
            }
    return out
