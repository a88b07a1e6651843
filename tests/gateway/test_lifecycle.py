"""docgate's life as a process, as an operator sees it: SIGTERM drains, kill -9 leaves no store
behind, a stale store is recovered, a dead store is restarted, an unreachable database is one
line. Each test runs `docgate serve` on a temporary data folder."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import orjson

from gateway.embedded import _daemon_path, free_port
from tests.gateway.serve_process import Serve, env_for, finish, slow_request, wait_until


def key_of(served: Serve) -> str:
    out = subprocess.run([sys.executable, "-m", "gateway", "workspace", "create", f"w{time.monotonic_ns()}"],
                         capture_output=True, text=True, env=env_for(served.data_dir), timeout=60, check=True)
    token: str = orjson.loads(out.stdout)["apiKey"]
    return token


def test_sigterm_when_idle_exits_within_5_seconds_and_stops_the_store(tmp_path: Path) -> None:
    served = Serve(tmp_path / "data")
    try:
        assert served.store_processes()
        seconds, _, err = served.terminate()
    finally:
        served.kill()
    assert served.process.returncode == 0, err
    assert seconds < 5, seconds
    assert served.store_processes() == []


def test_sigterm_lets_a_request_in_flight_finish_and_readyz_turns_unready(tmp_path: Path) -> None:
    served = Serve(tmp_path / "data", DOCGATE_SHUTDOWN_TIMEOUT_SECONDS="15")
    try:
        token = key_of(served)  # the CLI reaches the running server's store
        body = orjson.dumps({"jobTitle": "in flight"})
        sock = slow_request(served.port, "/rest/people", {"Authorization": f"Bearer {token}"}, body)
        time.sleep(0.3)
        started = time.monotonic()
        served.process.send_signal(signal.SIGTERM)
        ready = wait_until(lambda: httpx.get(f"{served.url}/readyz", timeout=2), 5)
        assert ready.status_code == 503 and ready.json() == {"status": "draining"}
        refused = httpx.get(f"{served.url}/rest/people", headers={"Authorization": f"Bearer {token}"}, timeout=5)
        assert refused.status_code == 503 and refused.json()["error"] == "SERVICE_UNAVAILABLE"
        assert served.process.poll() is None  # still draining: the request is in flight
        status, answer = finish(sock, body)
        assert status == 201, answer
        served.process.communicate(timeout=15)
        seconds = time.monotonic() - started
    finally:
        served.kill()
    assert served.process.returncode == 0
    assert seconds < 15
    again = Serve(tmp_path / "data")
    try:
        found = httpx.get(f"{again.url}/rest/people", params={"filter": 'jobTitle[eq]:"in flight"'},
                          headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert found.json()["totalCount"] == 1
    finally:
        again.terminate()


def test_kill_9_during_batches_loses_no_acknowledged_batch_and_leaves_no_partial_one(tmp_path: Path) -> None:
    served = Serve(tmp_path / "data")
    acknowledged: list[int] = []
    attempted: list[int] = []
    try:
        token = key_of(served)
        headers = {"Authorization": f"Bearer {token}"}

        def send_batches() -> None:
            with httpx.Client(base_url=served.url, headers=headers, timeout=30) as client:
                for batch in range(10_000):
                    attempted.append(batch)
                    records = [{"city": f"batch-{batch}", "jobTitle": str(i)} for i in range(60)]
                    try:
                        response = client.post("/rest/batch/people", json=records)
                    except httpx.HTTPError:
                        return  # docgate is gone
                    if response.status_code == 201:
                        acknowledged.append(batch)

        sender = threading.Thread(target=send_batches)
        sender.start()
        wait_until(lambda: len(acknowledged) >= 3, 30)
        os.kill(served.process.pid, signal.SIGKILL)  # while batches are in flight
        sender.join(timeout=30)
        served.process.communicate(timeout=10)
        wait_until(lambda: served.store_processes() == [], 5)  # the store died with it
    finally:
        served.kill()
    again = Serve(tmp_path / "data")
    try:
        with httpx.Client(base_url=again.url, headers=headers, timeout=30) as client:
            def stored(batch: int) -> int:
                page = client.get("/rest/people", params={"filter": f'city[eq]:"batch-{batch}"', "limit": 1})
                total: int = page.json()["totalCount"]
                return total

            counts = {batch: stored(batch) for batch in attempted}
    finally:
        again.terminate()
    assert all(counts[b] == 60 for b in acknowledged), counts
    assert set(counts.values()) <= {0, 60}, counts  # no partial batch


def test_a_stale_store_holding_the_folder_is_recovered_at_start_up(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # A store left behind by some earlier docgate, stopped (it cannot even handle SIGTERM).
    orphan = subprocess.Popen([_daemon_path(), "--host", "127.0.0.1", "--port", str(free_port()),
                               "--storage-path", str((data / "store").resolve()), "--log-level", "WARNING"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(1.5)
        os.kill(orphan.pid, signal.SIGSTOP)
        served = Serve(data)
        try:
            orphan.wait(timeout=10)  # stopped cleanly (SIGCONT, SIGTERM), or killed past its grace
            assert httpx.get(f"{served.url}/readyz", timeout=5).status_code == 200
        finally:
            _, _, err = served.terminate()
        assert "stopped a stale store" in err
    finally:
        if orphan.poll() is None:
            orphan.kill()


def test_a_dead_store_is_restarted_while_requests_answer_503(tmp_path: Path) -> None:
    served = Serve(tmp_path / "data")
    try:
        token = key_of(served)
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{served.url}/rest/people", headers=headers, timeout=10).status_code == 200
        [first] = served.store_processes()  # the daemon itself, under its guard
        os.kill(first, signal.SIGKILL)
        statuses: set[int] = set()

        def back() -> bool:
            response = httpx.get(f"{served.url}/rest/people", headers=headers, timeout=10)
            statuses.add(response.status_code)
            if response.status_code != 200:
                assert response.status_code == 503 and response.json()["error"] == "SERVICE_UNAVAILABLE"
            return response.status_code == 200

        wait_until(back, 15, step=0.05)
        assert served.store_processes() not in ([], [first])
        # readiness pings on its own connection, which may still be reconnecting on a busy machine
        wait_until(lambda: httpx.get(f"{served.url}/readyz", timeout=5).status_code == 200, 10, step=0.1)
        assert 500 not in statuses
        os.kill(served.store_processes()[0], signal.SIGSTOP)  # a store that no longer answers at all
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"{served.url}/rest/people", headers=headers, timeout=1)  # a request stuck on it
        seconds, _, _ = served.terminate()
    finally:
        served.kill()
    # The 10 s drain timeout bounds it all, the stuck request and the stuck store too (plus the
    # process's own start of shutdown and exit, on a loaded machine).
    assert seconds < 12.5
    assert served.store_processes() == []


def test_an_unreachable_database_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    uri = f"mongodb://127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=700"
    for command in (["workspace", "list"], ["serve", "--port", str(free_port())]):
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "gateway", *command], capture_output=True, text=True,
                                env=env_for(tmp_path, MONGODB_URI=uri), timeout=60, check=False)
        seconds = time.monotonic() - started
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("docgate: cannot reach the database at MONGODB_URI=mongodb://127.0.0.1:")
        assert "Errno 111" in lines[0] and "configured timeouts" not in lines[0]
        assert seconds < 6, seconds  # the URI's 0.7 s, not the default 5 s, plus start-up


def test_a_restart_says_how_to_get_a_key(tmp_path: Path) -> None:
    first = Serve(tmp_path / "data")
    _, out, _ = first.terminate()
    assert "Created workspace 'default'" in out
    second = Serve(tmp_path / "data")
    _, out, _ = second.terminate()
    assert "dg_" not in out and "docgate apikey create --workspace " in out


async def test_an_idle_server_wakes_once_a_second_and_a_signal_wakes_it_at_once() -> None:
    """uvicorn's loop woke ten times a second to look for a signal: ~1.2 ms of CPU a second
    for an idle server. docgate's wakes once a second, and at once when signalled."""
    import asyncio

    import uvicorn

    from gateway.lifecycle.drain import Lifecycle, draining_server

    config = uvicorn.Config(app=lambda *_: None, lifespan="off")
    config.load()
    lifecycle = Lifecycle(drain_timeout=10)
    server = draining_server(config, lifecycle)
    ticks: list[int] = []
    tick = server.on_tick

    async def counted(counter: int) -> bool:
        ticks.append(counter)
        result: bool = await tick(counter)
        return result

    server.on_tick = counted
    loop = asyncio.create_task(server.main_loop())
    await asyncio.sleep(1.5)
    assert 1 <= len(ticks) <= 3  # uvicorn's own loop: 15
    assert all(counter % 10 == 0 for counter in ticks)  # each tick refreshes the Date header
    lifecycle.draining = True  # as begin_drain leaves it (without its watchdog thread, in a test)
    signalled = time.monotonic()
    server.handle_exit(signal.SIGINT, None)  # a second signal while draining: stop
    await asyncio.wait_for(loop, 2)
    assert time.monotonic() - signalled < 0.5
