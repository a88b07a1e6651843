"""The embedded store: a SecantusDB daemon run as a child process.

SecantusDB is GPL-2.0, so docgate never imports it: it runs `secantusd-py` as a separate
process on a free loopback port. A lock file in the data folder makes a second docgate on
the same folder fail at once with a clear message, before the daemon could touch the store.
"""

from __future__ import annotations

import fcntl
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

from pymongo import MongoClient

DAEMON = "secantusd-py"
NOT_INSTALLED = (
    "the embedded store needs SecantusDB: install it with `pip install 'docgate[embedded]'`, "
    "or set MONGODB_URI to the MongoDB server to use"
)


class EmbeddedStoreError(RuntimeError):
    pass


def _daemon_path() -> str:
    beside_python = Path(sys.executable).with_name(DAEMON)
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(DAEMON)
    if found is None:
        raise EmbeddedStoreError(NOT_INSTALLED)
    return found


def _stop_with_parent() -> None:
    """In the child: ask Linux to SIGTERM it when docgate dies, even if docgate is killed."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: a clean docgate shutdown still stops the store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class EmbeddedServer:
    """Start with `start()` (or `with`), stop with `stop()`; `uri` is the connection string.

    `data_dir=None` runs an ephemeral in-memory store (tests).
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
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def start(self) -> EmbeddedServer:
        daemon = _daemon_path()
        storage = ":memory:"
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._take_lock(self.data_dir)
            storage = str(self.data_dir / "store")
        self.port = free_port()
        log = open(self._log_path(), "ab") if self.data_dir else subprocess.DEVNULL
        self._process = subprocess.Popen(
            [
                daemon,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--storage-path",
                storage,
                "--log-level",
                "WARNING",
                *(["--enable-test-commands"] if self.test_commands else []),
            ],
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
            preexec_fn=_stop_with_parent,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _log_path(self) -> Path:
        assert self.data_dir is not None
        return self.data_dir / "secantusd.log"

    def _take_lock(self, data_dir: Path) -> None:
        lock = open(data_dir / "docgate.lock", "a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise EmbeddedStoreError(
                f"the data folder {data_dir} is in use by another docgate process; stop it, "
                "or set DOCGATE_DATA_DIR to another folder"
            ) from None
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        self._lock = lock

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                where = f"; see {self._log_path()}" if self.data_dir else ""
                raise EmbeddedStoreError(
                    f"the embedded store exited at start-up (code {self._process.returncode}){where}"
                )
            try:
                client: MongoClient[dict[str, object]]
                with MongoClient(self.uri, serverSelectionTimeoutMS=250) as client:
                    client.admin.command("ping")
                return
            except Exception:
                time.sleep(0.1)
        raise EmbeddedStoreError(f"the embedded store did not answer within {self.startup_timeout} s")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()  # SIGTERM lets WiredTiger close cleanly
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
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
