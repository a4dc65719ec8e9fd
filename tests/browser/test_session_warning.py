"""Typing in a long form keeps the session alive; a banner warns before it ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
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
    pings: list[str] = []
    page.on(
        "request",
        lambda request: pings.append(request.url) if "keep-alive" in request.url else None,
    )
    page.type("#current_password", "abc")
    assert pings == [], "the page load itself counted as activity a moment ago"
    before = _last_seen(user_id)
    page.clock.fast_forward(61_000)
    with page.expect_response(lambda response: "keep-alive" in response.url) as answer:
        page.type("#current_password", "d")
    assert answer.value.status == 200
    page.type("#current_password", "efgh")  # more typing within the minute: no second ping
    page.wait_for_timeout(300)
    assert len(pings) == 1
    assert _last_seen(user_id) > before
    context.close()


def test_a_banner_warns_two_minutes_before_the_end(app: Flask, live_server: str, chromium) -> None:
    user = make_user()
    context = chromium.new_context()
    page = context.new_page()
    browser_login(page, live_server, user)
    page.clock.install()
    page.goto(f"{live_server}/account/password")
    banner = page.locator("#session-warning")
    assert banner.is_hidden()
    page.clock.fast_forward("12:00")
    assert banner.is_hidden()
    page.clock.fast_forward("01:10")
    banner.wait_for(state="visible")
    assert "logged out in about 2 minutes" in banner.inner_text()
    with page.expect_response(lambda response: "keep-alive" in response.url):
        page.click("#session-warning-stay")
    banner.wait_for(state="hidden")
    # The page asks the server before saying the session ended, so the server must agree.
    _age_session(user.id, 16)
    page.clock.fast_forward("16:00")
    banner.wait_for(state="visible")
    page.wait_for_function(
        "document.getElementById('session-warning-text').textContent.includes('ended')"
    )
    assert "session has ended" in banner.inner_text()
    context.close()


def test_the_page_asks_the_server_before_declaring_the_end(
    app: Flask, live_server: str, chromium
) -> None:
    """Another tab kept the session alive: the page's own clock running out does not end it."""
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
    banner = page.locator("#session-warning")
    with page.expect_response(lambda response: "keep-alive" in response.url) as answer:
        page.clock.fast_forward("16:00")  # this page saw no activity for 16 minutes
    assert answer.value.status == 200 and answer.value.json()["seconds_left"] > 800
    banner.wait_for(state="hidden")
    assert len(statuses) == 1
    assert _last_seen(user_id) == kept_alive, "asking is not activity: it extends nothing"
    # Nobody active anywhere: when the clock runs out again, the server agrees it ended.
    _age_session(user_id, 16)
    with page.expect_response(lambda response: "keep-alive" in response.url) as refused:
        page.clock.fast_forward("16:00")
    assert refused.value.status == 302
    banner.wait_for(state="visible")
    page.wait_for_function(
        "document.getElementById('session-warning-text').textContent.includes('ended')"
    )
    assert len(statuses) == 2
    other_tab.close()
    context.close()
