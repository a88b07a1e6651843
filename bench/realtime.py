"""Realtime benchmark: from a write's commit to a subscriber's receipt of its event.

    .venv/bin/python -m bench realtime [--quick] [--subscribers 1,100,1000] [--kinds ...] [--results-dir DIR]

One SecantusDB daemon and two docgate replicas (`python -m gateway serve`, separate processes
on the same store), started afresh for each kind of subscription:

* `graphql-sse`: docgate's per-object subscription `personEvents(filter, operations)` on
  `/graphql`, over Server-Sent Events;
* `graphql-ws`: the same over WebSocket (`graphql-transport-ws`);
* `metadata-stream`: Twenty's event stream on `/metadata` (`onEventSubscription`, then
  `addQueryToEventStream` with the same filter), over Server-Sent Events.

For each kind: N subscribers (1, 100, 1,000) open on replica A, people created one at a
time through A (GraphQL `createPerson` and REST `POST /rest/people` in turn), each write
waiting until every subscriber has its event; then the same counts on replica B while the
writes go to A (B hears of them through the change stream on the store). Figures:

* latency from the write's commit to each subscriber's receipt, p50 / p99 over every (write,
  subscriber) pair, and p50 of the last subscriber per write. The commit's moment is when this
  process's own raw change stream on the store sees the person's insert (CommitClock: the
  floor below says how soon after a commit that is); the latency from the write's
  acknowledgement (its response read, which can come after the event: then it is negative)
  and from its sending are kept too;
* gateway CPU per delivered event: the subscribers' replica's own CPU over the writes, less
  what the same writes cost with nobody subscribed (measured first, same pacing), divided by
  the events delivered; on replica B (which does nothing else) its whole CPU;
* memory per open subscription: the replica's RSS after the 1,000 opened (and registered),
  less before, over 1,000 (on a replica that has served subscriptions already);
* the floor: the raw PyMongo driver's own change stream seeing an insert it made.

Subscribers are raw asyncio connections in this one process (bench.subscribers); their
reading is inside every latency, so the client's own CPU per delivered event is printed too.
`DOCGATE_MAX_SUBSCRIPTIONS_PER_KEY` is raised for the bench only (the default stays 20);
rate limits are off as in every bench (bench.procs.gateway_env).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .procs import ROOT, CpuWindow, Proc, create_workspace, gateway, secantus
from .subscribers import KINDS, Fanout, Writer, close_all, open_subscribers, rss_kb, summary

CONTROL_DB = "benchrt"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
GAP = 0.02  # seconds between two writes, once every subscriber has the first
DELIVERY_TIMEOUT = 60.0


@dataclass
class Replica:
    name: str
    proc: Proc
    base: str


class CommitClock:
    """When each person's insert committed, as seen by a raw change stream of this process on
    the store (`ns.coll == "person"`, the whole deployment): the moment the store makes the
    change visible to its watchers, which is also what docgate's hub follows."""

    def __init__(self, uri: str) -> None:
        from .baselines import make_client

        self.client = make_client(uri)
        self.seen: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        stream = await self.client.watch([{"$match": {"operationType": "insert", "ns.coll": "person"}}])
        self._task = asyncio.create_task(self._follow(stream))

    async def _follow(self, stream: Any) -> None:
        async with stream:
            while True:
                change = await stream.try_next()
                if change is None:
                    await asyncio.sleep(0)
                    continue
                self.seen.setdefault(str(change["documentKey"]["_id"]), time.perf_counter())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self.client.close()


@dataclass
class Bench:
    """What the rounds share: the store, the key, the writes' replica and its cost per write."""

    uri: str
    token: str
    db_pid: int
    run: str
    writes_on: Replica
    baseline_cpu_ms_per_write: float = 0.0
    notes: list[str] = field(default_factory=list)
    commits: CommitClock | None = None


async def warm(bench: Bench, writer: Writer, tag: str, fanout: Fanout, n: int) -> None:
    """Writes until all n subscribers have an event: then every subscription is registered."""
    for attempt in range(5):
        record_id, _, _ = await writer.create("graphql", tag, -1 - attempt)
        if await fanout.wait(record_id, n, 30 if attempt < 4 else DELIVERY_TIMEOUT):
            return
    raise RuntimeError(f"{n - fanout.counts.get(record_id, 0)} of {n} subscribers never received an event")


