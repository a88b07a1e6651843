"""/metrics after traffic, request ids in headers, error bodies and log lines, JSON or text logs."""

from __future__ import annotations

import logging

import orjson
from prometheus_client.parser import text_string_to_metric_families

from gateway.logs import JsonFormatter, TextFormatter
from tests.conftest import GatewayUnderTest


def samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


async def test_metrics_expose_the_series_an_operator_needs(gateway: GatewayUnderTest) -> None:
    await gateway.graphql("{ people { totalCount } }")
    await gateway.graphql('mutation { createPerson(data: {jobTitle: "m"}) { id } }')
    await gateway.client.get("/rest/people?limit=1", headers=gateway.headers)
    await gateway.client.get("/rest/metadata/objects?limit=1", headers=gateway.headers)
    await gateway.client.get("/rest/nope", headers=gateway.headers)
    await gateway.client.get("/rest/people", headers={"Authorization": "Bearer dg_unknown"})
    response = await gateway.client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    requests = {(s["api"], s["protocol"], s["operation"], s["status"]) for s, _ in found["docgate_requests_total"]}
    assert {("core", "graphql", "query", "200"), ("core", "graphql", "mutation", "200"),
            ("core", "rest", "GET", "200"), ("metadata", "rest", "GET", "200"), ("core", "rest", "GET", "404"),
            ("core", "rest", "GET", "401")} <= requests
    assert any(s["api"] == "core" for s, _ in found["docgate_request_duration_seconds_bucket"])
    assert {s["code"] for s, _ in found["docgate_errors_total"]} >= {"NOT_FOUND", "UNAUTHENTICATED"}
    assert any(s["command"] == "find" and v > 0 for s, v in found["docgate_db_command_duration_seconds_count"])
    for series in ("docgate_schema_cache_size", "docgate_schema_cache_hits", "docgate_schema_cache_builds",
                   "docgate_database_up", "docgate_webhook_in_flight"):
        assert series in found, series
    assert found["docgate_schema_cache_size"][0][1] >= 1 and found["docgate_database_up"][0][1] == 1
    assert {s["status"] for s, _ in found["docgate_webhook_queue_depth"]} == {"PENDING", "DEAD"}
    # Series of events that may not have happened yet exist from the start.
    assert {s["spender"] for s, _ in found["docgate_rate_limit_rejections_total"]} == {"apiKey", "clientAddress"}
    assert {s["outcome"] for s, _ in found["docgate_webhook_attempts_total"]} >= {"delivered", "retry", "dead"}
    assert "docgate_query_cost_rejections_total" in found


async def test_the_request_id_is_in_the_header_the_error_body_and_the_log_line(gateway: GatewayUnderTest) -> None:
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(JsonFormatter().format(record))

    access = logging.getLogger("docgate.access")
    handler, level = Capture(), access.level
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        rest = await gateway.client.get("/rest/nope", headers={**gateway.headers, "X-Request-Id": "req-42"})
        graphql = await gateway.client.post("/graphql", json={"query": "{ nope }"}, headers=gateway.headers)
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    assert rest.headers["x-request-id"] == "req-42" and rest.json()["requestId"] == "req-42"
    assert graphql.json()["extensions"]["requestId"] == graphql.headers["x-request-id"]
    entries = [orjson.loads(line) for line in lines]
    mine = next(e for e in entries if e.get("requestId") == "req-42")
    assert mine["path"] == "/rest/nope" and mine["status"] == 404 and mine["method"] == "GET" and "ms" in mine


def test_text_logs_are_readable_lines() -> None:
    record = logging.LogRecord("docgate.access", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {"method": "GET", "status": 200}
    line = TextFormatter().format(record)
    assert "INFO" in line and "docgate.access request method=GET status=200" in line
