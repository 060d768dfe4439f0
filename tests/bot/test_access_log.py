"""`spaser-bot serve`'s access log, read from the real process: calendar feed and download links
carry their secret in the path, the log line does not."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.paths import ROOT

SECRET = "Zx9SecretToken"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_access_log_has_no_calendar_or_download_secret(tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "PORT": str(port),
           "HOST": "127.0.0.1", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "app", "serve"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if get(f"http://127.0.0.1:{port}/healthz") in (200, 503):
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the bot did not start"
                time.sleep(0.2)
        statuses = [
            get(f"http://127.0.0.1:{port}/calendar/{SECRET}.ics"),
            get(f"http://127.0.0.1:{port}/calendar/{SECRET}/meeting-1.ics"),
            get(f"http://127.0.0.1:{port}/synthese/{SECRET}?jeton={SECRET}"),
        ]
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)

    assert statuses == [404, 404, 404]
    assert '"GET /calendar/….ics" 404' in output
    assert '"GET /calendar/…/meeting-1.ics" 404' in output
    assert '"GET /synthese/…" 404' in output
    assert SECRET not in output
