"""Where webhooks may POST: http(s) URLs whose host is a public address.

A webhook URL is chosen by an API caller, so without this check the gateway could be made
to call services on its own network (SSRF). The host is resolved when a delivery is sent
(not only when the webhook is saved) so a name that later points inward is still refused;
redirects are never followed, for the same reason.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

from schema_builder.errors import BadUserInput

MAX_URL_LENGTH = 2048
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(Exception):
    """The target resolves to an address webhooks may not reach: a permanent failure."""


class TargetUnresolved(Exception):
    """The target's host does not resolve now (DNS down, a name not yet published): retried."""


def _split(url: str) -> SplitResult:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError on a bad port
    except ValueError as exc:
        raise BadUserInput(f"targetUrl '{url[:200]}' is not a valid URL: {exc}") from None
    return parts


def validate_target_url(url: object) -> str:
    """The URL, trimmed, if it is an absolute http(s) URL with a host; else BadUserInput."""
    if not isinstance(url, str) or not url.strip():
        raise BadUserInput("targetUrl must be a non-empty http or https URL")
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise BadUserInput(f"targetUrl is too long ({len(url)} characters; at most {MAX_URL_LENGTH})")
    parts = _split(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise BadUserInput(f"targetUrl '{url[:200]}' must use http or https, not '{parts.scheme or 'nothing'}'")
    if not parts.hostname:
        raise BadUserInput(f"targetUrl '{url[:200]}' has no host")
    if parts.username is not None or parts.password is not None:
        raise BadUserInput("targetUrl must not carry a user name or password; authenticate with the signature")
    return url


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast: not loopback, private, link-local, shared, reserved or multicast."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None


def refuse_obviously_private(url: str) -> None:
    """At save time, without DNS: refuse loopback names and non-public literal addresses."""
    host = (_split(url).hostname or "").rstrip(".").lower()
    literal = _literal(host)
    if host in _LOCAL_NAMES or host.endswith(".localhost") or (literal is not None and not is_public(literal)):
        raise BadUserInput(
            f"targetUrl host '{host}' is a loopback or private address; webhooks may only call public "
            "addresses (set DOCGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it)"
        )


async def resolve(host: str, port: int) -> list[IPAddress]:
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise TargetUnresolved(f"cannot resolve host '{host}': {exc}") from None
    found = [_literal(str(info[4][0])) for info in infos]
    return [a for a in found if a is not None]


async def check_target(url: str, *, allow_private: bool) -> IPAddress | None:
    """The address to call for `url`: one its host resolves to, every one of which may be called.

    TargetRefused when one may not, TargetUnresolved when the host does not resolve; None
    when private targets are allowed (the URL is called as it is).
    """
    if allow_private:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = await resolve(host, port)
    if not addresses:
        raise TargetUnresolved(f"host '{host}' has no address")
    for address in addresses:
        if not is_public(address):
            raise TargetRefused(
                f"host '{host}' resolves to {address}, a loopback or private address "
                "(DOCGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS is off)"
            )
    return addresses[0]


@dataclass(frozen=True)
class PinnedRequest:
    """A request to `url` sent to the address that was checked, not to a second lookup's answer
    (which a name under an attacker's control could point inward: DNS rebinding)."""

    url: str
    headers: dict[str, str]
    extensions: dict[str, Any]


def pin(url: str, address: IPAddress | None) -> PinnedRequest:
    if address is None:
        return PinnedRequest(url, {}, {})
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    # The Host header and TLS (SNI and the certificate check) still name the host.
    headers = {"Host": host if parts.port is None else f"{host}:{parts.port}"}
    extensions = {"sni_hostname": host} if parts.scheme.lower() == "https" else {}
    return PinnedRequest(urlunsplit(parts._replace(netloc=netloc)), headers, extensions)
