#!/usr/bin/env bash
# End-to-end proof in a Teams-like client: `python app.py` on a fresh SQLite database, the
# Microsoft 365 Agents Playground (Teams channel) in front of it, headless Chromium driving the
# Playground's chat UI through the scenarios of e2e/playground.spec.mjs.
#
#   bash e2e/run.sh
#
# Screenshots, the chat transcript and both servers' logs land in e2e/artifacts/.
# When node (>= 20), npm or Chromium cannot be had, prints "SKIPPED: <reason>" and exits 0.
# Exit code otherwise: the test runner's (0 = every scenario passed).
# Environment: PYTHON (default .venv/bin/python), CHROMIUM_PATH (default /usr/bin/chromium),
# E2E_BOT_PORT / E2E_PLAYGROUND_PORT (default: free ports), E2E_KEEP=1 keeps the temp dir.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$E2E_DIR")"
ARTIFACTS="$E2E_DIR/artifacts"
# The Playground's default signed-in user (Alex Wilber in its built-in config) becomes the SPASER lead.
PLAYGROUND_USER_AAD="00000000-0000-0000-0000-0000000000020"
MIN_NODE_MAJOR=20
STARTED_AT=$(date +%s)

skip() {
  echo "SKIPPED: $*"
  exit 0
}

fail() {
  echo "E2E ERROR: $*" >&2
  exit 2
}

APT_UPDATED=0
apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  if [ "$APT_UPDATED" = 0 ]; then
    apt-get update -qq >/dev/null 2>&1 || return 1
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1
}

# --- tools -----------------------------------------------------------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node/npm not found: trying apt-get install nodejs npm"
  apt_install nodejs npm || skip "node and npm are not installed and could not be installed with apt-get"
fi
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge "$MIN_NODE_MAJOR" ] || skip "node $(node --version) is too old (playwright-core needs node >= $MIN_NODE_MAJOR)"

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "Chromium not found at $CHROMIUM_PATH: using Debian's /usr/bin/chromium (apt-get install chromium if missing)"
  CHROMIUM_PATH=/usr/bin/chromium
  [ -x "$CHROMIUM_PATH" ] || apt_install chromium \
    || skip "Chromium is not installed and could not be installed with apt-get (Debian package 'chromium')"
fi

PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON="$(command -v python3 || true)"
[ -n "$PYTHON" ] && "$PYTHON" -c "import botbuilder.core, aiohttp, sqlmodel" 2>/dev/null \
  || fail "the bot's Python environment is missing: install the project first (see README), or set PYTHON"

if ! (cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error); then
  if ! (cd "$E2E_DIR" && npm ping >/dev/null 2>&1); then
    skip "npm ci failed and the npm registry does not answer (offline?)"
  fi
  fail "npm ci failed in e2e/ (see above)"
fi

# --- servers ---------------------------------------------------------------------------------
free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
BOT_PORT="${E2E_BOT_PORT:-$(free_port)}"
PLAYGROUND_PORT="${E2E_PLAYGROUND_PORT:-$(free_port)}"
WORK="$(mktemp -d -t spaser-e2e.XXXXXX)"
BOT_PID=""
PLAYGROUND_PID=""

stop_group() {
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

cleanup() {
  stop_group "$PLAYGROUND_PID"
  stop_group "$BOT_PID"
  mkdir -p "$ARTIFACTS"
  cp "$WORK"/*.log "$WORK"/devTools/*.log "$ARTIFACTS"/ 2>/dev/null || true
  if [ "${E2E_KEEP:-0}" = 1 ]; then echo "Temp dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS"

# A fresh database, no .env from the developer's checkout (cwd is the temp dir), authentication
# off (local mode: the Playground sends no token), the Playground's user as SPASER lead.
export DATABASE_URL="sqlite:///$WORK/e2e.db"
export MicrosoftAppId="" MicrosoftAppPassword="" MicrosoftAppTenantId="" MicrosoftAppType=""
export SPASER_ADMINS="$PLAYGROUND_USER_AAD" SPASER_ALLOWED_TENANTS="" SPASER_ENV="development"

(cd "$WORK" && PORT="$BOT_PORT" HOST=127.0.0.1 exec setsid "$PYTHON" "$REPO/app.py") >"$WORK/bot.log" 2>&1 &
BOT_PID=$!
(cd "$WORK" && TEAMSAPPTESTER_BROWSER=none exec setsid node "$E2E_DIR/node_modules/@microsoft/m365agentsplayground/cli.js" \
  --app-endpoint "http://127.0.0.1:$BOT_PORT/api/messages" --channel-id msteams \
  --port "$PLAYGROUND_PORT" --disable-telemetry) >"$WORK/playground.log" 2>&1 &
PLAYGROUND_PID=$!

wait_http() { # name, pid, url, log
  local deadline=$(($(date +%s) + 60))
  until "$PYTHON" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$3" 2>/dev/null; do
    if ! kill -0 "$2" 2>/dev/null; then
      tail -n 30 "$4" >&2
      fail "$1 exited before answering on $3"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$4" >&2; fail "$1 did not answer on $3 within 60 s"; }
    sleep 0.3
  done
}
wait_http "the bot (python app.py)" "$BOT_PID" "http://127.0.0.1:$BOT_PORT/healthz" "$WORK/bot.log"
wait_http "the Agents Playground" "$PLAYGROUND_PID" "http://127.0.0.1:$PLAYGROUND_PORT/" "$WORK/playground.log"
echo "Bot on :$BOT_PORT, Agents Playground on :$PLAYGROUND_PORT, ready after $(($(date +%s) - STARTED_AT)) s"

# --- scenarios -------------------------------------------------------------------------------
status=0
(cd "$E2E_DIR" && PLAYGROUND_URL="http://localhost:$PLAYGROUND_PORT" E2E_ARTIFACTS="$ARTIFACTS" \
  CHROMIUM_PATH="$CHROMIUM_PATH" E2E_PYTHON="$PYTHON" node --test --test-concurrency=1 playground.spec.mjs) || status=$?

if [ "$status" != 0 ]; then
  echo "--- last lines of the bot's log ($ARTIFACTS/bot.log) ---"
  tail -n 40 "$WORK/bot.log" || true
fi
echo "End-to-end run finished in $(($(date +%s) - STARTED_AT)) s; screenshots in $ARTIFACTS"
exit "$status"
