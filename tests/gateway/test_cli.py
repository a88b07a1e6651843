"""The `docgate` command on the embedded store, as a user runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest

from gateway.embedded import free_port


def docgate(data_dir: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOCGATE_DATA_DIR": str(data_dir), "DOCGATE_LOG_LEVEL": "WARNING"}
    env.pop("MONGODB_URI", None)
    return subprocess.run([sys.executable, "-m", "gateway", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, check=False)


class Served:
    def __init__(self, process: subprocess.Popen[str], port: int, banner: str) -> None:
        self.process, self.port, self.banner = process, port, banner

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_serve(data_dir: Path) -> Served:
    port = free_port()
    env = {**os.environ, "DOCGATE_DATA_DIR": str(data_dir), "DOCGATE_LOG_LEVEL": "WARNING"}
    env.pop("MONGODB_URI", None)
    process = subprocess.Popen([sys.executable, "-m", "gateway", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {process.stderr.read() if process.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError("serve did not become healthy")
    return Served(process, port, "")


def stop(served: Served) -> str:
    served.process.send_signal(signal.SIGTERM)
    out, _ = served.process.communicate(timeout=30)
    assert served.process.returncode == 0
    return out


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "data"


def key_from_banner(out: str) -> str:
    return next(line.strip() for line in out.splitlines() if line.strip().startswith("eyJ"))


def test_serve_creates_default_workspace_once_and_survives_restart(data_dir: Path) -> None:
    served = start_serve(data_dir)
    try:
        # A command beside the server reaches the server's store; a second server fails at once.
        listed = docgate(data_dir, "workspace", "list")
        assert listed.returncode == 0 and '"displayName": "default"' in listed.stdout, listed.stderr
        second = docgate(data_dir, "serve", "--port", str(free_port()))
        assert second.returncode == 2
        assert "in use by another docgate process" in second.stderr
    finally:
        out = stop(served)
    key = key_from_banner(out)
    assert "Created workspace 'default'" in out

    again = start_serve(data_dir)
    try:
        headers = {"Authorization": f"Bearer {key}"}
        objects = httpx.get(f"{again.url}/rest/metadata/objects", headers=headers, timeout=10)
        assert objects.status_code == 200
        names = {o["nameSingular"] for o in objects.json()["data"]["objects"]}
        assert {"person", "company", "opportunity", "note", "task", "noteTarget", "taskTarget",
                "workspaceMember"} <= names
        created = httpx.post(f"{again.url}/graphql", headers=headers, timeout=10,
                             json={"query": 'mutation { createPerson(data: {jobTitle: "kept"}) { id } }'})
        assert "errors" not in created.json()
    finally:
        out = stop(again)
    assert "eyJ" not in out  # the key is shown only once

    third = start_serve(data_dir)
    try:
        body = httpx.post(f"{third.url}/graphql", headers={"Authorization": f"Bearer {key}"}, timeout=10,
                          json={"query": '{ people(filter: {jobTitle: {eq: "kept"}}) { totalCount } }'}).json()
        assert body["data"]["people"]["totalCount"] == 1
    finally:
        stop(third)


def test_workspace_and_apikey_commands(data_dir: Path) -> None:
    created = docgate(data_dir, "workspace", "create", "acme")
    assert created.returncode == 0, created.stderr
    payload = json.loads(created.stdout)  # one JSON object and nothing else on stdout
    assert set(payload) == {"workspaceId", "apiKey"} and payload["apiKey"].startswith("eyJ")
    duplicate = docgate(data_dir, "workspace", "create", "acme")
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr

    listed = [json.loads(line) for line in docgate(data_dir, "workspace", "list").stdout.splitlines()]
    assert [w["displayName"] for w in listed] == ["acme"]

    workspace = payload["workspaceId"]
    key = docgate(data_dir, "apikey", "create", "--workspace", workspace, "--name", "ci", "--expires-in-days", "30")
    assert key.returncode == 0 and key.stdout.strip().startswith("eyJ") and len(key.stdout.strip().split()) == 1
    listed = docgate(data_dir, "apikey", "list", "--workspace", workspace)
    keys = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [k["name"] for k in keys] == ["default", "ci"]
    assert all("tokenHash" not in k and "token" not in k for k in keys)
    assert keys[1]["expiresAt"] is not None and keys[1]["revokedAt"] is None

    revoked = docgate(data_dir, "apikey", "revoke", keys[1]["id"])
    assert revoked.returncode == 0
    listed = docgate(data_dir, "apikey", "list", "--workspace", workspace)
    keys = [json.loads(line) for line in listed.stdout.splitlines()]
    assert keys[1]["revokedAt"] is not None

    limits = docgate(data_dir, "workspace", "limits", workspace, "--long-limit", "500", "--short-ttl-ms", "2000")
    assert limits.returncode == 0, limits.stderr
    assert json.loads(limits.stdout)["inForce"] == {
        "shortLimit": 100, "shortTtlInMs": 2000, "longLimit": 500, "longTtlInMs": 60000
    }
    reset = json.loads(docgate(data_dir, "workspace", "limits", workspace, "--reset").stdout)
    assert reset["override"] == {} and reset["inForce"]["longLimit"] == 100

    unknown = docgate(data_dir, "apikey", "list", "--workspace", "nope")
    assert unknown.returncode == 1 and "workspace 'nope' not found" in unknown.stderr
    bad_days = docgate(data_dir, "apikey", "create", "--workspace", workspace, "--name", "x", "--expires-in-days", "0")
    assert bad_days.returncode == 1 and "expires-in-days" in bad_days.stderr


def test_apikey_create_takes_a_role_and_an_expiry(data_dir: Path) -> None:
    workspace = json.loads(docgate(data_dir, "workspace", "create", "acme").stdout)["workspaceId"]
    member = docgate(data_dir, "apikey", "create", "--workspace", workspace, "--role", "Member", "--expires", "30d")
    assert member.returncode == 0, member.stderr
    claims = jwt.decode(member.stdout.strip(), options={"verify_signature": False})
    assert claims["type"] == "API_KEY" and claims["sub"] == workspace and claims["workspaceId"] == workspace
    assert 29 * 86400 < claims["exp"] - claims["iat"] <= 30 * 86400 + 5
    listed = docgate(data_dir, "apikey", "list", "--workspace", workspace).stdout
    keys = [json.loads(line) for line in listed.splitlines()]
    assert claims["jti"] == keys[-1]["id"] and keys[-1]["roleId"] != keys[0]["roleId"]  # Member, not Admin

    dated = docgate(data_dir, "apikey", "create", "--workspace", workspace, "--expires", "2099-01-31")
    assert dated.returncode == 0 and jwt.decode(dated.stdout.strip(), options={"verify_signature": False})["exp"] == (
        4073500800)
    unknown = docgate(data_dir, "apikey", "create", "--workspace", workspace, "--role", "Janitor")
    assert unknown.returncode == 1 and "role 'Janitor' not found" in unknown.stderr and "Member" in unknown.stderr
    past = docgate(data_dir, "apikey", "create", "--workspace", workspace, "--expires", "2001-01-01")
    assert past.returncode == 1 and "--expires must be in the future" in past.stderr


def test_help_documents_every_command(tmp_path: Path) -> None:
    out = docgate(tmp_path, "--help").stdout
    for word in ("serve", "workspace", "apikey", "MONGODB_URI", "DOCGATE_DATA_DIR", "DOCGATE_MAX_BATCH_SIZE"):
        assert word in out


def test_invalid_setting_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    env = {**os.environ, "DOCGATE_MAX_PAGE_SIZE": "lots"}
    result = subprocess.run([sys.executable, "-m", "gateway", "workspace", "list"], capture_output=True, text=True,
                            env=env, timeout=30, check=False)
    assert result.returncode == 2
    assert "DOCGATE_MAX_PAGE_SIZE" in result.stderr and "integer" in result.stderr
