"""The Metadata REST API (`/rest/metadata/...`): a thin shim over the `/metadata` schema.

Each call becomes one operation on the `/metadata` schema, executed in-process: the
operation documents are parsed once, at import, and only their variables change per call.
Results are reshaped into Twenty's REST envelope (`{"data": {...}, "pageInfo": …}`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, ExecutionResult, parse

from schema_builder.errors import BadUserInput, MetadataValidationFailed, NotFound
from schema_builder.metadata.validation import NAME_PATTERN

from .graphql_errors import raise_for_errors, rest_words
from .params import parse_limit, parse_uuid


# The `/metadata` cursor of an id (base64 JSON, as nestjs-query's): REST's cursors are bare ids.
def encode_cursor(record_id: str) -> str:
    return base64.b64encode(json.dumps({"id": record_id}, separators=(",", ":")).encode()).decode("ascii")

Execute = Callable[[DocumentNode, dict[str, Any]], Awaitable[ExecutionResult]]

DEFAULT_LIMIT = 1000
PICKLIST_TYPES = ("SELECT", "MULTI_SELECT")

_FRAGMENTS = """
fragment FieldParts on Field {
  id universalIdentifier type name label description icon isCustom isActive isSystem isNullable isUnique
  isUIEditable isLabelSyncedWithName defaultValue options settings objectMetadataId morphId applicationId
  createdAt updatedAt
  relation {
    type
    sourceObjectMetadata { id nameSingular namePlural }
    targetObjectMetadata { id nameSingular namePlural }
    sourceFieldMetadata { id name }
    targetFieldMetadata { id name }
  }
}
fragment ObjectParts on Object {
  id universalIdentifier nameSingular namePlural labelSingular labelPlural description icon shortcut color
  isCustom isRemote isActive isSystem isUIEditable isUICreatable isSearchable openRecordIn applicationId
  isLabelSyncedWithName duplicateCriteria
  labelIdentifierFieldMetadataId imageIdentifierFieldMetadataId createdAt updatedAt
  fields: fieldsList { ...FieldParts }
}
fragment ApiKeyParts on ApiKey { id name expiresAt revokedAt createdAt updatedAt }
fragment WebhookParts on Webhook { id targetUrl operations description secret applicationId createdAt updatedAt }
fragment RoleParts on Role {
  id universalIdentifier label description icon isEditable canBeAssignedToUsers canBeAssignedToAgents
  canBeAssignedToApiKeys canUpdateAllSettings canAccessAllTools canReadAllObjectRecords canUpdateAllObjectRecords
  canSoftDeleteAllObjectRecords canDestroyAllObjectRecords
  permissionFlags { id flag }
  objectPermissions { objectMetadataId canReadObjectRecords canUpdateObjectRecords canSoftDeleteObjectRecords
                      canDestroyObjectRecords restrictedFields }
  fieldPermissions { id objectMetadataId fieldMetadataId canReadFieldValue canUpdateFieldValue }
  rowLevelPermissionPredicates { id fieldMetadataId objectMetadataId operand value subFieldName
                                 rowLevelPermissionPredicateGroupId positionInRowLevelPermissionPredicateGroup }
  rowLevelPermissionPredicateGroups { id parentRowLevelPermissionPredicateGroupId logicalOperator objectMetadataId
                                      positionInRowLevelPermissionPredicateGroup }
  apiKeys { id name expiresAt revokedAt }
}
"""
_PAGE = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount"


_FRAGMENT_TEXT = {f.split()[0]: "fragment " + f for f in _FRAGMENTS.split("fragment ")[1:]}


def _document(text: str) -> DocumentNode:
    """An operation with the fragments it uses (transitively), parsed once."""
    used: dict[str, str] = {}
    while True:
        combined = text + "".join(used.values())
        more = {n: f for n, f in _FRAGMENT_TEXT.items() if n not in used and f"...{n}" in combined}
        if not more:
            return parse(combined, no_location=True)
        used.update(more)


@dataclass(frozen=True)
class Resource:
    """One metadata collection of the REST API and the operations serving it."""

    plural: str  # the path segment and the list query
    singular: str  # the one-record query
    expects: str  # what a create body is, for error messages
    create_wrapper: str | None  # the key of the create input the body goes under
    list_doc: DocumentNode
    get_doc: DocumentNode
    create_doc: DocumentNode
    update_doc: DocumentNode | None
    delete_doc: DocumentNode
    create_op: str
    update_op: str | None
    delete_op: str


def _crud(plural: str, singular: str, type_name: str, filter_type: str, input_name: str, expects: str) -> Resource:
    parts, op = f"...{type_name}Parts", type_name
    create_input = "CreateOneFieldMetadataInput" if op == "Field" else "CreateOneObjectInput"
    update_input = "UpdateOneFieldMetadataInput" if op == "Field" else "UpdateOneObjectInput"
    return Resource(
        plural=plural,
        singular=singular,
        expects=expects,
        create_wrapper=input_name,
        list_doc=_document(
            f"query($paging: CursorPaging, $filter: {filter_type}) {{ {plural}(paging: $paging, filter: $filter) "
            f"{{ edges {{ node {{ {parts} }} }} {_PAGE} }} }}"),
        get_doc=_document(f"query($id: UUID!) {{ {singular}(id: $id) {{ {parts} }} }}"),
        create_doc=_document(
            f"mutation($input: {create_input}!) {{ createOne{op}(input: $input) {{ {parts} }} }}"),
        update_doc=_document(
            f"mutation($input: {update_input}!) {{ updateOne{op}(input: $input) {{ {parts} }} }}"),
        delete_doc=_document(
            f"mutation($input: DeleteOne{op}Input!) {{ deleteOne{op}(input: $input) {{ id }} }}"),
        create_op=f"createOne{op}",
        update_op=f"updateOne{op}",
        delete_op=f"deleteOne{op}",
    )


RESOURCES = {
    "objects": _crud(
        "objects", "object", "Object", "ObjectFilter", "object",
        "a CreateObjectInput: {nameSingular, namePlural, labelSingular, labelPlural, description?, icon?, …}",
    ),
    "fields": _crud(
        "fields", "field", "Field", "FieldFilter", "field",
        "a CreateFieldInput: {objectMetadataId, type, name, label, description?, options?, defaultValue?, …}",
    ),
    "apiKeys": Resource(
        plural="apiKeys",
        singular="apiKey",
        expects="a CreateApiKeyInput: {name, expiresAt?}",
        create_wrapper=None,
        list_doc=_document("query { apiKeys { ...ApiKeyParts } }"),
        get_doc=_document("query($id: UUID!) { apiKey(input: {id: $id}) { ...ApiKeyParts } }"),
        create_doc=_document(
            "mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ...ApiKeyParts token } }"),
        update_doc=None,
        delete_doc=_document(
            "mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { ...ApiKeyParts } }"),
        create_op="createApiKey",
        update_op=None,
        delete_op="revokeApiKey",
    ),
    "webhooks": Resource(
        plural="webhooks",
        singular="webhook",
        expects="a CreateWebhookInput: {targetUrl, operations?, description?, secret?}",
        create_wrapper=None,
        list_doc=_document("query { webhooks { ...WebhookParts } }"),
        get_doc=_document("query($id: UUID!) { webhook(id: $id) { ...WebhookParts } }"),
        create_doc=_document(
            "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { ...WebhookParts } }"),
        update_doc=_document(
            "mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { ...WebhookParts } }"),
        delete_doc=_document("mutation($id: UUID!) { deleteWebhook(id: $id) { id } }"),
        create_op="createWebhook",
        update_op="updateWebhook",
        delete_op="deleteWebhook",
    ),
    # Roles: the same /metadata fields (getRoles, createOneRole…); grants are changed there.
    "roles": Resource(
        plural="roles",
        singular="role",
        expects="a CreateRoleInput: {label, description?, icon?, canReadAllObjectRecords?, …}",
        create_wrapper=None,
        list_doc=_document("query { roles: getRoles { ...RoleParts } }"),
        get_doc=_document("query { roles: getRoles { ...RoleParts } }"),
        create_doc=_document(
            "mutation($input: CreateRoleInput!) { createOneRole(createRoleInput: $input) { ...RoleParts } }"),
        update_doc=_document(
            "mutation($input: UpdateRoleInput!) { updateOneRole(updateRoleInput: $input) { ...RoleParts } }"),
        delete_doc=_document("mutation($id: UUID!) { deleteOneRole(roleId: $id) }"),
        create_op="createOneRole",
        update_op="updateOneRole",
        delete_op="deleteOneRole",
    ),
}
_UNPAGED = ("apiKeys", "webhooks", "roles")  # plain lists in /metadata, as in Twenty
_PICKLISTS = _document(
    "query($filter: FieldFilter) { objects(paging: {first: 100000}) { edges { node { nameSingular "
    "fields(filter: $filter, paging: {first: 100000}) { edges { node { id name type options } } } } } } }")


async def _run(execute: Execute, document: DocumentNode, variables: dict[str, Any]) -> dict[str, Any]:
    result = await execute(document, variables)
    try:
        raise_for_errors(result)
    except MetadataValidationFailed as error:
        # REST's body holds messages only: say what failed, not only that something did.
        raise BadUserInput(f"{error.message}: {error.details}") from None
    except BadUserInput as error:
        raise BadUserInput(_body_message(error.message)) from None
    assert result.data is not None
    return result.data


_WRAPPERS = ("object", "field", "update")


def _body_message(message: str) -> str:
    """GraphQL's variable-coercion message, said in terms of the REST body."""
    return rest_words(message, _WRAPPERS, parameters={})


