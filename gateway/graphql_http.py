"""GraphQL over HTTP: which media type a client gets, and with which status.

The GraphQL-over-HTTP specification lets a server answer `application/json` (the legacy
media type, what Twenty's clients get) or `application/graphql-response+json`. Under
`application/json` a well-formed request is answered 200 whatever its errors (a document
that fails to parse or validate, a variable of the wrong type, a refused token): the errors
are in the body, as Twenty answers them. Only a client that asks for
`application/graphql-response+json` gets 4xx statuses for requests that could not run.
A body that is not a GraphQL request at all (not JSON, no `query`) is a 400 either way.
"""

from __future__ import annotations

from starlette.requests import Request

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def _accepted(header: str) -> list[tuple[str, float]]:
    """The media types of an Accept header with their q-values, in the order given."""
    accepted = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            accepted.append((media.lower(), quality))
    return accepted


def wants_graphql_response(request: Request) -> bool:
    """Whether the client prefers `application/graphql-response+json` to `application/json`."""
    header = request.headers.get("accept", "")
    if "graphql-response" not in header.lower():  # most clients: nothing to weigh
        return False
    accepted = _accepted(header)
    new = max((q for m, q in accepted if m == GRAPHQL_RESPONSE), default=0.0)
    legacy = max((q for m, q in accepted if m in (JSON, "application/*", "*/*")), default=0.0)
    return new > 0 and new >= legacy


def response_status(request_failed_status: int, graphql_response: bool) -> int:
    """The status of an answer whose request could not run (`request_failed_status` under the
    new media type): 200 under `application/json`."""
    return request_failed_status if graphql_response else 200


def media_type(graphql_response: bool) -> str:
    return f"{GRAPHQL_RESPONSE}; charset=utf-8" if graphql_response else JSON
