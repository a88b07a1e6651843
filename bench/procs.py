"""Processes of a benchmark run and their CPU accounting.

Every server under test (SecantusDB, docgate, the hand-written endpoint, Parse Server) runs
as its own process, so the CPU it spends can be read from the kernel's own accounting:
`/proc/<pid>/task/*/schedstat` (nanoseconds on CPU, per thread) with `/proc/<pid>/stat`
(clock ticks, includes exited threads) as the fallback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) the process has spent, all its threads included."""
    # schedstat has ns resolution but forgets exited threads; stat (10 ms ticks) keeps them.
    # Live threads are counted from schedstat, exited ones (a database under load ends
    # worker threads) from what stat holds beyond the live threads' own ticks.
    live_ns, live_ticks = 0, 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError):
                with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                    ns = int(f.read().split()[0])
                ticks = _stat_ticks(pid, task)
                live_ns, live_ticks = live_ns + ns, live_ticks + ticks
        exited_ticks = max(0, _stat_ticks(pid) - live_ticks)
        return live_ns / 1e9 + exited_ticks / TICKS
    except OSError:
        return 0.0


def _stat_ticks(pid: int, task: str | None = None) -> int:
    path = f"/proc/{pid}/stat" if task is None else f"/proc/{pid}/task/{task}/stat"
    with open(path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat(5))


def machine_busy_seconds() -> float:
    """CPU seconds spent by the whole machine (all cores, not idle/iowait) since boot."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    return (sum(parts[:8]) - idle) / TICKS


@dataclass
class CpuWindow:
    """CPU spent by some processes (and by the rest of the machine) over a measured window."""

    pids: dict[str, int]
    start: dict[str, float]
    machine_start: float
    wall_start: float

    @classmethod
    def open(cls, pids: dict[str, int]) -> CpuWindow:
        pids = {k: v for k, v in pids.items() if v}
        return cls(pids, {k: cpu_seconds(p) for k, p in pids.items()}, machine_busy_seconds(), time.perf_counter())

    def close(self) -> dict[str, float]:
        out = {k: cpu_seconds(p) - self.start[k] for k, p in self.pids.items()}
        out["_machine"] = machine_busy_seconds() - self.machine_start
        out["_self"] = 0.0
        out["_wall"] = time.perf_counter() - self.wall_start
        return out


class Proc:
    """A child process with its log file; stopped with SIGTERM, then SIGKILL."""

    def __init__(self, name: str, args: list[str], *, env: dict[str, str] | None = None, log: Path, cwd: Path = ROOT):
        self.name = name
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log, "ab")
        self.popen = subprocess.Popen(
            args, env={**os.environ, **(env or {})}, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, n: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self, timeout: float = 15) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log.close()


def wait_http(url: str, proc: Proc | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and not proc.alive():
            raise RuntimeError(f"{proc.name} exited at start-up:\n{proc.tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s" + (f":\n{proc.tail()}" if proc else ""))


def python() -> str:
    return sys.executable


def secantus(data_dir: Path, log: Path) -> tuple[Proc, str]:
    """One SecantusDB daemon for the whole run; returns it and its URI."""
    daemon = Path(sys.executable).with_name("secantusd-py")
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    proc = Proc(
        "secantusd",
        [str(daemon) if daemon.exists() else "secantusd-py", "--host", "127.0.0.1", "--port", str(port),
         "--storage-path", str(data_dir / "store"), "--log-level", "WARNING"],
        log=log,
    )
    # As docgate serve reaches its embedded store (gateway/embedded.py): no retryable writes,
    # whose record SecantusDB scans on every write, for docgate and its peer alike.
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true&retryWrites=false"
    from pymongo import MongoClient

    deadline = time.monotonic() + 60
    while True:
        if not proc.alive():
            raise RuntimeError(f"secantusd-py exited:\n{proc.tail()}")
        try:
            client: MongoClient[dict[str, Any]] = MongoClient(uri, serverSelectionTimeoutMS=300)
            with client as c:
                c.admin.command("ping")
            return proc, uri
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def gateway_env(uri: str, control_db: str, port: int, **extra: str) -> dict[str, str]:
    return {
        "MONGODB_URI": uri,
        "DOCGATE_CONTROL_DB": control_db,
        "DOCGATE_PORT": str(port),
        "DOCGATE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        # Twenty's default rate limits (100 requests a minute per key) would turn a load test
        # into a test of 429s: the benchmark turns both windows off, as a hand-written endpoint has none.
        "DOCGATE_API_RATE_LIMITING_SHORT_LIMIT": "0",
        "DOCGATE_API_RATE_LIMITING_LONG_LIMIT": "0",
        # No webhook is registered: the dispatcher's polling would only add noise to the figures.
        "DOCGATE_WEBHOOK_DISPATCHER": "false",
        **extra,
    }


def gateway(uri: str, control_db: str, log: Path, **extra: str) -> tuple[Proc, str]:
    """`python -m gateway serve` as its own process; returns it and its base URL."""
    port = free_port()
    proc = Proc("docgate", [python(), "-m", "gateway", "serve"], env=gateway_env(uri, control_db, port, **extra),
                log=log)
    base = f"http://127.0.0.1:{port}"
    wait_http(f"{base}/healthz", proc)
    return proc, base


def create_workspace(uri: str, control_db: str, name: str) -> dict[str, str]:
    import json

    out = subprocess.run(
        [python(), "-m", "gateway", "workspace", "create", name],
        env={**os.environ, **gateway_env(uri, control_db, 0)}, cwd=ROOT, capture_output=True, text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"workspace create failed: {out.stderr}")
    data: dict[str, str] = json.loads(out.stdout.strip().splitlines()[-1])
    return data
