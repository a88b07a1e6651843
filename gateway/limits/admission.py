"""Who may make a request: a valid key, within its rate limits, from an address not guessing keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from schema_builder.errors import AuthForbidden, Unauthenticated

from ..apikeys import VerifiedKey
from ..auth import Authenticator, bearer_token
from ..observability.metrics import RATE_LIMITED
from .errors import RateLimited

if TYPE_CHECKING:
    from . import Limiters


async def admit(auth: Authenticator, limiters: Limiters | None, header: str | None, address: str) -> VerifiedKey:
    """The caller's key, after its rate limits; raises MissingToken, Unauthenticated,
    AuthForbidden (a revoked key) or RateLimited.

    A token this replica verified lately costs no look-up and is never held back by the
    failures of its address; any other token from an address past its failure limit is
    refused before it is looked up.
    """
    token = bearer_token(header)
    key = auth.cached(token)
    if key is None:
        if limiters is not None:
            try:
                limiters.auth_failures.check(address)
            except RateLimited:
                RATE_LIMITED.labels("clientAddress").inc()
                raise
        try:
            key = await auth.authenticate(header)
        except (Unauthenticated, AuthForbidden):  # an unknown, expired or revoked key: a failure
            if limiters is not None:
                limiters.auth_failures.failed(address)
            raise
    if limiters is not None:
        try:
            await limiters.rate.consume(key.workspace_id, key.api_key_id)
        except RateLimited:
            RATE_LIMITED.labels("apiKey").inc()
            raise
    return key
