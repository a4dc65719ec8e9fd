"""Typing in a long form keeps the session alive; a banner warns before it ends."""

from __future__ import annotations

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
    page.clock.fast_forward("16:00")
    banner.wait_for(state="visible")
    assert "session has ended" in banner.inner_text()
    context.close()
