"""One operation on people or companies, by GraphQL or by REST, as a restricted key makes it.

The permission matrix runs every operation through both APIs with `run(api, …)` and compares
normalised outcomes: whether it succeeded, the error code (GraphQL's `extensions.code`, or the
HTTP status for REST), and the records it answered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tests.conftest import GatewayUnderTest

GRAPHQL, REST = "graphql", "rest"
APIS = (GRAPHQL, REST)
REST_CODES = {400: "BAD_USER_INPUT", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT"}


@dataclass
class Outcome:
    ok: bool
    code: str | None  # FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, CONFLICT…
    value: Any  # the records (one or a list) or a count


async def snapshot(gateway: GatewayUnderTest, *collections: str) -> list[list[dict[str, Any]]]:
    """Every stored record of the collections, to compare before and after a refused call."""
    found = []
    for name in collections:
        docs = await gateway.db.records(gateway.workspace_id, name).find({}).sort("_id", 1).to_list(None)
        found.append(docs)
    return found


async def graphql(gateway: GatewayUnderTest, token: str, query: str, variables: dict[str, Any], root: str) -> Outcome:
    body = await gateway.graphql(query, variables, token=token)
    if body.get("errors"):
        return Outcome(False, body["errors"][0]["extensions"]["code"], None)
    return Outcome(True, None, body["data"][root])


async def rest(gateway: GatewayUnderTest, token: str, method: str, path: str, body: Any = None,
               params: dict[str, Any] | None = None) -> Outcome:
    response = await gateway.client.request(method, f"/rest/{path}", json=body, params=params,
                                            headers={"Authorization": f"Bearer {token}"})
    answer = response.json()
    if response.status_code >= 400:
        return Outcome(False, REST_CODES.get(response.status_code, str(response.status_code)), answer)
    return Outcome(True, None, answer)


def _rest_value(answer: dict[str, Any]) -> Any:
    return next(iter(answer["data"].values()))


class Api:
    """The operations of the matrix, made the same way over each API."""

    def __init__(self, gateway: GatewayUnderTest, api: str, token: str) -> None:
        self.gateway, self.api, self.token = gateway, api, token

    async def _gql(self, query: str, variables: dict[str, Any], root: str) -> Outcome:
        return await graphql(self.gateway, self.token, query, variables, root)

    async def _rest(self, method: str, path: str, body: Any = None, **params: Any) -> Outcome:
        outcome = await rest(self.gateway, self.token, method, path, body, params or None)
        if outcome.ok:
            outcome.value = _rest_value(outcome.value) if "data" in outcome.value else outcome.value
        return outcome

    async def find_many(self, fields: str = "id jobTitle", filter: Any = None) -> Outcome:
        if self.api == GRAPHQL:
            out = await self._gql("query($f: PersonFilterInput) { people(filter: $f) { totalCount edges { node { "
                                  f"{fields} }} }} }} }}", {"f": filter}, "people")
            if out.ok:
                out.value = [e["node"] for e in out.value["edges"]]
            return out
        params = {"filter": _rest_filter(filter)} if filter else {}
        return await self._rest("GET", "people", **params)

    async def count(self, filter: Any = None) -> Outcome:
        if self.api == GRAPHQL:
            out = await self._gql("query($f: PersonFilterInput) { people(filter: $f) { totalCount } }",
                                  {"f": filter}, "people")
            if out.ok:
                out.value = out.value["totalCount"]
            return out
        out = await rest(self.gateway, self.token, "GET", "people", None,
                         {"limit": 0, **({"filter": _rest_filter(filter)} if filter else {})})
        if out.ok:
            out.value = out.value["totalCount"]
        return out

    async def find_one(self, record_id: str, fields: str = "id jobTitle") -> Outcome:
        if self.api == GRAPHQL:
            return await self._gql(f"query($id: UUID!) {{ person(filter: {{id: {{eq: $id}}}}) {{ {fields} }} }}",
                                   {"id": record_id}, "person")
        return await self._rest("GET", f"people/{record_id}")

    async def create(self, data: dict[str, Any], fields: str = "id jobTitle") -> Outcome:
        if self.api == GRAPHQL:
            return await self._gql(f"mutation($d: PersonCreateInput!) {{ createPerson(data: $d) {{ {fields} }} }}",
                                   {"d": data}, "createPerson")
        return await self._rest("POST", "people", data)

    async def update(self, record_id: str, data: dict[str, Any], fields: str = "id jobTitle") -> Outcome:
        if self.api == GRAPHQL:
            return await self._gql(
                f"mutation($id: UUID!, $d: PersonUpdateInput!) {{ updatePerson(id: $id, data: $d) {{ {fields} }} }}",
                {"id": record_id, "d": data}, "updatePerson")
        return await self._rest("PATCH", f"people/{record_id}", data)

    async def bulk_update(self, filter: Any, data: dict[str, Any], fields: str = "id jobTitle") -> Outcome:
        if self.api == GRAPHQL:
            return await self._gql(
                "mutation($f: PersonFilterInput!, $d: PersonUpdateInput!) { updatePeople(filter: $f, data: $d) "
                f"{{ {fields} }} }}", {"f": filter, "d": data}, "updatePeople")
        return await self._rest("PATCH", "people", data, filter=_rest_filter(filter))

    async def upsert(self, records: list[dict[str, Any]], fields: str = "id jobTitle") -> Outcome:
        if self.api == GRAPHQL:
            return await self._gql(
                f"mutation($d: [PersonCreateInput!]!) {{ createPeople(data: $d, upsert: true) {{ {fields} }} }}",
                {"d": records}, "createPeople")
        return await self._rest("POST", "batch/people", records, upsert="true")

    async def soft_delete(self, record_id: str) -> Outcome:
        if self.api == GRAPHQL:
            return await self._gql("mutation($id: UUID!) { deletePerson(id: $id) { id } }", {"id": record_id},
                                   "deletePerson")
        return await self._rest("DELETE", f"people/{record_id}", soft_delete="true")

    async def restore(self, record_id: str) -> Outcome:
        if self.api == GRAPHQL:
            return await self._gql("mutation($id: UUID!) { restorePerson(id: $id) { id } }", {"id": record_id},
                                   "restorePerson")
        return await self._rest("PATCH", f"restore/people/{record_id}")

    async def destroy(self, record_id: str) -> Outcome:
        if self.api == GRAPHQL:
            return await self._gql("mutation($id: UUID!) { destroyPerson(id: $id) { id } }", {"id": record_id},
                                   "destroyPerson")
        return await self._rest("DELETE", f"people/{record_id}")

    async def person_with_company(self, record_id: str, company_fields: str = "id name") -> Outcome:
        """A relation traversed from the many side (person → company)."""
        if self.api == GRAPHQL:
            return await self._gql(
                f"query($id: UUID!) {{ person(filter: {{id: {{eq: $id}}}}) {{ id company {{ {company_fields} }} }} }}",
                {"id": record_id}, "person")
        return await self._rest("GET", f"people/{record_id}", depth=1)

    async def company_with_people(self, record_id: str, person_fields: str = "id") -> Outcome:
        """A relation traversed from the one side (company → people)."""
        if self.api == GRAPHQL:
            out = await self._gql(
                f"query($id: UUID!) {{ company(filter: {{id: {{eq: $id}}}}) {{ id name people {{ edges {{ node {{ "
                f"{person_fields} }} }} }} }} }}", {"id": record_id}, "company")
            if out.ok and out.value is not None:
                out.value["people"] = [e["node"] for e in out.value["people"]["edges"]]
            return out
        return await self._rest("GET", f"companies/{record_id}", depth=1)

    async def connect(self, company_id: str, job_title: str) -> Outcome:
        """A nested connect: a new person linked to a company by `connect`."""
        data = {"jobTitle": job_title, "company": {"connect": {"where": {"id": company_id}}}}
        if self.api == GRAPHQL:
            return await self._gql("mutation($d: PersonCreateInput!) { createPerson(data: $d) { id companyId } }",
                                   {"d": data}, "createPerson")
        return await self._rest("POST", "people", data)


def _rest_filter(filter: dict[str, Any]) -> str:
    """The REST filter of the few GraphQL filters the matrix uses (`{field: {op: value}}`)."""
    parts = []
    for field, ops in filter.items():
        for op, value in ops.items():
            shown = f"[{','.join(json.dumps(v) for v in value)}]" if isinstance(value, list) else json.dumps(value)
            parts.append(f"{field}[{op}]:{shown}")
    return ",".join(parts)
