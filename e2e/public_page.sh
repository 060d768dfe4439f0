#!/usr/bin/env bash
# The public SPASER page alone, in about half a minute: `spaser-bot demo` into a fresh SQLite
# database, `python app.py`, then e2e/public_page.spec.mjs (publish by chat, axe-core in headless
# Chromium, screenshot in e2e/artifacts/public-page.png, the CSV, take down). `bash e2e/run.sh`
# runs the same spec after the Playground scenarios.
# Environment: PYTHON (default .venv/bin/python), CHROMIUM_PATH (default /usr/bin/chromium).
set -euo pipefail
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$E2E_DIR")"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
command -v node >/dev/null && command -v npm >/dev/null || { echo "SKIPPED: node and npm are needed"; exit 0; }
[ -x "$CHROMIUM_PATH" ] || { echo "SKIPPED: Chromium not found at $CHROMIUM_PATH"; exit 0; }
(cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error) || { echo "SKIPPED: npm ci failed (offline?)"; exit 0; }

WORK="$(mktemp -d -t public-page-e2e.XXXXXX)"
PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BOT_PID=""
cleanup() {
  [ -n "$BOT_PID" ] && kill -TERM -- "-$BOT_PID" 2>/dev/null || true
  mkdir -p "$E2E_DIR/artifacts" && cp "$WORK/bot.log" "$E2E_DIR/artifacts/public-page-bot.log" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export DATABASE_URL="sqlite:///$WORK/e2e.db" MicrosoftAppId="" SPASER_ENV=development SPASER_ADMINS="" SPASER_SIRETS=""
(cd "$WORK" && "$PYTHON" "$REPO/app.py" demo) >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log"; exit 2; }
(cd "$WORK" && PORT="$PORT" HOST=127.0.0.1 exec setsid "$PYTHON" "$REPO/app.py") >"$WORK/bot.log" 2>&1 &
BOT_PID=$!
for _ in $(seq 120); do
  "$PYTHON" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  sleep 0.5
done
cd "$E2E_DIR"
E2E_BOT_PORT="$PORT" E2E_WORK="$WORK" E2E_PYTHON="$PYTHON" CHROMIUM_PATH="$CHROMIUM_PATH" node --test public_page.spec.mjs
