"""(h) Aggregates over 10,000 opportunities: `opportunitiesGroupBy` by stage with
`sumAmountAmountMicros` and `totalCount` (GraphQL and REST), and one connection with five
aggregates, against the raw driver running the very pipeline docgate sends (built by docgate's
own functions, run in-process) and, when it runs, Parse Server's aggregate endpoint.

The opportunities are generated (seed 42) and loaded through docgate's batch API, 60 a call.
Target: docgate's wall time within 1.5x the raw driver's (p50, c=1): the gateway's overhead
over the database's own work.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import urllib.parse
from typing import Any

import orjson

from .baselines import make_client
from .load import Budget, HttpRequest, fetch

OPPORTUNITIES = 10_000
STAGES = ("NEW", "SCREENING", "MEETING", "PROPOSAL", "CUSTOMER")
Q_GROUP = ("query G { opportunitiesGroupBy(groupBy: [{stage: true}]) "
           "{ groupByDimensionValues totalCount sumAmountAmountMicros } }")
Q_FIVE = ("query F { opportunities { totalCount sumAmountAmountMicros avgAmountAmountMicros minCloseDate "
          "countUniqueValuesStage } }")
REST_GROUP = "/rest/opportunities/groupBy?" + urllib.parse.urlencode(
    {"group_by": '[{"stage": true}]', "aggregate": '["totalCount", "sumAmountAmountMicros"]'})
M_OPPORTUNITIES = "mutation O($d: [OpportunityCreateInput!]!) { createOpportunities(data: $d) { id } }"
# A pipeline over every record takes about a second on the embedded store, which runs one
# command at a time: 32 concurrent ones would only queue past the deadline.
CONCURRENCY = (1, 4)
# What exactness costs: the same groups with MongoDB's own `$sum` of the stored numbers (no
# Decimal128; a sum past 64 bits would be rounded, or, on SecantusDB, fail).
NATIVE_GROUP: list[dict[str, Any]] = [{"$match": {"deletedAt": None}}, {"$group": {
    "_id": "$stage", "totalCount": {"$sum": 1}, "sumAmountAmountMicros": {"$sum": "$amount.amountMicros"}}}]


def opportunities(n: int = OPPORTUNITIES) -> list[dict[str, Any]]:
    rng = random.Random(42)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    return [{
        "name": f"Deal {i:05}",
        "stage": rng.choice(STAGES),
        "amount": {"amountMicros": rng.randrange(1, 5_000_000) * 1_000_000, "currencyCode": "USD"},
        "closeDate": (start + dt.timedelta(minutes=rng.randrange(525_600))).isoformat(),
    } for i in range(n)]


async def load(env: Any, graphql_request: Any, graphql_ok: Any) -> dict[str, Any]:
    """The opportunities through docgate's batch API (skipped when a reused store has them)."""
    status, body = await fetch(env.gw_base, graphql_request(env.token, "{ opportunities { totalCount } }"))
    if status == 200 and orjson.loads(body)["data"]["opportunities"]["totalCount"] >= OPPORTUNITIES:
        return {"reused": True}
    t0 = time.perf_counter()
    records = opportunities()
    for startat in range(0, len(records), 60):
        status, body = await fetch(env.gw_base, graphql_request(env.token, M_OPPORTUNITIES,
                                                                {"d": records[startat:startat + 60]}))
        if (problem := graphql_ok(status, body)) is not None:
            raise RuntimeError(f"loading opportunities failed: {problem}")
    return {"opportunities": len(records), "seconds": round(time.perf_counter() - t0, 1)}


async def pipelines(env: Any) -> tuple[Any, list[dict[str, Any]], list[dict[str, Any]]]:
    """The raw driver's collection and docgate's own two pipelines (the same commands it sends)."""
    from schema_builder.compile.group_by import compile_group_by
    from schema_builder.context import Limits
    from schema_builder.execute.aggregates import Accumulators
    from schema_builder.execute.group_by import group_by_pipeline
    from schema_builder.metadata.store import MetadataStore
    from schema_builder.synthesis.aggregate_types import aggregates_of

    from .scenarios import CONTROL_DB

    client = make_client(env.uri)
    model = await MetadataStore(client[CONTROL_DB], client[env.workspace_db], env.workspace_id).load_model()
    obj = model.by_singular("opportunity")
    assert obj is not None
    available = aggregates_of(obj)
    plan = compile_group_by(model, obj, {"groupBy": [{"stage": True}]}, Limits())
    group = Accumulators([available["totalCount"], available["sumAmountAmountMicros"]])
    group_pipeline = group_by_pipeline(model, obj, plan, {"deletedAt": None}, group, None, False)
    five = Accumulators(available[n] for n in ("totalCount", "sumAmountAmountMicros", "avgAmountAmountMicros",
                                                "minCloseDate", "countUniqueValuesStage"))
    five_pipeline = [{"$match": {"deletedAt": None}}, {"$group": {"_id": None, **five.group}},
                     {"$project": five.project()}]
    return client[env.workspace_db][obj.collection], group_pipeline, five_pipeline


