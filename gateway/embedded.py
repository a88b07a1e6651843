"""The embedded store: a SecantusDB daemon run as a child process.

SecantusDB is GPL-2.0, so docgate never imports it: it runs `secantusd-py` as a separate
process on a loopback port. A lock file in the data folder makes a second docgate
*server* on the same folder fail at once with a clear message; commands (the CLI) beside
a running server reach its store instead, through the address it writes in `store.json`.

The store never outlives docgate for long: it runs under a small guard process
(`store_guard`) that stops it cleanly as soon as docgate dies, even by `kill -9`. A store
left behind anyway (one that cannot exit, even a stopped process, say from a docgate
without that guarantee) is found by its storage path at the next start and stopped (or,
past a grace period, killed), so the folder recovers by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from pymongo import AsyncMongoClient, MongoClient

from .store_guard import set_death_signal

DAEMON = "secantusd-py"
NOT_INSTALLED = (
    "the embedded store needs SecantusDB: install it with `pip install 'docgate[embedded]'`, "
    "or set MONGODB_URI to the MongoDB server to use"
)
STORE_FILE = "store.json"  # {"uri", "pid", "docgatePid"} of the running store, for the CLI
STOP_SECONDS = 5.0  # a clean stop's wait before the store is killed (which may lose its last commits)


class EmbeddedStoreError(RuntimeError):
    pass


class DataFolderInUse(EmbeddedStoreError):
    pass


def _daemon_path() -> str:
    beside_python = Path(sys.executable).with_name(DAEMON)
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(DAEMON)
    if found is None:
        raise EmbeddedStoreError(NOT_INSTALLED)
    return found


def _guard_dies_with_docgate() -> None:
    """In the guard, before it runs: SIGTERM it when docgate dies, even if docgate is killed.

    (The death signal follows the thread that started the child: docgate starts the store
    from its main thread only.) Not Linux: a clean docgate shutdown still stops the store.
    """
    set_death_signal(signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stale_stores(storage: Path) -> list[int]:
    """Pids of store daemons whose storage is `storage` (Linux /proc; elsewhere none)."""
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    target = str(storage)
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        args = [a.decode(errors="replace") for a in argv]
        if any(DAEMON in a for a in args[:2]) and "--storage-path" in args:
            where = args.index("--storage-path") + 1
            if where < len(args) and args[where] == target:
                found.append(int(entry.name))
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")  # a zombie holds nothing any more


def kill_stale_stores(storage: Path, grace: float = STOP_SECONDS) -> list[int]:
    """Stop every store left holding `storage`: SIGTERM (and SIGCONT, should it be stopped),
    then SIGKILL for any still there after `grace` seconds."""
    pids = stale_stores(storage)
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
                if sig == signal.SIGTERM:
                    os.kill(pid, signal.SIGCONT)
        deadline = time.monotonic() + wait
        while any(not _gone(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        if all(_gone(p) for p in pids):
            break
    return pids


def running_store_uri(data_dir: Path) -> str | None:
    """The address of the store a running docgate serves from `data_dir`, if one answers."""
    try:
        info = json.loads((data_dir / STORE_FILE).read_text())
        uri = str(info["uri"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        client: MongoClient[dict[str, object]]
        with MongoClient(uri, serverSelectionTimeoutMS=1000) as client:
            client.admin.command("ping")
    except Exception:
        return None
    return uri


class EmbeddedServer:
    """Start with `start()` (or `with`), stop with `stop()`; `uri` is the connection string.

    `data_dir=None` runs an ephemeral in-memory store (tests). `restart()` starts the
    daemon again on the same port (so clients reconnect by themselves) after it died.
    """

    def __init__(self, data_dir: Path | None, *, startup_timeout: float = 30.0, test_commands: bool = False) -> None:
        self.data_dir = data_dir
        self.startup_timeout = startup_timeout
        self.test_commands = test_commands  # `configureFailPoint` and friends, for fault tests
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._lock: IO[str] | None = None

    @property
    def uri(self) -> str:
        # retryWrites=false: a write retried after a network error buys nothing on loopback, and
        # SecantusDB keeps a record of every retryable write that it scans (past 10,000, sorts) on
        # each write, so that creating a workspace (~420 writes) made every later write slower.
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true&retryWrites=false"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def returncode(self) -> int | None:
        return self._process.returncode if self._process is not None else None

    def start(self) -> EmbeddedServer:
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._take_lock(self.data_dir)
            killed = kill_stale_stores(self._storage_path())
            if killed:
                print(f"docgate: stopped a stale store (pid {', '.join(map(str, killed))}) left holding "
                      f"{self.data_dir}", file=sys.stderr)
        self.port = free_port()
        try:
            self._spawn()
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        self._write_store_file()
        return self

    async def restart(self) -> None:
        """Start the daemon again on the same port after it died; waits until it answers."""
        if self.alive():
            return
        if self.data_dir is not None:
            await asyncio.to_thread(kill_stale_stores, self._storage_path())
        self._spawn()  # from the event loop's (main) thread: see _die_with_parent
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            self._check_running()
            client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(self.uri, serverSelectionTimeoutMS=250)
            try:
                await client.admin.command("ping")
                self._write_store_file()
                return
            except Exception:
                await asyncio.sleep(0.1)
            finally:
                await client.close()
        raise EmbeddedStoreError(f"the embedded store did not answer within {self.startup_timeout} s")

    def _storage_path(self) -> Path:
        assert self.data_dir is not None
        return self.data_dir / "store"

    def _spawn(self) -> None:
        storage = str(self._storage_path()) if self.data_dir is not None else ":memory:"
        log = open(self._log_path(), "ab") if self.data_dir else None
        daemon = [_daemon_path(), "--host", "127.0.0.1", "--port", str(self.port), "--storage-path", storage,
                  "--log-level", "WARNING", *(["--enable-test-commands"] if self.test_commands else [])]
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "gateway.store_guard", str(STOP_SECONDS), "--", *daemon],
                stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                preexec_fn=_guard_dies_with_docgate,
            )
        finally:
            if log is not None:
                log.close()  # the child has its own copy

    def _log_path(self) -> Path:
        assert self.data_dir is not None
        return self.data_dir / "secantusd.log"

    def _take_lock(self, data_dir: Path) -> None:
        lock = open(data_dir / "docgate.lock", "a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise DataFolderInUse(
                f"the data folder {data_dir} is in use by another docgate process; stop it, "
                "or set DOCGATE_DATA_DIR to another folder"
            ) from None
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        self._lock = lock

    def _write_store_file(self) -> None:
        if self.data_dir is None:
            return
        info = {"uri": self.uri, "pid": self.pid, "docgatePid": os.getpid()}
        temporary = self.data_dir / f".{STORE_FILE}.tmp"
        temporary.write_text(json.dumps(info))
        temporary.replace(self.data_dir / STORE_FILE)

    def _check_running(self) -> None:
        assert self._process is not None
        if self._process.poll() is not None:
            where = f"; see {self._log_path()}" if self.data_dir else ""
            raise EmbeddedStoreError(f"the embedded store exited at start-up (code {self._process.returncode}){where}")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            self._check_running()
            try:
                client: MongoClient[dict[str, object]]
                with MongoClient(self.uri, serverSelectionTimeoutMS=250) as client:
                    client.admin.command("ping")
                return
            except Exception:
                time.sleep(0.1)
        raise EmbeddedStoreError(f"the embedded store did not answer within {self.startup_timeout} s")

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()  # the guard stops the daemon: SIGTERM, SIGKILL past its grace
            try:
                self._process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()  # the guard itself hangs: the daemon dies with it
                self._process.wait()
        self._process = None
        if self.data_dir is not None:
            (self.data_dir / STORE_FILE).unlink(missing_ok=True)
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
