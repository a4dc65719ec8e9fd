"""gunicorn.conf.py replaces a worker whose memory passed MAX_WORKER_RSS_MB, after its
request: the request is answered, the next one reaches a fresh worker."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

from flask_migrate import upgrade

from bench.live import Server, free_port, server_env
from therapy import create_app
from therapy.extensions import db


def _get_login(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as response:
        return int(response.status)


def test_a_worker_past_its_memory_limit_is_replaced_after_its_request(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = server_env(database_url, tmp_path, port, workers=1)
    env["MAX_WORKER_RSS_MB"] = "1"  # every worker is past it after its first request
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    server = Server(env, port)
    server.start()  # its readiness check was the first worker's first request
    try:
        seen = set(server.worker_pids())
        for _ in range(3):
            assert _get_login(port) == 200  # answered in full, never cut off
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and set(server.worker_pids()) <= seen:
                time.sleep(0.1)
            fresh = set(server.worker_pids()) - seen
            assert fresh, "the worker past its memory limit was never replaced"
            seen |= fresh
    finally:
        server.stop()
