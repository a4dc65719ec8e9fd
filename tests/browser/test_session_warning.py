"""Typing in a long form keeps the session alive; the screen locks when nobody is active in
any tab; a banner warns before the login itself ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import browser_login
from tests.factories import make_user
from therapy.extensions import db
from therapy.models import UserSession

pytestmark = pytest.mark.browser


def _last_seen(user_id: int):
    db.session.expire_all()
    value = db.session.scalar(
        select(UserSession.last_seen_at).where(UserSession.user_id == user_id)
    )
    db.session.commit()
    return value


def _age_session(user_id: int, minutes: int) -> None:
    """Move the server's view of the login back in time, as the page's fake clock moved on."""
    shift = timedelta(minutes=minutes)
    db.session.expire_all()
    for record in db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)):
        record.created_at -= shift
        record.last_seen_at -= shift
    db.session.commit()


def test_typing_pings_the_server_at_most_once_a_minute(
    app: Flask, live_server: str, chromium
) -> None:
    user = make_user()
    user_id = user.id
    context = chromium.new_context()
    page = context.new_page()
    browser_login(page, live_server, user)
    page.clock.install()
    page.goto(f"{live_server}/account/password")
    pings: list[str] = []  # activity only: the page's questions about the login are not
    page.on(
        "request",
        lambda request: (
            pings.append(request.url)
            if "keep-alive" in request.url and "x-session-status-only" not in request.headers
            else None
        ),
    )
    page.type("#current_password", "abc")
    assert pings == [], "the page load itself counted as activity a moment ago"
    before = _last_seen(user_id)
    page.clock.fast_forward(61_000)
    with page.expect_response(
        lambda response: (
            "keep-alive" in response.url and "x-session-status-only" not in response.request.headers
        )
    ) as answer:
        page.type("#current_password", "d")
    assert answer.value.status == 200
    page.type("#current_password", "efgh")  # more typing within the minute: no second ping
    page.wait_for_timeout(300)
    assert len(pings) == 1
    assert _last_seen(user_id) > before
    context.close()


def _age_login(user_id: int, hours: float) -> None:
    """The login began this long ago (its last activity stays as it is)."""
    db.session.expire_all()
    for record in db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)):
        record.created_at -= timedelta(hours=hours)
    db.session.commit()


def test_a_banner_warns_two_minutes_before_the_twelve_hours_end(
    app: Flask, live_server: str, chromium
) -> None:
    user = make_user()
    user_id = user.id
    context = chromium.new_context()
    page = context.new_page()
    browser_login(page, live_server, user)
    _age_login(user_id, 12 - 110 / 3600)  # 110 seconds left of the 12 hours
    page.clock.install()
    page.goto(f"{live_server}/account/password")
    banner = page.locator("#session-warning")
    page.clock.fast_forward("00:06")
    banner.wait_for(state="visible")
    assert "logged out in about 2 minutes" in banner.inner_text()
    _age_session(user_id, 3)  # the server's clock moves on with the page's
    page.clock.fast_forward("00:31")
    # A locator waits without evaluating a string (the page's CSP forbids eval).
    expect(page.locator("#session-warning-text")).to_contain_text("ended")
    assert "session has ended" in banner.inner_text()
    assert page.locator("#screen-lock").is_hidden(), "the end is told, the text stays in sight"
    context.close()


def test_the_page_asks_the_server_before_locking(app: Flask, live_server: str, chromium) -> None:
    """Another tab was active: this page's own clock running out does not lock it."""
    user = make_user()
    user_id = user.id
    context = chromium.new_context()
    page = context.new_page()
    browser_login(page, live_server, user)
    page.clock.install()
    page.goto(f"{live_server}/account/password")
    statuses: list[str] = []
    page.on(
        "request",
        lambda request: (
            statuses.append(request.url) if "x-session-status-only" in request.headers else None
        ),
    )
    _age_session(user_id, 10)
    other_tab = context.new_page()  # its page load is activity on the same session
    assert other_tab.goto(f"{live_server}/account/password").status == 200
    kept_alive = _last_seen(user_id)
    lock = page.locator("#screen-lock")
    with page.expect_response(lambda response: "keep-alive" in response.url) as answer:
        page.clock.fast_forward("16:00")  # this page saw no activity for 16 minutes
    assert answer.value.status == 200 and answer.value.json()["locked"] is False
    assert answer.value.json()["lock_seconds_left"] > 800
    assert lock.is_hidden()
    assert len(statuses) == 1
    assert _last_seen(user_id) == kept_alive, "asking is not activity: it extends nothing"
    # Nobody active anywhere: when the clock runs out again, the server locks the login.
    _age_session(user_id, 16)
    with page.expect_response(lambda response: "keep-alive" in response.url) as locked:
        page.clock.fast_forward("16:00")
    assert locked.value.json()["locked"] is True
    lock.wait_for(state="visible")
    other_tab.locator("#screen-lock").wait_for(state="visible")
    # Two hours without activity: the login ends, and the lock screen says so.
    _age_session(user_id, 120)
    with page.expect_response(lambda response: "keep-alive" in response.url) as refused:
        page.clock.fast_forward("00:31")
    assert refused.value.status == 302
    page.locator("#screen-lock-ended").wait_for(state="visible")
    assert page.locator("#screen-lock-password").is_hidden()
    other_tab.close()
    context.close()
