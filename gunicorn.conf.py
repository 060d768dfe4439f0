"""gunicorn settings for production: `gunicorn app:gunicorn_app -c gunicorn.conf.py`.

aiohttp's worker runs one event loop per process; `WEB_CONCURRENCY` workers (default 2) serve the
turns. On PostgreSQL one of them runs the scheduler (reminders, outbox) and the others stand by
(scheduler/leadership.py); on SQLite use one worker (a second would be refused at start-up).
Azure App Service sets `PORT`; its start-up command is this file's first line.
"""

import os
import shutil
import tempfile

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "aiohttp.GunicornWebWorker"
timeout = 120  # the first start migrates the schema and builds the French recognizers
graceful_timeout = 30
keepalive = 75  # longer than Azure's front-end idle timeout
accesslog = None  # the bot logs each turn (SPASER_LOG_FORMAT=json); this log would hold link secrets
forwarded_allow_ips = "*"

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR") and os.environ.get("SPASER_METRICS_TOKEN"):
    # Every worker's counters, summed at each scrape of /metrics.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="spaser-metrics-")


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
