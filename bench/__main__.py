"""`python -m bench run [--quick] [--no-peer] [--store DIR] [--only abc]`; `python -m bench profile`;
`python -m bench realtime [--quick] [--subscribers 1,100,1000] [--kinds ...]`.

`run` prints the tables and writes bench/results/<date>-<commit>[-quick].json.
`profile` starts the same set-up and records py-spy profiles of the gateway under load.
`realtime` measures subscription latency and memory on two replicas (bench.realtime).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["realtime"]:  # its own options (bench.realtime)
        from .realtime import main as realtime

        realtime(args_in[1:])
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench", description="docgate benchmarks")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the benchmark, print the tables, write the JSON results")
    prof = commands.add_parser("profile", help="py-spy profiles of the gateway under (a) and (b) load")
    commands.add_parser("realtime", help="subscription latency, commit to receipt (see python -m bench realtime -h)")
    cpu = commands.add_parser("cpu", help="gateway CPU per request against the hand-written floor, interleaved")
    cpu.add_argument("--rounds", type=int, default=4)
    cpu.add_argument("--seconds", type=float, default=4.0, help="seconds per case and side in each round")
    for p in (run, prof, cpu):
        p.add_argument("--quick", action="store_true", help="2,000 people and short runs (a few minutes)")
        p.add_argument("--store", type=Path, help="keep the loaded SecantusDB store here and reuse it next time")
    run.add_argument("--no-peer", action="store_true", help="skip Parse Server")
    run.add_argument("--only", default="", help="scenario letters to run, e.g. 'ab' (default: all)")
    run.add_argument("--results-dir", type=Path, help="where to write the JSON (default: bench/results)")
    prof.add_argument("--seconds", type=int, default=20, help="seconds of load per profile")
    prof.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "profiles")
    args = parser.parse_args(args_in)

    from . import report
    from .scenarios import Config

    if args.command == "profile":
        from .profile import profile

        cfg = Config(quick=args.quick, peer=False, store=args.store)
        return asyncio.run(profile(cfg, args.seconds, args.out))

    if args.command == "cpu":
        from . import cpu as cpu_bench

        measured = asyncio.run(cpu_bench.measure(Config(quick=args.quick, peer=False, store=args.store),
                                                 args.rounds, args.seconds))
        print(cpu_bench.render(measured))
        print(f"\nresults: {cpu_bench.write(measured, report.RESULTS_DIR)}")
        return 0

    from .scenarios import run as run_bench

    cfg = Config(quick=args.quick, peer=not args.no_peer, store=args.store, only=set(args.only))
    results = asyncio.run(run_bench(cfg))
    results["targets"] = report.targets(results)
    text = report.render(results)
    results["table"] = text
    path = report.write(results, args.results_dir or report.RESULTS_DIR)
    print()
    print(text)
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
