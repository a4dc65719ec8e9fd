"""Browser fixtures: Debian's Chromium through Playwright, against a live server of the test app."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

from therapy.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch the system Chromium: Playwright's own browser download cannot work here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url() -> None:
    """No fixed base URL: tests build theirs from `live_server` (and this replaces
    pytest-base-url's fixture, which newer pytest warns about)."""
    return None


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test app on a free loopback port, serving from a daemon thread; yields its URL."""
    # The test's own transaction would hold SQLite's write lock while the browser saves; a
    # test must not touch expired ORM objects afterwards either (that opens a new one).
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
