"""Browser fixtures: Debian's Chromium through Playwright, against a live server per test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from tests.conftest import totp_code_for
from tests.factories import PASSWORD
from therapy.extensions import db
from therapy.models import User

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
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
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


@pytest.fixture(scope="session")
def chromium(browser: Browser) -> Browser:
    """The one Chromium of the run, for tests that make their own contexts."""
    return browser


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


def browser_login(
    page: Page, base: str, user: User | str, password: str = PASSWORD, *, start: bool = True
) -> None:
    """Log in through the real pages: password, then the authenticator's current code.

    With start=False the page is on the login form already (sent there, with its `next`).
    """
    email = user if isinstance(user, str) else user.email
    account = db.session.scalar(select(User).where(User.email == email))
    assert account is not None, email
    db.session.commit()  # the test's own transaction must not hold SQLite's write lock
    if start:
        page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main input[type=submit]")
    page.wait_for_url(f"{base}/login/code")
    code = totp_code_for(account)
    db.session.commit()
    page.fill("#code", code)
    page.click("main input[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def log_in_as(page: Page, live_server: str):
    """Log in through the login pages (the one place to change if login gains a step)."""

    def _log_in(email: str, password: str = PASSWORD) -> None:
        browser_login(page, live_server, email, password)

    return _log_in