async def baseline(bench: Bench, writes: int) -> dict[str, Any]:
    """The writes alone (nobody subscribed to them), paced as in the rounds: their CPU per write."""
    writer = Writer(bench.writes_on.base, bench.token)
    tag = f"rt{bench.run}-nobody"
    try:
        await writer.create("graphql", tag, -1)
        window = CpuWindow.open({"writes_replica": bench.writes_on.proc.pid, "db": bench.db_pid})
        acks = []
        for i in range(writes):
            _, sent, acked = await writer.create("graphql" if i % 2 == 0 else "rest", tag, i)
            acks.append(acked - sent)
            await asyncio.sleep(GAP)
        cpu = window.close()
    finally:
        await writer.close()
    per_write = cpu["writes_replica"] / writes * 1000
    bench.baseline_cpu_ms_per_write = per_write
    return {"writes": writes, "write_ack": summary(acks), "gateway_cpu_ms_per_write": round(per_write, 3),
            "db_cpu_ms_per_write": round(cpu["db"] / writes * 1000, 3)}


async def measure_round(bench: Bench, kind: str, n: int, subs_on: Replica, writes: int,
                        label: str, *, memory: bool = False, idle_seconds: float = 2.0) -> dict[str, Any]:
    """n subscribers of `kind` on `subs_on`; `writes` people created through bench.writes_on."""
    tag = f"rt{bench.run}-{label}"
    fanout = Fanout()
    rss_before = rss_kb(subs_on.proc.pid)
    opening = time.perf_counter()
    subscribers = await open_subscribers(subs_on.base, bench.token, kind, tag, n, fanout)
    writer = Writer(bench.writes_on.base, bench.token)
    out: dict[str, Any] = {"kind": kind, "subscribers": n, "replica": "same" if subs_on is bench.writes_on
                           else "other", "writes": writes}
    try:
        await warm(bench, writer, tag, fanout, n)
        out["open_seconds"] = round(time.perf_counter() - opening, 2)
        if memory:
            rss_after = rss_kb(subs_on.proc.pid)
            out["memory"] = {"rss_before_mb": round(rss_before / 1024, 1), "rss_after_mb": round(rss_after / 1024, 1),
                             "kb_per_subscription": round((rss_after - rss_before) / n, 1)}
        pids = {"subscribers_replica": subs_on.proc.pid, "writes_replica": bench.writes_on.proc.pid,
                "db": bench.db_pid, "client": os.getpid()}
        if idle_seconds:  # what the open subscriptions cost while nothing happens
            idle = CpuWindow.open(pids)
            await asyncio.sleep(idle_seconds)
            idle_cpu = idle.close()
            out["idle_cores"] = {k: round(v / idle_cpu["_wall"], 4) for k, v in idle_cpu.items()
                                 if not k.startswith("_") and k != "client"}
        window = CpuWindow.open(pids)
        done: list[tuple[str, str, float, float]] = []
        incomplete = 0
        for i in range(writes):
            api = "graphql" if i % 2 == 0 else "rest"
            record_id, sent, acked = await writer.create(api, tag, i)
            if not await fanout.wait(record_id, n, DELIVERY_TIMEOUT):
                incomplete += 1
            done.append((api, record_id, sent, acked))
            await asyncio.sleep(GAP)
        cpu = window.close()
    finally:
        await writer.close()
        await close_all(subscribers)
    errors = [s.error for s in subscribers if s.error and s.error != "the server closed the stream"]
    from_commit: list[float] = []
    from_ack: list[float] = []
    from_send: list[float] = []
    by_api: dict[str, list[float]] = {"graphql": [], "rest": []}
    last: list[float] = []
    commit_to_ack: list[float] = []
    missing = unclocked = 0
    seen = bench.commits.seen if bench.commits is not None else {}
    for api, record_id, sent, acked in done:
        arrivals = [s.arrivals[record_id] for s in subscribers if record_id in s.arrivals]
        missing += n - len(arrivals)
        from_ack += [t - acked for t in arrivals]
        from_send += [t - sent for t in arrivals]
        committed = seen.get(record_id)
        if committed is None:
            unclocked += 1
            continue
        commit_to_ack.append(acked - committed)
        from_commit += [t - committed for t in arrivals]
        by_api[api] += [t - committed for t in arrivals]
        if arrivals:
            last.append(max(arrivals) - committed)
    delivered = len(from_ack)
    sub_cpu = cpu["subscribers_replica"]
    if subs_on is bench.writes_on:  # the writes' own cost, measured without subscribers, is not the events'
        sub_cpu -= bench.baseline_cpu_ms_per_write / 1000 * writes
    out |= {
        "delivered": delivered, "missing": missing, "incomplete_writes": incomplete, "errors": errors[:3],
        "writes_without_commit_time": unclocked,
        "commit_to_receipt": summary(from_commit), "ack_to_receipt": summary(from_ack),
        "send_to_receipt": summary(from_send), "commit_to_receipt_by_api": {k: summary(v) for k, v in by_api.items()},
        "last_subscriber_commit_to_receipt": summary(last), "commit_to_ack": summary(commit_to_ack),
        "write_ack": summary([acked - sent for _, _, sent, acked in done]),
        "gateway_cpu_ms_per_event": round(sub_cpu / delivered * 1000, 4) if delivered else None,
        "client_cpu_ms_per_event": round(cpu["client"] / delivered * 1000, 4) if delivered else None,
        "db_cpu_ms_per_write": round(cpu["db"] / writes * 1000, 3),
        "seconds": round(cpu["_wall"], 2),
    }
    return out


