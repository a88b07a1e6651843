"""Property: under random row-level predicates, no answer of any operation ever holds a record
the predicates exclude, and no write touches one.

Hypothesis draws the records of a `gizmo` object (text, number, select, boolean and date
fields, nulls and empty strings included) and a set of predicates (every operand docgate
enforces, in AND and OR groups, nested). The stored records are judged by a Python reading of
each predicate (`visible`), independent of the filter docgate compiles; then a key holding the
role lists, counts and reads by id over GraphQL and REST, updates, trashes, restores and
destroys in bulk and one by one, and creates — and every answer and every stored record is
checked against that judgement.

Hypothesis drives a synchronous test; the gateway runs on an event loop of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.sync_app import SyncApp

FIELDS = (("label", "TEXT"), ("size", "NUMBER"), ("tier", "SELECT"), ("active", "BOOLEAN"), ("due", "DATE_TIME"),
          ("touched", "NUMBER"))
TIERS = ("A", "B", "C")
DATES = ("2024-01-01T00:00:00.000Z", "2024-06-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z")
OPERANDS = {
    "label": ("CONTAINS", "DOES_NOT_CONTAIN", "IS", "IS_NOT", "IS_EMPTY", "IS_NOT_EMPTY"),
    "size": ("GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL", "IS", "IS_NOT", "IS_EMPTY", "IS_NOT_EMPTY"),
    "tier": ("IS", "IS_NOT", "IS_EMPTY", "IS_NOT_EMPTY"),
    "active": ("IS", "IS_EMPTY", "IS_NOT_EMPTY"),
    "due": ("IS_BEFORE", "IS_AFTER", "IS_EMPTY", "IS_NOT_EMPTY"),
}
VALUES: dict[str, Any] = {
    "label": st.sampled_from(["alpha", "Beta", "a", "", "ray"]),
    "size": st.integers(-3, 3),
    "tier": st.lists(st.sampled_from(TIERS), min_size=1, max_size=2, unique=True),
    "active": st.booleans(),
    "due": st.sampled_from(DATES),
}
RECORD = st.fixed_dictionaries({
    "label": st.sampled_from(["alpha", "Beta", "gamma ray", "", None, "ALPHA beta"]),
    "size": st.one_of(st.none(), st.integers(-4, 4)),
    "tier": st.one_of(st.none(), st.sampled_from(TIERS)),
    "active": st.one_of(st.none(), st.booleans()),
    "due": st.one_of(st.none(), st.sampled_from(DATES)),
})


@st.composite
def predicate(draw: st.DrawFn) -> dict[str, Any]:
    field = draw(st.sampled_from(sorted(OPERANDS)))
    operand = draw(st.sampled_from(OPERANDS[field]))
    value = None if operand in ("IS_EMPTY", "IS_NOT_EMPTY") else draw(VALUES[field])
    return {"field": field, "operand": operand, "value": value}


# A rule: predicates, each at the top (None) or in group "g1" (of operator op1, child of the top
# or of "g2") — every shape Twenty's groups take, up to two levels.
RULE = st.fixed_dictionaries({
    "predicates": st.lists(st.tuples(predicate(), st.sampled_from([None, "g1", "g2"])), min_size=1, max_size=4),
    "op1": st.sampled_from(["AND", "OR"]),
    "op2": st.sampled_from(["AND", "OR"]),
    "nested": st.booleans(),
})


def _date(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def holds(doc: dict[str, Any], p: dict[str, Any]) -> bool | None:
    """One predicate on a stored record, read as Twenty's view filters read it; None when it
    constrains nothing (a value left empty)."""
    field, operand, value = p["field"], p["operand"], p["value"]
    stored = doc.get(field)
    if operand not in ("IS_EMPTY", "IS_NOT_EMPTY") and value in (None, "", []):
        return None
    if operand in ("IS_EMPTY", "IS_NOT_EMPTY"):
        empty = stored is None or stored == ""
        return empty if operand == "IS_EMPTY" else not empty
    if operand in ("IS_NOT", "DOES_NOT_CONTAIN"):
        positive = holds(doc, {**p, "operand": "IS" if operand == "IS_NOT" else "CONTAINS"})
        return stored is None or not positive
    if stored is None:
        return False
    if operand == "CONTAINS":
        return str(value).lower() in str(stored).lower()
    if operand == "IS":
        if field == "tier":
            return stored in value
        return bool(stored == value)
    if operand == "GREATER_THAN_OR_EQUAL":
        return bool(stored >= value)
    if operand == "LESS_THAN_OR_EQUAL":
        return bool(stored <= value)
    if operand == "IS_BEFORE":
        return _date(stored) < _date(value)
    return _date(stored) > _date(value)  # IS_AFTER


def visible(doc: dict[str, Any], rule: dict[str, Any]) -> bool:
    def combine(results: list[bool | None], op: str) -> bool | None:
        known = [r for r in results if r is not None]
        if not known:
            return None
        return all(known) if op == "AND" else any(known)

    def group(name: str) -> bool | None:
        parts = [holds(doc, p) for p, g in rule["predicates"] if g == name]
        if name == "g2" and rule["nested"]:
            parts.append(group("g1"))
        return combine(parts, rule["op2" if name == "g2" else "op1"])

    top = [holds(doc, p) for p, g in rule["predicates"] if g is None]
    top.append(group("g2"))
    if not rule["nested"]:
        top.append(group("g1"))
    return combine(top, "AND") is not False


class Harness(SyncApp):
    """The app on an event loop of its own; a `gizmo` object and a key whose role's rows vary."""

    async def set_up(self) -> None:
        self.admin = {"Authorization": f"Bearer {self.token}"}
        made = await self.post("/metadata", "mutation($o: CreateObjectInput!) { createOneObject(input: {object: $o})"
                               " { id } }", {"o": {"nameSingular": "gizmo", "namePlural": "gizmos",
                                                   "labelSingular": "Gizmo", "labelPlural": "Gizmos"}})
        self.object_id = made["createOneObject"]["id"]
        self.fields: dict[str, str] = {}
        for name, kind in FIELDS:
            field: dict[str, Any] = {"objectMetadataId": self.object_id, "type": kind, "name": name, "label": name}
            if kind == "SELECT":
                field["options"] = [{"value": v, "label": v, "position": i, "color": "red"}
                                    for i, v in enumerate(TIERS)]
            created = await self.post("/metadata", "mutation($f: CreateFieldInput!) { createOneField(input: "
                                      "{field: $f}) { id } }", {"f": field})
            self.fields[name] = created["createOneField"]["id"]
        role = await self.post("/metadata", 'mutation { createOneRole(createRoleInput: {label: "Rows", '
                               "canReadAllObjectRecords: true, canUpdateAllObjectRecords: true, "
                               "canSoftDeleteAllObjectRecords: true, canDestroyAllObjectRecords: true}) { id } }")
        self.role_id = role["createOneRole"]["id"]
        key = await self.post("/metadata", "mutation($r: UUID!) { createApiKey(input: {name: \"rows\", roleId: $r})"
                              " { token } }", {"r": self.role_id})
        self.key = {"Authorization": f"Bearer {key['createApiKey']['token']}"}
        core = await self.app.state.gateway.registry.get(self.workspace_id)
        self.collection = self.db.records(self.workspace_id, core.model.by_singular("gizmo").collection)

    async def post(self, path: str, query: str, variables: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> Any:
        response = await self.client.post(path, json={"query": query, "variables": variables},
                                          headers=headers or self.admin)
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def as_key(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables},
                                          headers=self.key)
        return response.json()

    async def set_rule(self, rule: dict[str, Any]) -> None:
        groups = [{"id": "00000000-0000-4000-8000-00000000000" + n, "objectMetadataId": self.object_id,
                   "logicalOperator": rule[f"op{n}"],
                   "parentRowLevelPermissionPredicateGroupId": (
                       "00000000-0000-4000-8000-000000000002" if n == "1" and rule["nested"] else None)}
                  for n in ("2", "1")]
        predicates = [{"fieldMetadataId": self.fields[p["field"]], "operand": p["operand"], "value": p["value"],
                       "rowLevelPermissionPredicateGroupId": None if g is None else groups[0 if g == "g2" else 1]["id"]}
                      for p, g in rule["predicates"]]
        await self.post("/metadata", "mutation($i: UpsertRowLevelPermissionPredicatesInput!) { "
                        "upsertRowLevelPermissionPredicates(input: $i) { predicates { id } } }", {"i": {
                            "roleId": self.role_id, "objectMetadataId": self.object_id, "predicates": predicates,
                            "predicateGroups": groups}})

    async def stored(self) -> dict[str, dict[str, Any]]:
        return {d["_id"]: d for d in await self.collection.find({}).to_list(None)}


