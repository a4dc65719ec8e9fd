"""A kept caseload page is shown only while nothing it shows has changed.

Each change below goes through the ORM as the app's own writes do (so it is on the audit
trail, which is what marks a kept page stale), and the next caseload must show it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import (
    make_episode,
    make_final_report,
    make_patient,
    make_phq15,
    make_session,
    make_user,
)
from tests.web.clinical import queries_for
from tests.web.test_caseload import _badges, _row
from therapy.extensions import db
from therapy.forms.drafts import save_draft
from therapy.models import Practice
from therapy.models.enums import (
    EndingReason,
    EpisodeStatus,
    Phq15Timepoint,
    SelfReportChannel,
)
from therapy.models.types import utcnow
from therapy.services.self_report.requests import Asked, create_request


@pytest.fixture
def kept(app, client, login):
    """A therapist with one patient in treatment and no baseline PHQ-15, caseload seen once."""
    therapist = make_user()
    patient = make_patient(therapist, family_name="Kept", given_name="K")
    episode = make_episode(patient, status=EpisodeStatus.ACTIVE, planned_sessions=8)
    episode.started_on = date.today() - timedelta(days=3)  # no three-week gap yet
    db.session.commit()
    login(therapist)
    first = client.get("/").text
    assert _badges(first, "Kept, K") == ["phq15_baseline"]
    return patient, episode


def test_an_unchanged_caseload_is_not_worked_out_again(app, client, kept) -> None:
    _patient, episode = kept
    before = client.get("/").text
    kept_queries = queries_for(app, client, "/")
    assert client.get("/").text == before
    make_session(episode, 1)
    db.session.commit()
    made_queries = queries_for(app, client, "/")
    # Kept: the login and the change mark only, none of the page's own eight queries
    # (patients with their count, episodes, sessions, documents, PHQ-15, check-ins, goals,
    # practice settings).
    assert kept_queries <= made_queries - 8


def test_an_autosaved_draft_does_not_make_the_caseload_stale(app, client, kept) -> None:
    """Drafts are written every 30 s while anyone types, and are not on the caseload."""
    patient, episode = kept
    kept_queries = queries_for(app, client, "/")
    save_draft(episode.therapist_id, "/anything", {"notes": ["typing"]}, patient.id)
    db.session.commit()
    assert queries_for(app, client, "/") == kept_queries


def test_a_new_phq15_shows_at_once(client, kept) -> None:
    _patient, episode = kept
    make_phq15(episode, [1] * 8 + [0] * 7)
    db.session.commit()
    assert _badges(client.get("/").text, "Kept, K") == []


def test_a_questionnaire_sent_to_the_patient_shows_at_once(client, kept) -> None:
    _patient, episode = kept
    create_request(
        episode,
        Asked(phq15_timepoint=Phq15Timepoint.BASELINE),
        channel=SelfReportChannel.LINK,
        language="nl",
        created_by_id=episode.therapist_id,
        now=utcnow(),
    )
    db.session.commit()
    assert "self_report_open" in _badges(client.get("/").text, "Kept, K")


def test_a_new_session_shows_at_once(client, kept) -> None:
    _patient, episode = kept
    make_session(episode, 1)
    db.session.commit()
    assert "1 / 8" in _row(client.get("/").text, "Kept, K")


def test_a_renamed_patient_shows_at_once(client, kept) -> None:
    patient, _episode = kept
    patient.family_name = "Renamed"
    db.session.commit()
    html = client.get("/").text
    assert "Renamed, K" in html and "Kept, K" not in html


def test_a_closed_episode_and_its_final_report_show_at_once(client, kept) -> None:
    _patient, episode = kept
    closed_on = episode.started_on + timedelta(days=60)
    episode.status = EpisodeStatus.CLOSED
    episode.closed_on = closed_on
    episode.ending_reason = EndingReason.GOALS_REACHED
    episode.gp_consent = False
    db.session.commit()
    assert _badges(client.get("/").text, "Kept, K") == ["report_due"]
    make_final_report(episode)
    db.session.commit()
    # Nothing left to do: off the default view at once, and without a badge among the closed.
    assert "Kept, K" not in client.get("/").text
    assert _badges(client.get("/?show=closed").text, "Kept, K") == []


def test_new_phq15_change_settings_show_at_once(client, kept) -> None:
    """The practice's SD is not patient data, and still decides a reliable deterioration."""
    _patient, episode = kept
    db.session.add(Practice(name="Practice", phq15_sd=4.0, phq15_alpha=0.8, phq15_mcid=3))
    make_phq15(episode, [1] * 8 + [0] * 7)  # baseline 8
    later = episode.started_on + timedelta(days=30)
    make_phq15(episode, [1] * 12 + [0] * 3, timepoint=Phq15Timepoint.OTHER, day=later, note="W4")
    db.session.commit()
    # +4: worse than the MCID, within the reliable-change threshold of SD 4 (4.96).
    assert "badge--phq15_reliable_deterioration" not in _row(client.get("/").text, "Kept, K")
    practice = db.session.query(Practice).one()
    practice.phq15_sd = 2.0  # threshold 2.48: +4 is now a reliable deterioration
    db.session.commit()
    assert "badge--phq15_reliable_deterioration" in _row(client.get("/").text, "Kept, K")


