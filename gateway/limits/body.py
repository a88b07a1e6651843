"""Request bodies larger than the limit answer 413 before they are read whole, on every route.

A declared `Content-Length` over the limit is refused before a byte of the body is read;
a body without one (chunked) is counted as it streams in and refused as soon as it passes
the limit, so docgate never holds more than the limit of one body in memory.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema_builder.errors import DocgateError

from .errors import PayloadTooLarge

Render = Callable[[str, DocgateError], Response]  # (path, error) -> the answer in the route's shape


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, render: Render) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self.render(scope["path"], PayloadTooLarge(self.max_bytes))(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise PayloadTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except PayloadTooLarge as error:
            if started:
                raise
            await self.render(scope["path"], error)(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
