"""The benchmark run: set-up, the scenarios against every target, and the numbers they give.

Targets (all on the one SecantusDB server of the run):
  docgate-graphql / docgate-rest   `python -m gateway serve`, its own process
  handwritten / handwritten-rest   bench.baselines' Starlette service, its own process
  raw                              bench.baselines.Queries, PyMongo async in this process
  parse                            Parse Server (node), asked for what docgate serves (peers/parse.py):
                                   parse (GraphQL rows), parse-count (REST rows: with the count),
                                   parse-unordered (the list in natural order, no count: not like for like)
Each measurement is a closed loop at concurrency 1 and 32 (bench.load); CPU per request
comes from each process's own CPU accounting over the measured window.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pymongo.errors import AutoReconnect, PyMongoError
from pymongo.monitoring import CommandListener

from . import data as gen
from .baselines import Queries, make_client
from .baselines import encode_cursor as hw_cursor
from .load import Budget, HttpRequest, LoadResult, fetch, run_http, run_ops
from .procs import ROOT, Proc, create_workspace, free_port, gateway, python, secantus, wait_http

CONTROL_DB = "bench"
PERSON = (
    "id createdAt updatedAt deletedAt position name { firstName lastName } emails { primaryEmail additionalEmails } "
    "phones { primaryPhoneNumber primaryPhoneCountryCode primaryPhoneCallingCode "
    "additionalPhones { number countryCode callingCode } } "
    "linkedinLink { primaryLinkLabel primaryLinkUrl secondaryLinks } xLink { primaryLinkLabel primaryLinkUrl "
    "secondaryLinks } jobTitle city avatarUrl companyId createdBy { source workspaceMemberId name context }"
)
Q_ONE = f"query One($id: UUID!) {{ person(filter: {{id: {{eq: $id}}}}) {{ {PERSON} }} }}"
Q_ONE_COMPANY = (f"query OneWithCompany($id: UUID!) {{ person(filter: {{id: {{eq: $id}}}}) "
                 f"{{ {PERSON} company {{ name }} }} }}")
Q_LIST = f"query List($n: Int) {{ people(first: $n) {{ edges {{ node {{ {PERSON} company {{ name }} }} }} }} }}"
Q_LIST_TOTAL = "query ListTotal($n: Int) { people(first: $n) { totalCount edges { node { id company { name } } } } }"
Q_PAGE = (
    "query Page($n: Int, $after: String, $cities: [String!]) { people(first: $n, after: $after, "
    "filter: {city: {in: $cities}}, orderBy: [{position: AscNullsFirst}]) "
    "{ edges { node { id name { firstName lastName } city position } } pageInfo { endCursor hasNextPage } } }"
)
M_CREATE = "mutation Create($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }"
M_UPSERT = "mutation Upsert($d: [PersonCreateInput!]!) { createPeople(data: $d, upsert: true) { id } }"
M_COMPANIES = "mutation Companies($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }"
M_PEOPLE = "mutation People($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }"
CONCURRENCY = (1, 32)
# Every write batch runs in a transaction that scans the collection (unique keys), and the
# database serialises them: 32 concurrent batches queue (their p50 is the queue's length).
WRITE_CONCURRENCY = (1, 32)
SUBSCRIBERS = (1, 100)  # scenario (r): SSE subscribers of personEvents on the one replica


@dataclass
class Config:
    quick: bool = False
    peer: bool = True
    store: Path | None = None  # keep (and reuse) the loaded SecantusDB store here
    only: set[str] = field(default_factory=set)  # scenario letters; empty = all

    @property
    def people(self) -> int:
        return 2_000 if self.quick else gen.PEOPLE

    @property
    def companies(self) -> int:
        return 200 if self.quick else gen.COMPANIES

    def read_budget(self, concurrency: int) -> Budget:
        if self.quick:
            return Budget(duration=3, min_requests=concurrency, max_requests=20_000)
        return Budget(duration=10, min_requests=concurrency, max_requests=100_000)

    def write_budget(self, concurrency: int) -> Budget:
        # Writes are bounded by count: every request adds 60 records to a collection the
        # database scans, so time-bounded write runs would change the data set under test.
        n = (3 if self.quick else 5) if concurrency == 1 else concurrency
        return Budget(duration=0, min_requests=n, max_requests=n, warmup=1)

    @property
    def page_size(self) -> int:
        return min(20, (self.people // 2) // 100)

    def wants(self, letter: str) -> bool:
        return not self.only or letter in self.only


def graphql_request(token: str, query: str, variables: dict[str, Any] | None = None) -> HttpRequest:
    body = orjson.dumps({"query": query, "variables": variables or {}})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return HttpRequest("POST", "/graphql", body, headers)


def rest_request(token: str, method: str, path: str, body: Any = None) -> HttpRequest:
    headers = {"Authorization": f"Bearer {token}"}
    raw = None
    if body is not None:
        raw = orjson.dumps(body)
        headers["Content-Type"] = "application/json"
    return HttpRequest(method, path, raw, headers)


def graphql_ok(status: int, body: bytes) -> str | None:
    if status != 200:
        return f"HTTP {status}: {body[:200]!r}"
    if b'"errors":' in body:
        return f"GraphQL errors: {body[:300]!r}"
    return None


def http_ok(status: int, body: bytes) -> str | None:
    return None if status < 400 else f"HTTP {status}: {body[:300]!r}"


BACKGROUND_COMMANDS = ("createIndexes", "listIndexes")


class CommandCounter(CommandListener):
    """PyMongo command monitoring: every command started, by database and name."""

    def __init__(self, workspace_db: str) -> None:
        self.workspace_db = workspace_db
        self.events: list[tuple[str, str, str]] = []

    def started(self, event: Any) -> None:
        cmd = event.command
        coll = cmd.get(event.command_name)
        coll = coll if isinstance(coll, str) else cmd.get("collection", "")  # getMore names it apart
        self.events.append((event.database_name, event.command_name, coll))

    def succeeded(self, event: Any) -> None:
        pass

    def failed(self, event: Any) -> None:
        pass

    def summary(self) -> dict[str, Any]:
        # The gateway makes sure of every workspace's indexes in the background after it starts
        # (gateway/migrations/indexes.py): those builds overlap the first counted requests, and
        # are not theirs.
        events = [e for e in self.events if e[1] not in BACKGROUND_COMMANDS]
        on_records = [e for e in events if e[0] == self.workspace_db]
        return {
            "workspace_db": len(on_records),
            "other": len(events) - len(on_records),
            "background": len(self.events) - len(events),
            "commands": [f"{name}:{coll}" if coll else f"{db}.{name}" for db, name, coll in events],
        }


@dataclass
class Env:
    cfg: Config
    work: Path
    uri: str = ""
    db_proc: Proc | None = None
    gw: Proc | None = None
    gw_base: str = ""
    hw: Proc | None = None
    hw_base: str = ""
    token: str = ""
    workspace_id: str = ""
    data: gen.DataSet | None = None
    queries: Queries | None = None
    parse: Any = None
    rest: bool = False
    run_tag: str = ""
    write_seq: int = 0
    notes: list[str] = field(default_factory=list)
    procs: list[Proc] = field(default_factory=list)

    @property
    def workspace_db(self) -> str:
        return f"{CONTROL_DB}_{self.workspace_id.replace('-', '')}"

    def pids(self, target: str) -> dict[str, int]:
        assert self.db_proc is not None
        db = {"db": self.db_proc.pid}
        if target.startswith("docgate"):
            assert self.gw is not None
            return {"server": self.gw.pid, **db}
        if target.startswith("handwritten"):
            assert self.hw is not None
            return {"server": self.hw.pid, **db}
        if target == "parse":
            return {"server": self.parse.pid, **db}
        return db  # raw: the bench process itself is added by run_ops as "self"

    def stop(self) -> None:
        if self.parse is not None:
            self.parse.stop()
        for proc in reversed(self.procs):
            proc.stop()


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------------------------- set-up


async def setup(env: Env) -> dict[str, Any]:
    cfg = env.cfg
    info: dict[str, Any] = {}
    store = cfg.store or env.work / "store"
    fingerprint = {"people": cfg.people, "companies": cfg.companies, "seed": gen.SEED, "generator": 1}
    marker = store / "bench-dataset.json"
    stored = json.loads(marker.read_text()).get("fingerprint") if cfg.store is not None and marker.exists() else None
    reuse = stored == fingerprint
    if cfg.store is not None and marker.exists() and not reuse:
        shutil.rmtree(store)
    log(f"starting SecantusDB ({'reusing ' if reuse else ''}{store})")
    env.db_proc, env.uri = secantus(store, env.work / "secantusd.log")
    env.procs.append(env.db_proc)
    env.data = gen.generate(cfg.people, cfg.companies)
    if reuse:
        saved = json.loads(marker.read_text())
        env.workspace_id, env.token = saved["workspaceId"], saved["apiKey"]
    else:
        ws = create_workspace(env.uri, CONTROL_DB, "bench")
        env.workspace_id, env.token = ws["workspaceId"], ws["apiKey"]
    # (r) opens 100 subscriptions with one key: the default cap (20) is raised for the bench only.
    env.gw, env.gw_base = gateway(env.uri, CONTROL_DB, env.work / "docgate.log",
                                  DOCGATE_MAX_SUBSCRIPTIONS_PER_KEY=str(2 * max(SUBSCRIBERS) + 50))
    env.procs.append(env.gw)
    if not reuse:
        info["load"] = await load_docgate(env)
        marker.write_text(json.dumps({"fingerprint": fingerprint, "workspaceId": env.workspace_id,
                                      "apiKey": env.token}))
    else:
        info["load"] = {"reused": str(store)}
    env.queries = Queries(make_client(env.uri), env.workspace_db)
    if reuse:
        info["load"]["removed_leftovers"] = await cleanup_writes(env)
    port = free_port()
    env.hw = Proc("handwritten", [python(), "-m", "bench.baselines", "--uri", env.uri, "--db", env.workspace_db,
                                  "--token", env.token, "--port", str(port)],
                  env={"PYTHONPATH": str(ROOT)}, log=env.work / "handwritten.log")
    env.procs.append(env.hw)
    env.hw_base = f"http://127.0.0.1:{port}"
    wait_http(f"{env.hw_base}/healthz", env.hw)
    env.rest = await probe_rest(env)
    if not env.rest:
        env.notes.append("REST core routes (/rest/people...) not served by this build: REST rows are n/a")
    if cfg.peer and any(cfg.wants(k) for k in "abcde"):
        info["parse"] = await setup_parse(env)
    return info


async def load_docgate(env: Env) -> dict[str, Any]:
    """The data set through docgate's own batch API (createCompanies / createPeople, 60 a call)."""
    assert env.data is not None
    sem = asyncio.Semaphore(2)

    async def send(mutation: str, batch: list[dict[str, Any]]) -> None:
        async with sem:
            status, body = await fetch(env.gw_base, graphql_request(env.token, mutation, {"d": batch}))
            if (problem := graphql_ok(status, body)) is not None:
                raise RuntimeError(f"loading failed: {problem}")

    t0 = time.perf_counter()
    await asyncio.gather(*(send(M_COMPANIES, b) for b in env.data.batches(env.data.companies)))
    t1 = time.perf_counter()
    log(f"loaded {len(env.data.companies)} companies in {t1 - t0:.1f} s; loading {len(env.data.people)} people")
    done = 0

    async def people(batch: list[dict[str, Any]]) -> None:
        nonlocal done
        await send(M_PEOPLE, batch)
        done += len(batch)
        if done % 1200 == 0:
            log(f"  people {done}/{len(env.data.people)} ({time.perf_counter() - t1:.0f} s)")  # type: ignore[union-attr]

    await asyncio.gather(*(people(b) for b in env.data.batches(env.data.people)))
    t2 = time.perf_counter()
    log(f"loaded {len(env.data.people)} people in {t2 - t1:.1f} s")
    return {"companies_s": round(t1 - t0, 1), "people_s": round(t2 - t1, 1),
            "requests": -(-len(env.data.companies) // gen.BATCH) - (-len(env.data.people) // gen.BATCH)}


async def probe_rest(env: Env) -> bool:
    assert env.data is not None
    pid = env.data.people[0]["id"]
    status, body = await fetch(env.gw_base, rest_request(env.token, "GET", f"/rest/people/{pid}"))
    return status == 200 and pid.encode() in body


async def setup_parse(env: Env) -> dict[str, Any]:
    from .peers.parse import ParsePeer

    assert env.data is not None
    peer = ParsePeer(env.uri, f"parse_{'quick' if env.cfg.quick else 'full'}", env.work)
    try:
        log("starting Parse Server (npm install on first use)")
        peer.start()
        env.parse = peer
        log("loading the data set into Parse Server through its REST API")
        loaded = await peer.load(env.data)
        if (refused := await peer.probe_transactions()) is not None:
            env.notes.append(refused)
        log(f"Parse Server ready: {loaded}; batch transactions {'on' if peer.transactions else 'OFF'}")
        return {"version": peer.version(), "batch_transactions": peer.transactions, **loaded}
    except Exception as exc:  # the peer is optional: say why it is missing
        peer.stop()
        env.parse = None
        env.notes.append(f"Parse Server peer unavailable: {exc}"[:500])
        log(f"Parse Server unavailable: {exc}")
        return {"error": str(exc)[:500]}


# ---------------------------------------------------------------------------- correctness


async def check_same_answers(env: Env) -> dict[str, Any]:
    """docgate and the hand-written endpoint must return the same records, or the ratios mean nothing."""
    assert env.data is not None and env.queries is not None
    out: dict[str, Any] = {}
    pid = env.data.people[42]["id"]
    _, a = await fetch(env.gw_base, graphql_request(env.token, Q_ONE, {"id": pid}))
    _, h = await fetch(env.hw_base, rest_request(env.token, "GET", f"/people/{pid}"))
    ga, ha = orjson.loads(a)["data"]["person"], orjson.loads(h)["data"]["person"]
    # The primary email: the stored composite may lack a null sub-field the API fills in.
    out["a_same_record"] = ga["id"] == ha["id"] == pid and ga["emails"]["primaryEmail"] == ha["emails"]["primaryEmail"]
    _, b = await fetch(env.gw_base, graphql_request(env.token, Q_LIST, {"n": 50}))
    _, hb = await fetch(env.hw_base, rest_request(env.token, "GET", "/people?limit=50"))
    edges = orjson.loads(b)["data"]["people"]["edges"]
    gb = [(e["node"]["id"], (e["node"]["company"] or {}).get("name")) for e in edges]
    hbl = [(e["node"]["id"], (e["node"]["company"] or {}).get("name"))
           for e in orjson.loads(hb)["data"]["people"]["edges"]]
    out["b_same_page"] = gb == hbl and len(gb) == 50
    if env.parse is not None:
        status, pb = await fetch(env.parse.base, env.parse.list_like(50, count=True))
        parsed = orjson.loads(pb) if status == 200 else {}
        rows = parsed.get("results", [])
        out["parse_b_rows_with_company"] = sum(1 for r in rows if isinstance(r.get("company"), dict)
                                               and "name" in r["company"])
        # Like for like: the same people (same ids) in the same order, their companies, the same count.
        out["parse_b_same_page"] = [(r.get("objectId"), (r.get("company") or {}).get("name")) for r in rows] == gb
        out["parse_b_count"] = parsed.get("count") == env.cfg.people
        status, pa = await fetch(env.parse.base, env.parse.get_one(pid))
        one = orjson.loads(pa) if status == 200 else {}
        out["parse_a_same_record"] = (one.get("objectId") == pid and (one.get("emails") or {}).get("primaryEmail")
                                      == ga["emails"]["primaryEmail"])
    if env.rest:
        status, rb = await fetch(env.gw_base, rest_request(env.token, "GET", "/rest/people?limit=50&depth=1"))
        rows = orjson.loads(rb).get("data", {}).get("people", []) if status == 200 else []
        out["rest_b_same_page"] = [(r["id"], (r.get("company") or {}).get("name")) for r in rows] == gb
    bad = [k for k, v in out.items() if v is False]
    if bad:
        env.notes.append(f"answers differ between docgate and the hand-written endpoint or Parse: {bad}")
    return out


# ------------------------------------------------------------------------------- scenarios


def person_id(env: Env, i: int) -> str:
    assert env.data is not None
    people = env.data.people
    return str(people[(i * 7919) % len(people)]["id"])


async def measure(env: Env, target: str, make: Any, check: Any, budget_of: Callable[[int], Budget],
                  base: str | None = None, concurrency: tuple[int, ...] = CONCURRENCY) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in concurrency:
        budget = budget_of(c)
        if target == "raw":
            res: LoadResult = await run_ops(make, c, budget, cpu_pids=env.pids(target))
        else:
            assert base is not None
            res = await run_http(base, make, c, budget, cpu_pids=env.pids(target), check=check)
        out[f"c{c}"] = res.as_dict()
        cpu = res.cpu_ms_per_req.get("server", res.cpu_ms_per_req.get("self", float("nan")))
        log(f"  {target:<17} c={c:<3} {res.requests:>6} req {res.rps:>8.1f} req/s  p50 {res.p50_ms:>8.2f} ms  "
            f"p99 {res.p99_ms:>8.2f} ms  cpu {cpu:.3f} ms/req  db {res.cpu_ms_per_req.get('db', 0):.3f} ms/req"
            + (f"  ERRORS {res.errors}: {res.first_error}" if res.errors else ""))
    return out


async def scenario_a(env: Env) -> dict[str, Any]:
    log("(a) one record by id")
    cfg, q = env.cfg, env.queries
    assert q is not None
    res: dict[str, Any] = {}
    res["docgate-graphql"] = await measure(
        env, "docgate-graphql", by_id_request(env, "graphql"), graphql_ok, cfg.read_budget, env.gw_base)
    if env.rest:
        res["docgate-rest"] = await measure(
            env, "docgate-rest", by_id_request(env, "rest"), http_ok, cfg.read_budget, env.gw_base)
    res["handwritten"] = await measure(
        env, "handwritten", by_id_request(env, "handwritten"), http_ok,
        cfg.read_budget, env.hw_base)

    async def raw(i: int) -> None:
        if await q.person(person_id(env, i)) is None:
            raise LookupError("not found")

    res["raw"] = await measure(env, "raw", raw, None, cfg.read_budget)
    if env.parse is not None:
        parse = env.parse

        def parse_one(i: int) -> Any:
            return parse.get_one(person_id(env, i))

        res["parse"] = await measure(env, "parse", parse_one, http_ok, cfg.read_budget, parse.base)
        sides = {"docgate-graphql": (env.gw_base, by_id_request(env, "graphql"), graphql_ok),
                 "parse": (parse.base, parse_one, http_ok)}
        if env.rest:
            sides["docgate-rest"] = (env.gw_base, by_id_request(env, "rest"), http_ok)
        res["rounds_c32"] = await interleaved_rounds(sides, rounds=3 if cfg.quick else 5, seconds=3)
    return res


def by_id_request(env: Env, side: str) -> Callable[[int], Any]:
    """The by-id request of (a) on one side: docgate's `graphql` or `rest`, or the `handwritten` endpoint."""
    token = env.token
    if side == "graphql":
        return lambda i: graphql_request(token, Q_ONE, {"id": person_id(env, i)})
    path = "/rest/people" if side == "rest" else "/people"
    return lambda i: rest_request(token, "GET", f"{path}/{person_id(env, i)}")


async def interleaved_rounds(sides: dict[str, tuple[str, Any, Any]], rounds: int, seconds: float) -> dict[str, Any]:
    """Throughput at c=32 in short interleaved windows, each round in a rotated order: a minute in
    which this shared machine runs slow then weighs on every side, not on the one measured in it."""
    log(f"  by id at c=32, {rounds} interleaved rounds of {seconds:g} s a side")
    names = list(sides)
    per_round: list[dict[str, float]] = []
    for r in range(rounds):
        row: dict[str, float] = {}
        for name in names[r % len(names):] + names[:r % len(names)]:
            base, make, check = sides[name]
            found = await run_http(base, make, 32, Budget(seconds, 32, 10**6, warmup=32), cpu_pids={}, check=check)
            if found.errors:
                raise RuntimeError(f"{name}: {found.errors} errors, first: {found.first_error}")
            row[name] = round(found.rps, 1)
        per_round.append(row)
        log(f"    round {r + 1}: " + ", ".join(f"{k} {v} req/s" for k, v in row.items()))
    return {"seconds": seconds, "rounds": per_round}


async def scenario_b(env: Env) -> dict[str, Any]:
    log("(b) 50 people with company { name }")
    cfg, token, q = env.cfg, env.token, env.queries
    assert q is not None
    res: dict[str, Any] = {}
    res["docgate-graphql"] = await measure(env, "docgate-graphql", graphql_request(token, Q_LIST, {"n": 50}),
                                           graphql_ok, cfg.read_budget, env.gw_base)
    res["handwritten"] = await measure(env, "handwritten", rest_request(token, "GET", "/people?limit=50"), http_ok,
                                       cfg.read_budget, env.hw_base)
    if env.rest:
        res["docgate-rest"] = await measure(env, "docgate-rest",
                                            rest_request(token, "GET", "/rest/people?limit=50&depth=1"), http_ok,
                                            cfg.read_budget, env.gw_base)
        # Twenty's REST list always carries totalCount: the hand-written REST twin counts too.
        res["handwritten-rest"] = await measure(
            env, "handwritten-rest", rest_request(token, "GET", "/people?limit=50&shape=rest&total=1"), http_ok,
            cfg.read_budget, env.hw_base)

    async def raw(i: int) -> None:
        await q.people_with_company(50)

    res["raw"] = await measure(env, "raw", raw, None, cfg.read_budget)
    if env.rest:
        async def raw_rest(i: int) -> None:
            await q.one_to_many(await q.people_with_company(50))
            await q.count_people()

        res["raw-rest"] = await measure(env, "raw", raw_rest, None, cfg.read_budget)
    if env.parse is not None:  # position order as docgate's; with the count for REST's row; and the old figure
        parse = env.parse
        res["parse"] = await measure(env, "parse", parse.list_like(50, count=False), http_ok, cfg.read_budget,
                                     parse.base)
        res["parse-count"] = await measure(env, "parse", parse.list_like(50, count=True), http_ok,
                                           cfg.read_budget, parse.base)
        res["parse-unordered"] = await measure(env, "parse", parse.list_unordered(50), http_ok, cfg.read_budget,
                                               parse.base)
    return res


async def page_cursors(env: Env) -> dict[str, Any]:
    """The cursors of the record just before page 100 (docgate's and the hand-written one's),
    computed from the database and checked against what docgate answers for page 100."""
    assert env.data is not None and env.queries is not None
    size = env.cfg.page_size
    matching = [p for p in env.data.people if p["city"] in gen.FILTER_CITIES]
    matching.sort(key=lambda p: (p["position"], p["id"]))
    before = await env.queries.people.find_one({"_id": matching[99 * size - 1]["id"]})
    assert before is not None
    from schema_builder.compile.cursors import encode_cursor
    from schema_builder.compile.ordering import ID_KEY, SortKey, SortPlan

    plan = SortPlan((SortKey("position", "position", True, True, "POSITION"), ID_KEY))
    cursor: str | None = encode_cursor(before, plan)
    expected_first = matching[99 * size]["id"]
    variables = {"n": size, "after": cursor, "cities": gen.FILTER_CITIES}
    status, body = await fetch(env.gw_base, graphql_request(env.token, Q_PAGE, variables))
    edges = orjson.loads(body)["data"]["people"]["edges"] if status == 200 else []
    if not edges or edges[0]["node"]["id"] != expected_first:
        log("  the computed cursor did not land on page 100: walking the pages instead")
        cursor = None
        for _ in range(99):
            _, body = await fetch(env.gw_base, graphql_request(env.token, Q_PAGE, {**variables, "after": cursor}))
            cursor = orjson.loads(body)["data"]["people"]["pageInfo"]["endCursor"]
    return {"docgate": cursor, "handwritten": hw_cursor(before), "raw": (before["position"], before["_id"]),
            "expected_first": expected_first, "size": size}


async def scenario_c(env: Env) -> dict[str, Any]:
    cfg, token, q = env.cfg, env.token, env.queries
    assert q is not None
    cursors = await page_cursors(env)
    size = cursors["size"]
    cities = gen.FILTER_CITIES
    res: dict[str, Any] = {}
    rest_filter = urllib.parse.quote(f"city[in]:[{','.join(cities)}]")
    for page in (1, 100):
        log(f"(c) filtered, sorted list: page {page} of {size} (keyset cursor)")
        key = f"page{page}"
        after = None if page == 1 else cursors["docgate"]
        row: dict[str, Any] = {}
        row["docgate-graphql"] = await measure(
            env, "docgate-graphql", graphql_request(token, Q_PAGE, {"n": size, "after": after, "cities": cities}),
            graphql_ok, cfg.read_budget, env.gw_base)
        if env.rest:
            path = f"/rest/people?filter={rest_filter}&order_by=position%5BAscNullsFirst%5D&limit={size}"
            if after:
                path += f"&starting_after={urllib.parse.quote(after)}"
            row["docgate-rest"] = await measure(env, "docgate-rest", rest_request(token, "GET", path), http_ok,
                                                cfg.read_budget, env.gw_base)
        path = f"/people/page?cities={','.join(cities)}&limit={size}"
        if page == 100:
            path += f"&after={urllib.parse.quote(cursors['handwritten'])}"
        row["handwritten"] = await measure(env, "handwritten", rest_request(token, "GET", path), http_ok,
                                           cfg.read_budget, env.hw_base)
        if env.rest:  # Twenty's REST list always carries totalCount: the REST twin counts too
            row["handwritten-rest"] = await measure(env, "handwritten-rest",
                                                    rest_request(token, "GET", path + "&total=1"), http_ok,
                                                    cfg.read_budget, env.hw_base)
        raw_after = None if page == 1 else cursors["raw"]

        async def raw(i: int, raw_after: Any = raw_after) -> None:
            await q.page(cities, size, raw_after)

        row["raw"] = await measure(env, "raw", raw, None, cfg.read_budget)
        if env.parse is not None:  # the same keyset: position after the last one of page 99
            parse, after_position = env.parse, None if page == 1 else cursors["raw"][0]
            if page == 100:  # the same page as docgate's: it starts with the same person
                status, body = await fetch(parse.base, parse.page(cities, size, after_position, count=False))
                rows = orjson.loads(body).get("results", []) if status == 200 else []
                res["parse_page100_same_first"] = bool(rows) and rows[0].get("objectId") == cursors["expected_first"]
                if not res["parse_page100_same_first"]:
                    env.notes.append(f"Parse's page 100 does not start where docgate's does: {body[:200]!r}")
            row["parse"] = await measure(env, "parse", parse.page(cities, size, after_position, count=False),
                                         http_ok, cfg.read_budget, parse.base)
            row["parse-count"] = await measure(env, "parse", parse.page(cities, size, after_position, count=True),
                                               http_ok, cfg.read_budget, parse.base)
        res[key] = row
    return res


def _write_records(env: Env, kind: str, target: str, i: int) -> list[dict[str, Any]]:
    """The 60 records of a write request: new people (emails unique to the run and the request);
    for an upsert, half of them are existing people (matched on their email, same values)."""
    assert env.data is not None
    company_ids = [c["id"] for c in env.data.companies]
    env.write_seq += 1
    i = env.write_seq
    tag = f"-{env.run_tag}{target[:2]}{kind}{i}"
    if kind == "d":
        return gen.write_batch(0, gen.BATCH, company_ids, tag=tag)
    half = gen.BATCH // 2
    fresh = gen.write_batch(0, half, company_ids, tag=tag)
    people = env.data.people
    start = ((i + 10) * half) % len(people)
    existing = [{k: v for k, v in people[(start + k) % len(people)].items() if k != "id"} for k in range(half)]
    return existing + fresh


async def scenario_writes(env: Env, kind: str) -> dict[str, Any]:
    label = "batch create of 60" if kind == "d" else "batch upsert of 60, half existing"
    log(f"({kind}) {label}")
    cfg, token, q = env.cfg, env.token, env.queries
    assert q is not None
    mutation = M_CREATE if kind == "d" else M_UPSERT
    suffix = "" if kind == "d" else "?upsert=true"
    res: dict[str, Any] = {}
    res["docgate-graphql"] = await measure(
        env, "docgate-graphql",
        lambda i: graphql_request(token, mutation, {"d": _write_records(env, kind, "gq", i)}),
        graphql_ok, cfg.write_budget, env.gw_base, WRITE_CONCURRENCY)
    if env.rest:
        res["docgate-rest"] = await measure(
            env, "docgate-rest",
            lambda i: rest_request(token, "POST", f"/rest/batch/people{suffix}", _write_records(env, kind, "re", i)),
            http_ok, cfg.write_budget, env.gw_base, (1,))  # the same execution path as GraphQL: c=1 only
    res["handwritten"] = await measure(
        env, "handwritten",
        lambda i: rest_request(token, "POST", f"/batch/people{suffix}", _write_records(env, kind, "hw", i)),
        http_ok, cfg.write_budget, env.hw_base, WRITE_CONCURRENCY)

    async def raw(i: int) -> None:
        records = _write_records(env, kind, "rw", i)
        await (q.create_people(records) if kind == "d" else q.upsert_people(records))

    res["raw"] = await measure(env, "raw", raw, None, cfg.write_budget, concurrency=WRITE_CONCURRENCY)
    if env.parse is not None:
        parse = env.parse
        if kind == "d":
            res["parse"] = await measure(
                env, "parse", lambda i: parse.batch_create(_write_records(env, kind, "pa", i)), parse_batch_ok,
                cfg.write_budget, parse.base, WRITE_CONCURRENCY)
        else:
            res["parse"] = await measure_parse_upserts(env, parse)
    return res


def parse_batch_ok(status: int, body: bytes) -> str | None:
    """A Parse /batch answers 200 with one result per request: any "error" in it is a failure."""
    return http_ok(status, body) or (f"Parse batch error: {body[:300]!r}" if b'"error"' in body else None)


async def measure_parse_upserts(env: Env, parse: Any) -> dict[str, Any]:
    """(e) on Parse: a look-up by email and a batch per upsert, each worker on its own connection."""
    from .load import Connection

    out: dict[str, Any] = {}
    for c in WRITE_CONCURRENCY:
        conns: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(c):
            conns.put_nowait(Connection("127.0.0.1", parse.port))

        async def op(i: int, conns: asyncio.Queue[Connection] = conns) -> None:
            conn = await conns.get()
            try:
                await parse.upsert(conn, _write_records(env, "e", "pa", i))
            finally:
                conns.put_nowait(conn)

        res = await run_ops(op, c, env.cfg.write_budget(c), cpu_pids=env.pids("parse"))
        while not conns.empty():
            await conns.get_nowait().close()
        out[f"c{c}"] = res.as_dict()
        cpu = res.cpu_ms_per_req.get("server", float("nan"))
        log(f"  {'parse':<17} c={c:<3} {res.requests:>6} req {res.rps:>8.1f} req/s  p50 {res.p50_ms:>8.2f} ms  "
            f"p99 {res.p99_ms:>8.2f} ms  cpu {cpu:.3f} ms/req" + (f"  ERRORS {res.errors}: {res.first_error}"
                                                                  if res.errors else ""))
    return out


async def cleanup_writes(env: Env) -> int:
    """Remove what write scenarios created (this run's, or a crashed run's), so the data set is
    the generator's again: their emails are `personNNNNN-<tag>@…`, the generator's have no tag;
    (r)'s people have a jobTitle `rt…` and no email. Their timeline goes with them, and so do
    the people the write scenarios gave Parse."""
    assert env.queries is not None
    tagged, bench_job = {"$regex": r"^person\d{5}-"}, {"$regex": "^rt"}
    written = {"$or": [{"emails.primaryEmail": tagged}, {"jobTitle": bench_job}]}
    result = await env.queries.people.delete_many(written)
    # The load only creates; a write scenario's timeline is its people's `created` rows and any
    # other action (an upsert that changed nothing leaves none). Matched by value, not by an
    # `$in` of ids: the embedded store checks an `$in` against every document in a delete.
    await env.queries.db["timelineActivity"].delete_many({"$or": [
        {"name": {"$not": {"$regex": r"\.created$"}}},
        {"properties.after.emails.primaryEmail": tagged}, {"properties.after.jobTitle": bench_job}]})
    for database in ("parse_quick", "parse_full"):
        await env.queries.people.database.client[database]["Person"].delete_many(
            {"emails.primaryEmail": {"$regex": r"^person\d{5}-"}})
    return int(result.deleted_count)


# ------------------------------------------------------------------------ database commands


async def count_commands(env: Env) -> dict[str, Any]:
    """Commands per request from PyMongo command monitoring, with docgate and the hand-written
    endpoint run in-process (ASGI) on clients that carry a command listener."""
    import httpx

    from gateway.app import create_app
    from gateway.db import open_database
    from gateway.settings import Settings

    from .baselines import create_app as hw_app

    assert env.data is not None
    counter = CommandCounter(env.workspace_db)
    # As the bench's gateways run (bench.procs.gateway_env): no rate-limit counters, no webhook polls.
    settings = Settings(mongodb_uri=env.uri, control_db=CONTROL_DB, metadata_poll_seconds=3600.0, log_level="WARNING",
                        api_rate_limiting_short_limit=0, api_rate_limiting_long_limit=0, webhook_dispatcher=False)
    db = open_database(settings, listeners=[counter])
    app = create_app(settings, db=db)
    hw_counter = CommandCounter(env.workspace_db)
    hw_client = make_client(env.uri, [hw_counter])
    hw = hw_app(Queries(hw_client, env.workspace_db), env.token)
    out: dict[str, Any] = {}
    pid = env.data.people[7]["id"]
    cursors = await page_cursors(env)
    size = cursors["size"]
    auth = {"Authorization": f"Bearer {env.token}"}
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://docgate", headers=auth) as client:

                async def gql(label: str, query: str, variables: dict[str, Any]) -> None:
                    for _ in range(2):  # warm: schema, document cache, key cache
                        await client.post("/graphql", json={"query": query, "variables": variables})
                    counter.events.clear()
                    r = await client.post("/graphql", json={"query": query, "variables": variables})
                    summary = counter.summary()
                    summary["ok"] = r.status_code == 200 and "errors" not in r.json()
                    out[f"docgate-graphql {label}"] = summary

                async def rest(label: str, method: str, path: str, body: Any = None, warm: bool = True) -> None:
                    if warm:
                        await client.request(method, path, json=body)
                    counter.events.clear()
                    r = await client.request(method, path, json=body)
                    summary = counter.summary()
                    summary["ok"] = r.status_code < 400
                    out[f"docgate-rest {label}"] = summary

                await gql("(a) by id", Q_ONE, {"id": pid})
                # 32 reads by id at once, as at c=32: reads arriving together share commands.
                counter.events.clear()
                answers = await asyncio.gather(*(
                    client.post("/graphql", json={"query": Q_ONE, "variables": {"id": p["id"]}})
                    for p in env.data.people[:32]))
                out["docgate-graphql (a) 32 by id at once"] = {
                    **counter.summary(), "ok": all(r.status_code == 200 and "errors" not in r.json() for r in answers)}
                for n in (10, 50, 200):
                    await gql(f"(b) first {n}", Q_LIST, {"n": n})
                for n in (10, 50, 200):
                    await gql(f"(b) first {n} + totalCount", Q_LIST_TOTAL, {"n": n})
                await gql("(c) page 1", Q_PAGE, {"n": size, "after": None, "cities": gen.FILTER_CITIES})
                await gql("(c) page 100", Q_PAGE, {"n": size, "after": cursors["docgate"],
                                                   "cities": gen.FILTER_CITIES})
                counter.events.clear()
                r = await client.post("/graphql", json={"query": M_CREATE,
                                                        "variables": {"d": _write_records(env, "d", "cc", 0)}})
                out["docgate-graphql (d) create 60"] = {**counter.summary(), "ok": "errors" not in r.json()}
                counter.events.clear()
                r = await client.post("/graphql", json={"query": M_UPSERT,
                                                        "variables": {"d": _write_records(env, "e", "cc", 0)}})
                out["docgate-graphql (e) upsert 60"] = {**counter.summary(), "ok": "errors" not in r.json()}
                if env.rest:
                    await rest("(a) by id", "GET", f"/rest/people/{pid}")
                    for n in (10, 50, 200):
                        await rest(f"(b) limit {n} depth 1", "GET", f"/rest/people?limit={n}&depth=1")
                    await rest("(d) create 60", "POST", "/rest/batch/people", _write_records(env, "d", "cr", 0),
                               warm=False)
            transport = httpx.ASGITransport(app=hw)
            async with httpx.AsyncClient(transport=transport, base_url="http://hw", headers=auth) as client:

                async def hw_get(label: str, path: str) -> None:
                    await client.get(path)
                    hw_counter.events.clear()
                    r = await client.get(path)
                    out[f"handwritten {label}"] = {**hw_counter.summary(), "ok": r.status_code == 200}

                await hw_get("(a) by id", f"/people/{pid}")
                for n in (10, 50, 200):
                    await hw_get(f"(b) limit {n}", f"/people?limit={n}")
                for n in (10, 50, 200):
                    await hw_get(f"(b) REST twin limit {n}", f"/people?limit={n}&shape=rest&total=1")
                hw_counter.events.clear()
                r = await client.post("/batch/people", json=_write_records(env, "d", "ch", 0))
                out["handwritten (d) create 60"] = {**hw_counter.summary(), "ok": r.status_code == 200}
                hw_counter.events.clear()
                r = await client.post("/batch/people?upsert=true", json=_write_records(env, "e", "ch", 0))
                out["handwritten (e) upsert 60"] = {**hw_counter.summary(), "ok": r.status_code == 200}
    finally:
        await db.close()
        await hw_client.close()
    return out


# ------------------------------------------------------------------------- (f) and (g)


async def scenario_f(env: Env) -> dict[str, Any]:
    from gateway.settings import Settings
    from schema_builder.metadata.store import MetadataStore

    from .schema_build import measure_build, measure_lru, retained_bytes

    log("(f) schema build: 200 custom objects x 20 fields")
    out: dict[str, Any] = {"custom": measure_build(200, 20, 2 if env.cfg.quick else 3)}
    log(f"  build {out['custom']['build_ms_median']} ms, retained {out['custom']['retained_mb']} MB")
    client = make_client(env.uri)
    try:
        store = MetadataStore(client[CONTROL_DB], client[env.workspace_db], env.workspace_id)
        model = await store.load_model()
    finally:
        await client.close()
    from schema_builder.synthesis.core_schema import build_core_schema

    t0 = time.perf_counter()
    build_core_schema(model)
    standard_ms = (time.perf_counter() - t0) * 1000
    size, _ = retained_bytes(lambda: build_core_schema(model))
    out["standard"] = {"objects": len(model.objects), "fields_total": sum(len(o.fields) for o in model.objects),
                       "build_ms": round(standard_ms, 1), "retained_mb": round(size / 1e6, 2)}
    log(f"  standard workspace: build {standard_ms:.0f} ms, retained {size / 1e6:.2f} MB")
    default_cache = Settings().schema_cache_size
    workspaces, cache = (200, 50) if env.cfg.quick else (1000, 100)
    log(f"  LRU: {workspaces} standard workspaces through a registry of {cache}")
    out["lru"] = await measure_lru(model, workspaces, cache)
    out["lru"]["default_cache_size"] = default_cache
    out["lru"]["default_bound_mb_standard"] = round(default_cache * size / 1e6, 1)
    out["lru"]["default_bound_mb_custom"] = round(default_cache * out["custom"]["retained_mb"], 1)
    return out


async def scenario_g(env: Env) -> dict[str, Any]:
    """From a metadata change (createOneField on /metadata) to the first /graphql request that
    can select the new field: on the replica that made the change, and on a second replica
    that learns of it by polling metadata versions."""
    log("(g) metadata change -> first request that sees it")
    assert env.data is not None
    rounds = 2 if env.cfg.quick else 4
    token = env.token
    replica, replica_base = gateway(env.uri, CONTROL_DB, env.work / "docgate-replica.log",
                                    DOCGATE_METADATA_POLL_SECONDS="0.5")
    env.procs.append(replica)
    created: list[str] = []
    try:
        q = "{ objects(paging: {first: 100}) { edges { node { id nameSingular } } } }"
        _, body = await fetch(env.gw_base, HttpRequest("POST", "/metadata", orjson.dumps({"query": q}), {
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"}))
        objects = orjson.loads(body)["data"]["objects"]["edges"]
        person_object = next(e["node"]["id"] for e in objects if e["node"]["nameSingular"] == "person")
        pid = env.data.people[3]["id"]
        # Both replicas have built the current schema before each change.
        rows = []
        for r in range(rounds):
            name = f"bench{env.run_tag}G{r}"
            probe_query = f"query P($id: UUID!) {{ person(filter: {{id: {{eq: $id}}}}) {{ id {name} }} }}"
            probe = graphql_request(token, probe_query, {"id": pid})
            warm = graphql_request(token, Q_ONE, {"id": pid})
            for base in (env.gw_base, replica_base):
                await fetch(base, warm)
            mutation = ("mutation F($input: CreateOneFieldMetadataInput!) { createOneField(input: $input) { id } }")
            variables = {"input": {"field": {"objectMetadataId": person_object, "name": name, "label": name,
                                              "type": "TEXT"}}}
            t0 = time.perf_counter()
            status, body = await fetch(env.gw_base, HttpRequest("POST", "/metadata", orjson.dumps(
                {"query": mutation, "variables": variables}), {"Authorization": f"Bearer {token}",
                                                               "Content-Type": "application/json"}))
            t1 = time.perf_counter()
            if (problem := graphql_ok(status, body)) is not None:
                raise RuntimeError(f"createOneField failed: {problem}")
            created.append(orjson.loads(body)["data"]["createOneField"]["id"])

            async def first_seen(base: str, probe: HttpRequest = probe, t0: float = t0) -> tuple[float, float, int]:
                polls = 0
                while True:
                    polls += 1
                    t = time.perf_counter()
                    status, body = await fetch(base, probe)
                    if graphql_ok(status, body) is None:
                        return time.perf_counter() - t0, time.perf_counter() - t, polls
                    if time.perf_counter() - t0 > 30:
                        return float("inf"), 0.0, polls
                    await asyncio.sleep(0.01)

            local, local_req, _ = await first_seen(env.gw_base)
            remote, _, polls = await first_seen(replica_base)
            rows.append({"mutation_ms": round((t1 - t0) * 1000, 1), "local_ms": round(local * 1000, 1),
                         "local_first_request_ms": round(local_req * 1000, 1),
                         "replica_ms": round(remote * 1000, 1), "replica_polls": polls})
            log(f"  round {r}: mutation {rows[-1]['mutation_ms']} ms; visible locally after {rows[-1]['local_ms']} "
                f"ms (that request {rows[-1]['local_first_request_ms']} ms), on the replica after "
                f"{rows[-1]['replica_ms']} ms")
    finally:
        replica.stop()
        env.procs.remove(replica)
        for field_id in created:  # leave the workspace's model as it was
            await fetch(env.gw_base, HttpRequest("POST", "/metadata", orjson.dumps({
                "query": "mutation D($id: UUID!) { deleteOneField(input: {id: $id}) { id } }",
                "variables": {"id": field_id}}), {"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"}))
    return {"rounds": rows, "local_ms_max": max(r["local_ms"] for r in rows),
            "replica_ms_max": max(r["replica_ms"] for r in rows), "poll_seconds": 0.5}


# ------------------------------------------------------------------------------ (r)


async def scenario_r(env: Env) -> dict[str, Any]:
    """Subscriptions: from a write's commit to an SSE subscriber's receipt of its event
    (`personEvents` on /graphql), 1 and 100 subscribers on the gateway; the floor is the raw
    driver's change stream seeing its own insert. `python -m bench realtime` measures more
    (1,000 subscribers, WebSocket, Twenty's event streams, another replica, memory)."""
    from .realtime import Bench, CommitClock, Replica, baseline, measure_round, raw_floor, writes_for

    assert env.gw is not None and env.db_proc is not None
    log("(r) subscriptions: write committed -> SSE subscriber has the event")
    main = Replica("main", env.gw, env.gw_base)
    commits = CommitClock(env.uri)
    await commits.start()
    try:
        bench = Bench(env.uri, env.token, env.db_proc.pid, env.run_tag, main, commits=commits)
        out: dict[str, Any] = {"floor": await raw_floor(env.uri, writes_for(1, env.cfg.quick))}
        await measure_round(bench, "graphql-sse", 1, main, 3, "s-warm", idle_seconds=0)
        out["baseline"] = await baseline(bench, writes_for(1, env.cfg.quick))
        for n in SUBSCRIBERS:
            row = await measure_round(bench, "graphql-sse", n, main, writes_for(n, env.cfg.quick), f"s-{n}")
            out[f"n{n}"] = row
            lat = row["commit_to_receipt"]
            log(f"  {n:>4} subscriber(s): {row['delivered']} events, commit->receipt p50 {lat.get('p50_ms')} ms "
                f"p99 {lat.get('p99_ms')} ms; ack->receipt p50 {row['ack_to_receipt'].get('p50_ms')} ms; gateway "
                f"CPU {row['gateway_cpu_ms_per_event']} ms/event")
    finally:
        await commits.stop()
    log(f"  floor (raw change stream) p50 {out['floor']['ack_to_receipt'].get('p50_ms')} ms")
    return out


# ------------------------------------------------------------------------------------ run


def environment(env: Env) -> dict[str, Any]:
    def version(mod: str) -> str:
        try:
            from importlib.metadata import version as v

            return v(mod)
        except Exception:
            return "?"

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "gateway", "schema_builder", "rest_shim"],
                           cwd=ROOT, capture_output=True, text=True).stdout
    node = shutil.which("node")
    node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip() if node else None
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit.strip(), "gateway_tree_dirty": bool(dirty.strip()),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "loadavg_at_start": os.getloadavg()},
        "versions": {m: version(m) for m in ("pymongo", "graphql-core", "ariadne", "starlette", "uvicorn", "orjson",
                                             "SecantusDB")}
        | {"node": node_version},
        "quick": env.cfg.quick, "people": env.cfg.people, "companies": env.cfg.companies,
        "concurrency": list(CONCURRENCY),
    }


async def cleanup_after(env: Env, scenarios: str, setup: dict[str, Any]) -> None:
    """The write scenarios' records removed; a failure is noted, not fatal: what was measured
    is kept, and the next run's set-up removes the leftovers."""
    for attempt in (1, 2):
        try:
            setup["cleaned_records"] = await cleanup_writes(env)
            return
        except PyMongoError as exc:
            if attempt == 1 and isinstance(exc, AutoReconnect):
                continue  # a pooled connection the store closed while idle: once more, on a new one
            log(f"cleaning up after {scenarios} failed: {exc}")
            env.notes.append(f"clean-up after {scenarios} failed ({exc}); the next run's set-up removes the leftovers")
            return


async def run(cfg: Config) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="docgate-bench-"))
    env = Env(cfg=cfg, work=work, run_tag=base64.b32encode(os.urandom(5)).decode().lower()[:6])
    results: dict[str, Any] = {"environment": environment(env), "scenarios": {}, "logs": str(work)}
    started = time.perf_counter()
    try:
        results["setup"] = await setup(env)
        results["setup"]["rest"] = env.rest
        results["checks"] = await check_same_answers(env)
        log(f"answers agree: {results['checks']}")
        results["commands"] = await count_commands(env)
        for label, summary in results["commands"].items():
            log(f"  commands {label}: {summary['workspace_db']} on records (+{summary['other']} other)")
        if cfg.wants("a"):
            results["scenarios"]["a"] = await scenario_a(env)
        if cfg.wants("i"):  # issue 17's CPU ceilings, measured as `python -m bench cpu` measures them
            from .cpu import interleaved

            results["scenarios"]["i"] = await interleaved(env, rounds=3 if cfg.quick else 6,
                                                          seconds=3 if cfg.quick else 5)
        if cfg.wants("b"):
            results["scenarios"]["b"] = await scenario_b(env)
        if cfg.wants("c"):
            results["scenarios"]["c"] = await scenario_c(env)
        try:
            for kind in ("d", "e"):
                if cfg.wants(kind):
                    results["scenarios"][kind] = await scenario_writes(env, kind)
        finally:
            await cleanup_after(env, "(d) and (e)", results["setup"])
        if cfg.wants("s"):
            from .search import scenario_s

            results["scenarios"]["s"] = await scenario_s(env)
        if cfg.wants("h"):  # before Parse stops: (h) compares with Parse's aggregate endpoint
            from .aggregates import scenario_h

            results["scenarios"]["h"] = await scenario_h(env)
            results["commands"].update(results["scenarios"]["h"].pop("commands"))
        if env.parse is not None:
            env.parse.stop()  # (a) to (e) and (h) done: leave the cores to the rest
            env.parse = None
        if cfg.wants("f"):
            results["scenarios"]["f"] = await scenario_f(env)
        if cfg.wants("g"):
            results["scenarios"]["g"] = await scenario_g(env)
        if cfg.wants("r"):
            try:
                results["scenarios"]["r"] = await scenario_r(env)
            finally:
                await cleanup_after(env, "(r)", {})
    finally:
        env.stop()
        results["notes"] = env.notes
        results["environment"]["seconds"] = round(time.perf_counter() - started, 1)
        results["environment"]["machine"]["loadavg_at_end"] = os.getloadavg()
    return results
