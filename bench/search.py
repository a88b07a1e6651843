"""(s) Search and find-duplicates on the bench data (10,000 people, 1,000 companies).

- `search` of a 3-letter prefix (`ada`, `lov`, `acm`… in turn: names, last names, company
  words), limit 20, through docgate's GraphQL at c=1 and c=32 — it reads every match of both
  objects through the index and ranks them;
- the same text as a `searchVector: {search}` filter of `people` (first 20);
- floors and the scan it replaces, with the raw driver in this process: the index ranges
  alone (`raw-index`), and a case-insensitive regex over the vector text of both collections
  reading every match, as a regex-based search must to rank them (`raw-regex`), and stopping
  at 20 matches a collection (`raw-regex-20`, the best case of the old filter);
- `personDuplicates` of a 60-record import batch (half of them spell existing people in
  another case or with accents, half are new), c=1 and c=8.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import orjson

from . import data as gen
from .baselines import make_client

Q_SEARCH = ("query S($s: String!, $l: Int!) { search(searchInput: $s, limit: $l) { edges { node { recordId "
            "objectNameSingular label tsRankCD tsRank } } pageInfo { hasNextPage endCursor } } }")
Q_FILTER = "query F($s: String) { people(first: 20, filter: {searchVector: {search: $s}}) { edges { node { id } } } }"
Q_DUPLICATES = ("query D($d: [PersonCreateInput]) { personDuplicates(data: $d) { totalCount "
                "edges { node { id } } } }")
PREFIXES = sorted({w[:3].lower() for w in (*gen.FIRST_NAMES, *gen.LAST_NAMES, *gen.WORDS) if len(w) >= 3})
DUPLICATE_CONCURRENCY = (1, 8)


def prefix(i: int) -> str:
    return PREFIXES[i % len(PREFIXES)]


def import_batch(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """60 records as an import brings them: 30 existing people spelled differently, 30 new."""
    batch = []
    for k in range(30):
        p = people[(k * 331) % len(people)]
        name = p["name"]
        batch.append({"name": {"firstName": name["firstName"].upper(), "lastName": name["lastName"].lower()},
                      "emails": {"primaryEmail": p["emails"]["primaryEmail"].upper()}})
    for k in range(30):
        batch.append({"name": {"firstName": f"Newcomer{k}", "lastName": "Import"},
                      "emails": {"primaryEmail": f"newcomer{k}@import.example"}})
    return batch


async def wait_for_index(env: Any, timeout: float = 900) -> float:
    """Until docgate has built every object's search values (a reused store of an older
    build is indexed at start-up): seconds waited."""
    from .scenarios import CONTROL_DB

    client = make_client(env.uri)
    states = client[CONTROL_DB]["searchIndexes"]
    start = time.perf_counter()
    try:
        while await states.count_documents({"state": "building"}) or not await states.count_documents({}):
            if time.perf_counter() - start > timeout:
                raise TimeoutError("the search index was not built in time")
            await asyncio.sleep(1)
    finally:
        await client.close()
    return round(time.perf_counter() - start, 1)


async def scenario_s(env: Any) -> dict[str, Any]:
    from .scenarios import CONCURRENCY, graphql_ok, graphql_request, log, measure

    log("(s) search a 3-letter prefix; findDuplicates of a 60-record batch")
    waited = await wait_for_index(env)
    cfg, token, q = env.cfg, env.token, env.queries
    assert q is not None and env.data is not None
    people, companies = q.db["person"], q.db["company"]
    res: dict[str, Any] = {"index_wait_s": waited, "prefixes": PREFIXES}
    res["docgate-search"] = await measure(
        env, "docgate-graphql", lambda i: graphql_request(token, Q_SEARCH, {"s": prefix(i), "l": 20}), graphql_ok,
        cfg.read_budget, env.gw_base)
    res["docgate-filter"] = await measure(
        env, "docgate-graphql", lambda i: graphql_request(token, Q_FILTER, {"s": prefix(i)}), graphql_ok,
        cfg.read_budget, env.gw_base, (1,))
    fields = {"_id": 1, "searchVector": 1, "name": 1}

    async def raw_index(i: int) -> None:
        text = prefix(i)
        bounds = {"$gte": text, "$lt": text[:-1] + chr(ord(text[-1]) + 1)}
        for coll in (people, companies):
            await coll.find({"_searchTokens": bounds}, fields).to_list(None)

    async def raw_regex(i: int, limit: int = 0) -> None:
        pattern = {"$regex": "'" + re.escape(prefix(i)), "$options": "i"}
        for coll in (people, companies):
            await coll.find({"searchVector": pattern, "deletedAt": None}, fields).limit(limit).to_list(None)

    res["raw-index"] = await measure(env, "raw", raw_index, None, cfg.read_budget)
    res["raw-regex"] = await measure(env, "raw", raw_regex, None, cfg.read_budget, concurrency=CONCURRENCY)
    res["raw-regex-20"] = await measure(env, "raw", lambda i: raw_regex(i, 20), None, cfg.read_budget,
                                        concurrency=(1,))
    batch = import_batch(env.data.people)
    res["docgate-duplicates"] = await measure(
        env, "docgate-graphql", lambda i: graphql_request(token, Q_DUPLICATES, {"d": batch}), graphql_ok,
        cfg.read_budget, env.gw_base, DUPLICATE_CONCURRENCY)
    res["checks"] = await check_answers(env, batch)
    return res


async def check_answers(env: Any, batch: list[dict[str, Any]]) -> dict[str, Any]:
    """The search answers what a regex scan finds first, and the batch finds its duplicates."""
    from .load import fetch
    from .scenarios import graphql_request

    q = env.queries
    out: dict[str, Any] = {}
    status, body = await fetch(env.gw_base, graphql_request(env.token, Q_SEARCH, {"s": "lov", "l": 100}))
    edges = orjson.loads(body)["data"]["search"]["edges"] if status == 200 else []
    expected = await q.db["person"].count_documents({"searchVector": {"$regex": "'lov"}})
    out["search_lov_first_page"] = len(edges)
    out["search_lov_all_people"] = expected
    out["search_lov_ok"] = len(edges) == min(100, expected) and all(
        e["node"]["label"].split(" ")[-1].lower().startswith("lov") for e in edges)
    status, body = await fetch(env.gw_base, graphql_request(env.token, Q_DUPLICATES, {"d": batch}))
    answers = orjson.loads(body)["data"]["personDuplicates"] if status == 200 else []
    out["duplicates_found"] = sum(1 for a in answers if a["totalCount"] > 0)
    out["duplicates_ok"] = out["duplicates_found"] == 30 and len(answers) == 60
    if not (out["search_lov_ok"] and out["duplicates_ok"]):
        env.notes.append(f"(s) answers are not as expected: {out}")
    return out


def _p50(res: dict[str, Any], target: str, c: int) -> float | None:
    m = res.get(target, {}).get(f"c{c}")
    return None if m is None else float(m["p50_ms"])


def search_rows(res: dict[str, Any]) -> list[list[str]]:
    labels = {
        "docgate-search": "search, 3-letter prefix, limit 20 (GraphQL)",
        "docgate-filter": "people(filter: {searchVector: {search}}, first: 20)",
        "raw-index": "raw driver: index ranges, every match",
        "raw-regex": "raw driver: regex scan, every match (what it replaces)",
        "raw-regex-20": "raw driver: regex scan, first 20 a collection",
        "docgate-duplicates": "personDuplicates of a 60-record batch",
    }
    rows = []
    for key, label in labels.items():
        for level, m in sorted(res.get(key, {}).items()):
            rows.append([label, level[1:], f"{m['rps']:.1f}", f"{m['p50_ms']:.2f}", f"{m['p99_ms']:.2f}"])
    return rows


def search_targets(res: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    out: list[tuple[str, bool | None, str]] = []
    for c in (1, 32):
        search, regex = _p50(res, "docgate-search", c), _p50(res, "raw-regex", c)
        if search is not None and regex is not None:
            out.append((f"(s) search p50 >= 5x faster than the regex scan it replaces (c={c})",
                        regex >= 5 * search, f"search {search:.2f} ms vs regex scan {regex:.2f} ms = "
                                             f"{regex / search:.1f}x"))
    return out
