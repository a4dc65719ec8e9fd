"""Voiding a check-in the patient answered (issue 13): a reason, audited, counted nowhere after."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from tests.factories import make_full_episode, make_patient, make_session, make_user
from tests.web.void_answers import (
    REASON,
    answer_on_the_device,
    copy_text,
    episode_page,
    post_void,
    void_url,
)
from tests.web.void_answers import (
    saved as saved_row,
)
from therapy.extensions import db
from therapy.models import AllianceCheckin, AuditEvent, TherapySession
from therapy.models.enums import AnswerSource, AuditAction


@pytest.fixture
def mine(app, login):
    app.config["SESSION_TOUCH_SECONDS"] = 20  # as served: a save's one commit is counted alone
    therapist = make_user()
    patient = make_patient(therapist, family_name="Verbeek")
    episode = make_full_episode(patient)  # three sessions with paper check-ins 8 / 7 / 8
    session = make_session(episode, number=4)
    # The patient's own answers: "we worked on what I wanted" 3 is an alliance alert.
    checkin = AllianceCheckin(
        session_id=session.id, bond=9, goals=3, tasks=8, source=AnswerSource.PATIENT_LINK
    )
    db.session.add(checkin)
    db.session.commit()
    return login(therapist), therapist, episode, session, checkin


def test_a_reason_is_required_and_nothing_changes_without_one(mine) -> None:
    client, _therapist, episode, _session, checkin = mine
    page = episode_page(client, episode)
    assert "Alliance check-in, session 4" in page and "Void these answers" in page
    response = post_void(client, void_url(episode, "checkins", checkin.id), "   ")
    assert response.status_code == 200 and "This is needed." in response.text
    assert saved_row(AllianceCheckin, checkin.id).voided_at is None


def test_a_voided_checkin_raises_no_alert_and_stays_visible_with_its_reason(mine) -> None:
    client, therapist, episode, _session, checkin = mine
    assert "Alliance check-in" in client.get("/").text  # the caseload's badge, before
    response = post_void(client, void_url(episode, "checkins", checkin.id), REASON)
    assert response.status_code == 302
    saved = saved_row(AllianceCheckin, checkin.id)
    assert saved.voided_by_id == therapist.id and saved.void_reason == REASON
    assert (saved.bond, saved.goals, saved.tasks) == (9, 3, 8)  # the answers are untouched

    caseload = html.unescape(client.get("/").text)
    assert "Verbeek" in caseload and "Alliance check-in" not in caseload
    page = episode_page(client, episode)
    assert REASON in page and "voided" in page
    assert "Void these answers" not in page  # the only patient answer is voided
    session_page = client.get(
        f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/{saved.session_id}"
    ).text
    assert ">3<" not in session_page  # the session shows no check-in any more

    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.UPDATE,
            AuditEvent.object_type == "alliance_checkin",
            AuditEvent.object_id == checkin.id,
        )
    ).one()
    assert event.user_id == therapist.id and event.patient_id == episode.patient_id


def test_voiding_twice_or_voiding_a_paper_checkin_is_refused(mine) -> None:
    client, _therapist, episode, _session, checkin = mine
    url = void_url(episode, "checkins", checkin.id)
    assert post_void(client, url, REASON).status_code == 302
    again = post_void(client, url, "Another reason")
    assert again.status_code == 200 and "already voided" in again.text
    assert saved_row(AllianceCheckin, checkin.id).void_reason == REASON
    paper = episode.sessions[0].alliance
    assert paper.source is AnswerSource.THERAPIST_PAPER
    refused = post_void(client, void_url(episode, "checkins", paper.id), REASON)
    assert refused.status_code == 200 and "entered by the therapist from paper" in refused.text
    assert saved_row(AllianceCheckin, paper.id).voided_at is None


def test_after_a_void_the_patient_can_answer_the_checkin_again(app, login, mine) -> None:
    client, therapist, episode, session, checkin = mine
    post_void(client, void_url(episode, "checkins", checkin.id), REASON)
    steps = [("/answer/checkin", {"bond": "9", "goals": "8", "tasks": "9"})]
    answer_on_the_device(app, login, therapist, episode, steps, checkin_session_id=str(session.id))
    db.session.expire_all()
    rows = db.session.scalars(
        select(AllianceCheckin)
        .where(AllianceCheckin.session_id == session.id)
        .order_by(AllianceCheckin.id)
    ).all()
    assert [(r.goals, r.voided_at is None) for r in rows] == [(3, False), (8, True)]
    assert db.session.get(TherapySession, session.id).alliance.goals == 8
    assert "Alliance check-in" not in client.get("/").text  # 9 / 8 / 9: no alert


def test_another_therapist_cannot_void(app, mine, login) -> None:
    _client, _therapist, episode, _session, checkin = mine
    other = login(make_user(), test_client=app.test_client())
    assert other.get(void_url(episode, "checkins", checkin.id)).status_code == 404


def test_a_voided_checkin_leaves_the_exports(mine) -> None:
    """The FHIR record, the research data and the outcomes read the same rows."""
    from therapy.exports.records import iter_records

    client, _therapist, episode, _session, checkin = mine

    def exported() -> set[int]:
        (record,) = next(iter_records([episode.patient_id]))
        return {row.id for e in record.episodes for row in e.checkins.values()}

    assert checkin.id in exported()
    post_void(client, void_url(episode, "checkins", checkin.id), REASON)
    db.session.expire_all()
    assert checkin.id not in exported() and len(exported()) == 3


def test_the_void_form_speaks_dutch(app, login) -> None:
    therapist = make_user(language="nl")
    episode = make_full_episode(make_patient(therapist))
    session = make_session(episode, number=4)
    checkin = AllianceCheckin(
        session_id=session.id, bond=9, goals=3, tasks=8, source=AnswerSource.PATIENT_LINK
    )
    db.session.add(checkin)
    db.session.commit()
    client = login(therapist)
    page = html.unescape(client.get(void_url(episode, "checkins", checkin.id)).text)
    assert "Terugblik op de samenwerking, behandeling 4" in page
    assert "Deze antwoorden ongeldig verklaren" in page and "Reden" in page
    assert "door de patiënt ingevuld met een persoonlijke link" in page
    assert "Void these answers" not in page


def test_the_patients_copy_keeps_the_voided_checkin_marked_with_its_reason(mine) -> None:
    client, _therapist, episode, _session, checkin = mine
    assert "worked on what I wanted 3" in copy_text(client, episode.patient_id)
    post_void(client, void_url(episode, "checkins", checkin.id), "Answered by her partner")
    text = copy_text(client, episode.patient_id)
    assert "worked on what I wanted 3" in text and "Voided: Answered by her partner" in text


def test_a_void_from_a_second_tab_at_the_same_moment_is_refused(mine) -> None:
    """Both tabs read the check-in before either voided it: the second void is refused and
    the first reason stays (the shared mechanism reads the row again, locked)."""
    from datetime import UTC, datetime

    from therapy.services.alliance.void import void_checkin
    from therapy.services.voiding import VoidRefused

    client, therapist, episode, _session, checkin = mine
    seen = db.session.get(AllianceCheckin, checkin.id)
    assert seen.voided_at is None
    db.session.expunge(seen)  # this tab's copy, read before the other tab's void
    assert post_void(client, void_url(episode, "checkins", checkin.id), REASON).status_code == 302
    db.session.add(seen)
    with pytest.raises(VoidRefused):
        void_checkin(seen, "second tab", voided_by_id=therapist.id, now=datetime.now(UTC))
    db.session.rollback()
    assert saved_row(AllianceCheckin, checkin.id).void_reason == REASON
