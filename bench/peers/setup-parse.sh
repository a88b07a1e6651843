#!/usr/bin/env bash
# Install Parse Server with npm into DIR and start it against MONGO_URI.
# (Adapted from /work/shared/bench-peers/parse/setup.sh: the install is skipped when DIR
# already holds the pinned versions; extra server flags come from PARSE_ARGS.)
#
#   setup-parse.sh DIR MONGO_URI [PORT]
#   e.g. setup-parse.sh bench/.peers/parse mongodb://127.0.0.1:27018/parse 1337
#
# Env overrides: APP_ID (peerApp), MASTER_KEY (peerMasterKey),
#                PARSE_VERSION (9.10.0), HOST (127.0.0.1), SKIP_INSTALL=1
# REST:    http://HOST:PORT/parse      GraphQL: http://HOST:PORT/graphql
# Writes DIR/parse-server.pid and DIR/parse-server.log; stop with
#   kill "$(cat DIR/parse-server.pid)"
set -euo pipefail

DIR=${1:?usage: setup.sh DIR MONGO_URI [PORT]}
MONGO_URI=${2:?usage: setup.sh DIR MONGO_URI [PORT]}
PORT=${3:-1337}
HOST=${HOST:-127.0.0.1}
APP_ID=${APP_ID:-peerApp}
MASTER_KEY=${MASTER_KEY:-peerMasterKey}
PARSE_VERSION=${PARSE_VERSION:-9.10.0}

mkdir -p "$DIR"
cd "$DIR"

installed() {
  [ -f node_modules/parse-server/package.json ] && [ -f node_modules/router/package.json ] &&
    node -e 'const p=require("./node_modules/parse-server/package.json"), r=require("./node_modules/router/package.json");
             process.exit(p.version===process.argv[1] && r.version==="2.2.0" ? 0 : 1)' "$PARSE_VERSION"
}

if [ "${SKIP_INSTALL:-0}" != 1 ] && ! installed; then
  [ -f package.json ] || npm init -y >/dev/null
  # Gotcha: router@2.3.0 (2026-11-17, pulled in by express@5.2.1) changed
  # Layer#match to return an object instead of setting layer.params; Parse
  # Server's PromiseRouter (used by /batch) then fails with "Cannot convert
  # undefined or null to object". Pin router 2.2.0 everywhere and hoist it.
  npm pkg set overrides.router='$router'
  npm install --no-audit --no-fund "parse-server@${PARSE_VERSION}" router@2.2.0
  npm ls parse-server router || true
fi

URL="http://${HOST}:${PORT}/parse"
nohup ./node_modules/.bin/parse-server \
  --appId "$APP_ID" \
  --masterKey "$MASTER_KEY" \
  --databaseURI "$MONGO_URI" \
  --serverURL "$URL" \
  --mountGraphQL \
  --host "$HOST" --port "$PORT" \
  ${PARSE_ARGS:-} \
  > parse-server.log 2>&1 &
echo $! > parse-server.pid
echo "parse-server pid $(cat parse-server.pid), log $DIR/parse-server.log"

for _ in $(seq 1 60); do
  if curl -fs "$URL/health" >/dev/null 2>&1; then
    echo "ready: REST $URL  GraphQL http://${HOST}:${PORT}/graphql"
    exit 0
  fi
  if ! kill -0 "$(cat parse-server.pid)" 2>/dev/null; then
    echo "parse-server exited; see $DIR/parse-server.log" >&2
    grep -v DeprecationWarning parse-server.log | tail -20 >&2
    exit 1
  fi
  sleep 1
done
echo "parse-server did not become healthy in 60 s" >&2
exit 1
