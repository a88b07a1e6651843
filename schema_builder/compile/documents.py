"""Documents: parsed and validated once per (schema, query text), then reused.

This is where a GraphQL request is checked before anything runs; the REST shims build
their documents as ASTs and skip parsing, not checking.
"""

from __future__ import annotations

from collections import OrderedDict

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

_DOCUMENT_CACHE_SIZE = 512


class DocumentCache:
    """Parsed and validated documents per query text, least recently used dropped first."""

    def __init__(self, size: int = _DOCUMENT_CACHE_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[DocumentNode | None, list[GraphQLError]]] = OrderedDict()

    def get(self, schema: GraphQLSchema, query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
        entry = self._entries.get(query)
        if entry is not None:
            self._entries.move_to_end(query)
            return entry
        try:
            document: DocumentNode | None = parse(query)
        except GraphQLError as error:
            entry = (None, [error])
        else:
            assert document is not None
            entry = (document, list(validate(schema, document)))
        self._entries[query] = entry
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return entry
