"""Parse Server as a peer: installed from npm, run against the same SecantusDB server, loaded
with the same data set through its own REST API, and driven with scenarios (a) and (b).

Installed into `bench/.peers/parse` (git-ignored) by `setup-parse.sh`, adapted from
/work/shared/bench-peers/parse/ (router@2.2.0 pinned: see the comment there).
Data mapping: the generator's records become `Company` and `Person` objects; composite
fields are Parse `Object` fields, the company relation a `Pointer`.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import orjson

from ..data import DataSet
from ..load import HttpRequest, fetch
from ..procs import ROOT, free_port, wait_http

APP_ID = "peerApp"
MASTER_KEY = "peerMasterKey"
VERSION = os.environ.get("PARSE_VERSION", "9.10.0")
INSTALL_DIR = ROOT / "bench" / ".peers" / "parse"
SETUP = Path(__file__).with_name("setup-parse.sh")
HEADERS = {"X-Parse-Application-Id": APP_ID, "X-Parse-Master-Key": MASTER_KEY, "Content-Type": "application/json"}

COMPANY_FIELDS = {
    "name": {"type": "String"}, "domainName": {"type": "Object"}, "employees": {"type": "Number"},
    "address": {"type": "Object"}, "annualRecurringRevenue": {"type": "Object"},
    "idealCustomerProfile": {"type": "Boolean"}, "position": {"type": "Number"},
}
PERSON_FIELDS = {
    "name": {"type": "Object"}, "emails": {"type": "Object"}, "phones": {"type": "Object"},
    "linkedinLink": {"type": "Object"}, "jobTitle": {"type": "String"}, "city": {"type": "String"},
    "position": {"type": "Number"}, "company": {"type": "Pointer", "targetClass": "Company"},
}


class ParsePeer:
    def __init__(self, mongo_uri: str, database: str, log_dir: Path) -> None:
        base = mongo_uri.split("?", 1)[0].rstrip("/")
        self.mongo_uri = f"{base}/{database}"
        self.database = database
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_dir = log_dir
        self.pid = 0
        self.person_ids: dict[str, str] = {}  # generator id -> Parse objectId

    def start(self) -> None:
        """npm install (once) and start; raises with the log's tail when it fails."""
        INSTALL_DIR.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PARSE_VERSION": VERSION, "APP_ID": APP_ID, "MASTER_KEY": MASTER_KEY,
               "PARSE_ARGS": "--logLevel error"}
        run = subprocess.run(["bash", str(SETUP), str(INSTALL_DIR), self.mongo_uri, str(self.port)], env=env,
                             capture_output=True, text=True, timeout=900, check=False)
        (self.log_dir / "parse-setup.log").write_text(run.stdout + run.stderr)
        if run.returncode != 0:
            raise RuntimeError(f"Parse Server did not start: {(run.stdout + run.stderr)[-1500:]}")
        self.pid = int((INSTALL_DIR / "parse-server.pid").read_text().strip())
        wait_http(f"{self.base}/parse/health", None, timeout=60)

    def version(self) -> str:
        try:
            pkg = json.loads((INSTALL_DIR / "node_modules" / "parse-server" / "package.json").read_text())
            return str(pkg["version"])
        except OSError:
            return VERSION

    def stop(self) -> None:
        if self.pid:
            try:
                os.kill(self.pid, 15)
            except ProcessLookupError:
                pass
            self.pid = 0

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else orjson.dumps(body)
        status, raw = await fetch(self.base, HttpRequest(method, "/parse" + path, data, HEADERS))
        return status, orjson.loads(raw) if raw else None

    async def _batch(self, requests: list[dict[str, Any]]) -> list[str]:
        status, res = await self.call("POST", "/batch", {"requests": requests})
        if status != 200:
            raise RuntimeError(f"Parse batch failed: {status} {str(res)[:300]}")
        errors = [r["error"] for r in res if "error" in r]
        if errors:
            raise RuntimeError(f"Parse batch errors: {errors[:2]}")
        return [r["success"]["objectId"] for r in res]

    async def count(self, cls: str) -> int:
        status, res = await self.call("GET", f"/classes/{cls}?count=1&limit=0")
        return int(res.get("count", 0)) if status == 200 else 0

    async def load(self, data: DataSet, batch: int = 50, concurrency: int = 2) -> dict[str, Any]:
        """The schema and the data through Parse's own API (/schemas, /batch); skipped when present."""
        for cls, fields in (("Company", COMPANY_FIELDS), ("Person", PERSON_FIELDS)):
            status, _ = await self.call("GET", f"/schemas/{cls}")
            if status != 200:
                status, res = await self.call("POST", f"/schemas/{cls}", {"className": cls, "fields": fields})
                if status not in (200, 201):
                    raise RuntimeError(f"Parse schema {cls}: {status} {res}")
        if await self.count("Person") >= len(data.people):
            await self._map_ids(data)
            return {"loaded": False}
        import time

        t0 = time.perf_counter()
        sem = asyncio.Semaphore(concurrency)

        async def send(reqs: list[dict[str, Any]]) -> list[str]:
            async with sem:
                return await self._batch(reqs)

        def company_body(c: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in c.items() if k != "id"}

        chunks = [data.companies[i : i + batch] for i in range(0, len(data.companies), batch)]
        results = await asyncio.gather(*(
            send([{"method": "POST", "path": "/parse/classes/Company", "body": company_body(c)} for c in chunk])
            for chunk in chunks
        ))
        company_ids = {c["id"]: oid for chunk, ids in zip(chunks, results, strict=True)
                       for c, oid in zip(chunk, ids, strict=True)}
        t1 = time.perf_counter()

        def person_body(p: dict[str, Any]) -> dict[str, Any]:
            body = {k: v for k, v in p.items() if k not in ("id", "companyId")}
            body["company"] = {"__type": "Pointer", "className": "Company", "objectId": company_ids[p["companyId"]]}
            return body

        chunks = [data.people[i : i + batch] for i in range(0, len(data.people), batch)]
        results = await asyncio.gather(*(
            send([{"method": "POST", "path": "/parse/classes/Person", "body": person_body(p)} for p in chunk])
            for chunk in chunks
        ))
        self.person_ids = {p["id"]: oid for chunk, ids in zip(chunks, results, strict=True)
                           for p, oid in zip(chunk, ids, strict=True)}
        return {"loaded": True, "companies_s": round(t1 - t0, 1), "people_s": round(time.perf_counter() - t1, 1)}

    async def _map_ids(self, data: DataSet) -> None:
        """Parse assigns its own objectIds; find them again by the generator's unique email."""
        wanted = {p["emails"]["primaryEmail"]: p["id"] for p in data.people}
        skip = 0
        while True:
            status, res = await self.call("GET", f"/classes/Person?keys=emails&limit=1000&skip={skip}&order=position")
            rows = res.get("results", []) if status == 200 else []
            for row in rows:
                gid = wanted.get((row.get("emails") or {}).get("primaryEmail"))
                if gid:
                    self.person_ids[gid] = row["objectId"]
            if len(rows) < 1000:
                return
            skip += 1000

    def get_one(self, generator_id: str) -> HttpRequest:
        return HttpRequest("GET", f"/parse/classes/Person/{self.person_ids[generator_id]}", None, HEADERS)

    def list_with_company(self, limit: int = 50) -> HttpRequest:
        return HttpRequest("GET", f"/parse/classes/Person?limit={limit}&include=company", None, HEADERS)
