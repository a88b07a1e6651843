"""The indexes of the hidden search and duplicate keys of a collection, made ready to use.

Both keys are arrays, so their indexes are multikey. SecantusDB marks an index multikey with
the first array written to it, and two transactions that both write that first array conflict
(and one left open — a request abandoned past its deadline — makes every later write conflict
until it expires). So the flag is set here, once, with a record written and removed before the
collection is used: when it is made, or before requests are served.
"""

from __future__ import annotations

from typing import Any

from schema_builder.search import INDEXED_KEYS

_PRIMER = "__docgate_multikey_primer__"


async def create_search_indexes(collection: Any) -> None:
    for key in INDEXED_KEYS:
        await collection.create_index([(key, 1)])
    await collection.insert_one({"_id": _PRIMER, **{key: [_PRIMER, _PRIMER + "2"] for key in INDEXED_KEYS}})
    await collection.delete_one({"_id": _PRIMER})
