"""Another writer holding a lock never turns a save into a 500, on either database.

SQLite: a writer that waited past the busy timeout meets "database is locked", and the request
is run again (therapy.database.lock_retry). PostgreSQL: writers wait on the lock itself, so the same
save simply waits and lands.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select

from tests.db.locks import HOLD_SECONDS, another_writer_holding_the_lock
from tests.factories import make_user
from tests.safety.forms import post_as_browser, rendered_form
from tests.web.clinical import patient_data
from therapy.extensions import db
from therapy.models import Patient


def test_a_save_meeting_another_writers_lock_lands(
    impatient_app, login, backend, database_url
) -> None:
    therapist = make_user()
    db.session.commit()
    client = login(therapist, test_client=impatient_app.test_client())
    tokens = rendered_form(client, "/patients/new")
    db.session.commit()
    with another_writer_holding_the_lock(backend, database_url):
        started = time.monotonic()
        response = post_as_browser(client, "/patients/new", patient_data(), tokens)
        waited = time.monotonic() - started
    assert response.status_code == 302, response.status_code
    assert waited >= HOLD_SECONDS * 0.5  # it really met the lock, and outlasted it
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Patient.id))) == 1


def test_the_retry_runs_a_locked_request_again_and_stops_after_three(
    impatient_app, login, monkeypatch
) -> None:
    """The retry itself, on either database: a lock error once is retried; always, ends."""
    from sqlalchemy.exc import OperationalError

    from therapy.database import lock_retry

    monkeypatch.setattr(lock_retry, "_PAUSE_SECONDS", 0)
    therapist = make_user()
    db.session.commit()
    client = login(therapist, test_client=impatient_app.test_client())
    calls = []

    def locked_then_fine(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1 or failing["always"]:
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
        return original(*args, **kwargs)

    view = impatient_app.view_functions["auth.password"]
    original, failing = view, {"always": False}
    impatient_app.view_functions["auth.password"] = locked_then_fine
    assert client.get("/account/password").status_code == 200
    assert len(calls) == 2  # the first attempt failed, the second one answered
    calls.clear()
    failing["always"] = True
    assert client.get("/account/password").status_code == 500  # the calm error page
    assert len(calls) == lock_retry.ATTEMPTS


def test_a_request_run_again_shows_each_waiting_message_once(
    impatient_app, login, monkeypatch
) -> None:
    """A message waiting for the page, and one the first attempt flashed, are each shown once
    by the attempt that answers, and neither waits for the next page."""
    from flask import flash, redirect
    from sqlalchemy.exc import OperationalError

    from therapy.database import lock_retry

    monkeypatch.setattr(lock_retry, "_PAUSE_SECONDS", 0)
    therapist = make_user()
    db.session.commit()
    client = login(therapist, test_client=impatient_app.test_client())
    calls = []
    view = impatient_app.view_functions["auth.password"]

    def flash_then_locked(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            flash("Flashed by the attempt.", "info")
            return redirect("/account/password")  # the message waits on the server
        if len(calls) == 2:
            from flask import get_flashed_messages

            get_flashed_messages()  # the first attempt's page read the waiting messages
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
        return view(*args, **kwargs)

    impatient_app.view_functions["auth.password"] = flash_then_locked
    assert client.get("/account/password").status_code == 302
    shown = client.get("/account/password").text  # locked once, then answered
    assert len(calls) == 3
    assert shown.count("Flashed by the attempt.") == 1
    assert "Flashed by the attempt." not in client.get("/account/password").text
