"""Runs every fault script, on SQLite and (with --postgres) on PostgreSQL, and sums up the verdicts.

    .venv/bin/python reliability/run_all.py [--postgres URL] [--only NAME]

Each script starts real bot processes and prints its own figures; this prints one line per run and
exits non-zero when any run failed. About 6½ minutes for SQLite and PostgreSQL on a quiet 2-core VM,
12–17 while other suites run (mostly bot start-ups: each script starts `app.py` several times).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    ("kill_during_broadcast", "kill -9 during a 1,000-recipient broadcast"),
    ("restart_mid_dialog", "SIGKILL between two turns of a dialog"),
    ("duplicate_activity", "the same activity delivered twice"),
    ("concurrent_turns", "turns of one conversation at the same time"),
    ("database_outage", "the database unavailable for 10 s"),
    ("kill_during_outlook", "kill -9 while Graph creates, moves and cancels an Outlook invitation"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="also run every script on PostgreSQL (throwaway databases)")
    parser.add_argument("--only", choices=[name for name, _ in SCRIPTS], action="append", help="run only this script")
    args = parser.parse_args()
    databases = [("SQLite", [])] + ([("PostgreSQL", ["--postgres", args.postgres])] if args.postgres else [])
    results = []
    for name, title in SCRIPTS:
        if args.only and name not in args.only:
            continue
        for label, extra in databases:
            started = time.monotonic()
            print(f"\n##### {name} ({label})", flush=True)
            code = subprocess.call([sys.executable, str(HERE / f"{name}.py"), *extra])
            results.append((name, title, label, code, time.monotonic() - started))
    print("\n##### summary")
    for name, title, label, code, seconds in results:
        print(f"  {'PASS' if code == 0 else 'FAIL'}  {name:<22} {label:<10} {seconds:6.1f} s  {title}")
    failed = sum(1 for *_, code, _ in results if code != 0)
    print(f"VERDICT reliability: {'PASS' if not failed else f'FAIL ({failed} of {len(results)} runs)'}")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