def _paging(params: Mapping[str, str]) -> dict[str, Any]:
    """GraphQL paging from REST's `limit`, `starting_after`, `ending_before`: as in Twenty,
    a REST cursor is the id of the record it stands after or before."""
    limit = parse_limit(params.get("limit"), DEFAULT_LIMIT, DEFAULT_LIMIT)
    after, before = params.get("starting_after"), params.get("ending_before")
    if after is not None and before is not None:
        raise BadUserInput("use either starting_after or ending_before, not both")
    if before is not None:
        return {"last": limit, "before": _cursor_id("ending_before", before)}
    return {"first": limit, **({"after": _cursor_id("starting_after", after)} if after is not None else {})}


def _cursor_id(name: str, raw: str) -> str:
    try:
        return parse_uuid(raw)
    except BadUserInput:
        raise BadUserInput(f"{name} '{raw[:80]}' is not a valid cursor: use the id of a record (a UUID), as "
                           "pageInfo.startCursor and endCursor give it") from None


def _graphql_paging(paging: Mapping[str, Any]) -> dict[str, Any]:
    """REST paging for `/metadata`, whose cursors encode the ids REST shows."""
    return {k: encode_cursor(v) if k in ("after", "before") else v for k, v in paging.items()}


def _page_of(items: list[dict[str, Any]], paging: Mapping[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A page of a list that /metadata answers whole (a workspace's API keys or webhooks, a
    few), in the list's order: the page after (or before) the item whose id is the cursor."""
    ids = [item["id"] for item in items]
    cursor = paging.get("after", paging.get("before"))
    if cursor is not None and cursor not in ids:
        raise BadUserInput(f"unknown cursor '{cursor}': use the startCursor or endCursor of a page")
    if "before" in paging:
        end = ids.index(paging["before"])
        start = max(0, end - paging["last"])
    else:
        start = ids.index(paging["after"]) + 1 if "after" in paging else 0
        end = min(len(items), start + paging["first"])
    return items[start:end], _page_info(items[start:end], start > 0, end < len(items))


def _page_info(page: list[dict[str, Any]], has_previous: Any, has_next: Any) -> dict[str, Any]:
    return {
        "hasNextPage": bool(has_next),
        "hasPreviousPage": bool(has_previous),
        "startCursor": page[0]["id"] if page else None,
        "endCursor": page[-1]["id"] if page else None,
    }


def _id(resource: Resource, raw: str) -> str:
    try:
        return parse_uuid(raw)
    except BadUserInput:
        raise BadUserInput(f"'{raw[:80]}' is not a valid {resource.singular} id: expected a UUID") from None


def _body(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict) or not body:
        raise BadUserInput(f"the request body must be a non-empty JSON object: {what}")
    return body


async def _list(resource: Resource, params: Mapping[str, str], execute: Execute) -> dict[str, Any]:
    if resource.plural in _UNPAGED:
        items = (await _run(execute, resource.list_doc, {}))[resource.plural]
        page, page_info = _page_of(items, _paging(params))
        return {"data": {resource.plural: page}, "pageInfo": page_info, "totalCount": len(items)}
    data = (await _run(execute, resource.list_doc, {"paging": _graphql_paging(_paging(params))}))[resource.plural]
    nodes = [edge["node"] for edge in data["edges"]]
    info = data["pageInfo"]
    page_info = _page_info(nodes, info["hasPreviousPage"], info["hasNextPage"])
    return {"data": {resource.plural: nodes}, "pageInfo": page_info, "totalCount": data["totalCount"]}


async def _get(resource: Resource, segment: str, execute: Execute) -> dict[str, Any]:
    if resource.plural == "objects" and not _looks_like_uuid(segment):
        return await _object_by_name(segment, execute)
    if resource.plural == "roles":  # /metadata has no one-role query: the role of the list
        wanted = _id(resource, segment)
        roles = (await _run(execute, resource.get_doc, {}))["roles"]
        doc = next((r for r in roles if r["id"] == wanted), None)
    else:
        doc = (await _run(execute, resource.get_doc, {"id": _id(resource, segment)}))[resource.singular]
    if doc is None:
        raise NotFound(f"{'API key' if resource.plural == 'apiKeys' else resource.singular} '{segment}' not found")
    return {"data": {resource.singular: doc}}


def _looks_like_uuid(segment: str) -> bool:
    return len(segment) == 36 and segment.count("-") == 4


async def _object_by_name(name: str, execute: Execute) -> dict[str, Any]:
    if not NAME_PATTERN.match(name):
        raise BadUserInput(f"'{name[:80]}' is neither an object id (a UUID) nor an object name")
    flt = {"or": [{"nameSingular": {"eq": name}}, {"namePlural": {"eq": name}}]}
    data = (await _run(execute, RESOURCES["objects"].list_doc, {"filter": flt}))["objects"]
    if not data["edges"]:
        raise NotFound(f"object '{name}' not found")
    return {"data": {"object": data["edges"][0]["node"]}}


async def _picklists(execute: Execute) -> dict[str, Any]:
    flt = {"type": {"in": list(PICKLIST_TYPES)}}
    data = await _run(execute, _PICKLISTS, {"filter": flt})
    picklists = [
        {
            "objectNameSingular": obj["node"]["nameSingular"],
            "fieldName": field["node"]["name"],
            "fieldId": field["node"]["id"],
            "type": field["node"]["type"],
            "options": field["node"]["options"] or [],
        }
        for obj in data["objects"]["edges"]
        for field in obj["node"]["fields"]["edges"]
    ]
    return {"data": {"picklists": picklists}}


async def handle_metadata_rest(
    method: str,
    path: str,
    params: Mapping[str, str],
    body: Any,
    execute: Execute,
) -> tuple[int, Any]:
    """Serve one Metadata REST call; returns (HTTP status, JSON body)."""
    method = method.upper()
    segments = path.strip("/").split("/")
    resource = RESOURCES.get(segments[0])
    if segments == ["picklists"]:
        if method != "GET":
            raise BadUserInput(f"{method} is not allowed on /rest/metadata/picklists: it is read-only")
        return 200, await _picklists(execute)
    if resource is None or len(segments) > 2 or not all(segments):
        raise NotFound(
            f"unknown metadata path '{path[:120]}': expected objects, fields, apiKeys, webhooks or roles, "
            "optionally followed by /{id}, or picklists"
        )
    base = f"/rest/metadata/{resource.plural}"
    if len(segments) == 1:
        if method == "GET":
            return 200, await _list(resource, params, execute)
        if method == "POST":
            data = _body(body, resource.expects)
            value = {resource.create_wrapper: data} if resource.create_wrapper else data
            result = await _run(execute, resource.create_doc, {"input": value})
            return 201, {"data": {resource.create_op: result[resource.create_op]}}
        raise BadUserInput(f"{method} {base} needs an id: {base}/{{id}}")
    segment = segments[1]
    if method == "GET":
        return 200, await _get(resource, segment, execute)
    if method in ("PATCH", "PUT"):
        if resource.update_doc is None or resource.update_op is None:
            raise BadUserInput("API keys cannot be updated: revoke the key (DELETE) and create a new one")
        update = _body(body, f"the {resource.singular} properties to change")
        result = await _run(execute, resource.update_doc, {"input": {"id": _id(resource, segment), "update": update}})
        return 200, {"data": {resource.update_op: result[resource.update_op]}}
    if method == "DELETE":
        ident = _id(resource, segment)  # `input: {id}` for most, a bare `id` for deleteWebhook
        result = await _run(execute, resource.delete_doc, {"input": {"id": ident}, "id": ident})
        return 200, {"data": {resource.delete_op: result[resource.delete_op]}}
    raise BadUserInput(f"{method} is not allowed on {base}/{{id}}: use GET, PATCH or DELETE")


# Twenty's first routes for API keys and webhooks, still answered (bare arrays and records,
# no envelope) and marked deprecated in favour of /rest/metadata/… (RFC 9745 headers, the date
# Twenty announces).
LEGACY_ROUTES = ("webhooks", "apiKeys")
_LEGACY_DEPRECATION = "@1786320000"


def is_legacy_metadata_path(path: str) -> bool:
    return path.strip("/").split("/")[0] in LEGACY_ROUTES


async def handle_legacy_metadata_rest(
    method: str, path: str, params: Mapping[str, str], body: Any, execute: Execute
) -> tuple[int, Any, dict[str, str]]:
    """Serve `/rest/webhooks…` and `/rest/apiKeys…` as Twenty's legacy routes: the item or the
    list itself, with `Deprecation` and a `Link` to the successor route."""
    status, answer = await handle_metadata_rest(method, path, params, body, execute)
    data = answer["data"]
    value = next(iter(data.values())) if isinstance(data, dict) and len(data) == 1 else data
    headers = {"Deprecation": _LEGACY_DEPRECATION,
               "Link": f'</rest/metadata/{path.strip("/")}>; rel="successor-version"'}
    return status, value, headers
