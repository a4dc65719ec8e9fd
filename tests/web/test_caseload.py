"""The caseload: status, sessions, badges for what needs doing, search, pages, fixed queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.factories import (
    make_episode,
    make_final_report,
    make_full_episode,
    make_patient,
    make_phq15,
    make_session,
    make_user,
)
from tests.web.clinical import queries_for
from therapy.extensions import db
from therapy.models import AllianceCheckin
from therapy.models.enums import (
    EndingReason,
    EpisodeStatus,
    Phq15Timepoint,
)

TODAY = date.today()


@pytest.fixture
def therapist(app):
    user = make_user()
    db.session.commit()
    return user


def _row(html: str, name: str) -> str:
    match = re.search(
        rf"<tr>\s*<th scope=\"row\"><a [^>]*>{re.escape(name)}</a></th>(.*?)</tr>", html, re.S
    )
    assert match, name
    return match.group(1)


def _badges(html: str, name: str) -> list[str]:
    return re.findall(r'<li class="badge badge--([a-z_0-9]+)"', _row(html, name))


def _lately(episode) -> None:
    """Move an episode's start and sessions so its last session was a week ago: a treatment
    going on, with no three-week gap."""
    shift = TODAY - timedelta(weeks=1) - max(s.held_on for s in episode.sessions)
    episode.started_on += shift
    for session in episode.sessions:
        session.held_on += shift


def _close(episode, consent=None) -> None:
    episode.status = EpisodeStatus.CLOSED
    episode.closed_on = TODAY
    episode.ending_reason = EndingReason.GOALS_REACHED
    episode.gp_consent = consent


def test_badges_say_what_needs_doing(client, login, therapist) -> None:
    fresh = make_patient(therapist, family_name="Fresh", given_name="A")
    make_episode(fresh, status=EpisodeStatus.INTAKE)
    on_track = make_patient(therapist, family_name="OnTrack", given_name="B")
    _lately(make_full_episode(on_track, sessions=3))
    unreviewed = make_patient(therapist, family_name="Unreviewed", given_name="C")
    episode = make_full_episode(unreviewed, sessions=3)
    make_session(episode, 4)
    make_session(episode, 5)
    db.session.refresh(episode)
    _lately(episode)
    strained = make_patient(therapist, family_name="Strained", given_name="D")
    episode = make_full_episode(strained, sessions=3)
    _lately(episode)
    episode.sessions[-1].alliance.tasks = 5
    closed = make_patient(therapist, family_name="Closed", given_name="E")
    _close(make_full_episode(closed, sessions=6))
    refused = make_patient(therapist, family_name="Refused", given_name="F")
    episode = make_full_episode(refused, sessions=6)
    _close(episode, consent=False)
    make_final_report(episode, version=2)
    db.session.commit()
    login(therapist)
    html = client.get("/").text
    assert _badges(html, "Fresh, A") == ["phq15_baseline"]
    assert _badges(html, "OnTrack, B") == []
    assert _badges(html, "Unreviewed, C") == ["goals_not_reviewed"]
    assert _badges(html, "Strained, D") == ["alliance"]
    # Tasks 8 -> 5: a drop and a low rating, said in one sentence.
    assert "“The approach fits me” dropped from 8 to 5 (5 or lower)." in _row(html, "Strained, D")
    assert _badges(html, "Closed, E") == ["report_due", "letter_due"]
    # Report final and no consent, so no letter due: nothing left, so off the default view.
    assert "Refused, F" not in html
    assert _badges(client.get("/?show=closed").text, "Refused, F") == []
    row = _row(html, "Unreviewed, C")
    assert "5 / 9" in row and TODAY.strftime("%Y") in row


def test_an_alliance_drop_of_two_is_a_badge(client, login, therapist) -> None:
    patient = make_patient(therapist, family_name="Dropping", given_name="G")
    episode = make_full_episode(patient, sessions=3)
    _lately(episode)
    episode.sessions[-1].alliance = None
    db.session.flush()
    episode.sessions[-1].alliance = AllianceCheckin(bond=6, goals=7, tasks=8)  # bond 8 -> 6
    db.session.commit()
    login(therapist)
    html = client.get("/").text
    assert _badges(html, "Dropping, G") == ["alliance"]
    row = _row(html, "Dropping, G")
    assert "In the last check-in “I felt heard and respected” dropped from 8 to 6." in row
    assert "was rated" not in row and "5 or lower" not in row


def test_a_low_alliance_rating_without_a_drop_says_it_was_low(client, login, therapist) -> None:
    patient = make_patient(therapist, family_name="Low", given_name="H")
    episode = make_full_episode(patient, sessions=3)
    _lately(episode)
    for session in episode.sessions:
        session.alliance.goals = 4  # low every time, so never a drop
    db.session.commit()
    login(therapist)
    html = client.get("/").text
    assert _badges(html, "Low, H") == ["alliance"]
    row = _row(html, "Low, H")
    assert "In the last check-in “We worked on what I wanted” was rated 4 (5 or lower)." in row
    assert "dropped" not in row


def test_search_by_name_or_record_number(client, login, therapist) -> None:
    make_patient(therapist, family_name="Bakker", given_name="Anna", record_number="X-77")
    make_patient(therapist, family_name="Visser", given_name="Ben", record_number="Y-12")
    db.session.commit()
    login(therapist)
    by_name = client.get("/?q=bakk").text
    assert "Bakker, Anna" in by_name and "Visser" not in by_name
    by_number = client.get("/?q=y-1").text
    assert "Visser, Ben" in by_number and "Bakker" not in by_number
    assert "matches" in client.get("/?q=nobody").text
    assert client.get("/?q=%00%25_").status_code == 200  # NUL and LIKE wildcards are harmless


def test_caseload_pages(client, login, therapist, app) -> None:
    app.config["CASELOAD_PAGE_SIZE"] = 2
    for name in ("Aa", "Bb", "Cc"):
        make_patient(therapist, family_name=name, given_name="X")
    db.session.commit()
    login(therapist)
    first, second = client.get("/").text, client.get("/?page=2").text
    assert "Aa, X" in first and "Bb, X" in first and "Cc, X" not in first
    assert "Page 1 of 2" in first and "Cc, X" in second
    assert "Cc, X" in client.get("/?page=99").text  # beyond the end: the last page
    # a number no integer column could hold is read as no page at all: the first
    assert "Aa, X" in client.get(f"/?page={10**30}").text


def test_caseload_runs_the_same_queries_for_3_or_30_patients(app, login, therapist) -> None:
    def caseload_queries(count: int) -> int:
        user = make_user()
        for index in range(count):
            patient = make_patient(user)
            episode = make_full_episode(patient, sessions=2 + index % 4)
            if index % 3 == 0:
                _close(episode)
        db.session.commit()
        client = login(user, test_client=app.test_client())
        return queries_for(app, client, "/")

    assert caseload_queries(3) == caseload_queries(30)


def test_a_reliable_phq15_deterioration_or_high_band_shows_on_the_caseload(client, login):
    """Issue 4's alerts reach the caseload: a badge that says what happened, in words."""
    therapist = make_user()
    episode = make_episode(
        make_patient(therapist, family_name="Worse"), status=EpisodeStatus.ACTIVE
    )
    make_phq15(episode, [1] * 8 + [0] * 7)  # baseline 8, low
    later = episode.started_on + timedelta(days=30)
    make_phq15(episode, [2] * 8 + [0] * 7, timepoint=Phq15Timepoint.OTHER, day=later, note="Week 4")
    db.session.commit()
    login(therapist)
    page = client.get("/").text
    row = page[page.index("Worse") :].split("</tr>", 1)[0]
    assert "PHQ-15 worse" in row and "PHQ-15 high" in row  # 8 -> 16: +8 points, high band
    assert "badge--phq15_reliable_deterioration" in row


