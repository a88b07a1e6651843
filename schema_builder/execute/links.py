"""URLs of LINKS fields as Twenty stores them (pure): scheme and host lower-cased, no
trailing slash, so `https://Test.com/` and `https://test.com` are one value to unique keys
and upserts. Twenty's rule (`lowercaseUrlOriginAndRemoveTrailingSlash`): only http(s) URLs
with a host change; anything else (no scheme, `mailto:`, a malformed URL) is kept as given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# What a WHATWG URL parser refuses in a host (then Twenty keeps the URL as given).
_BAD_HOST = re.compile(r"[\s<>^|%\"`{}\\]")


def normalize_url(raw: str) -> str:
    match = _SCHEME.match(raw)
    if match is None or match.group(1).lower() not in _DEFAULT_PORTS:
        return raw
    scheme = match.group(1).lower()
    rest = raw[match.end() :]
    end = min((i for i in (rest.find(c) for c in "/\\?#") if i >= 0), default=len(rest))
    authority, suffix = rest[:end], rest[end:]
    host_port = authority.rsplit("@", 1)[-1]  # an origin has no user information
    host, _, port = host_port.partition(":") if not host_port.startswith("[") else (host_port, "", "")
    if not host or _BAD_HOST.search(host) or (port and not port.isdigit()):
        return raw
    origin = f"{scheme}://{host.lower()}"
    if port and port.lstrip("0") != _DEFAULT_PORTS[scheme] and port.lstrip("0"):
        origin += f":{int(port)}"
    return (origin + suffix).removesuffix("/")


def normalize_links(value: Any) -> Any:
    """A LINKS input with its URLs normalised (other keys as given)."""
    if not isinstance(value, Mapping):
        return value
    links = dict(value)
    if isinstance(links.get("primaryLinkUrl"), str):
        links["primaryLinkUrl"] = normalize_url(links["primaryLinkUrl"])
    secondary = links.get("secondaryLinks")
    if isinstance(secondary, list):
        links["secondaryLinks"] = [
            {**item, "url": normalize_url(item["url"])}
            if isinstance(item, Mapping) and isinstance(item.get("url"), str)
            else item
            for item in secondary
        ]
    return links
