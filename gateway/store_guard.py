"""The embedded store's guard: a small process between docgate and the store daemon.

    python -m gateway.store_guard GRACE_SECONDS -- secantusd-py ARGS...

It runs the daemon and ends it when docgate ends, however docgate ends: Linux sends the
guard SIGTERM when docgate dies (even by `kill -9`), and the guard then stops the daemon
cleanly (SIGTERM, and SIGCONT should it be stopped), killing it only if it has not exited
within GRACE_SECONDS. Clean matters: SecantusDB keeps its last commits in memory for a
moment, so a SIGKILL can lose writes it has acknowledged; a SIGTERM never does. Should
the guard itself be killed, Linux kills the daemon with it. The guard exits with the
daemon's exit code, so docgate sees the daemon's death as the guard's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType


def set_death_signal(sig: int) -> None:
    """Ask Linux to send `sig` to this process when its parent dies (elsewhere: nothing)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, sig)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> int:
    grace = float(argv[0])
    command = argv[2:] if argv[1:2] == ["--"] else argv[1:]
    parent = os.getppid()
    set_death_signal(signal.SIGTERM)
    if os.getppid() != parent:  # docgate died before we asked: nothing to guard
        return 0
    stopping_since: list[float] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        if not stopping_since:
            stopping_since.append(time.monotonic())

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    daemon = subprocess.Popen(command, preexec_fn=lambda: set_death_signal(signal.SIGKILL))
    signalled = False
    while True:
        try:
            code = daemon.wait(timeout=0.1)
            return code if code >= 0 else 128 - code
        except subprocess.TimeoutExpired:
            pass
        if stopping_since and not signalled:
            daemon.send_signal(signal.SIGTERM)
            daemon.send_signal(signal.SIGCONT)  # a stopped daemon must run to handle SIGTERM
            signalled = True
        if stopping_since and time.monotonic() - stopping_since[0] > grace:
            daemon.kill()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
