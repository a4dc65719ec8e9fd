"""Production server settings; override with GUNICORN_* style environment variables."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
# Rendering PDFs slowly grows a worker's memory: recycle workers now and then.
max_requests = 500
max_requests_jitter = 50
timeout = 60
graceful_timeout = 30
# Behind the TLS proxy: trust its X-Forwarded-* headers only from the proxy itself.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
proc_name = "therapy"


def _without_server_header() -> None:
    """Send no Server header at all: gunicorn always writes "Server: gunicorn" otherwise."""
    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers
    if getattr(original, "without_server", False):
        return

    def default_headers(self: wsgi.Response) -> list[str]:
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers.without_server = True  # type: ignore[attr-defined]
    wsgi.Response.default_headers = default_headers  # type: ignore[method-assign]


# Runs when gunicorn reads this file in the master; forked workers inherit the change.
_without_server_header()