async def run_raw(coll: Any, pipeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = await (await coll.aggregate(pipeline)).to_list(None)
    return found


async def check(env: Any, graphql_request: Any, coll: Any, group: list[dict[str, Any]]) -> dict[str, Any]:
    """docgate's groups are the raw pipeline's, or the ratios mean nothing."""
    _, body = await fetch(env.gw_base, graphql_request(env.token, Q_GROUP))
    answer = {tuple(g["groupByDimensionValues"]): (g["totalCount"], g["sumAmountAmountMicros"])
              for g in orjson.loads(body)["data"]["opportunitiesGroupBy"]}
    raw = {(g["_id"]["d0"],): (g["totalCount"], float(g["sumAmountAmountMicros"].to_decimal()))
           for g in await run_raw(coll, group)}
    expected: dict[tuple[str], list[int]] = {}
    for o in opportunities():
        entry = expected.setdefault((o["stage"],), [0, 0])
        entry[0] += 1
        entry[1] += o["amount"]["amountMicros"]
    python = {k: (v[0], float(v[1])) for k, v in expected.items()}
    return {"same_as_raw": answer == raw, "same_as_python": answer == python, "groups": len(answer)}


async def commands(env: Any, counter_type: Any) -> dict[str, Any]:
    """Commands per request, docgate in-process on a client with a command listener."""
    import httpx

    from gateway.app import create_app
    from gateway.db import open_database
    from gateway.settings import Settings

    from .scenarios import CONTROL_DB

    counter = counter_type(env.workspace_db)
    settings = Settings(mongodb_uri=env.uri, control_db=CONTROL_DB, metadata_poll_seconds=3600.0, log_level="WARNING")
    db = open_database(settings, listeners=[counter])
    app = create_app(settings, db=db)
    out: dict[str, Any] = {}
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://docgate",
                                         headers={"Authorization": f"Bearer {env.token}"}) as client:
                for label, method, path, body in (
                    ("docgate-graphql (h) groupBy", "POST", "/graphql", {"query": Q_GROUP}),
                    ("docgate-graphql (h) 5 aggregates", "POST", "/graphql", {"query": Q_FIVE}),
                    ("docgate-rest (h) groupBy", "GET", REST_GROUP, None),
                ):
                    await client.request(method, path, json=body)
                    counter.events.clear()
                    response = await client.request(method, path, json=body)
                    out[label] = {**counter.summary(), "ok": response.status_code == 200
                                  and b'"errors"' not in response.content}
    finally:
        await db.close()
    return out


PARSE_GROUP = [{"$group": {"_id": "$stage", "totalCount": {"$sum": 1}, "sum": {"$sum": "$amount.amountMicros"}}}]


async def parse_setup(peer: Any) -> dict[str, Any]:
    """The opportunities into Parse Server through its batch API (skipped when present)."""
    status, _ = await peer.call("GET", "/schemas/Opportunity")
    if status != 200:
        await peer.call("POST", "/schemas/Opportunity", {"className": "Opportunity", "fields": {
            "name": {"type": "String"}, "stage": {"type": "String"}, "amount": {"type": "Object"},
            "closeDate": {"type": "Date"}}})
    if await peer.count("Opportunity") >= OPPORTUNITIES:
        return {"loaded": False}
    t0 = time.perf_counter()
    records = opportunities()
    for start in range(0, len(records), 50):
        await peer._batch([{"method": "POST", "path": "/parse/classes/Opportunity", "body": {
            **o, "closeDate": {"__type": "Date", "iso": o["closeDate"]}}} for o in records[start:start + 50]])
    return {"loaded": True, "seconds": round(time.perf_counter() - t0, 1)}


def parse_group_request(peer: Any) -> HttpRequest:
    from .peers.parse import HEADERS

    query = urllib.parse.urlencode({"pipeline": orjson.dumps(PARSE_GROUP).decode()})
    return HttpRequest("GET", f"/parse/aggregate/Opportunity?{query}", None, HEADERS)


def budget(quick: bool) -> Any:
    def of(concurrency: int) -> Budget:
        return Budget(duration=6 if quick else 20, min_requests=max(8, 2 * concurrency), max_requests=10_000, warmup=1)

    return of


async def scenario_h(env: Any) -> dict[str, Any]:
    from .scenarios import CommandCounter, graphql_ok, graphql_request, http_ok, log, measure, rest_request

    log(f"(h) aggregates over {OPPORTUNITIES} opportunities")
    cfg, token, read_budget = env.cfg, env.token, budget(env.cfg.quick)

    async def timed(target: str, make: Any, check: Any, base: str | None = None) -> dict[str, Any]:
        return await measure(env, target, make, check, read_budget, base, CONCURRENCY)

    out: dict[str, Any] = {"load": await load(env, graphql_request, graphql_ok)}
    coll, group, five = await pipelines(env)
    out["check"] = await check(env, graphql_request, coll, group)
    log(f"  loaded {out['load']}; answers {out['check']}")
    out["commands"] = await commands(env, CommandCounter)
    out["group"] = {
        "docgate-graphql": await timed("docgate-graphql", graphql_request(token, Q_GROUP), graphql_ok, env.gw_base),
        "docgate-rest": await timed("docgate-rest", rest_request(token, "GET", REST_GROUP), http_ok, env.gw_base),
        "raw": await timed("raw", lambda i: run_raw(coll, group), None),
        "raw-native-sum": await timed("raw", lambda i: run_raw(coll, NATIVE_GROUP), None),
    }
    out["five"] = {
        "docgate-graphql": await timed("docgate-graphql", graphql_request(token, Q_FIVE), graphql_ok, env.gw_base),
        "raw": await timed("raw", lambda i: run_raw(coll, five), None),
    }
    if cfg.peer:
        from .scenarios import setup_parse

        try:
            if env.parse is None:
                out["parse_setup"] = await setup_parse(env)
            if env.parse is not None:
                out["parse_load"] = await parse_setup(env.parse)
                status, body = await fetch(env.parse.base, parse_group_request(env.parse))
                out["parse_check"] = {"status": status, "groups": len(orjson.loads(body).get("results", []))}
                out["group"]["parse"] = await timed("parse", parse_group_request(env.parse), http_ok, env.parse.base)
        finally:
            if env.parse is not None:
                env.parse.stop()
                env.parse = None
    await coll.database.client.close()
    return out