def test_the_caseload_views_follow_the_latest_episode(client, login, therapist) -> None:
    make_episode(
        make_patient(therapist, family_name="Intake", given_name="I"), status=EpisodeStatus.INTAKE
    )
    _lately(make_full_episode(make_patient(therapist, family_name="Active", given_name="A")))
    waiting = make_full_episode(make_patient(therapist, family_name="Waiting", given_name="W"))
    _close(waiting, consent=True)
    make_final_report(waiting, version=2)  # the letter to the GP is still due
    done = make_full_episode(make_patient(therapist, family_name="Done", given_name="D"))
    _close(done, consent=False)
    make_final_report(done, version=2)
    make_patient(therapist, family_name="New", given_name="N")  # no episode yet
    db.session.commit()
    login(therapist)

    def names(query: str = "") -> list[str]:
        html = client.get(f"/{query}").text
        return re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>', html)

    assert names() == ["Active, A", "Intake, I", "New, N", "Waiting, W"]
    assert names("?show=in_treatment") == ["Active, A", "Intake, I"]
    assert names("?show=awaiting_documents") == ["Waiting, W"]
    assert names("?show=closed") == ["Done, D", "Waiting, W"]
    assert names("?show=all") == ["Active, A", "Done, D", "Intake, I", "New, N", "Waiting, W"]
    assert names("?show=nonsense") == names()
    assert names("?show=closed&q=Done") == ["Done, D"]
    html = client.get("/?show=closed").text
    assert 'aria-current="page">Closed<' in html
    assert '<input type="hidden" name="show" value="closed">' in html


def test_every_badge_links_to_where_it_is_done(client, login, therapist) -> None:
    patient = make_patient(therapist, family_name="Linked", given_name="L")
    episode = make_episode(patient, status=EpisodeStatus.INTAKE)
    closed = make_full_episode(make_patient(therapist, family_name="Ended", given_name="E"))
    _close(closed)
    db.session.commit()
    login(therapist)
    html = client.get("/").text
    base = f"/patients/{patient.id}/episodes/{episode.id}"
    assert f'<a class="badge__link" href="{base}/phq15">' in _row(html, "Linked, L")
    ended = f"/patients/{closed.patient_id}/episodes/{closed.id}/documents"
    row = _row(html, "Ended, E")
    assert row.count("badge__link") == len(_badges(html, "Ended, E")) == 2
    assert row.count(f'href="{ended}"') == 2
