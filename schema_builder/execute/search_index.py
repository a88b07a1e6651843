"""Reading the search index: the records whose tokens start with a search's terms.

Every record keeps its tokens, normalised, in a hidden array with a multikey index; a term
is the range of tokens it starts (`jo` → `["jo", "jp")`). MongoDB must be told that both
bounds hold for one element (`$elemMatch`) to scan that range of its index alone; SecantusDB
scans the range for the plain predicate and does not use an index for `$elemMatch` at all —
so the predicate is written for the server at hand. Either way the candidates are checked
again here against their tokens, so a server that falls back to a collection scan (whose
range on an array may be met by two different elements) answers exactly too.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from schema_builder.context import RequestContext
from schema_builder.metadata.model import ObjectMeta
from schema_builder.search.text import lookup_key, query_terms, successor, term_matches
from schema_builder.search.vectors import SEARCH_TOKENS


def _collection(ctx: RequestContext, obj: ObjectMeta) -> Any:
    return ctx.db.records(ctx.workspace_id, obj.collection)


async def _read(cursor: Any) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = await cursor.to_list(None)
    return docs


_plain_ranges: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()


async def _server_scans_plain_ranges(ctx: RequestContext) -> bool:
    """Whether the server answers a plain range on an array from its index (SecantusDB)."""
    db = ctx.db
    if db.in_memory:
        return False
    known = _plain_ranges.get(db)
    if known is None:
        info = await db.control.command("buildInfo")
        known = _plain_ranges[db] = "secantusVersion" in info
    return known


async def term_query(ctx: RequestContext, term: str) -> dict[str, Any]:
    """The indexed predicate of the records one term may match (a superset; see `matches`)."""
    key = lookup_key(term)
    bounds = {"$gte": key, "$lt": successor(key)}
    if await _server_scans_plain_ranges(ctx):
        return {SEARCH_TOKENS: bounds}
    return {SEARCH_TOKENS: {"$elemMatch": bounds}}


def matches(doc: Mapping[str, Any], terms: Iterable[str], every: bool) -> bool:
    """Whether a record's tokens answer every term (`every`) or any of them."""
    index = doc.get(SEARCH_TOKENS)
    if not isinstance(index, list):
        return False
    found = (term_matches(term, index) for term in terms)
    return all(found) if every else any(found)


async def candidates(
    ctx: RequestContext, obj: ObjectMeta, terms: Sequence[str], projection: dict[str, int], cap: int
) -> list[dict[str, Any]]:
    """The records answering any term (at most `cap` per term, in the index's order: the
    term's own word first, then the words it starts alphabetically), each read once, checked,
    charged."""
    coll = _collection(ctx, obj)
    fields = {**projection, SEARCH_TOKENS: 1}
    found: dict[Any, dict[str, Any]] = {}
    for key in dict.fromkeys(lookup_key(t) for t in terms):
        query = await term_query(ctx, key)
        docs = await _read(coll.find(query, fields, session=ctx.session, batch_size=cap + 1).limit(cap))
        ctx.charge(len(docs))
        for doc in docs:
            found.setdefault(doc["_id"], doc)
    return [doc for doc in found.values() if matches(doc, terms, every=False)]


async def matching_ids(ctx: RequestContext, obj: ObjectMeta, text: str) -> list[Any]:
    """The ids of the records with a token starting with every term of `text` (the
    `searchVector: {search}` filter), read through the index by the longest term."""
    terms = query_terms(text)
    if not terms:
        return []
    lead = max(terms, key=lambda t: len(lookup_key(t)))
    query = await term_query(ctx, lead)
    docs = await _read(_collection(ctx, obj).find(query, {"_id": 1, SEARCH_TOKENS: 1}, session=ctx.session))
    ctx.charge(len(docs))
    return [doc["_id"] for doc in docs if matches(doc, terms, every=True)]
