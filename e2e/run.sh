#!/usr/bin/env bash
# End-to-end proof in a Teams-like client: `python app.py` on a fresh SQLite database, the
# Microsoft 365 Agents Playground (Teams channel) in front of it, headless Chromium driving the
# Playground's chat UI through the scenarios of e2e/playground.spec.mjs.
#
#   bash e2e/run.sh
#
# Three Playgrounds, one per person (the Playground signs in one user per process, chosen by its
# config file): the SPASER lead (its default user), a contributor and an official, all talking to
# the same bot. The demo organisation (`spaser-bot demo`) is loaded before the bot starts.
# Then the public SPASER page (public_page.spec.mjs): published by chat, axe-core, screenshot, CSV.
# Screenshots, the chat transcripts and the servers' logs land in e2e/artifacts/.
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
# The Playground's built-in users (id|given name|surname|mail name|aadObjectId); a config names one
# of them `currentUser` and must list the five others.
PLAYGROUND_USERS=(
  "user-id-0|Alex|Wilber|alexw|00000000-0000-0000-0000-0000000000020"
  "user-id-1|Megan|Bowen|meganb|00000000-0000-0000-0000-0000000000021"
  "user-id-2|Adele|Vance|adelev|00000000-0000-0000-0000-0000000000022"
  "user-id-3|Isaiah|Langer|isaiahl|00000000-0000-0000-0000-0000000000023"
  "user-id-4|Patti|Fernandez|pattif|00000000-0000-0000-0000-0000000000024"
  "user-id-5|Lynne|Robbins|lynner|00000000-0000-0000-0000-0000000000025"
)
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

# The package this bot ships must pass the official schema (the Teams admin centre's check).
PYTHON="$PYTHON" bash "$E2E_DIR/check_package.sh" || fail "the Teams package fails the official manifest schema"

# --- servers ---------------------------------------------------------------------------------
free_ports() { # four free loopback ports, in one Python start
  "$PYTHON" -c 'import socket
sockets = [socket.socket() for _ in range(4)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))'
}
read -r port1 port2 CONTRIBUTOR_PORT OFFICIAL_PORT <<<"$(free_ports)"
BOT_PORT="${E2E_BOT_PORT:-$port1}"
PLAYGROUND_PORT="${E2E_PLAYGROUND_PORT:-$port2}"
# Not named spaser-*: other tools' clean-ups of /tmp/spaser-* must not remove it mid-run.
WORK="$(mktemp -d -t playground-e2e.XXXXXX)"
PLAYGROUND_PIDS=()

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
  for pid in "${PLAYGROUND_PIDS[@]}"; do stop_group "$pid"; done
  # The scenarios restart the bot; bot.pid names the one running now.
  stop_group "$(cat "$WORK/bot.pid" 2>/dev/null)"
  stop_group "${BOT_PID:-}"
  mkdir -p "$ARTIFACTS"
  cp "$WORK"/*.log "$ARTIFACTS"/ 2>/dev/null || true
  for dir in "$WORK"/playground-*/; do
    cp "$dir/devTools/m365agentsplayground.log" "$ARTIFACTS/$(basename "$dir").devtools.log" 2>/dev/null || true
  done
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
# Links in cards (the summary chart, exports) point at the bot itself, which the browser reaches on
# loopback; a fixed secret keeps them valid across the scenarios' bot restarts. The outbox is
# drained every 2 s (default 15 s) so broadcast reports come within the run.
export SPASER_PUBLIC_URL="http://127.0.0.1:$BOT_PORT" SPASER_OUTBOX_INTERVAL=2
SPASER_DOWNLOAD_SECRET="$(head -c 48 /dev/urandom | base64 -w0 | tr '+/' '-_')"
export SPASER_DOWNLOAD_SECRET SPASER_TIMEZONE="${SPASER_TIMEZONE:-Europe/Paris}"
# The organisation named on the summary card and, with its logo, on the COPIL report. A neutral building,
# not the bot's icon: its green tick beside « Synthèse SPASER » read as « all is well » (reader 15, minor 18).
export SPASER_ORGANISATION_NAME="Ville de Démoville" SPASER_ORGANISATION_LOGO="$E2E_DIR/demo_logo.png"

playground_config() { # index of the signed-in user in PLAYGROUND_USERS
  local current="$1" i id given surname mail aad
  user_yaml() {
    IFS='|' read -r id given surname mail aad <<<"${PLAYGROUND_USERS[$1]}"
    printf '%sid: %s\n%sname: %s %s\n%suserPrincipleName: %s@example.com\n%saadObjectId: %s\n' \
      "$2" "$id" "$3" "$given" "$surname" "$3" "$mail" "$3" "$aad"
    printf '%sgivenName: %s\n%ssurname: %s\n%semail: %s@example.com\n' "$3" "$given" "$3" "$surname" "$3" "$mail"
  }
  printf 'version: "0.1.1"\ntenantId: 00000000-0000-0000-0000-0000000000001\n'
  printf 'bot:\n  id: 00000000-0000-0000-0000-00000000000011\n  name: Test Bot\n'
  printf 'currentUser:\n'
  user_yaml "$current" "  " "  "
  printf 'users:\n'
  for i in "${!PLAYGROUND_USERS[@]}"; do
    [ "$i" = "$current" ] || user_yaml "$i" "  - " "    "
  done
  printf 'personalChat:\n  id: %s\ngroupChat:\n  id: %s\n  name: Group Chat\n' \
    "$(cat /proc/sys/kernel/random/uuid)" "$(cat /proc/sys/kernel/random/uuid)"
  printf 'team:\n  id: team-id\n  name: My Team\n  aadGroupId: 00000000-0000-0000-0000-000000000031\n'
  printf '  channels:\n    - id: channel-announcements-id\n      name: Announcements\n'
}

