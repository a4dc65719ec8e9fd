"""Browser fixtures: the app served on a loopback port, Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from tests.conftest import totp_code_for
from tests.factories import PASSWORD
from therapy.extensions import db

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
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the whole run (a browser download cannot work here)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's app on 127.0.0.1 (TEST_SERVER_PORT if set, else a free port)."""
    port = int(os.environ.get("TEST_SERVER_PORT", "0"))
    server = make_server("127.0.0.1", port, app, threaded=True)
    app.config["SERVER_NAME"] = f"127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)
        app.config["SERVER_NAME"] = "localhost"


def browser_login(page: Page, base_url: str, user) -> None:
    """Log in through the real pages: password, then the current code from the app."""
    email = user.email
    db.session.commit()  # the test's own transaction must not hold SQLite's write lock
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main input[type=submit]")
    page.wait_for_url(f"{base_url}/login/code")
    code = totp_code_for(user)
    db.session.commit()
    page.fill("#code", code)
    page.click("main input[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
