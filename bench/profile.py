"""`python -m bench profile`: where the gateway spends its CPU under (a) and (b) load.

Starts the benchmark's set-up (reusing `--store` when given), then for each of (a) and (b),
GraphQL and REST, puts c=32 load on the gateway while `py-spy record` samples it. Writes a
flame graph (SVG) and the collapsed stacks for each, and prints the functions with the most
samples, by own time (the frame on top of the stack) and by inclusive time.
"""

from __future__ import annotations

import asyncio
import collections
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
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    if not total:
        return {"own": [], "inclusive": []}
    return {
        "own": [(f, 100 * n / total) for f, n in own.most_common(top)],
        "inclusive": [(f, 100 * n / total) for f, n in inclusive.most_common(top * 3)
                      if "site-packages/uvicorn" not in f and "asyncio" not in f and "<module>" not in f
                      and "uvloop" not in f and "runpy" not in f][:top],
        "samples": [("total", float(total))],
    }


async def profile(cfg: Config, seconds: int, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    env = Env(cfg=cfg, work=Path(tempfile.mkdtemp(prefix="docgate-profile-")), run_tag="prof")
    try:
        await setup(env)
        assert env.gw is not None
        token = env.token
        cases: list[tuple[str, Any, Any]] = [
            ("a-graphql", lambda i: graphql_request(token, Q_ONE, {"id": person_id(env, i)}), graphql_ok),
            ("b-graphql", graphql_request(token, Q_LIST, {"n": 50}), graphql_ok),
        ]
        if env.rest:
            cases += [
                ("a-rest", lambda i: rest_request(token, "GET", f"/rest/people/{person_id(env, i)}"), http_ok),
                ("b-rest", rest_request(token, "GET", "/rest/people?limit=50&depth=1"), http_ok),
            ]
        for name, make, check in cases:
            log(f"profiling {name}: c=32 for {seconds} s")
            raw = out / f"{name}.collapsed"
            svg = out / f"{name}.svg"
            spies = [
                subprocess.Popen([py_spy(), "record", "--pid", str(env.gw.pid), "--duration", str(seconds),
                                  "--rate", "200", "--format", fmt, "--output", str(path), "--nonblocking"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                for fmt, path in (("raw", raw), ("flamegraph", svg))
            ]
            await asyncio.sleep(1.0)
            res = await run_http(env.gw_base, make, 32, Budget(seconds - 2, 32, 10**9, warmup=3),
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
            print(f"\n== {name}: top functions by own samples (% of gateway samples) ==")
            for frame, pct in summary["own"]:
                print(f"  {pct:5.1f}%  {frame}")
            print(f"== {name}: top by inclusive samples ==")
            for frame, pct in summary["inclusive"]:
                print(f"  {pct:5.1f}%  {frame}")
            print(f"   flame graph: {svg}; collapsed stacks: {raw}")
    finally:
        env.stop()
    return 0