async def scenario(h: Harness, records: list[dict[str, Any]], rule: dict[str, Any], new: dict[str, Any]) -> None:
    await h.collection.delete_many({})
    if records:
        await h.post("/graphql", "mutation($d: [GizmoCreateInput!]!) { createGizmos(data: $d) { id } }",
                     {"d": records})
    await h.set_rule(rule)
    before = await h.stored()
    shown = {i for i, d in before.items() if visible(d, rule)}
    hidden = set(before) - shown
    every = sorted(before)

    # reads: GraphQL, REST, counts, one by one
    listed = await h.as_key("{ gizmos(first: 200) { totalCount edges { node { id } } } }")
    assert {e["node"]["id"] for e in listed["data"]["gizmos"]["edges"]} == shown, (rule, before)
    assert listed["data"]["gizmos"]["totalCount"] == len(shown)
    rest = (await h.client.get("/rest/gizmos", params={"limit": 200}, headers=h.key)).json()
    assert {g["id"] for g in rest["data"]["gizmos"]} == shown and rest["totalCount"] == len(shown)
    for record_id in every:
        one = await h.as_key("query($id: UUID!) { gizmo(filter: {id: {eq: $id}}) { id } }", {"id": record_id})
        if record_id in shown:
            assert one["data"]["gizmo"]["id"] == record_id
        else:
            assert one["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # writes in bulk: they act on the shown records their filter names, never on the others
    if every:
        updated = await h.as_key("mutation($ids: [UUID!]) { updateGizmos(filter: {id: {in: $ids}}, "
                                 "data: {touched: 7}) { id } }", {"ids": every})
        assert {r["id"] for r in updated["data"]["updateGizmos"]} == shown
        trashed = await h.as_key("mutation($ids: [UUID!]) { deleteGizmos(filter: {id: {in: $ids}}) { id } }",
                                 {"ids": every})
        assert {r["id"] for r in trashed["data"]["deleteGizmos"]} == shown
        restored = await h.as_key("mutation($ids: [UUID!]) { restoreGizmos(filter: {id: {in: $ids}}) { id } }",
                                  {"ids": every})
        assert {r["id"] for r in restored["data"]["restoreGizmos"]} == shown
        after = await h.stored()
        assert all(after[i] == before[i] for i in hidden), "a write touched a record outside the rows"
        assert all(after[i]["touched"] == 7 and after[i]["deletedAt"] is None for i in shown)
        for record_id in sorted(hidden)[:2]:
            gone = await h.as_key("mutation($id: UUID!) { destroyGizmo(id: $id) { id } }", {"id": record_id})
            assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"
            assert (await h.collection.find_one({"_id": record_id})) == before[record_id]

    # a create is refused unless the new record is within the rows, and then nothing is written
    count = await h.collection.count_documents({})
    made = await h.as_key("mutation($d: GizmoCreateInput!) { createGizmo(data: $d) { id } }", {"d": new})
    stored_new = {**new, "due": new["due"] and _date(new["due"])}
    if visible(stored_new, rule):
        assert not made.get("errors"), made
        assert await h.collection.count_documents({}) == count + 1
    else:
        assert made["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", made
        assert await h.collection.count_documents({}) == count


def test_no_answer_holds_and_no_write_touches_a_row_the_predicates_exclude(mongo_uri: str, db_prefix: str) -> None:
    harness = Harness(mongo_uri, db_prefix + "rows")
    try:
        @settings(max_examples=40, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(records=st.lists(RECORD, max_size=8), rule=RULE, new=RECORD)
        def check(records: list[dict[str, Any]], rule: dict[str, Any], new: dict[str, Any]) -> None:
            harness.run(scenario(harness, records, rule, new))

        check()
    finally:
        harness.close()
