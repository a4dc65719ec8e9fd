"""The production access log keeps no query strings and no Referer (finding 2, promise 14).

A caseload search is `GET /?q=<patient name>`; the outside test found the name in the access
log twice, in the request line and in the next request's Referer.
"""

from __future__ import annotations

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_a_search_leaves_no_name_in_the_access_log() -> None:
    settings = runpy.run_path(str(CONF))
    config = Config()
    config.set("access_log_format", settings["access_log_format"])
    logger = settings["logger_class"](config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/?q=Wilhelmina+Zwart",
        "PATH_INFO": "/",
        "QUERY_STRING": "q=Wilhelmina+Zwart",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": "https://practice.example/?q=Wilhelmina+Zwart&page=2",
        "HTTP_USER_AGENT": "Firefox",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=12))
    line = config.access_log_format % atoms
    assert '"GET / HTTP/1.1" 200 1234' in line
    assert "Wilhelmina" not in line and "Zwart" not in line and "q=" not in line


def test_a_personal_link_leaves_no_token_in_the_access_log() -> None:
    settings = runpy.run_path(str(CONF))
    config = Config()
    config.set("access_log_format", settings["access_log_format"])
    logger = settings["logger_class"](config)
    token = "Xk3v9QpL0aZ7sT2mN8bC4dF6gH1jR5wY"
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/q/{token}",
        "PATH_INFO": f"/q/{token}",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "Safari",
    }
    response = SimpleNamespace(status="302 FOUND", sent=0, headers=[])
    request = SimpleNamespace(headers=[])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=12))
    line = config.access_log_format % atoms
    assert '"POST /q/[link] HTTP/1.1" 302' in line
    assert token not in line