start_playground() { # name, port, [index of the signed-in user; default: the Playground's built-in config]
  local dir="$WORK/playground-$1"
  mkdir -p "$dir"
  [ -z "${3:-}" ] || playground_config "$3" >"$dir/.m365agentsplayground.yml"
  (cd "$dir" && TEAMSAPPTESTER_BROWSER=none exec setsid node "$E2E_DIR/node_modules/@microsoft/m365agentsplayground/cli.js" \
    --app-endpoint "http://127.0.0.1:$BOT_PORT/api/messages" --channel-id msteams \
    --port "$2" --disable-telemetry) >"$WORK/playground-$1.log" 2>&1 &
  PLAYGROUND_PIDS+=("$!")
}
# The demo organisation (7 directorates, 10 people, 24 indicators with past values, 3 of them
# computed from its generated DECP file), loaded with
# the command line before the bot starts (while the Playgrounds start): the scenarios then
# register Playground users in it.
(cd "$WORK" && exec "$PYTHON" -m app demo) >"$WORK/demo.log" 2>&1 &
DEMO_PID=$!
start_playground lead "$PLAYGROUND_PORT"
start_playground contributor "$CONTRIBUTOR_PORT" 1
start_playground official "$OFFICIAL_PORT" 2
wait "$DEMO_PID" || { cat "$WORK/demo.log" >&2; fail "spaser-bot demo failed"; }

(cd "$WORK" && PORT="$BOT_PORT" HOST=127.0.0.1 exec setsid "$PYTHON" "$REPO/app.py") >"$WORK/bot.log" 2>&1 &
BOT_PID=$!
echo "$BOT_PID" >"$WORK/bot.pid"

wait_http() { # name, pid, url, log
  local deadline=$(($(date +%s) + 60))
  until "$PYTHON" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$3" 2>/dev/null; do
    if ! kill -0 "$2" 2>/dev/null; then
      tail -n 30 "$4" >&2 || true
      fail "$1 exited before answering on $3"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { tail -n 30 "$4" >&2 || true; fail "$1 did not answer on $3 within 60 s"; }
    sleep 0.3
  done
}
wait_http "the bot (python app.py)" "$BOT_PID" "http://127.0.0.1:$BOT_PORT/healthz" "$WORK/bot.log"
wait_http "the Agents Playground (lead)" "${PLAYGROUND_PIDS[0]}" "http://127.0.0.1:$PLAYGROUND_PORT/" "$WORK/playground-lead.log"
wait_http "the Agents Playground (contributor)" "${PLAYGROUND_PIDS[1]}" "http://127.0.0.1:$CONTRIBUTOR_PORT/" "$WORK/playground-contributor.log"
wait_http "the Agents Playground (official)" "${PLAYGROUND_PIDS[2]}" "http://127.0.0.1:$OFFICIAL_PORT/" "$WORK/playground-official.log"
echo "Bot on :$BOT_PORT, Agents Playgrounds on :$PLAYGROUND_PORT (lead), :$CONTRIBUTOR_PORT (contributor)," \
  ":$OFFICIAL_PORT (official), ready after $(($(date +%s) - STARTED_AT)) s"

# --- scenarios -------------------------------------------------------------------------------
status=0
(cd "$E2E_DIR" && PLAYGROUND_URL="http://localhost:$PLAYGROUND_PORT" E2E_ARTIFACTS="$ARTIFACTS" \
  PLAYGROUND_CONTRIBUTOR_URL="http://localhost:$CONTRIBUTOR_PORT" PLAYGROUND_OFFICIAL_URL="http://localhost:$OFFICIAL_PORT" \
  CHROMIUM_PATH="$CHROMIUM_PATH" E2E_PYTHON="$PYTHON" E2E_REPO="$REPO" E2E_WORK="$WORK" E2E_BOT_PORT="$BOT_PORT" \
  node --test --test-concurrency=1 playground.spec.mjs public_page.spec.mjs) || status=$?

if [ "$status" != 0 ]; then
  echo "--- last lines of the bot's log ($ARTIFACTS/bot.log) ---"
  tail -n 40 "$WORK/bot.log" || true
fi
echo "End-to-end run finished in $(($(date +%s) - STARTED_AT)) s; screenshots in $ARTIFACTS"
exit "$status"
