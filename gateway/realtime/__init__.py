"""Realtime: record events from the timeline, as GraphQL subscriptions over SSE and WebSocket."""

from __future__ import annotations

from .event_streams import EventStreams
from .hub import Feed, Hub, RecordEvent, SubscriberClosed, TooManySubscriptions
from .transports import PROTOCOL, Session, is_subscription, serve_websocket, sse_response

__all__ = ["EventStreams", "Feed", "Hub", "PROTOCOL", "RecordEvent", "Session", "SubscriberClosed",
           "TooManySubscriptions", "is_subscription", "serve_websocket", "sse_response"]
