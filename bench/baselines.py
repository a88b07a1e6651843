"""The two floors docgate is measured against, on the same database server in the same run.

1. `Queries`: raw PyMongo async doing each scenario's database work, nothing else. Run
   in-process by the bench (`run_ops`): the floor for database work.
2. A minimal hand-written Starlette service (`python -m bench.baselines`, its own uvicorn
   process with httptools and uvloop, like `docgate serve`) that runs the same `Queries`
   and encodes the result with orjson: the floor for an HTTP service in Python. It checks
   a static bearer token, and nothing else docgate does (no metadata, no schema, no
   GraphQL).

The reads issue exactly the commands docgate issues (the same filter, sort, index and limit, one
`$in` query for the companies of a page). The writes do the minimum a service needs for the
same guarantees (an atomic batch, relations checked, unique keys enforced by the unique
index), so the difference in database commands per request is part of what is reported.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import time
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

PERSON_SCALARS = ("jobTitle", "city", "avatarUrl")


def encode_cursor(doc: Mapping[str, Any]) -> str:
    text = orjson.dumps({"position": doc.get("position"), "id": doc["_id"]})
    return base64.b64encode(text).decode("ascii")


def decode_cursor(cursor: str) -> tuple[Any, str]:
    data = orjson.loads(base64.b64decode(cursor))
    return data["position"], data["id"]


def out(doc: dict[str, Any]) -> dict[str, Any]:
    if "_id" in doc:  # a company shared by several people is converted once
        doc["id"] = doc.pop("_id")
    return doc


def now() -> dt.datetime:
    stamp = dt.datetime.now(dt.UTC)
    return stamp.replace(microsecond=stamp.microsecond // 1000 * 1000)


def new_person_doc(data: Mapping[str, Any]) -> dict[str, Any]:
    from schema_builder.ids import new_id  # the same id layout docgate uses

    stamp = now()
    doc = {k: v for k, v in data.items() if k != "id"}
    doc["_id"] = data.get("id") or new_id()
    doc.setdefault("position", time.time_ns() / 1e9)
    doc.update(createdAt=stamp, updatedAt=stamp, deletedAt=None,
               createdBy={"source": "API", "workspaceMemberId": None, "name": "API", "context": {}})
    return doc


class Queries:
    """Each scenario's database work, on one workspace database."""

    def __init__(self, client: Any, db_name: str) -> None:
        self.client = client
        self.db = client[db_name]
        self.people = self.db["person"]
        self.companies = self.db["company"]

    # (a) one record by id
    async def person(self, record_id: str) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self.people.find_one({"_id": record_id, "deletedAt": None})
        return doc

    async def company_name(self, company_id: str | None) -> dict[str, Any] | None:
        if company_id is None:
            return None
        doc: dict[str, Any] | None = await self.companies.find_one(
            {"_id": company_id, "deletedAt": None}, {"_id": 0, "name": 1})
        return doc

    # (b) a page of people with their companies: one query per relation level
    async def people_with_company(
        self, limit: int, company_projection: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        # Walking the _id index in order, as docgate does for an id-ordered page.
        cursor = self.people.find({"deletedAt": None}).sort([("_id", 1)]).hint([("_id", 1)])
        docs = await cursor.limit(limit + 1).to_list(None)
        docs = docs[:limit]
        ids = list({d["companyId"] for d in docs if d.get("companyId")})
        companies = await self.companies.find({"_id": {"$in": ids}, "deletedAt": None}, company_projection).to_list(
            None
        )
        by_id = {c["_id"]: c for c in companies}
        for d in docs:
            d["company"] = by_id.get(d.get("companyId"))
        result: list[dict[str, Any]] = docs
        return result

    # REST depth=1 (Twenty): every relation of the record, the one-to-many ones as lists
    ONE_TO_MANY = (("opportunity", "pointOfContactId", "pointOfContactForOpportunities"),
                   ("noteTarget", "personId", "noteTargets"), ("taskTarget", "personId", "taskTargets"),
                   ("timelineActivity", "targetPersonId", "timelineActivities"))

    async def one_to_many(self, docs: list[dict[str, Any]], cap: int = 60) -> None:
        ids = [d["_id"] for d in docs]
        for collection, column, name in self.ONE_TO_MANY:
            rows = await self.db[collection].find({column: {"$in": ids}, "deletedAt": None}).to_list(None)
            by_parent: dict[str, list[dict[str, Any]]] = {}
            for row in rows:
                by_parent.setdefault(row[column], []).append(row)
            for d in docs:
                d[name] = by_parent.get(d["_id"], [])[:cap]

    async def count_people(self) -> int:
        n: int = await self.people.count_documents({"deletedAt": None})
        return n

    # (c) a filtered, sorted page after a keyset cursor
    async def page(self, cities: Sequence[str], limit: int, after: tuple[Any, str] | None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"deletedAt": None, "city": {"$in": list(cities)}}
        if after is not None:
            position, last_id = after
            query["$or"] = [{"position": {"$gt": position}}, {"position": position, "_id": {"$gt": last_id}}]
        cursor = self.people.find(query).sort([("position", 1), ("_id", 1)]).limit(limit + 1)
        docs: list[dict[str, Any]] = await cursor.to_list(None)
        return docs

    async def count_page(self, cities: Sequence[str]) -> int:
        n: int = await self.people.count_documents({"deletedAt": None, "city": {"$in": list(cities)}})
        return n

    async def _check_companies(self, records: Sequence[Mapping[str, Any]], session: Any) -> None:
        wanted = list({r["companyId"] for r in records if r.get("companyId")})
        if wanted:
            found = await self.companies.find({"_id": {"$in": wanted}}, {"_id": 1}, session=session).to_list(None)
            if len(found) != len(wanted):
                raise ValueError("companyId does not match any company")

    # (d) batch create, atomically; the unique index refuses duplicate emails
    async def create_people(self, records: Sequence[Mapping[str, Any]]) -> list[str]:
        docs = [new_person_doc(r) for r in records]

        async def work(session: Any) -> None:
            await self._check_companies(docs, session)
            await self.people.insert_many(docs, ordered=True, session=session)

        async with self.client.start_session() as session:
            await session.with_transaction(work)
        return [d["_id"] for d in docs]

    # (e) batch upsert matching on the unique email, atomically
    async def upsert_people(self, records: Sequence[Mapping[str, Any]]) -> list[str]:
        from pymongo import InsertOne, UpdateOne

        emails = [r["emails"]["primaryEmail"] for r in records]
        result: list[str] = []

        async def work(session: Any) -> None:
            result.clear()
            existing = await self.people.find(
                {"emails.primaryEmail": {"$in": emails}}, {"_id": 1, "emails.primaryEmail": 1}, session=session
            ).to_list(None)
            by_email = {d["emails"]["primaryEmail"]: d["_id"] for d in existing}
            await self._check_companies(records, session)
            ops: list[Any] = []
            stamp = now()
            for r in records:
                match = by_email.get(r["emails"]["primaryEmail"])
                if match is None:
                    doc = new_person_doc(r)
                    ops.append(InsertOne(doc))
                    result.append(doc["_id"])
                else:
                    fields = {k: v for k, v in r.items() if k != "id"}
                    ops.append(UpdateOne({"_id": match}, {"$set": {**fields, "updatedAt": stamp, "deletedAt": None}}))
                    result.append(match)
            await self.people.bulk_write(ops, ordered=True, session=session)

        async with self.client.start_session() as session:
            await session.with_transaction(work)
        return result


def create_app(queries: Queries, token: str) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    expected = f"Bearer {token}"
    opts = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC

    def respond(body: Any, status: int = 200) -> Response:
        return Response(orjson.dumps(body, option=opts), status_code=status, media_type="application/json")

    def denied(request: Request) -> Response | None:
        if request.headers.get("authorization") != expected:
            return respond({"error": "unauthorized"}, 401)
        return None

    async def person(request: Request) -> Response:
        if (no := denied(request)) is not None:
            return no
        doc = await queries.person(request.path_params["id"])
        if doc is None:
            return respond({"error": "not found"}, 404)
        if request.query_params.get("company"):  # GraphQL's `company { name }`: one more query
            doc["company"] = await queries.company_name(doc.get("companyId"))
        return respond({"data": {"person": out(doc)}})

    async def people(request: Request) -> Response:
        if (no := denied(request)) is not None:
            return no
        params = request.query_params
        limit = int(params.get("limit", "50"))
        if params.get("shape") == "rest":  # REST depth=1: every relation, a flat list
            docs = await queries.people_with_company(limit)
            await queries.one_to_many(docs)
            for d in docs:
                if d["company"] is not None:
                    out(d["company"])
                for name in ("pointOfContactForOpportunities", "noteTargets", "taskTargets", "timelineActivities"):
                    d[name] = [out(r) for r in d[name]]
            body: dict[str, Any] = {"data": {"people": [out(d) for d in docs]}}
            if params.get("total"):
                body["totalCount"] = await queries.count_people()
            return respond(body)
        docs = await queries.people_with_company(limit)  # the same query; GraphQL selects company { name }
        for d in docs:
            if d["company"] is not None:
                d["company"] = {"name": d["company"].get("name")}
        return respond({"data": {"people": {"edges": [{"node": out(d)} for d in docs]}}})

    async def page(request: Request) -> Response:
        if (no := denied(request)) is not None:
            return no
        params = request.query_params
        limit = int(params.get("limit", "20"))
        after = decode_cursor(params["after"]) if params.get("after") else None
        docs = await queries.page(params.get("cities", "").split(","), limit, after)
        more = len(docs) > limit
        docs = docs[:limit]
        nodes = [
            {"id": d["_id"], "name": d.get("name"), "city": d.get("city"), "position": d.get("position")} for d in docs
        ]
        info = {"endCursor": encode_cursor(docs[-1]) if docs else None, "hasNextPage": more}
        body: dict[str, Any] = {"edges": [{"node": n} for n in nodes], "pageInfo": info}
        if params.get("total"):
            body["totalCount"] = await queries.count_page(params.get("cities", "").split(","))
        return respond({"data": {"people": body}})

    async def batch(request: Request) -> Response:
        if (no := denied(request)) is not None:
            return no
        records = orjson.loads(await request.body())
        try:
            if request.query_params.get("upsert") == "true":
                ids = await queries.upsert_people(records)
            else:
                ids = await queries.create_people(records)
        except Exception as exc:
            return respond({"error": type(exc).__name__, "message": str(exc)[:200]}, 400)
        return respond({"data": {"createPeople": [{"id": i} for i in ids]}})

    async def healthz(request: Request) -> Response:
        return respond({"status": "ok"})

    return Starlette(routes=[
        Route("/healthz", healthz),
        Route("/people/page", page),
        Route("/people/{id}", person),
        Route("/people", people),
        Route("/batch/people", batch, methods=["POST"]),
    ])


def make_client(uri: str, listeners: list[Any] | None = None) -> Any:
    """Connected as docgate connects (gateway/db.py), so the driver's work is the same."""
    from pymongo import AsyncMongoClient

    return AsyncMongoClient(
        uri, tz_aware=True, uuidRepresentation="standard", serverSelectionTimeoutMS=5000, maxPoolSize=100,
        event_listeners=listeners or [],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="the hand-written endpoint of the docgate benchmark")
    parser.add_argument("--uri", required=True)
    parser.add_argument("--db", required=True, help="the workspace database")
    parser.add_argument("--token", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    import uvicorn

    app = create_app(Queries(make_client(args.uri), args.db), args.token)
    uvicorn.run(app, host="127.0.0.1", port=args.port, http="httptools", loop="uvloop", log_level="warning",
                access_log=False)


if __name__ == "__main__":
    main()
