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
# No server banner with a version number.
proc_name = "therapy"
