"""The Markdown introductions of the OpenAPI documents (what Swagger UI shows at the top)."""

from __future__ import annotations

from schema_builder.context import Limits
from schema_builder.metadata.model import WorkspaceModel

_AUTH = """\
## Authentication
Every request carries an API key of the workspace: `Authorization: Bearer <key>`. The key
picks the workspace; no workspace id appears in a URL, and keys in URLs are not accepted.
Create keys with `docgate apikey create` or the `/metadata` API. In this page, press
**Authorize** and paste a key: the page reloads this document for your workspace, with
its own objects and fields.
"""

_CORE = """\
## Filtering: `filter`
`field[comparator]:value`, e.g. `name.firstName[ilike]:"%ada%"`. Comparators: `eq`, `neq`,
`in`, `containsAny`, `is` (`NULL` or `NOT_NULL`), `gt`, `gte`, `lt`, `lte`, `startsWith`,
`endsWith`, `like`, `ilike`. Combine with `and(…)`, `or(…)` and `not(…)`; a comma list at
the top level means `and`. Lists are written `[a,b]`; dotted paths reach composite
sub-fields (`emails.primaryEmail`) and relations. Example:
`or(stage[eq]:"NEW",and(amount.amountMicros[gt]:1000000000,not(companyId[is]:NULL)))`.

## Ordering: `order_by`
A comma list of `field[Direction]`, Direction one of `AscNullsFirst` (default),
`AscNullsLast`, `DescNullsFirst`, `DescNullsLast`, e.g. `createdAt[DescNullsLast],name.lastName`.
Records with equal values are ordered by `id`.

## Pagination
Lists answer `{"data": {"people": […]}, "totalCount": n, "pageInfo": {hasNextPage,
hasPreviousPage, startCursor, endCursor}}`. `limit` sets the page size (default {default},
at most {maximum}); pass `pageInfo.endCursor` as `starting_after` for the next page, or
`pageInfo.startCursor` as `ending_before` for the previous one. `depth=1` embeds related
records.

## Writes
`POST /{plural}` creates one record (201), `POST /batch/{plural}` up to {batch} at once, all
or none; `?upsert=true` updates the record with the same id or unique value instead.
`DELETE` deletes for good unless `?soft_delete=true`; soft-deleted records come back with
`PATCH /restore/{plural}/{id}`.

## Errors
`{"statusCode": 400, "error": "BadRequestException", "messages": ["…"]}`: 400 bad input (a unique
value taken included: "A duplicate entry was detected"), 401 invalid or expired key, 403 no key
or a revoked one, 404 no such record, 409 an upsert matching several records, 429 rate limited
(see `Retry-After`).
"""

_METADATA = """\
## Resources
`/objects` and `/fields` describe the workspace's data model: creating an object or a field
here changes the Core API at once (its GraphQL schema and its REST routes and document).
`/apiKeys` manages keys (the token is shown once, on creation); `/webhooks` the URLs that
receive record events. Lists take `limit` (default and maximum 1000), `starting_after` and
`ending_before`.
"""


def core_description(limits: Limits) -> str:
    body = _CORE.replace("{default}", str(limits.default_page_size)).replace("{maximum}", str(limits.max_page_size))
    return (
        "The REST API of a docgate workspace's records.\n\n"
        + _AUTH
        + "\n"
        + body.replace("{batch}", str(limits.max_batch_size))
    )


def metadata_description(model: WorkspaceModel | None) -> str:
    text = "The REST API of a docgate workspace's metadata.\n\n" + _AUTH + "\n" + _METADATA
    if model is not None and model.objects:
        names = ", ".join(f"`{o.name_singular}` (`{o.name_plural}`)" for o in model.objects)
        text += f"\nObjects of this workspace: {names}.\n"
    return text
