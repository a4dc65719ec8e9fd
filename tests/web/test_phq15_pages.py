"""The PHQ-15 pages: scoping, fixed query counts, alerts, the chart and the episode partial."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import render_template

from tests.conftest import csrf_token_from
from tests.factories import make_episode, make_patient, make_session, make_user
from tests.phq15_factories import make_phq15
from tests.queries import queries_for
from tests.web.phq15_forms import index_url, new_url, post_phq15, practice_today, table_rows
from therapy.extensions import db
from therapy.models.enums import Attendance, EpisodeStatus, Phq15Timepoint, Sex
from therapy.phq15.summary import phq15_summary_context

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def mine(app, login):
    therapist = make_user()
    patient = make_patient(therapist, sex=Sex.FEMALE)
    episode = make_episode(patient)
    db.session.commit()
    return login(therapist), patient, episode


def _weekly(episode, count: int) -> None:
    start = practice_today() - timedelta(weeks=count)
    make_phq15(episode, "2" * 3 + "1" * 12, start)  # baseline 18
    for week in range(1, count):
        total = 14 - week % 10  # 13, 12, ... 5, 14, ...
        make_phq15(
            episode,
            "1" * total + "0" * (15 - total),
            start + timedelta(weeks=week),
            Phq15Timepoint.OTHER,
            note=f"week {week}",
        )
    db.session.commit()


def test_other_therapists_records_are_404(app, mine, login) -> None:
    client, patient, episode = mine
    make_phq15(episode, "1" * 15, practice_today())
    stranger = make_user()
    theirs = make_episode(make_patient(stranger))
    their_admin = make_phq15(theirs, "0" * 15, practice_today())
    db.session.commit()
    mine_admin_url = f"{index_url(patient.id, episode.id)}/{episode.phq15_administrations[0].id}"
    for url in (index_url(theirs.patient_id, theirs.id), new_url(theirs.patient_id, theirs.id)):
        assert client.get(url).status_code == 404
    # Their administration under my episode's URL, and my episode under another patient.
    assert client.get(f"{index_url(patient.id, episode.id)}/{their_admin.id}").status_code == 404
    assert client.get(index_url(theirs.patient_id, episode.id)).status_code == 404
    assert client.get(mine_admin_url).status_code == 200
    other = login(stranger, test_client=app.test_client())
    assert other.get(mine_admin_url).status_code == 404
    # Nothing is saved through another therapist's URL either.
    response = post_phq15(client, patient.id, episode.id, "0" * 15, timepoint="end_of_treatment")
    assert response.status_code == 302
    token = csrf_token_from(other.get("/").text)
    data = {"csrf_token": token, "timepoint": "other", "timepoint_note": "x", "quick": "0" * 15}
    assert other.post(new_url(patient.id, episode.id), data=data).status_code == 404
    db.session.expire_all()
    assert len(episode.phq15_administrations) == 2


@pytest.mark.parametrize("absurd", ["99999999999999999999999", "2147483648"])
def test_absurd_ids_are_404(mine, absurd: str) -> None:
    client, patient, episode = mine
    assert client.get(f"{index_url(patient.id, episode.id)}/{absurd}").status_code == 404
    assert client.get(index_url(patient.id, int(absurd))).status_code == 404


def test_results_page_query_count_does_not_grow(app, mine) -> None:
    client, patient, episode = mine
    _weekly(episode, 2)
    small = queries_for(client, index_url(patient.id, episode.id))
    other = make_episode(patient)
    db.session.commit()
    _weekly(other, 10)
    large = queries_for(client, index_url(patient.id, other.id))
    assert small == large, (small, large)
    rows = table_rows(client.get(index_url(patient.id, other.id)).text)
    assert len(rows) == 10


def test_results_page_shows_baseline_chart_and_list(mine) -> None:
    client, patient, episode = mine
    _weekly(episode, 3)
    page = client.get(index_url(patient.id, episode.id)).text
    assert 'class="band band--high band--large">High' in page  # the baseline, prominent
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "Baseline 18" in page  # the chart marks the recorded baseline
    # 18 -> 12 (week 2): -6 is reliable, but 12 is still medium.
    assert "Reliably improved: 18 → 12 (−6 points); not recovered (still 10 or above)" in page
    rows = table_rows(page)
    assert len(rows) == 3
    assert "Baseline (intake) baseline 18 High 15–30" in rows[0]
    assert "Other: week 2 12 Medium 10–14" in rows[2]


def test_user_text_in_the_note_is_escaped_in_page_and_chart(mine) -> None:
    client, patient, episode = mine
    make_phq15(episode, "1" * 15, practice_today(), Phq15Timepoint.OTHER, note=HOSTILE)
    db.session.commit()
    page = client.get(index_url(patient.id, episode.id)).text
    assert HOSTILE not in page
    assert "Other: &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_no_baseline_is_never_charted_as_one(mine) -> None:
    client, patient, episode = mine
    make_phq15(episode, "1" * 12 + "000", practice_today(), Phq15Timepoint.OTHER)
    db.session.commit()
    page = client.get(index_url(patient.id, episode.id)).text
    assert "Baseline 12" not in page
    assert "No baseline has been recorded" in page  # the chart's description
    assert "No baseline PHQ-15 recorded yet." in page


def test_baseline_due_after_the_first_session(mine) -> None:
    client, patient, episode = mine
    page = client.get(index_url(patient.id, episode.id)).text
    assert "PHQ-15 due" not in page  # nothing is due before treatment starts
    make_session(episode, 1, attendance=Attendance.CANCELLED, duration_minutes=None)
    db.session.commit()
    assert "PHQ-15 due" not in client.get(index_url(patient.id, episode.id)).text
    make_session(episode, 2)
    db.session.commit()
    page = client.get(index_url(patient.id, episode.id)).text
    assert "PHQ-15 due: no baseline has been recorded, and treatment has started." in page
    make_phq15(episode, "1" * 15, practice_today())
    db.session.commit()
    assert "PHQ-15 due" not in client.get(index_url(patient.id, episode.id)).text


def test_end_of_treatment_due_when_planned_sessions_are_held(mine) -> None:
    client, patient, episode = mine
    episode.planned_sessions = 6
    make_phq15(episode, "1" * 15, episode.started_on)
    for number in range(1, 7):
        make_session(episode, number)
    db.session.commit()
    page = client.get(index_url(patient.id, episode.id)).text
    assert "PHQ-15 due: 6 of 6 planned sessions held and no end-of-treatment PHQ-15 yet." in page
    make_phq15(episode, "1" * 10 + "0" * 5, practice_today(), Phq15Timepoint.END_OF_TREATMENT)
    db.session.commit()
    assert "PHQ-15 due" not in client.get(index_url(patient.id, episode.id)).text


def test_detail_shows_raw_answers(mine) -> None:
    client, patient, episode = mine
    administration = make_phq15(episode, "2x0n" + "1" * 11, practice_today())
    db.session.commit()
    page = client.get(f"{index_url(patient.id, episode.id)}/{administration.id}").text
    # 2 + 0 + 11 = 13 on 13 answered of 14 applicable: 13 x 14 / 13 = 14 of 28.
    assert '14</span> <span class="muted">out of 28' in page
    assert (
        "Prorated: 1 item missing, 13 of 14 answered, rounded half up; item 4 not applicable"
        in page
    )
    assert "Not answered (missing)" in page and "Not applicable" in page
    assert "<strong>2</strong> · Bothered a lot" in page


def test_summary_partial_for_the_episode_page(app, mine) -> None:
    _client, patient, episode = mine
    make_phq15(episode, "1" * 10 + "0" * 5, practice_today() - timedelta(days=20))  # 10
    make_phq15(episode, "1" * 15, practice_today(), Phq15Timepoint.END_OF_TREATMENT)  # 15
    db.session.commit()
    with app.test_request_context():
        html = render_template("phq15/_summary.html", **phq15_summary_context(episode))
    assert 'Medium <span class="band__range">10–14</span>' in html  # baseline band
    assert "Reliably deteriorated: 10 → 15 (+5 points)" in html
    assert "Reliable deterioration since baseline" in html
    assert index_url(patient.id, episode.id) in html and new_url(patient.id, episode.id) in html


def test_closed_episode_still_takes_follow_ups(mine) -> None:
    client, patient, episode = mine
    episode.status = EpisodeStatus.CLOSED
    episode.closed_on = practice_today() - timedelta(days=1)
    from therapy.models.enums import EndingReason

    episode.ending_reason = EndingReason.GOALS_REACHED
    db.session.commit()
    response = post_phq15(client, patient.id, episode.id, "0" * 15, timepoint="follow_up_4m")
    assert response.status_code == 302
    assert "Follow-up at 4 months" in client.get(index_url(patient.id, episode.id)).text


def test_form_fields_carry_no_bogus_aria(mine) -> None:
    client, patient, episode = mine
    page = client.get(new_url(patient.id, episode.id)).text
    assert '="None"' not in page
