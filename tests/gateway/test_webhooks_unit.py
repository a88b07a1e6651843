"""Webhooks without a database: signature, operation matching, URLs, addresses and pinning, backoff."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

import httpx
import orjson
import pytest
from pytest_httpserver import HTTPServer

from gateway.webhooks.dispatcher import DispatchPolicy, retry_delay
from gateway.webhooks.outbox import dumps, event_matches
from gateway.webhooks.signing import signature, signed_headers, verify
from gateway.webhooks.store import validate_operations
from gateway.webhooks.targets import (
    PinnedRequest,
    TargetRefused,
    TargetUnresolved,
    check_target,
    is_public,
    pin,
    refuse_obviously_private,
    validate_target_url,
)
from schema_builder.errors import BadUserInput


def test_signature_is_twentys_hmac_of_timestamp_colon_body() -> None:
    body = b'{"eventName":"person.created"}'
    headers = signed_headers("s3cret", body, now_ms=1714644672000)
    assert headers["X-Twenty-Webhook-Timestamp"] == "1714644672000"
    expected = hmac.new(b"s3cret", b"1714644672000:" + body, hashlib.sha256).hexdigest()
    assert headers["X-Twenty-Webhook-Signature"] == expected == signature("s3cret", "1714644672000", body)
    assert len(headers["X-Twenty-Webhook-Nonce"]) == 32
    assert signed_headers("s3cret", body)["X-Twenty-Webhook-Nonce"] != headers["X-Twenty-Webhook-Nonce"]


def test_verify_refuses_a_changed_body_a_wrong_secret_and_a_stale_timestamp() -> None:
    body = b'{"a":1}'
    h = signed_headers("k", body, now_ms=1_000_000)
    ts, sig = h["X-Twenty-Webhook-Timestamp"], h["X-Twenty-Webhook-Signature"]
    assert verify("k", ts, body, sig, now_ms=1_000_500)
    assert not verify("k", ts, b'{"a":2}', sig, now_ms=1_000_500)
    assert not verify("other", ts, body, sig, now_ms=1_000_500)
    assert not verify("k", ts, body, sig, now_ms=1_000_000 + 301_000)
    assert not verify("k", "not-a-number", body, sig)


@pytest.mark.parametrize(
    ("operations", "expected"),
    [
        (["person.created"], True),
        (["*.created"], True),
        (["person.*"], True),
        (["*.*"], True),
        (["person.updated"], False),
        (["company.created", "*.deleted"], False),
        (["company.*", "*.created"], True),
    ],
)
def test_operation_matching(operations: list[str], expected: bool) -> None:
    assert event_matches(operations, "person", "created") is expected


def test_operations_are_validated_and_default_to_everything() -> None:
    assert validate_operations(None) == ["*.*"]
    assert validate_operations(["person.created", "*.updated", "person.created"]) == ["person.created", "*.updated"]
    for bad in (["person"], ["person.made"], ["per son.created"], ["*"], [], "person.created", [1]):
        with pytest.raises(BadUserInput):
            validate_operations(bad)


def test_target_urls_must_be_absolute_http_or_https() -> None:
    assert validate_target_url(" https://hooks.example.com/x?y=1 ") == "https://hooks.example.com/x?y=1"
    assert validate_target_url("http://203.0.113.9:8080/in") == "http://203.0.113.9:8080/in"
    for bad in ("ftp://example.com/", "example.com/hook", "https://", "", None, "https://u:p@example.com/",
                "http://example.com:99999/", "javascript:alert(1)", "https://e.com/" + "x" * 3000):
        with pytest.raises(BadUserInput):
            validate_target_url(bad)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1",
     "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1", "240.0.0.1"],
)
def test_private_and_special_addresses_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


def test_public_addresses_are_public() -> None:
    assert is_public(ipaddress.ip_address("8.8.8.8"))
    assert is_public(ipaddress.ip_address("2606:4700:4700::1111"))


def test_saving_refuses_loopback_names_and_private_literals() -> None:
    for url in ("http://localhost:3000/x", "http://127.0.0.1/x", "http://[::1]/x", "http://10.0.0.5/",
                "http://api.localhost/", "http://169.254.169.254/latest"):
        with pytest.raises(BadUserInput, match="DOCGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS"):
            refuse_obviously_private(url)
    refuse_obviously_private("https://hooks.example.com/x")  # names are checked when sending


async def test_sending_resolves_the_host_and_refuses_private_addresses() -> None:
    with pytest.raises(TargetRefused, match="loopback or private"):
        await check_target("http://localhost:9/x", allow_private=False)
    with pytest.raises(TargetRefused):
        await check_target("http://10.0.0.1/x", allow_private=False)
    await check_target("http://localhost:9/x", allow_private=True)
    await check_target("http://8.8.8.8/x", allow_private=False)


async def test_sending_names_the_address_to_call_and_tells_unresolved_hosts_apart() -> None:
    assert await check_target("http://8.8.8.8/x", allow_private=False) == ipaddress.ip_address("8.8.8.8")
    assert await check_target("http://localhost:9/x", allow_private=True) is None
    with pytest.raises(TargetUnresolved, match="cannot resolve host 'hooks.nowhere.invalid'"):
        await check_target("https://hooks.nowhere.invalid/x", allow_private=False)


def test_a_pinned_request_calls_the_checked_address_under_the_host_s_name() -> None:
    v4, v6 = ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("2606:2800:21f:cb07::1")
    plain = pin("http://hooks.example.com/in?x=1", v4)
    assert plain == PinnedRequest("http://93.184.215.14/in?x=1", {"Host": "hooks.example.com"}, {})
    tls = pin("https://hooks.example.com:8443/in", v6)
    assert tls.url == "https://[2606:2800:21f:cb07::1]:8443/in"
    assert tls.headers == {"Host": "hooks.example.com:8443"}
    assert tls.extensions == {"sni_hostname": "hooks.example.com"}  # TLS checks the host's certificate
    assert pin("http://localhost:3000/x", None) == PinnedRequest("http://localhost:3000/x", {}, {})


async def test_a_pinned_request_reaches_the_address_with_the_host_header(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/in", headers={"Host": f"hooks.example.com:{httpserver.port}"}).respond_with_data("ok")
    target = pin(f"http://hooks.example.com:{httpserver.port}/in", ipaddress.ip_address("127.0.0.1"))
    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.send(client.build_request("POST", target.url, headers=target.headers))
    assert response.status_code == 200 and response.text == "ok"


def test_backoff_starts_at_the_base_doubles_and_is_capped() -> None:
    policy = DispatchPolicy(retry_base_seconds=1.0, retry_max_seconds=60.0)
    assert retry_delay(policy, 1, lambda: 0.5) == pytest.approx(1.0)
    assert retry_delay(policy, 2, lambda: 0.5) == pytest.approx(2.0)
    assert retry_delay(policy, 4, lambda: 0.5) == pytest.approx(8.0)
    assert retry_delay(policy, 30, lambda: 0.5) == 60.0
    assert retry_delay(policy, 500, lambda: 1.0) == 60.0
    low, high = retry_delay(policy, 1, lambda: 0.0), retry_delay(policy, 1, lambda: 0.999999)
    assert 0.8 <= low < high <= 1.2  # jitter: about the base, never far from it


def test_payload_json_is_compact_with_iso_dates() -> None:
    import datetime as dt

    stamp = dt.datetime(2025, 5, 2, 10, 11, 12, 345000, tzinfo=dt.UTC)
    raw = dumps({"eventDate": stamp, "record": {"name": {"firstName": "Ada"}}})
    assert raw == b'{"eventDate":"2025-05-02T10:11:12.345Z","record":{"name":{"firstName":"Ada"}}}'
    assert orjson.loads(raw)["record"]["name"]["firstName"] == "Ada"