def _busy_colleague():
    """Another therapist of the practice with a patient in treatment."""
    colleague = make_user()
    episode = make_episode(
        make_patient(colleague, family_name="Other"), status=EpisodeStatus.ACTIVE
    )
    db.session.commit()
    return colleague, episode


def test_another_therapists_change_keeps_this_page(app, client, kept) -> None:
    """A busy practice saves every few seconds; none of it is on this therapist's caseload."""
    patient, episode = kept
    kept_queries = queries_for(app, client, "/")
    _colleague, theirs = _busy_colleague()
    for number in (1, 2, 3):
        make_session(theirs, number)
        db.session.commit()
        # Kept, in the same one query: it looks through the changes since as it reads the
        # mark, and none is this caseload's.
        assert queries_for(app, client, "/") == kept_queries
        assert queries_for(app, client, "/") == kept_queries
    # A change to this therapist's own patient after all that still shows at once.
    make_session(episode, 1)
    db.session.commit()
    assert "1 / 8" in _row(client.get("/").text, "Kept, K")
    patient.given_name = "Q"
    db.session.commit()
    assert "Kept, Q" in client.get("/").text


def test_a_patient_moved_to_another_therapist_leaves_the_page(client, kept) -> None:
    """The move is a change of a patient no longer on this caseload: the count tells."""
    patient, episode = kept
    colleague, _theirs = _busy_colleague()
    assert "Kept, K" in client.get("/").text
    patient.therapist_id = colleague.id
    episode.therapist_id = colleague.id
    db.session.commit()
    assert "Kept, K" not in client.get("/").text


def test_a_record_destroyed_by_another_worker_leaves_this_workers_memory(
    app, client, kept, login
) -> None:
    """The destroying worker drops its pages at once; this one at its next caseload page."""
    from tests.factories import destroy_on_request, make_full_episode

    colleague = make_user()
    gone = make_patient(colleague, family_name="Vergeten", given_name="V")
    make_full_episode(gone)
    db.session.commit()
    theirs = login(colleague, test_client=app.test_client())
    assert "Vergeten, V" in theirs.get("/").text  # kept in this worker's memory
    assert "Vergeten" in repr(app.extensions["caseload_pages"]._pages)
    # Destroyed through the service, as another worker's request does (not this app's view,
    # which would drop this worker's pages itself).
    destroy_on_request(gone, colleague)
    db.session.commit()
    assert "Vergeten" in repr(app.extensions["caseload_pages"]._pages)
    assert "Kept, K" in client.get("/").text  # this therapist's page: nothing of theirs changed
    assert "Vergeten" not in repr(app.extensions["caseload_pages"]._pages)