async def raw_floor(uri: str, writes: int) -> dict[str, Any]:
    """The store's own floor: an insert by the raw driver, seen by its own change stream
    (the pipeline docgate's watcher follows: inserts into one collection, whole deployment)."""
    from .baselines import make_client

    client = make_client(uri)
    database = f"{CONTROL_DB}floor"
    arrivals: dict[Any, float] = {}
    fanout = Fanout()
    pipeline = [{"$match": {"operationType": "insert", "ns.coll": "floor"}}]
    try:
        stream = await client.watch(pipeline)

        async def follow() -> None:
            async with stream:
                while True:
                    change = await stream.try_next()
                    if change is None:
                        await asyncio.sleep(0)
                        continue
                    key = str(change["documentKey"]["_id"])
                    arrivals[key] = time.perf_counter()
                    fanout.arrived(key)

        task = asyncio.create_task(follow())
        latencies = []
        for i in range(writes + 5):
            key = f"floor-{i}-{time.time_ns()}"
            await client[database]["floor"].insert_one({"_id": key, "i": i})
            acked = time.perf_counter()
            await fanout.wait(key, 1, DELIVERY_TIMEOUT)
            if i >= 5 and key in arrivals:
                latencies.append(arrivals[key] - acked)
            await asyncio.sleep(GAP)
        task.cancel()
    finally:
        await client.drop_database(database)
        await client.close()
    return {"ack_to_receipt": summary(latencies)}


def writes_for(n: int, quick: bool) -> int:
    if quick:
        return 60 if n <= 1 else 20 if n <= 100 else 8
    return 200 if n <= 1 else 50 if n <= 100 else 20


def start_replicas(uri: str, work: Path, kind: str, limit: int) -> tuple[Replica, Replica]:
    extra = {"DOCGATE_MAX_SUBSCRIPTIONS_PER_KEY": str(limit), "DOCGATE_SUBSCRIPTION_QUEUE_SIZE": "1000"}
    replicas = []
    for name in ("A", "B"):
        proc, base = gateway(uri, CONTROL_DB, work / f"docgate-{kind}-{name}.log", **extra)
        replicas.append(Replica(name, proc, base))
    return replicas[0], replicas[1]


async def run(quick: bool, sizes: list[int], kinds: list[str], log: Any = print) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="docgate-realtime-"))
    run_tag = base64.b32encode(os.urandom(5)).decode().lower()[:6]
    results: dict[str, Any] = {"environment": environment(quick, sizes), "rounds": [], "baselines": {},
                               "logs": str(work)}
    started = time.perf_counter()
    db_proc, uri = secantus(work / "store", work / "secantusd.log")
    try:
        workspace = create_workspace(uri, CONTROL_DB, "realtime")
        token = workspace["apiKey"]
        limit = 2 * max(sizes) + 100  # closed subscriptions may linger a moment on the server
        results["environment"]["max_subscriptions_per_key"] = limit
        log(f"floor: the raw driver's change stream ({writes_for(1, quick)} inserts)")
        results["floor"] = await raw_floor(uri, writes_for(1, quick))
        log(f"  p50 {results['floor']['ack_to_receipt']['p50_ms']} ms")
        commits = CommitClock(uri)
        await commits.start()
        for kind in kinds:
            a, b = start_replicas(uri, work, kind, limit)
            try:
                bench = Bench(uri, token, db_proc.pid, run_tag, a, commits=commits)
                for replica in (a, b):  # build the schema, start the watcher, warm the key cache
                    await measure_round(bench, kind, 1, replica, 3, f"{kind}-warm{replica.name}", idle_seconds=0)
                results["baselines"][kind] = await baseline(bench, writes_for(1, quick))
                log(f"{kind}: writes alone {results['baselines'][kind]['gateway_cpu_ms_per_write']} ms CPU each")
                plan = [(n, a) for n in sorted(sizes, reverse=True)] + [(n, b) for n in sorted(sizes)]
                for n, replica in plan:
                    label = f"{kind}-{n}-{replica.name}"
                    log(f"{kind}: {n} subscriber(s) on replica {replica.name}, writes on A")
                    row = await measure_round(bench, kind, n, replica, writes_for(n, quick), label,
                                              memory=n == max(sizes))
                    results["rounds"].append(row)
                    log("  " + line(row))
                    await asyncio.sleep(1.0)  # let the server see the closed connections go
            finally:
                for replica in (a, b):
                    replica.proc.stop()
        await commits.stop()
    finally:
        db_proc.stop()
        results["environment"]["seconds"] = round(time.perf_counter() - started, 1)
        results["environment"]["machine"]["loadavg_at_end"] = os.getloadavg()
    return results


