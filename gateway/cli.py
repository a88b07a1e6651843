"""The `docgate` command: serve the gateway, manage workspaces and API keys.

Every command uses the store `serve` would use (MONGODB_URI, or the embedded store in
DOCGATE_DATA_DIR). Machine-readable output goes to stdout, messages to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

from pymongo.errors import PyMongoError

from schema_builder.errors import DocgateError

from .apikeys import create_api_key, expiry_in_days, list_api_keys, parse_expiry, public_view, revoke_api_key
from .db import Database, open_database
from .embedded import EmbeddedStoreError
from .failures import database_problem
from .limits.overrides import effective_limits, set_workspace_limits
from .permissions.roles import role_by_label_or_id
from .settings import Settings, SettingsError, settings_table
from .workspaces import create_workspace, ensure_control_indexes, get_workspace, list_workspaces

DEFAULT_WORKSPACE = "default"


def _settings_epilog() -> str:
    rows = "\n".join(f"  {env:<40} {default or '(unset)':<16} {doc}" for env, default, doc in settings_table())
    return f"settings (environment variables, with defaults):\n{rows}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="docgate",
        description="A GraphQL-first API gateway over MongoDB, serving Twenty's API from metadata documents.",
        epilog=_settings_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="run the gateway",
        description="Run the gateway. On an empty store it creates the workspace 'default' and prints, "
        "once, an API key to try it with.",
    )
    serve.add_argument("--host", help="address to listen on (default: DOCGATE_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: DOCGATE_PORT or 3000)")

    workspace = commands.add_parser("workspace", help="create and list workspaces")
    ws_commands = workspace.add_subparsers(dest="action", required=True, metavar="ACTION")
    ws_create = ws_commands.add_parser(
        "create",
        help="create a workspace with the standard objects",
        description='Create a workspace; prints {"workspaceId": "...", "apiKey": "..."} on stdout.',
    )
    ws_create.add_argument("name", help="the workspace's display name (unique)")
    ws_commands.add_parser("list", help="list workspaces as JSON lines")
    ws_limits = ws_commands.add_parser(
        "limits",
        help="show or set a workspace's own API rate limits",
        description="Show, or with options set, the API rate limits of one workspace (they override "
        "DOCGATE_API_RATE_LIMITING_*; 0 turns a window off). Prints the limits in force as JSON.",
    )
    ws_limits.add_argument("workspace_id", metavar="ID", help="the workspace id")
    ws_limits.add_argument("--short-limit", type=int, metavar="N", help="requests per short window")
    ws_limits.add_argument("--short-ttl-ms", type=int, metavar="MS", help="short window length in milliseconds")
    ws_limits.add_argument("--long-limit", type=int, metavar="N", help="requests per long window")
    ws_limits.add_argument("--long-ttl-ms", type=int, metavar="MS", help="long window length in milliseconds")
    ws_limits.add_argument("--reset", action="store_true", help="drop the workspace's own limits first")

    apikey = commands.add_parser("apikey", help="create, list and revoke API keys")
    key_commands = apikey.add_subparsers(dest="action", required=True, metavar="ACTION")
    key_create = key_commands.add_parser(
        "create", help="create an API key", description="Create an API key; prints the token alone on stdout."
    )
    key_create.add_argument("--workspace", required=True, metavar="ID", help="the workspace id")
    key_create.add_argument("--name", default="cli", help="a name to recognise the key by (default: cli)")
    key_create.add_argument(
        "--role", default="Admin", metavar="ROLE",
        help="the key's role: a label (Admin, Member, or one of yours) or a role id (default: Admin)",
    )
    key_create.add_argument(
        "--expires", metavar="WHEN", help="expiry: an ISO date (2030-01-31, 2030-01-31T12:00:00Z) or a number of days "
        "followed by d (30d); default: never",
    )
    key_create.add_argument("--expires-in-days", type=int, metavar="N", help="expire after N days (as --expires Nd)")
    key_list = key_commands.add_parser("list", help="list a workspace's API keys as JSON lines")
    key_list.add_argument("--workspace", required=True, metavar="ID", help="the workspace id")
    key_revoke = key_commands.add_parser("revoke", help="revoke an API key")
    key_revoke.add_argument("key_id", metavar="KEY_ID", help="the key's id (from `apikey list`)")
    return parser


def _json_line(doc: dict[str, Any]) -> str:
    return json.dumps(doc, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v), sort_keys=True)


async def _with_db(settings: Settings, work: Callable[[Database], Awaitable[int]]) -> int:
    db = open_database(settings, attach=True)  # beside a running `docgate serve`: through its store
    try:
        await ensure_control_indexes(db)
        return await work(db)
    finally:
        await db.close()


async def _workspace_limits(args: argparse.Namespace, db: Database, settings: Settings) -> int:
    given = {
        "shortLimit": args.short_limit, "shortTtlInMs": args.short_ttl_ms,
        "longLimit": args.long_limit, "longTtlInMs": args.long_ttl_ms,
    }
    override = await set_workspace_limits(
        db.control, args.workspace_id, {k: v for k, v in given.items() if v is not None}, reset=args.reset
    )
    print(json.dumps({"workspaceId": args.workspace_id, "override": override,
                      "inForce": effective_limits(settings, override)}))
    return 0


async def _workspace(args: argparse.Namespace, db: Database) -> int:
    if args.action == "limits":
        return await _workspace_limits(args, db, Settings.from_env())
    if args.action == "create":
        workspace, token = await create_workspace(db, args.name)
        print(json.dumps({"workspaceId": workspace["_id"], "apiKey": token}))
    else:
        for ws in await list_workspaces(db):
            print(_json_line({"id": ws["_id"], "displayName": ws["displayName"], "createdAt": ws["createdAt"]}))
    return 0


async def _apikey(args: argparse.Namespace, db: Database) -> int:
    if args.action == "create":
        await get_workspace(db, args.workspace)
        role = await role_by_label_or_id(db.control, args.workspace, args.role)
        expires = parse_expiry(args.expires) if args.expires else expiry_in_days(args.expires_in_days)
        _, token = await create_api_key(db.control, args.workspace, args.name, expires, role["_id"])
        print(token)
    elif args.action == "list":
        await get_workspace(db, args.workspace)
        for key in await list_api_keys(db.control, args.workspace):
            print(_json_line(public_view(key)))
    else:
        key = await revoke_api_key(db.control, args.key_id)
        print(f"revoked API key {key['_id']} ({key['name']})", file=sys.stderr)
    return 0


async def prepare_default_workspace(db: Database) -> str | None:
    """On an empty store, create the workspace 'default'; returns its first key, else None."""
    await ensure_control_indexes(db)
    if await list_workspaces(db):
        return None
    _, token = await create_workspace(db, DEFAULT_WORKSPACE)
    return token


def _banner(token: str, host: str, port: int) -> str:
    url = f"http://{host}:{port}"
    return (
        f"\nCreated workspace '{DEFAULT_WORKSPACE}'. Its API key (shown only this once):\n\n  {token}\n\n"
        f"Try it:\n  curl -H 'Authorization: Bearer {token}' {url}/rest/metadata/objects\n"
        f"  curl -H 'Authorization: Bearer {token}' {url}/rest/people\n"
        f"GraphQL playground: {url}/graphql    REST docs: {url}/docs\n"
    )


async def _key_hint(db: Database) -> str:
    """On a restart the first key is not shown again: say how to make another."""
    workspaces = await list_workspaces(db)
    first = next((w for w in workspaces if w["displayName"] == DEFAULT_WORKSPACE), workspaces[0])
    return (
        f"\n{len(workspaces)} workspace(s) in this store; API keys are shown only when made. Lost yours? Make one "
        f"(while this runs, in another terminal):\n\n  docgate apikey create --workspace {first['_id']} --name mine\n"
    )


async def _serve(settings: Settings) -> int:
    import uvicorn

    from .app import create_app
    from .lifecycle import Lifecycle, draining_server

    lifecycle = Lifecycle(settings.shutdown_timeout_seconds)
    db = open_database(settings)
    try:
        token = await prepare_default_workspace(db)
        hint = _banner(token, settings.host, settings.port) if token is not None else await _key_hint(db)
        print(hint, flush=True)
        config = uvicorn.Config(
            create_app(settings, db=db, lifecycle=lifecycle),
            host=settings.host,
            port=settings.port,
            http="httptools",
            log_level=settings.log_level.lower(),
            access_log=False,  # docgate logs each request itself, with its request id
            proxy_headers=True,
        )
        await draining_server(config, lifecycle).serve()
    finally:
        await db.close(within=lifecycle.remaining() if lifecycle.draining else None)
    return 0


def _run(coroutine: Coroutine[Any, Any, int]) -> int:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings: Settings | None = None
    try:
        settings = Settings.from_env()
        if args.command == "serve":
            settings = settings.with_overrides(host=args.host, port=args.port)
            return _run(_serve(settings))
        handler = _workspace if args.command == "workspace" else _apikey
        return _run(_with_db(settings, lambda db: handler(args, db)))
    except (SettingsError, EmbeddedStoreError) as exc:
        print(f"docgate: {exc}", file=sys.stderr)
        return 2
    except PyMongoError as exc:  # unreachable, refused credentials, …: one line, not a traceback
        print(f"docgate: {database_problem(exc, settings.mongodb_uri if settings else None)}", file=sys.stderr)
        return 2
    except DocgateError as exc:
        print(f"docgate: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
