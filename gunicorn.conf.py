"""Production server settings; override with GUNICORN_* style environment variables."""

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
from pathlib import Path
from typing import Any

from gunicorn.glogging import Logger

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
# A worker whose resident memory passed this after a request finishes it and is replaced
# (like uWSGI's reload-on-rss): memory that rendering fragments is given back for good.
max_worker_rss_mb = int(os.environ.get("MAX_WORKER_RSS_MB", "180"))
accesslog = "-"
# The path without its query string, and no Referer: a caseload search's terms (patient
# names) and any other query must never reach a log file (SECURITY.md promise 14).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss "%(a)s"'
errorlog = "-"
proc_name = "therapy"
# A patient's personal link is /q/<token>: the access log names the page, not the token
# (whoever reads the log must not be able to open a questionnaire with it).
LINK_PREFIX = "/q/"


class LinkSafeLogger(Logger):
    """gunicorn's logger, with a personal link's token left out of the access log's path."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        if str(atoms.get("U", "")).startswith(LINK_PREFIX):
            atoms["U"] = LINK_PREFIX + "[link]"
        return atoms


logger_class = LinkSafeLogger


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


# glibc's malloc_trim and Linux's /proc: elsewhere (macOS, musl) the hook does nothing.
_LIBC_PATH = ctypes.util.find_library("c")
_MALLOC_TRIM = getattr(ctypes.CDLL(_LIBC_PATH), "malloc_trim", None) if _LIBC_PATH else None
_STATUS = Path("/proc/self/status")
# Set by therapy.pdf.render.render_pdf on the request that rendered a PDF.
_RENDERED_PDF = "therapy.rendered_pdf"


def _resident_mb() -> float:
    if not _STATUS.exists():
        return 0.0
    for line in _STATUS.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def post_request(worker, req, environ, resp) -> None:
    """After rendering a PDF, hand the renderer's freed memory back to the system; recycle a
    worker that grew past max_worker_rss_mb once its request is done."""
    if environ.get(_RENDERED_PDF) and _MALLOC_TRIM is not None:
        gc.collect()
        _MALLOC_TRIM(0)
    if _resident_mb() > max_worker_rss_mb:
        worker.log.info("worker memory above %d MB: replacing it", max_worker_rss_mb)
        worker.alive = False


# Runs when gunicorn reads this file in the master; forked workers inherit the change.
_without_server_header()
