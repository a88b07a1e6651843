"""The MCP endpoint (`/mcp`) for AI agents: see `server`."""

from __future__ import annotations

from .server import McpCall, McpEndpoint, rpc_error

__all__ = ["McpCall", "McpEndpoint", "rpc_error"]
