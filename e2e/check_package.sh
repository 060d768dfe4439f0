#!/usr/bin/env bash
# Builds the Teams app package with `spaser-bot teams-package` and validates its manifest with ajv
# against the official schema of the npm package @microsoft/app-manifest (not the copy vendored in
# teams_app/schema/, which the Python tests use). Run by .ci/run and by e2e/run.sh.
# Needs node and npm; prints "SKIPPED: <reason>" and exits 0 without them.
set -euo pipefail
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$E2E_DIR")"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
command -v node >/dev/null && command -v npm >/dev/null || { echo "SKIPPED: node/npm not installed"; exit 0; }
[ -d "$E2E_DIR/node_modules/@microsoft/app-manifest" ] || (cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && MicrosoftAppId=11111111-2222-3333-4444-555555555555 SPASER_PUBLIC_URL=https://spaser.example.fr \
  DATABASE_URL="sqlite:///$WORK/unused.db" "$PYTHON" "$REPO/app.py" teams-package --output "$WORK/spaser.zip")
"$PYTHON" -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("manifest.json"))' \
  "$WORK/spaser.zip" >"$WORK/manifest.json"
node "$E2E_DIR/validate_manifest.mjs" "$WORK/manifest.json"
