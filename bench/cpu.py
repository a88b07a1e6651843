"""Gateway CPU per request against the hand-written floor, in interleaved rounds (issue 17, item 2).

`python -m bench cpu --quick --rounds 4 --seconds 4`: docgate and the hand-written Starlette +
PyMongo service (bench.baselines) run as their own uvicorn processes on the run's one store.
Each round sends every case for `--seconds` at c=1, docgate's request then its floor's, so that
both sides of a ratio see the same machine; each process's own CPU over its window, summed
over the rounds and divided by its requests, is its CPU per request. The ratios are printed
with issue 17's targets and their verdicts (on those ratios of totals), beside each round's own
ratio (median, lowest, highest: how far the machine's load moved it), and written to bench/results/.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .load import Budget, run_http
from .procs import ROOT
from .scenarios import (
    Q_LIST,
    Q_ONE_COMPANY,
    Config,
    Env,
    by_id_request,
    graphql_ok,
    graphql_request,
    http_ok,
    log,
    person_id,
    rest_request,
    setup,
)


@dataclass(frozen=True)
class Pair:
    name: str
    target: float | None  # issue 17's ceiling for docgate / floor; None: shown, not judged
    docgate: Any  # i -> HttpRequest, against the gateway
    floor: Any  # i -> HttpRequest, against the hand-written service


def pairs(env: Env) -> list[Pair]:
    t = env.token

    def one(query: str) -> Any:
        return lambda i: graphql_request(t, query, {"id": person_id(env, i)})

    return [
        Pair("GraphQL person by id + company", 1.2, one(Q_ONE_COMPANY),
             lambda i: rest_request(t, "GET", f"/people/{person_id(env, i)}?company=1")),
        Pair("GraphQL page of 50 + company", 1.2, lambda i: graphql_request(t, Q_LIST, {"n": 50}),
             lambda i: rest_request(t, "GET", "/people?limit=50")),
        Pair("REST depth=1, 50 people", 1.3, lambda i: rest_request(t, "GET", "/rest/people?limit=50&depth=1"),
             lambda i: rest_request(t, "GET", "/people?limit=50&shape=rest&total=1")),
        Pair("GraphQL person by id", None, by_id_request(env, "graphql"),
             by_id_request(env, "handwritten")),
        Pair("REST person by id", None, by_id_request(env, "rest"),
             by_id_request(env, "handwritten")),
    ]


async def _spent(base: str, make: Any, check: Any, pid: int, seconds: float) -> tuple[float, int]:
    res = await run_http(base, make, 1, Budget(seconds, 5, 10**6, warmup=3), cpu_pids={"server": pid}, check=check)
    if res.errors:
        raise RuntimeError(f"{base}: {res.errors} errors, first: {res.first_error}")
    return res.cpu_ms_per_req["server"] * res.requests, res.requests


async def measure(cfg: Config, rounds: int, seconds: float) -> dict[str, Any]:
    """`python -m bench cpu`: a set-up of its own (no peer), then `interleaved`."""
    env = Env(cfg=cfg, work=Path(tempfile.mkdtemp(prefix="docgate-cpu-")), run_tag="cpu")
    try:
        await setup(env)
        return await interleaved(env, rounds, seconds)
    finally:
        env.stop()


async def interleaved(env: Env, rounds: int, seconds: float) -> dict[str, Any]:
    """The rounds on a running set-up (`python -m bench run` has them as its scenario (i))."""
    assert env.gw is not None and env.hw is not None
    log(f"(i) gateway CPU per request against the hand-written floor, c=1, {rounds} interleaved rounds")
    cases = pairs(env)
    spent = {(p.name, side): [0.0, 0] for p in cases for side in ("docgate", "floor")}
    per_round: list[dict[str, float]] = []
    for r in range(rounds):
        row = {}
        for p in cases:
            for side, base, make, check, pid in (
                ("docgate", env.gw_base, p.docgate, graphql_ok if "GraphQL" in p.name else http_ok, env.gw.pid),
                ("floor", env.hw_base, p.floor, http_ok, env.hw.pid),
            ):
                ms, n = await _spent(base, make, check, pid, seconds)
                spent[(p.name, side)][0] += ms
                spent[(p.name, side)][1] += n
                row[f"{p.name} / {side}"] = round(ms / n, 3)
        per_round.append(row)
        log(f"  round {r + 1}/{rounds}: " + ", ".join(f"{k} {v}" for k, v in row.items()))
    results = []
    for p in cases:
        (d_ms, d_n), (f_ms, f_n) = spent[(p.name, "docgate")], spent[(p.name, "floor")]
        docgate, floor = d_ms / d_n, f_ms / f_n
        ratio = docgate / floor
        # Each round's own ratio: how far the machine's load moved the figure between rounds.
        by_round = sorted(r[f"{p.name} / docgate"] / r[f"{p.name} / floor"] for r in per_round)
        middle = statistics.median(by_round)
        results.append({"case": p.name, "docgate_cpu_ms": round(docgate, 3), "floor_cpu_ms": round(floor, 3),
                        "ratio": round(ratio, 2), "target": p.target,
                        "round_ratios": {"min": round(by_round[0], 2), "median": round(middle, 2),
                                         "max": round(by_round[-1], 2)},
                        "verdict": None if p.target is None else ("met" if ratio <= p.target else "not met"),
                        "requests": {"docgate": d_n, "floor": f_n}})
    return {"rounds": rounds, "seconds": seconds, "people": env.cfg.people, "cases": results,
            "per_round": per_round, "load_average": os.getloadavg()}


def render(result: dict[str, Any]) -> str:
    lines = [f"gateway CPU per request, c=1, {result['rounds']} interleaved rounds of {result['seconds']:g} s "
             f"({result['people']} people; load average at the end {result['load_average'][0]:.1f})",
             f"{'case':34} {'docgate ms':>10} {'floor ms':>9} {'ratio':>6} {'rounds: median (min-max)':>25}  target"]
    for c in result["cases"]:
        target = f"<= {c['target']}x: {c['verdict']}" if c["target"] else "(not a target)"
        spread = c["round_ratios"]
        rounds = f"{spread['median']:.2f}x ({spread['min']:.2f}-{spread['max']:.2f})"
        figures = f"{c['docgate_cpu_ms']:>10.3f} {c['floor_cpu_ms']:>9.3f} {c['ratio']:>5.2f}x {rounds:>25}"
        lines.append(f"{c['case']:34} {figures}  {target}")
    return "\n".join(lines)


def write(result: dict[str, Any], results_dir: Path) -> Path:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    path = results_dir / f"{dt.date.today().isoformat()}-{commit.strip() or 'unknown'}-cpu.json"
    results_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1))
    return path

