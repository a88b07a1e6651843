"""Documents: parsed once per query text, checked once per schema, before anything runs.

This is the step every GraphQL request passes: the text's length and tokens are bounded
before it is parsed, the document's cost (`cost.check_cost`) is checked before graphql-core
validates it (validation grows faster than linearly on hostile documents), then it is
validated. The REST shims build their documents as ASTs and check them here too.

Memory: a parsed document takes about 100 times its text in syntax-tree objects. The parsed
documents are kept in one cache shared by every schema, bounded by that estimate and by
count; everything else derived from a document (its check results here, its compiled plans,
selections) is held weakly, so it goes when the document does.
"""

from __future__ import annotations

from collections import OrderedDict

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

from schema_builder.compile.cost import check_cost
from schema_builder.compile.identity_cache import WeakIdentityMap
from schema_builder.context import Limits

# Bytes of syntax tree per character of query text, measured on typical and large
# documents (110 to 155 with locations): the estimate a cache budget is spent in.
TREE_BYTES_PER_CHARACTER = 150


class ParsedDocuments:
    """Parsed documents by query text, least recently used out, within a memory budget."""

    def __init__(self, max_bytes: int = 64 * 2**20, size: int = 1024) -> None:
        self.max_bytes = max_bytes
        self.size = size
        self.bytes = 0
        self._entries: OrderedDict[tuple[str, int], DocumentNode] = OrderedDict()

    def parse(self, query: str, limits: Limits) -> DocumentNode:
        """The document of `query`; a GraphQLError if it is too long or does not parse."""
        if len(query) > limits.max_query_length:
            raise GraphQLError(
                f"Query too large - {len(query)} characters - Maximum allowed: {limits.max_query_length} "
                "(send values as variables)",
                extensions={"code": "BAD_USER_INPUT", "subCode": "QUERY_TOO_LARGE"},
            )
        key = (query, limits.max_query_tokens)
        document = self._entries.get(key)
        if document is not None:
            self._entries.move_to_end(key)
            return document
        document = parse(query, max_tokens=limits.max_query_tokens)
        cost = len(query) * TREE_BYTES_PER_CHARACTER
        if cost <= self.max_bytes // 4:  # a document too big to share the cache with others is not kept
            self._entries[key] = document
            self.bytes += cost
            while self.bytes > self.max_bytes or len(self._entries) > self.size:
                (text, _), _ = self._entries.popitem(last=False)
                self.bytes -= len(text) * TREE_BYTES_PER_CHARACTER
        return document


_SHARED = ParsedDocuments()


class DocumentCache:
    """The documents of one schema: parsed (shared cache) and checked (here, by document)."""

    def __init__(self, limits: Limits | None = None, *, relations: bool = True,
                 parsed: ParsedDocuments | None = None) -> None:
        self.limits = limits or Limits()
        self.relations = relations  # the core schema's rule on nested one-to-many relations
        self.parsed = parsed or _SHARED
        self._checked: WeakIdentityMap[DocumentNode, list[GraphQLError]] = WeakIdentityMap()

    def get(self, schema: GraphQLSchema, query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
        try:
            document = self.parsed.parse(query, self.limits)
        except GraphQLError as error:
            return None, [error]
        return document, self.check(schema, document)

    def check(self, schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
        """Cost first, then graphql-core's validation; the errors, worked out once per document."""
        errors = self._checked.get(document)
        if errors is None:
            refusal = check_cost(schema, document, self.limits, relations=self.relations)
            errors = self._checked[document] = [refusal] if refusal else list(validate(schema, document))
        return errors
