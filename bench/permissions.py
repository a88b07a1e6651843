"""What a restricted key costs next to an Admin key: the same requests, by both, side by side.

`python -m bench.permissions [--people N] [--rounds R]`: one SecantusDB server, docgate in its
own process (as `bench run` measures it), the data set of `bench.data`; then each scenario is
measured by the workspace's Admin key and by a key of a restricted role, in alternating rounds
(A, R, A, R, …: the machine's drift falls on both), closed loop at concurrency 1. The figure is
the gateway process's CPU per request (its own /proc accounting), the median over the rounds,
and the ratio restricted / Admin; the target of issue 14 is ≤ 1.1. Latency p50 is printed too.

The restricted role is a realistic one whose rules do not change the answers (so that both keys
do the same work otherwise): every record right, but no settings, no access to opportunities,
person.xLink unreadable and person.avatarUrl not writable, and row-level predicates on people
(`city` IS_NOT_EMPTY) and companies (`name` IS_NOT_EMPTY) that every record satisfies — so
each read carries the row filter, each write the row check.

Writes `bench/results/<date>-<commit>-permissions.json` (commit it).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson

from . import data as gen
from .load import Budget, HttpRequest, fetch, run_http
from .procs import ROOT, create_workspace, gateway, secantus
from .scenarios import graphql_ok, graphql_request, rest_request

CONTROL_DB = "benchperm"
PERSON = (
    "id createdAt updatedAt position name { firstName lastName } emails { primaryEmail additionalEmails } "
    "phones { primaryPhoneNumber primaryPhoneCountryCode primaryPhoneCallingCode } "
    "linkedinLink { primaryLinkUrl } jobTitle city avatarUrl companyId"
)
Q_ONE = f"query One($id: UUID!) {{ person(filter: {{id: {{eq: $id}}}}) {{ {PERSON} }} }}"
Q_LIST = f"query List($n: Int) {{ people(first: $n) {{ edges {{ node {{ {PERSON} company {{ name }} }} }} }} }}"
Q_PAGE = ("query Page($n: Int, $cities: [String!]) { people(first: $n, filter: {city: {in: $cities}}, "
          "orderBy: [{position: AscNullsFirst}]) { totalCount edges { node { id name { firstName lastName } city } } "
          "} }")
M_CREATE = "mutation Create($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }"
TARGET = 1.1


async def metadata(base: str, token: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    status, body = await fetch(base, HttpRequest("POST", "/metadata", orjson.dumps(
        {"query": query, "variables": variables or {}}), {"Authorization": f"Bearer {token}",
                                                          "Content-Type": "application/json"}))
    answer = orjson.loads(body)
    if status != 200 or answer.get("errors"):
        raise RuntimeError(f"/metadata: {body[:300]!r}")
    return answer["data"]


async def restricted_key(base: str, admin: str) -> str:
    objects = await metadata(base, admin, "{ objects(paging: {first: 100}) { edges { node { id nameSingular "
                             "fieldsList { id name } } } } }")
    by_name = {e["node"]["nameSingular"]: e["node"] for e in objects["objects"]["edges"]}

    def field(obj: str, name: str) -> str:
        return str(next(f["id"] for f in by_name[obj]["fieldsList"] if f["name"] == name))

    role = (await metadata(base, admin, 'mutation { createOneRole(createRoleInput: {label: "Restricted", '
                           "canReadAllObjectRecords: true, canUpdateAllObjectRecords: true, "
                           "canSoftDeleteAllObjectRecords: true, canDestroyAllObjectRecords: true}) { id } }"))
    role_id = role["createOneRole"]["id"]
    await metadata(base, admin, "mutation($i: UpsertObjectPermissionsInput!) { upsertObjectPermissions("
                   "upsertObjectPermissionsInput: $i) { objectMetadataId } }", {"i": {"roleId": role_id,
                   "objectPermissions": [{"objectMetadataId": by_name["opportunity"]["id"],
                                          "canReadObjectRecords": False, "canUpdateObjectRecords": False,
                                          "canSoftDeleteObjectRecords": False, "canDestroyObjectRecords": False}]}})
    person = by_name["person"]["id"]
    await metadata(base, admin, "mutation($i: UpsertFieldPermissionsInput!) { upsertFieldPermissions("
                   "upsertFieldPermissionsInput: $i) { id } }", {"i": {"roleId": role_id, "fieldPermissions": [
                       {"objectMetadataId": person, "fieldMetadataId": field("person", "xLink"),
                        "canReadFieldValue": False},
                       {"objectMetadataId": person, "fieldMetadataId": field("person", "avatarUrl"),
                        "canUpdateFieldValue": False}]}})
    for obj, predicate in (("person", {"fieldMetadataId": field("person", "city"), "operand": "IS_NOT_EMPTY"}),
                           ("company", {"fieldMetadataId": field("company", "name"), "operand": "IS_NOT_EMPTY"})):
        await metadata(base, admin, "mutation($i: UpsertRowLevelPermissionPredicatesInput!) { "
                       "upsertRowLevelPermissionPredicates(input: $i) { predicates { id } } }", {"i": {
                           "roleId": role_id, "objectMetadataId": by_name[obj]["id"], "predicates": [predicate],
                           "predicateGroups": []}})
    key = await metadata(base, admin, "mutation($r: UUID!) { createApiKey(input: {name: \"restricted\", "
                         "roleId: $r}) { token } }", {"r": role_id})
    return str(key["createApiKey"]["token"])


async def load(base: str, token: str, data_set: gen.DataSet) -> None:
    for mutation, records in (("mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }",
                               data_set.companies),
                              ("mutation($d: [PersonCreateInput!]!) { createPeople(data: $d) { id } }",
                               data_set.people)):
        for batch in data_set.batches(records):
            status, body = await fetch(base, graphql_request(token, mutation, {"d": batch}))
            if (problem := graphql_ok(status, body)) is not None:
                raise RuntimeError(problem)


def scenarios(token: str, data_set: gen.DataSet, tag: str) -> dict[str, Any]:
    people = data_set.people
    company_ids = [c["id"] for c in data_set.companies]
    cities = list(gen.CITIES[:3])
    counter = {"n": 0}

    def create(i: int) -> HttpRequest:
        counter["n"] += 1
        batch = gen.write_batch(1_000_000 + counter["n"] * 60, 60, company_ids, tag=f"{tag}{counter['n']}")
        return graphql_request(token, M_CREATE, {"d": batch})

    return {
        "a one person (GraphQL)": lambda i: graphql_request(token, Q_ONE, {"id": people[i % len(people)]["id"]}),
        "a one person (REST)": lambda i: rest_request(token, "GET", f"/rest/people/{people[i % len(people)]['id']}"),
        "b 50 people + company (GraphQL)": graphql_request(token, Q_LIST, {"n": 50}),
        "b 50 people depth=1 (REST)": rest_request(token, "GET", "/rest/people?limit=50&depth=1"),
        "c filtered sorted page + totalCount": graphql_request(token, Q_PAGE, {"n": 50, "cities": cities}),
        "d create 60 people": create,
    }


async def measure(base: str, pid: int, admin: str, restricted: str, data_set: gen.DataSet, rounds: int,
                  budget: Budget, write_budget: Budget) -> dict[str, Any]:
    runs: dict[str, dict[str, list[dict[str, float]]]] = {}
    mine = {"admin": scenarios(admin, data_set, "adm"), "restricted": scenarios(restricted, data_set, "res")}
    for name in mine["admin"]:
        runs[name] = {"admin": [], "restricted": []}
        for _ in range(rounds):
            for who in ("admin", "restricted"):
                writes = name.startswith("d ")
                result = await run_http(base, mine[who][name], 1, write_budget if writes else budget,
                                        cpu_pids={"docgate": pid}, check=graphql_ok if "GraphQL" in name or writes
                                        else None)
                if result.errors:
                    raise RuntimeError(f"{name} by {who}: {result.first_error}")
                runs[name][who].append({"cpu_ms": result.cpu_ms_per_req["docgate"], "p50_ms": result.p50_ms})
    table = {}
    for name, by in runs.items():
        cpu = {who: statistics.median(r["cpu_ms"] for r in rs) for who, rs in by.items()}
        p50 = {who: statistics.median(r["p50_ms"] for r in rs) for who, rs in by.items()}
        table[name] = {"admin_cpu_ms": round(cpu["admin"], 3), "restricted_cpu_ms": round(cpu["restricted"], 3),
                       "ratio": round(cpu["restricted"] / cpu["admin"], 3), "admin_p50_ms": round(p50["admin"], 2),
                       "restricted_p50_ms": round(p50["restricted"], 2), "rounds": by}
    return table


def render(table: dict[str, Any]) -> str:
    lines = ["scenario                               CPU ms/req admin  restricted  ratio   p50 ms admin  restricted",
             "-" * 104]
    for name, row in table.items():
        verdict = "ok" if row["ratio"] <= TARGET else "OVER"
        lines.append(f"{name:<38} {row['admin_cpu_ms']:>16.3f} {row['restricted_cpu_ms']:>11.3f} "
                     f"{row['ratio']:>6.3f} {verdict:<4} {row['admin_p50_ms']:>9.2f} {row['restricted_p50_ms']:>11.2f}")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> Path:
    with tempfile.TemporaryDirectory(prefix="docgate-bench-perm-") as tmp:
        work = Path(tmp)
        db, uri = secantus(work / "data", work / "secantus.log")
        try:
            created = create_workspace(uri, CONTROL_DB, "bench")
            gw, base = gateway(uri, CONTROL_DB, work / "docgate.log")
            try:
                data_set = gen.generate(people=args.people, companies=max(args.people // 10, 10))
                await load(base, created["apiKey"], data_set)
                restricted = await restricted_key(base, created["apiKey"])
                budget = Budget(duration=args.seconds, min_requests=60, max_requests=5_000)
                write_budget = Budget(duration=args.seconds, min_requests=8, max_requests=200, warmup=1)
                table = await measure(base, gw.pid, created["apiKey"], restricted, data_set, args.rounds, budget,
                                      write_budget)
            finally:
                gw.stop()
        finally:
            db.stop()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=False).stdout.strip() or "unknown"
    results = {"date": dt.date.today().isoformat(), "commit": commit, "people": args.people, "rounds": args.rounds,
               "target_ratio": TARGET, "scenarios": table}
    text = render(table)
    results["table"] = text
    out = Path(__file__).resolve().parent / "results" / f"{results['date']}-{commit}-permissions.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.permissions", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2_000, help="people in the data set (companies: a tenth)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per scenario and key")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of load per round")
    path = asyncio.run(main_async(parser.parse_args()))
    print(f"\nresults: {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
