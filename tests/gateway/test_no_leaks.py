"""No answer depends on another workspace's data: ids chosen by a client are checked within
the caller's workspace only."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import GatewayUnderTest

CREATE_WEBHOOK = "mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { id targetUrl } }"
CREATE_OBJECT = "mutation($i: CreateOneObjectInput!) { createOneObject(input: $i) { id nameSingular } }"


async def metadata(gateway: GatewayUnderTest, token: str, query: str, variables: dict[str, Any]) -> Any:
    response = await gateway.client.post("/metadata", json={"query": query, "variables": variables},
                                         headers={"Authorization": f"Bearer {token}"})
    return response.json()


async def test_create_webhook_with_another_workspaces_id_answers_as_for_a_free_id(gateway: GatewayUnderTest) -> None:
    _, other = await gateway.new_workspace(f"other-{uuid.uuid4().hex[:6]}")
    taken = str(uuid.uuid4())
    theirs = await metadata(gateway, other, CREATE_WEBHOOK, {"i": {"id": taken, "targetUrl": "https://a.example/h"}})
    assert theirs["data"]["createWebhook"]["id"] == taken
    mine = await metadata(gateway, gateway.token, CREATE_WEBHOOK,
                          {"i": {"id": taken, "targetUrl": "https://b.example/h"}})
    assert "errors" not in mine, mine
    assert mine["data"]["createWebhook"] == {"id": taken, "targetUrl": "https://b.example/h"}
    again = await metadata(gateway, gateway.token, CREATE_WEBHOOK,
                           {"i": {"id": taken, "targetUrl": "https://c.example/h"}})
    assert "already exists" in again["errors"][0]["message"]  # within one's own workspace, it is taken

    # Each workspace sees, changes and deletes its own webhook of that id.
    listed = await metadata(gateway, other, "{ webhooks { id targetUrl } }", {})
    assert listed["data"]["webhooks"] == [{"id": taken, "targetUrl": "https://a.example/h"}]
    deleted = await metadata(gateway, gateway.token, "mutation($id: UUID!) { deleteWebhook(id: $id) { id } }",
                             {"id": taken})
    assert deleted["data"]["deleteWebhook"]["id"] == taken
    still = await metadata(gateway, other, "query($id: UUID!) { webhook(id: $id) { targetUrl } }", {"id": taken})
    assert still["data"]["webhook"]["targetUrl"] == "https://a.example/h"


async def test_metadata_and_key_ids_of_another_workspace_look_unknown(gateway: GatewayUnderTest) -> None:
    _, other = await gateway.new_workspace(f"meta-{uuid.uuid4().hex[:6]}")
    objects = await metadata(gateway, other, "{ objects(paging: {first: 1}) { edges { node { id } } } }", {})
    theirs = objects["data"]["objects"]["edges"][0]["node"]["id"]
    unknown = str(uuid.uuid4())
    field = "mutation($i: CreateOneFieldMetadataInput!) { createOneField(input: $i) { id } }"

    async def answer(object_id: str) -> Any:
        body = await metadata(gateway, gateway.token, field, {"i": {"field": {
            "objectMetadataId": object_id, "type": "TEXT", "name": "probe", "label": "Probe"}}})
        error = body["errors"][0]
        return error["extensions"]["code"], error["message"].replace(object_id, "<id>")

    assert await answer(theirs) == await answer(unknown)
    rest = [await gateway.client.get(f"/rest/metadata/objects/{i}", headers=gateway.headers) for i in (theirs, unknown)]
    assert [r.status_code for r in rest] == [404, 404]
    messages = [r.json()["messages"][0].replace(i, "<id>") for r, i in zip(rest, (theirs, unknown), strict=True)]
    assert messages[0] == messages[1]