def line(row: dict[str, Any]) -> str:
    lat = row["commit_to_receipt"]
    return (f"{row['delivered']} events (missing {row['missing']}): commit->receipt p50 {lat.get('p50_ms')} ms, "
            f"p99 {lat.get('p99_ms')} ms, last subscriber p50 "
            f"{row['last_subscriber_commit_to_receipt'].get('p50_ms')} ms, ack->receipt p50 "
            f"{row['ack_to_receipt'].get('p50_ms')} ms; gateway CPU {row['gateway_cpu_ms_per_event']} ms/event, "
            f"client {row['client_cpu_ms_per_event']} "
            f"ms/event" + (f"; {row['memory']['kb_per_subscription']} KiB/subscription" if "memory" in row else ""))


def render(results: dict[str, Any]) -> str:
    env = results["environment"]
    machine = env["machine"]
    load_end = machine.get("loadavg_at_end", [float("nan")])[0]
    head = (f"docgate realtime — {env['date']}, commit {env['commit']}, {'quick' if env['quick'] else 'full'} run, "
            f"{machine['cpus']} CPUs, load average {machine['loadavg_at_start'][0]:.1f} at start and {load_end:.1f} "
            f"at the end, {env.get('seconds', '?')} s. Writes on replica A; subscribers on A (same) or B (other). "
            "Latency from the write's commit (this process's raw change stream sees it) to the subscriber's receipt; "
            "ack->recv is from the writer's reading of its response (negative: the event came first)")
    headers = ["subscription", "subscribers", "replica", "events", "p50 ms", "p99 ms", "last sub p50 ms",
               "ack->recv p50 ms", "write ack p50 ms", "gateway CPU ms/event", "client CPU ms/event",
               "KiB/subscription", "idle cores (subs replica)"]
    rows = []
    for r in results["rounds"]:
        lat, mem = r["commit_to_receipt"], r.get("memory")
        rows.append([r["kind"], str(r["subscribers"]), r["replica"], f"{r['delivered']}" + (
            f" ({r['missing']} missing)" if r["missing"] else ""), str(lat.get("p50_ms")), str(lat.get("p99_ms")),
            str(r["last_subscriber_commit_to_receipt"].get("p50_ms")), str(r["ack_to_receipt"].get("p50_ms")),
            str(r["write_ack"].get("p50_ms")), str(r["gateway_cpu_ms_per_event"]), str(r["client_cpu_ms_per_event"]),
            str(mem["kb_per_subscription"]) if mem else "", str(r.get("idle_cores", {}).get("subscribers_replica"))])
    floor = results.get("floor", {}).get("ack_to_receipt", {})
    rows.append(["raw driver change stream (floor: insert ack -> its own stream)", "1", "-", str(floor.get("n")),
                 str(floor.get("p50_ms")), str(floor.get("p99_ms")), "", "", "", "", "", "", ""])
    from .report import table

    base = "; ".join(f"{k}: {v['gateway_cpu_ms_per_write']} ms gateway CPU per write with nobody subscribed, "
                     f"ack p50 {v['write_ack'].get('p50_ms')} ms" for k, v in results["baselines"].items())
    return "\n".join([head, table(headers, rows), f"Writes alone — {base}"])


def environment(quick: bool, sizes: list[int]) -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "commit": commit.strip(), "quick": quick,
            "subscribers": sizes, "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                              "python": platform.python_version(),
                                              "loadavg_at_start": os.getloadavg()}}


def write(results: dict[str, Any], directory: Path) -> Path:
    env = results["environment"]
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{env['date'][:10]}-{env['commit'] or 'nocommit'}-realtime{'-quick' if env['quick'] else ''}.json"
    path = directory / name
    path.write_text(json.dumps(results, indent=1, default=str) + "\n")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench realtime", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer writes per round (a few minutes)")
    parser.add_argument("--subscribers", default="1,100,1000", help="subscriber counts on one replica")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"subscription kinds: {', '.join(KINDS)}")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.subscribers.split(",")]
    kinds = [k for k in args.kinds.split(",") if k]
    if unknown := set(kinds) - set(KINDS):
        parser.error(f"unknown kinds: {sorted(unknown)}")

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)  # noqa: T201

    import uvloop  # the client's own time is inside every latency: the faster loop

    results = uvloop.run(run(args.quick, sizes, kinds, log))
    results["table"] = render(results)
    path = write(results, args.results_dir)
    print("\n" + results["table"] + f"\n\nresults: {path}")  # noqa: T201


if __name__ == "__main__":
    main()
