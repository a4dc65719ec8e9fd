"""Browser fixtures: Debian's Chromium through Playwright, against a live server per test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from therapy.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium: Playwright's own browser download cannot work here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url() -> None:
    """No session-wide base URL: each test has its own live server (browser_context_args).

    This also replaces pytest-playwright's own fixture, which pytest 9 warns about.
    """
    return None


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served on a free loopback port, on the test's own database."""
    # The test's own transaction would hold SQLite's write lock while the browser saves; a
    # test must not touch expired ORM objects while the browser works either (that opens one).
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any], live_server: str) -> dict[str, Any]:
    """Every page of the test starts at the live server, in a desktop-sized window."""
    return {
        **browser_context_args,
        "base_url": live_server,
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def artifacts() -> Path:
    """Where browser tests leave screenshots for a human to look at (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def log_in_as(page):
    """Log in through the login page (the one place to change if login gains a step)."""

    def _log_in(email: str, password: str) -> None:
        page.goto("/login")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")

    return _log_in
