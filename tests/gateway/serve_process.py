"""`docgate serve` as a child process on a temporary data folder, for the lifecycle tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from gateway.embedded import free_port, stale_stores


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DOCGATE_DATA_DIR": str(data_dir), "DOCGATE_LOG_LEVEL": "WARNING",
           "DOCGATE_API_RATE_LIMITING_SHORT_LIMIT": "0", "DOCGATE_API_RATE_LIMITING_LONG_LIMIT": "0", **extra}
    if "MONGODB_URI" not in extra:
        env.pop("MONGODB_URI", None)  # the embedded store of `data_dir`
    return env


class Serve:
    def __init__(self, data_dir: Path, **env: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gateway", "serve", "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env_for(data_dir, **env),
        )
        self.banner = ""
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited: {self.process.communicate()[1]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=0.5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError("serve did not become healthy")
            time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def store(self) -> dict[str, Any]:
        info: dict[str, Any] = json.loads((self.data_dir / "store.json").read_text())
        return info

    def store_processes(self) -> list[int]:
        return stale_stores((self.data_dir / "store").resolve())

    def terminate(self, timeout: float = 30) -> tuple[float, str, str]:
        """SIGTERM; (seconds until exit, stdout, stderr)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        out, err = self.process.communicate(timeout=timeout)
        return time.monotonic() - started, out, err

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=30)


def wait_until(check: Any, timeout: float, step: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s")
        time.sleep(step)


def slow_request(port: int, path: str, headers: dict[str, str], body: bytes) -> socket.socket:
    """Open a request and send all but the last byte of its body: it is in flight until `finish`."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = [f"POST {path} HTTP/1.1", "Host: docgate", f"Content-Length: {len(body)}",
            "Content-Type: application/json", *[f"{k}: {v}" for k, v in headers.items()], "", ""]
    sock.sendall("\r\n".join(head).encode() + body[:-1])
    return sock


def finish(sock: socket.socket, body: bytes) -> tuple[int, bytes]:
    sock.sendall(body[-1:])
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    lines = head.split(b"\r\n")
    length = next((int(line.split(b":")[1]) for line in lines if line.lower().startswith(b"content-length")), 0)
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    sock.close()
    return status, rest
