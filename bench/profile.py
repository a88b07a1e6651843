"""`python -m bench profile`: where the gateway spends its CPU under (a) and (b) load.

Starts the benchmark's set-up (reusing `--store` when given), then for each case — (a) by id
(GraphQL, GraphQL with the person's company, REST) at c=32 and (b) a page of 50 (GraphQL with
company, REST `depth=1`) at c=4 — puts load on the gateway while `py-spy record` samples it (by
function, `--gil`: only while the gateway's thread holds the GIL, so a thread that woke and
waits for a core on this shared machine, or sleeps in epoll, is not counted). Writes a flame
graph (SVG) and the collapsed stacks for each, prints where the time goes (`PHASES`: each
sample charged to the innermost part of the request it was in), and the functions with the
most samples, by own time and by inclusive time, each also as milliseconds of gateway CPU per
request (its share times the gateway's own CPU per request over the same window), and writes
it all to `summary.json`.
"""

from __future__ import annotations

import asyncio
import collections
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .load import Budget, run_http
from .scenarios import (
    Q_LIST,
    Q_ONE,
    Q_ONE_COMPANY,
    Config,
    Env,
    graphql_ok,
    graphql_request,
    http_ok,
    log,
    person_id,
    rest_request,
    setup,
)


def py_spy() -> str:
    found = Path(sys.executable).with_name("py-spy")
    if found.exists():
        return str(found)
    which = shutil.which("py-spy")
    if which is None:
        raise SystemExit("py-spy is not installed: pip install py-spy")
    return which


def summarise(collapsed: Path, top: int = 15) -> dict[str, list[tuple[str, float]]]:
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    phases: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        own[frames[-1]] += n
        phases[phase(frames)] += n
        for frame in set(frames):
            inclusive[frame] += n
    if not total:
        return {"own": [], "inclusive": [], "phases": []}
    return {
        "own": [(f, 100 * n / total) for f, n in own.most_common(top)],
        "inclusive": [(f, 100 * n / total) for f, n in inclusive.most_common(top * 3)
                      if "site-packages/uvicorn" not in f and "asyncio" not in f and "<module>" not in f
                      and "uvloop" not in f and "runpy" not in f][:top],
        "phases": [(f, 100 * n / total) for f, n in phases.most_common()],
        "samples": [("total", float(total))],
    }


# Where a sample's time goes: the first rule that matches, tried on the frames from the top of
# the stack (the function on CPU) down, so that time is charged to the innermost part of the
# request that spent it. Generated and stdlib helper frames (a dataclass's __hash__, contextlib,
# weakref) are charged to their caller. py-spy without --native shows C code (orjson, BSON,
# uvloop, the kernel's socket sends) as the Python frame that called it: hence the first rules.
PHASES: list[tuple[str, tuple[str, ...]]] = [
    ("socket sends to the database (kernel: loopback TCP)", ("PyMongoProtocol.write (",)),
    ("response sends (uvicorn, kernel)", ("RequestResponseCycle.send (",)),
    ("event loop (uvloop in C: socket reads, epoll, callbacks)", ("Runner.run (asyncio/runners.py",)),
    ("driver (PyMongo: commands, pool, BSON decode)", ("(pymongo/", "(bson/")),
    ("result serialisation (orjson, response object)", ("OrjsonResponse.", "JSONResponse.", "Response.__init__ (",
                                                         "Response.init_headers (", "result_to_json (",
                                                         "(schema_builder/json_values.py")),
    ("request body and JSON parse", ("read_json (", "Request.body (")),
    ("GraphQL parse", ("(graphql/language/parser.py", "(graphql/language/lexer.py")),
    ("GraphQL validate", ("(graphql/validation/", "(graphql/utilities/type_info.py", "(graphql/language/visitor.py")),
    ("compiled plan: resolve and shape results (compile/query_plans.py)", ("(schema_builder/compile/query_plans.py",)),
    ("compile step: document cache, arguments, filters, cost, cursors", ("(schema_builder/compile/",)),
    ("graphql-core execution: per-field resolvers", ("(graphql/execution/", "(graphql/type/", "(graphql/pyutils/")),
    ("resolvers, loaders, reads (schema_builder/execute, synthesis)", ("(schema_builder/execute/",
                                                                        "(schema_builder/synthesis/",
                                                                        "(schema_builder/")),
    ("REST shim: parameters, document, envelope", ("(rest_shim/",)),
    ("auth and admission (key cache, limits)", ("(gateway/auth.py", "(gateway/apikeys.py", "(gateway/limits/admission",
                                                "Gateway.authenticate (", "limits_of")),
    ("metrics (prometheus_client)", ("(prometheus_client/", "(gateway/observability/")),
    ("ASGI and HTTP (uvicorn, starlette, middleware, endpoint)", ("(uvicorn/", "(starlette/", "(httptools/",
                                                                   "(gateway/", "(sse_starlette/")),
]
_TRANSPARENT = ("(<string>", "(<frozen", "(contextlib.py", "(weakref.py", "(_weakrefset.py", "(functools.py",
                "(typing.py", "(enum.py", "(abc.py", "(dataclasses.py", "(copy.py", "(collections/", "(random.py",
                "(uuid.py", "(logging/", "(urllib/", "(re/", "(json/", "(datetime.py", "(threading.py",
                "(graphql/language/ast.py", "(asyncio/", "(uvloop/")
