"""The caseload: my patients only, searchable, paginated, in a fixed number of queries."""

from __future__ import annotations

from flask import Flask

from tests.factories import make_episode, make_patient, make_session, make_user
from tests.queries import queries_for
from therapy.models.enums import Attendance, EpisodeStatus


def test_caseload_shows_my_patients_with_their_episode(app: Flask, client, login) -> None:
    me, colleague = make_user(), make_user()
    patient = make_patient(me, given_name="Anna", family_name="de Vries")
    episode = make_episode(patient, planned_sessions=9)
    make_session(episode, 1)
    make_session(episode, 2, attendance=Attendance.NO_SHOW, duration_minutes=None)
    make_session(episode, 3)
    make_patient(colleague, family_name="Colleaguespatient")
    login(me)
    page = client.get("/").text
    assert "de Vries, Anna" in page
    assert "2 / 9" in page  # the no-show does not count as held
    assert "In treatment" in page
    assert "Colleaguespatient" not in page


def test_search_by_name_or_record_number(app: Flask, client, login) -> None:
    me = make_user()
    make_patient(me, family_name="Jansen", record_number="R-111")
    make_patient(me, family_name="Bakker", record_number="R-222")
    login(me)
    by_name = client.get("/?q=jans").text
    assert "Jansen" in by_name and "Bakker" not in by_name
    by_number = client.get("/?q=R-222").text
    assert "Bakker" in by_number and "Jansen" not in by_number
    wildcard = client.get("/?q=%25").text  # a literal %, not "match everything"
    assert "Jansen" not in wildcard and "No patient on your caseload matches" in wildcard


def test_caseload_is_paginated(app: Flask, client, login) -> None:
    me = make_user()
    for n in range(30):
        make_patient(me, family_name=f"Family{n:02d}")
    login(me)
    first = client.get("/").text
    assert "Family00" in first and "Family24" in first and "Family25" not in first
    assert "Page 1 of 2" in first
    second = client.get("/?page=2").text
    assert "Family25" in second and "Family00" not in second
    assert client.get("/?page=999").status_code == 200  # clamped, not an error


def test_caseload_query_count_does_not_grow_with_patients_or_sessions(
    app: Flask, client, login
) -> None:
    me = make_user()
    patient = make_patient(me)
    make_session(make_episode(patient), 1)
    login(me)
    small = queries_for(client, "/")
    for n in range(20):
        extra = make_patient(me)
        episode = make_episode(extra, status=EpisodeStatus.ACTIVE)
        for number in range(1, 1 + n % 6):
            make_session(episode, number)
    large = queries_for(client, "/")
    assert small == large
    # The budget: the login with its account, the change mark, the look through the changes
    # since the page was last kept (therapy.services.caseload.cache), the page with its count, the
    # latest episodes, their sessions, final documents, PHQ-15 results, check-ins, goals,
    # practice settings, the patient's open and arrived self-reports, and (in tests, every
    # request) the login's activity written. What matters most is that it does not grow.
    assert large <= 15
