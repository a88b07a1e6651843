"""Parse Server as a peer: installed from npm, run against the same SecantusDB server, loaded
with the same data set through its own REST API, and driven with scenarios (a) to (e).

Like for like:
* the same records: Parse runs with `--allowCustomObjectId` and each record keeps the
  generator's id as its objectId, so the same id finds the same person on both, and an
  id-ordered list (`order=objectId`) is the same people in the same order as docgate's
  default list (docgate, as Twenty, orders by id when no `orderBy` is given);
* the same indexes: docgate indexes position, createdAt, the company join column and the unique
  email; Parse makes no index on user fields, so the bench makes those (as a Parse operator
  would, on its collection: `_p_company`, `_created_at`, `position`, `emails.primaryEmail`);
* the same answer: a list asks Parse for docgate's order, the count when docgate's answer has
  one (`count=1`), and every pointer docgate's REST `depth=1` follows (`include=company`:
  Parse has no reverse relations, so the one-to-many lists docgate also answers have no Parse
  counterpart in the same request); a filtered page the same keyset (`position > cursor`).
  Batch writes go through `/batch` with `transaction: true` (all or nothing, as docgate's); an
  upsert first looks the records up by their unique email, as a Parse client must. The list in
  natural order without a count (`list_unordered`: the figure first published) is kept,
  labelled as such.

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
import urllib.parse
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
        self.company_ids: dict[str, str] = {}  # generator id -> Parse objectId
        self.transactions = True  # batch writes in a transaction; off when the store refuses them

    def start(self) -> None:
        """npm install (once) and start; raises with the log's tail when it fails."""
        INSTALL_DIR.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PARSE_VERSION": VERSION, "APP_ID": APP_ID, "MASTER_KEY": MASTER_KEY,
               "PARSE_ARGS": "--logLevel error --allowCustomObjectId"}
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
        """The schema and the data through Parse's own API (/schemas, /batch), each record with the
        generator's id as objectId; skipped when they are there already (a reused store)."""
        first = data.people[0]["id"]
        status, _ = await self.call("GET", f"/classes/Person/{first}")
        if status == 200 and await self.count("Person") >= len(data.people):
            self.person_ids = {p["id"]: p["id"] for p in data.people}
            self.company_ids = {c["id"]: c["id"] for c in data.companies}
            await self.make_indexes()
            return {"loaded": False}
        for cls in ("Person", "Company"):  # an older load (Parse's own ids) or a partial one
            await self.call("DELETE", f"/purge/{cls}")
            await self.call("DELETE", f"/schemas/{cls}")
        for cls, fields in (("Company", COMPANY_FIELDS), ("Person", PERSON_FIELDS)):
            status, res = await self.call("POST", f"/schemas/{cls}", {"className": cls, "fields": fields})
            if status not in (200, 201):
                raise RuntimeError(f"Parse schema {cls}: {status} {res}")
        import time

        t0 = time.perf_counter()
        sem = asyncio.Semaphore(concurrency)

        async def send(reqs: list[dict[str, Any]]) -> list[str]:
            async with sem:
                return await self._batch(reqs)

        def company_body(c: dict[str, Any]) -> dict[str, Any]:
            return {"objectId": c["id"], **{k: v for k, v in c.items() if k != "id"}}

        chunks = [data.companies[i : i + batch] for i in range(0, len(data.companies), batch)]
        await asyncio.gather(*(
            send([{"method": "POST", "path": "/parse/classes/Company", "body": company_body(c)} for c in chunk])
            for chunk in chunks
        ))
        self.company_ids = {c["id"]: c["id"] for c in data.companies}
        t1 = time.perf_counter()
        chunks = [data.people[i : i + batch] for i in range(0, len(data.people), batch)]
        await asyncio.gather(*(
            send([{"method": "POST", "path": "/parse/classes/Person", "body": {"objectId": p["id"], **self.body(p)}}
                  for p in chunk])
            for chunk in chunks
        ))
        self.person_ids = {p["id"]: p["id"] for p in data.people}
        t2 = time.perf_counter()
        await self.make_indexes()
        return {"loaded": True, "companies_s": round(t1 - t0, 1), "people_s": round(t2 - t1, 1),
                "indexes_s": round(time.perf_counter() - t2, 1)}

    async def make_indexes(self) -> None:
        """docgate's indexes on Parse's Person collection (Parse itself makes none on user fields)."""
        from ..baselines import make_client

        client = make_client(self.mongo_uri)
        try:
            people = client[self.database]["Person"]
            for keys in (["_p_company"], ["_created_at", "_id"], ["position", "_id"]):
                await people.create_index([(k, 1) for k in keys])
            await people.create_index([("emails.primaryEmail", 1)], unique=True, sparse=True)
        finally:
            await client.close()

    def get_one(self, generator_id: str) -> HttpRequest:
        return HttpRequest("GET", f"/parse/classes/Person/{self.person_ids[generator_id]}", None, HEADERS)

    def list_unordered(self, limit: int = 50) -> HttpRequest:
        """The list as first benchmarked: natural order, no count (not what docgate serves)."""
        return HttpRequest("GET", f"/parse/classes/Person?limit={limit}&include=company", None, HEADERS)

    list_with_company = list_unordered

    def list_like(self, limit: int = 50, *, count: bool) -> HttpRequest:
        """docgate's list: in id order (docgate's default, as Twenty's), the company included, the
        count when asked."""
        return HttpRequest("GET", f"/parse/classes/Person?limit={limit}&include=company&order=objectId"
                           + ("&count=1" if count else ""), None, HEADERS)

    def page(self, cities: list[str], limit: int, after_position: float | None, *, count: bool) -> HttpRequest:
        """(c): people of some cities in position order after a keyset position; docgate's GraphQL
        page selects id, name, city and position (`keys=`), its REST page every field and a count."""
        where: dict[str, Any] = {"city": {"$in": cities}}
        if after_position is not None:
            where["position"] = {"$gt": after_position}
        query = urllib.parse.urlencode({"where": orjson.dumps(where).decode(), "order": "position,objectId",
                                        "limit": str(limit)})
        query += "&count=1" if count else "&keys=name,city,position"
        return HttpRequest("GET", f"/parse/classes/Person?{query}", None, HEADERS)

    def body(self, record: dict[str, Any]) -> dict[str, Any]:
        """A generator record as a Parse Person (its company a Pointer)."""
        out = {k: v for k, v in record.items() if k not in ("id", "companyId")}
        if record.get("companyId") in self.company_ids:
            out["company"] = {"__type": "Pointer", "className": "Company",
                              "objectId": self.company_ids[record["companyId"]]}
        return out

    def batch_create(self, records: list[dict[str, Any]]) -> HttpRequest:
        requests = [{"method": "POST", "path": "/parse/classes/Person", "body": self.body(r)} for r in records]
        return self._batch_request(requests)

    def _batch_request(self, requests: list[dict[str, Any]]) -> HttpRequest:
        body: dict[str, Any] = {"requests": requests}
        if self.transactions:
            body["transaction"] = True
        return HttpRequest("POST", "/parse/batch", orjson.dumps(body), HEADERS)

    async def upsert(self, conn: Any, records: list[dict[str, Any]]) -> None:
        """(e) as a Parse client does it: find which records exist (by their unique email), then
        one batch of updates and creates. `conn` is a keep-alive bench.load.Connection."""
        emails = [r["emails"]["primaryEmail"] for r in records]
        where = orjson.dumps({"emails.primaryEmail": {"$in": emails}}).decode()
        query = urllib.parse.urlencode({"where": where, "keys": "emails", "limit": str(len(records))})
        status, raw = await conn.request(HttpRequest("GET", f"/parse/classes/Person?{query}", None,
                                                     HEADERS).encode(self.netloc))
        if status != 200:
            raise RuntimeError(f"Parse lookup: {status} {raw[:200]!r}")
        found = {(row.get("emails") or {}).get("primaryEmail"): row["objectId"]
                 for row in orjson.loads(raw)["results"]}
        requests = []
        for record in records:
            object_id = found.get(record["emails"]["primaryEmail"])
            if object_id is None:
                requests.append({"method": "POST", "path": "/parse/classes/Person", "body": self.body(record)})
            else:
                requests.append({"method": "PUT", "path": f"/parse/classes/Person/{object_id}",
                                 "body": self.body(record)})
        status, raw = await conn.request(self._batch_request(requests).encode(self.netloc))
        if status != 200 or b'"error"' in raw:
            raise RuntimeError(f"Parse batch: {status} {raw[:200]!r}")

    @property
    def netloc(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def probe_transactions(self, size: int = 60, tries: int = 4) -> str | None:
        """Whether `/batch` with `transaction: true` works on this store for batches like the write
        scenarios' (60 people, two at once); None when every try does. Parse runs a transactional
        batch's requests concurrently (Promise.all) in one session: where the store refuses
        that, some fail (NoSuchTransaction in Parse's log) and the batch answers 500."""
        failure = None
        for attempt in range(tries):
            batches = [[{"method": "POST", "path": "/parse/classes/Person", "body": {
                "emails": {"primaryEmail": f"person{i:05d}-probe{attempt}{half}@example.com"}, "jobTitle": "probe"}}
                for i in range(size)] for half in "ab"]
            answers = await asyncio.gather(*(self.call("POST", "/batch", {"requests": b, "transaction": True})
                                             for b in batches))
            for status, res in answers:
                if not (status == 200 and isinstance(res, list) and all("success" in r for r in res)):
                    failure = failure or f"{status}: {str(res)[:160]}"
            if failure:
                break
        await self.delete_probes()
        if failure is None:
            return None
        self.transactions = False
        return (f"Parse's /batch with transaction: true fails on this store ({failure}; Parse's log: "
                "NoSuchTransaction: it sends a batch's requests concurrently in one transaction): Parse's "
                "batches run WITHOUT a transaction, so not all-or-nothing as docgate's are")

    async def delete_probes(self) -> None:
        from ..baselines import make_client

        client = make_client(self.mongo_uri)
        try:
            await client[self.database]["Person"].delete_many({"jobTitle": "probe"})
        finally:
            await client.close()