_LOOP = "Runner.run (asyncio/runners.py"  # the root frame: uvloop's own C code shows as this


def phase(frames: list[str]) -> str:
    """The part of the request a sample (its frames, outermost first) belongs to."""
    for frame in reversed(frames):
        if frame.startswith(_LOOP):
            return PHASES[2][0]
        if any(t in frame for t in _TRANSPARENT):  # asyncio's tasks and futures go to whoever awaits
            continue
        for name, markers in PHASES:
            if any(m in frame for m in markers):
                return name
        return "other: " + frame.split(" (", 1)[-1].split(":", 1)[0].rstrip(")")
    return "other"


async def profile(cfg: Config, seconds: int, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    env = Env(cfg=cfg, work=Path(tempfile.mkdtemp(prefix="docgate-profile-")), run_tag="prof")
    try:
        await setup(env)
        assert env.gw is not None
        token = env.token
        # By id keeps the gateway busy at c=32; a list waits on the database (the embedded store
        # scans), so more than a few at once would only queue there and time out.
        cases: list[tuple[str, Any, Any, int]] = [
            ("a-graphql", lambda i: graphql_request(token, Q_ONE, {"id": person_id(env, i)}), graphql_ok, 32),
            ("a-graphql-company", lambda i: graphql_request(token, Q_ONE_COMPANY, {"id": person_id(env, i)}),
             graphql_ok, 32),
            ("b-graphql", graphql_request(token, Q_LIST, {"n": 50}), graphql_ok, 4),
        ]
        if env.rest:
            cases += [
                ("a-rest", lambda i: rest_request(token, "GET", f"/rest/people/{person_id(env, i)}"), http_ok, 32),
                ("b-rest", rest_request(token, "GET", "/rest/people?limit=50&depth=1"), http_ok, 4),
            ]
        report: dict[str, Any] = {}
        for name, make, check, concurrency in cases:
            log(f"profiling {name}: c={concurrency} for {seconds} s")
            raw = out / f"{name}.collapsed"
            svg = out / f"{name}.svg"
            spies = [
                subprocess.Popen([py_spy(), "record", "--pid", str(env.gw.pid), "--duration", str(seconds),
                                  "--rate", "200", "--function", "--gil", "--format", fmt, "--output", str(path),
                                  "--nonblocking"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                for fmt, path in (("raw", raw), ("flamegraph", svg))
            ]
            await asyncio.sleep(1.0)
            res = await run_http(env.gw_base, make, concurrency, Budget(seconds - 2, concurrency, 10**9, warmup=3),
                                 cpu_pids={"server": env.gw.pid, "db": env.db_proc.pid if env.db_proc else 0},
                                 check=check)
            for spy in spies:
                spy.wait(timeout=seconds + 60)
            log(f"  {res.requests} requests, {res.rps:.1f} req/s, gateway CPU "
                f"{res.cpu_ms_per_req['server']:.3f} ms/req, errors {res.errors}")
            if not raw.exists():
                err = spies[0].stderr.read().decode()[-500:] if spies[0].stderr else ""
                log(f"  py-spy wrote nothing: {err}")
                continue
            summary = summarise(raw)
            cpu = res.cpu_ms_per_req["server"]
            # What the samples cover: py-spy --gil samples the thread holding the GIL (Python, and C
            # called from it); the loop's own waits and reads (uvloop without the GIL) are not in them.
            sampled_ms = 1000 * summary["samples"][0][1] / 200 / max(1.0, res.rps * seconds)
            report[name] = {"requests": res.requests, "rps": round(res.rps, 1), "errors": res.errors,
                            "concurrency": concurrency, "gateway_cpu_ms_per_req": round(cpu, 3),
                            "sampled_gil_ms_per_req": round(sampled_ms, 3),
                            "own": [(f, round(pct, 2), round(pct * cpu / 100, 4)) for f, pct in summary["own"]],
                            "inclusive": [(f, round(pct, 2), round(pct * cpu / 100, 4))
                                          for f, pct in summary["inclusive"]]}
            report[name]["phases"] = [(f, round(pct, 2), round(pct * cpu / 100, 4)) for f, pct in summary["phases"]]
            print(f"\n== {name}: where the time goes (% of gateway samples; ms of gateway CPU per request, of "
                  f"{cpu:.3f}; GIL held ~{sampled_ms:.3f} ms per request) ==")
            for part, pct in summary["phases"]:
                if pct >= 0.5:
                    print(f"  {pct:5.1f}%  {pct * cpu / 100:6.3f} ms  {part}")
            print(f"== {name}: top functions by own samples (% of gateway samples; ms of gateway CPU per request, "
                  f"of {cpu:.3f}) ==")
            for frame, pct in summary["own"]:
                print(f"  {pct:5.1f}%  {pct * cpu / 100:6.3f} ms  {frame}")
            print(f"== {name}: top by inclusive samples ==")
            for frame, pct in summary["inclusive"]:
                print(f"  {pct:5.1f}%  {pct * cpu / 100:6.3f} ms  {frame}")
            print(f"   flame graph: {svg}; collapsed stacks: {raw}")
        (out / "summary.json").write_text(json.dumps(report, indent=1) + "\n")
        print(f"\nsummary: {out / 'summary.json'}")
    finally:
        env.stop()
    return 0
