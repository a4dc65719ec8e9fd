"""The personal link (SECURITY.md promise 11): made by the therapist, opened with the date of
birth, answered step by step, sent once, scored by the same rules as the therapist's form."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from tests.factories import make_full_episode, make_patient, make_user
from tests.web.self_report_flow import ask, open_link, phq15_radios, post_step, send, token_from
from therapy.extensions import db
from therapy.models import AuditEvent, Phq15Administration, SelfReportRequest
from therapy.models.enums import AnswerSource, AuditAction
from therapy.models.types import utcnow
from therapy.services.phq15 import scoring
from therapy.services.self_report.requests import hash_token

BIRTH = "01-01-1980"  # the factories' date of birth


def _setup(app: Flask, login, **patient_fields):
    therapist = make_user()
    patient = make_patient(therapist, given_name="Ilse", family_name="Zwanenburg", **patient_fields)
    episode = make_full_episode(patient)
    db.session.commit()
    return login(therapist, test_client=app.test_client()), patient, episode


def test_the_link_is_shown_once_and_stored_only_as_a_hash(app: Flask, login) -> None:
    therapist, patient, episode = _setup(app, login)
    page = ask(therapist, patient.id, episode.id, phq15_timepoint="end_of_treatment")
    assert page.status_code == 200 and "<svg" in page.text  # the QR code
    token = token_from(page)
    assert len(token) >= 22  # base64 of at least 128 bits
    row = db.session.scalars(select(SelfReportRequest)).one()
    assert row.token_hash == hash_token(token)
    stored = " ".join(str(getattr(row, c.key)) for c in SelfReportRequest.__table__.columns)
    assert token not in stored
    assert row.expires_at - utcnow() > timedelta(days=6, hours=23)


def test_a_patient_answers_a_phq15_by_link_and_it_is_scored_as_the_rules_say(
    app: Flask, login
) -> None:
    therapist, patient, episode = _setup(app, login)
    token = token_from(ask(therapist, patient.id, episode.id, phq15_timepoint="end_of_treatment"))
    browser = app.test_client()
    wrong = open_link(browser, token, "02-01-1980")
    assert wrong.status_code == 200 and "does not match" in wrong.text
    opened = open_link(browser, token, BIRTH)
    assert opened.status_code == 302 and opened.headers["Location"] == "/answer/phq15"
    page = browser.get("/answer/phq15")
    assert "Ilse" in page.text and "Zwanenburg" not in page.text
    assert patient.record_number not in page.text
    assert "Not applicable" in page.text  # item 4 offers it
    # Answer, go back and change, then send: two items left out, item 4 not applicable.
    first = post_step(browser, "/answer/phq15", phq15_radios("222 n20 1x1 0x2 111"))
    assert first.status_code == 302
    codes = "222 n20 1x1 0x2 112"
    assert post_step(browser, "/answer/phq15", phq15_radios(codes)).status_code == 302
    review = browser.get("/answer/review")
    assert review.text.count("Not answered") == 2
    assert send(browser).headers["Location"] == "/answer/thanks"
    stored = db.session.scalars(
        select(Phq15Administration).where(Phq15Administration.source == AnswerSource.PATIENT_LINK)
    ).one()
    answers = [2, 2, 2, "na", 2, 0, 1, None, 1, 0, None, 2, 1, 1, 2]
    expected = scoring.score(answers, "female")
    assert stored.answers() == answers
    assert (stored.total, stored.rule.value) == (expected.total, expected.rule.value)
    assert expected.rule is scoring.ScoreRule.PRORATED
    # Used: the same link says so and shows nothing more.
    again = app.test_client()
    used = again.post(f"/q/{token}", data={"csrf_token": _token(again, token), "birth_date": BIRTH})
    assert used.status_code == 410 and "already been sent" in used.text
    assert "Ilse" not in used.text


def _token(client, token: str) -> str:
    from tests.conftest import csrf_token_from

    return csrf_token_from(client.get(f"/q/{token}").text)


def test_the_audit_trail_names_the_patient_as_the_one_who_answered(app: Flask, login) -> None:
    therapist, patient, episode = _setup(app, login)
    token = token_from(ask(therapist, patient.id, episode.id, phq15_timepoint="end_of_treatment"))
    browser = app.test_client()
    open_link(browser, token, BIRTH)
    post_step(browser, "/answer/phq15", phq15_radios("000 n00 000 000 001"))
    send(browser)
    created = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.CREATE,
            AuditEvent.object_type == "phq15_administration",
            AuditEvent.patient_id == patient.id,
        )
    ).all()
    patient_rows = [e for e in created if e.detail.startswith("actor: patient (patient_link)")]
    assert len(patient_rows) == 1
    assert patient_rows[0].user_id is None and patient_rows[0].on_behalf_of_id is not None


def test_an_expired_link_says_so_and_keeps_the_draft(app: Flask, login) -> None:
    therapist, patient, episode = _setup(app, login)
    token = token_from(ask(therapist, patient.id, episode.id, phq15_timepoint="end_of_treatment"))
    browser = app.test_client()
    open_link(browser, token, BIRTH)
    post_step(browser, "/answer/phq15", phq15_radios("111 n11 111 111 111"))
    # The draft survives a lost connection: a new browser opening the link sees the answers.
    other = app.test_client()
    open_link(other, token, BIRTH)
    assert other.get("/answer/phq15").text.count("checked") == 15
    row = db.session.scalars(select(SelfReportRequest)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page = other.get("/answer/phq15")
    assert page.status_code == 410 and "expired" in page.text and "Ilse" not in page.text
    assert "111" not in page.text
    assert db.session.scalar(select(SelfReportRequest.draft)).count("1") >= 14
    assert (
        db.session.scalar(
            select(Phq15Administration.id).where(
                Phq15Administration.source == AnswerSource.PATIENT_LINK
            )
        )
        is None
    )


def test_a_wrong_or_withdrawn_link_reveals_nothing(app: Flask, login) -> None:
    therapist, patient, episode = _setup(app, login)
    token = token_from(ask(therapist, patient.id, episode.id, phq15_timepoint="end_of_treatment"))
    browser = app.test_client()
    unknown = browser.post(
        "/q/" + "A" * 43, data={"csrf_token": _token(browser, token), "birth_date": BIRTH}
    )
    assert unknown.status_code == 404 and "not valid" in unknown.text
    row = db.session.scalars(select(SelfReportRequest)).one()
    cancelled = therapist.post(
        f"/patients/{patient.id}/episodes/{episode.id}/self-report/{row.id}/cancel",
        data={"csrf_token": _token(therapist, token)},
    )
    assert cancelled.status_code == 302
    withdrawn = browser.post(
        f"/q/{token}", data={"csrf_token": _token(browser, token), "birth_date": BIRTH}
    )
    assert withdrawn.status_code == 410 and "withdrawn" in withdrawn.text
    for page in (unknown, withdrawn):
        for secret in ("Ilse", "Zwanenburg", patient.record_number, "1980"):
            assert secret not in page.text


def test_guessing_links_is_throttled_per_address(app: Flask, login) -> None:
    therapist, patient, episode = _setup(app, login)
    token = token_from(ask(therapist, patient.id, episode.id, phq15_timepoint="end_of_treatment"))
    browser = app.test_client()
    statuses = []
    for n in range(5):
        guess = f"guess{n}" + "B" * 40
        response = browser.post(
            f"/q/{guess}", data={"csrf_token": _token(browser, token), "birth_date": BIRTH}
        )
        statuses.append(response.status_code)
    assert statuses == [404] * 5
    # The sixth attempt is refused before anything is looked up, even with the right link.
    refused = browser.post(
        f"/q/{token}", data={"csrf_token": _token(browser, token), "birth_date": BIRTH}
    )
    assert refused.status_code == 429 and "Too many attempts" in refused.text
    assert browser.get("/answer/phq15").status_code == 403


def test_guessing_the_date_of_birth_is_throttled_then_locks_the_link(app: Flask, login) -> None:
    therapist, patient, episode = _setup(app, login)
    token = token_from(ask(therapist, patient.id, episode.id, phq15_timepoint="end_of_treatment"))
    statuses = []
    for day in range(2, 8):
        # A new browser and address each time: the link's own count still holds.
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"10.0.0.{day}"
        statuses.append(open_link(browser, token, f"{day:02d}-01-1980").status_code)
    assert statuses == [200] * 5 + [429]
    # Throttled: even the right date is refused now.
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = "10.0.1.1"
    assert open_link(browser, token, BIRTH).status_code == 429
    # Ten wrong dates in all lock the link for good.
    row = db.session.scalars(select(SelfReportRequest)).one()
    row.dob_failures = 9
    db.session.commit()
    from therapy.models import LoginFailure

    db.session.execute(LoginFailure.__table__.delete())
    db.session.commit()
    assert open_link(browser, token, "09-09-1999").status_code == 403
    locked = open_link(browser, token, BIRTH)
    assert locked.status_code == 403 and "locked" in locked.text


def test_a_link_reaches_only_its_own_patient(app: Flask, login) -> None:
    therapist, patient, episode = _setup(app, login)
    other_patient = make_patient(make_user(), given_name="Bram", family_name="Oosterhuis")
    other_episode = make_full_episode(other_patient)
    db.session.commit()
    mine = token_from(ask(therapist, patient.id, episode.id, phq15_timepoint="end_of_treatment"))
    browser = app.test_client()
    open_link(browser, mine, BIRTH)
    for path in ("/answer/phq15", "/answer/review"):
        text = browser.get(path).text
        assert "Ilse" in text and "Bram" not in text
    # The patient's browser reaches no therapist page, the other patient's least of all.
    for path in (
        f"/patients/{other_patient.id}",
        f"/patients/{other_patient.id}/episodes/{other_episode.id}/phq15",
        f"/patients/{patient.id}",
        "/",
    ):
        response = browser.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    # Nor a session id typed into the cookie: it is signed.
    forged = app.test_client()
    forged.set_cookie("session", "eyJzZWxmX3JlcG9ydF9yZXF1ZXN0IjoxfQ.forged")
    assert forged.get("/answer/phq15").status_code == 403
