"""The `search` tool: Twenty's cross-object search, for agents that know a name, not an object.

It runs the Core GraphQL `search` query of the workspace (parsed once, here), so it obeys its
limits and answers its ranking: the best matches of every searchable object, each with its
object, label and ranks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from graphql import DocumentNode, ExecutionResult, parse

from rest_shim.graphql_errors import raise_for_errors
from schema_builder.errors import BadUserInput

from .catalog import DATABASE_CRUD, ToolSpec

Execute = Callable[[DocumentNode, dict[str, Any]], Awaitable[ExecutionResult]]
NAME = "search"
_DOCUMENT = parse("""
query McpSearch($searchInput: String!, $limit: Int!, $included: [String!], $excluded: [String!]) {
  search(searchInput: $searchInput, limit: $limit, includedObjectNameSingulars: $included,
         excludedObjectNameSingulars: $excluded) {
    edges { node { recordId objectNameSingular objectLabelSingular label imageUrl tsRank tsRankCD } }
    pageInfo { hasNextPage }
  }
}""")
_NAMES = {"type": "array", "items": {"type": "string"}, "maxItems": 100}


def search_tool() -> ToolSpec:
    return ToolSpec(
        NAME, DATABASE_CRUD,
        "Search records of every searchable object (people, companies, opportunities, notes, tasks, custom "
        "objects) by the start of their words — names, e-mails, phones, domains — ignoring case and accents. "
        "Returns the best matches first: their object, id and label (then use find_one_<singular> for details).",
        {"type": "object", "required": ["searchInput"], "additionalProperties": False, "properties": {
            "searchInput": {"type": "string", "maxLength": 500, "description": 'e.g. "ada lov" or "acme.com"'},
            "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
            "includedObjectNameSingulars": {**_NAMES, "description": "only these objects, e.g. [\"person\"]"},
            "excludedObjectNameSingulars": {**_NAMES, "description": "not these objects"},
        }},
        NAME,
    )


async def run_search(arguments: Mapping[str, Any], execute: Execute) -> Any:
    text = arguments.get("searchInput")
    if not isinstance(text, str):
        raise BadUserInput("the argument 'searchInput' is required (a string)")
    variables = {"searchInput": text, "limit": arguments.get("limit", 20),
                 "included": arguments.get("includedObjectNameSingulars"),
                 "excluded": arguments.get("excludedObjectNameSingulars")}
    result = await execute(_DOCUMENT, variables)
    raise_for_errors(result)
    assert result.data is not None
    found = result.data["search"]
    return {"records": [edge["node"] for edge in found["edges"]], "hasNextPage": found["pageInfo"]["hasNextPage"]}
