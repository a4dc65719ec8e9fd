"""Twenty identical posts at the same moment, against a real threaded server: one row."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

from sqlalchemy import func, select

from tests import figures
from tests.factories import make_episode_in_treatment
from tests.safety.forms import rendered_form
from tests.web.clinical import session_data
from therapy.extensions import db
from therapy.models import TherapySession

POSTS = 20


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _post(url: str, cookie: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Cookie", cookie)
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_twenty_concurrent_identical_posts_create_one_session(
    app, client, login, live_server
) -> None:
    today = date.today()
    episode = make_episode_in_treatment(today)
    db.session.commit()
    login(episode.therapist)
    path = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new"
    data = {**rendered_form(client, path), **session_data(episode, today, notes="One click")}
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    cookie = f"{cookie_name}={client.get_cookie(cookie_name, domain='127.0.0.1').value}"
    body = urllib.parse.urlencode(data, doseq=True).encode()
    db.session.commit()

    start = threading.Barrier(POSTS)
    statuses: list[int] = []

    def send() -> None:
        start.wait()
        statuses.append(_post(live_server + path, cookie, body))

    threads = [threading.Thread(target=send) for _ in range(POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    db.session.expire_all()
    rows = db.session.scalar(
        select(func.count())
        .select_from(TherapySession)
        .where(TherapySession.episode_id == episode.id)
    )
    assert len(statuses) == POSTS
    assert set(statuses) == {302}, statuses  # every post answered, none failed
    assert rows == 1
    figures.report_part("concurrency", rows=rows, posts=POSTS)
