"""Fuzz-ish: every clinical form and URL meets out-of-range, huge and malformed input calmly.

Every field of every form gets hostile values (one field at a time, and all fields at once):
out-of-range and huge numbers, impossible dates, NUL bytes, very long text, markup. The only
acceptable answers are the form again (200) or a redirect after a save (302); never a 500.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests import figures
from tests.conftest import csrf_token_from
from tests.factories import make_episode, make_full_episode, make_patient, make_user
from tests.web.clinical import intake_data, patient_data, session_data
from therapy.extensions import db
from therapy.models import Amendment, Patient, TherapySession, TreatmentEpisode
from therapy.models.enums import EndingReason, EpisodeStatus

TODAY = date.today()
HOSTILE = (
    str(10**30),
    "9" * 5000,  # beyond Python's int() digit limit
    "-1",
    "1.5",
    "0001-01-01",
    "9999-12-31",
    "a\x00b",
    "x" * 60_000,
    "<script>alert(1)</script>",
    "\u202eevil",
    "",
)
PER_FIELD = (str(10**30), "0001-01-01", "a\x00b", "x" * 60_000)
_submissions: dict[str, int] = {"count": 0}


def _fuzz(client: FlaskClient, url: str, valid: dict[str, object]) -> None:
    page = client.get(url)
    assert page.status_code == 200, url
    token = csrf_token_from(page.text)

    def send(data: dict[str, object], what: str) -> None:
        response = client.post(url, data={"csrf_token": token, **data})
        _submissions["count"] += 1
        assert response.status_code in (200, 302), f"{url} {what}: {response.status_code}"

    for payload in HOSTILE:
        send({name: payload for name in valid}, f"all fields = {payload[:20]!r}")
    for name in valid:
        for payload in PER_FIELD:
            send({**valid, name: payload}, f"{name} = {payload[:20]!r}")


FUZZ_LINE = (
    "fuzz: {submissions} submissions per database over every form and query parameter "
    "(login, hidden fields, GET filters included), {errors} HTTP 500"
)


@pytest.fixture
def world(app):
    return make_fuzz_world()


def make_fuzz_world():
    """A therapist with an episode in treatment, a patient without one, and a closed episode."""
    therapist = make_user()
    patient = make_patient(therapist, record_number="FUZZ-1")
    episode = make_full_episode(patient, sessions=2)
    fresh = make_patient(therapist, record_number="FUZZ-2")
    closed = make_episode(
        make_patient(therapist, record_number="FUZZ-3"),
        status=EpisodeStatus.CLOSED,
        closed_on=TODAY,
        ending_reason=EndingReason.OTHER,
        started_on=TODAY - timedelta(days=20),
    )
    db.session.commit()
    return therapist, patient, episode, fresh, closed


def fuzz_targets(world) -> list[tuple[str, dict[str, object]]]:
    """Every clinical form of the fuzz world, with valid data to start from."""
    _therapist, patient, episode, fresh, closed = world
    base = f"/patients/{patient.id}/episodes/{episode.id}"
    session = episode.sessions[0]
    stale = {"version": "999"}  # edits run every check, then lose the compare-and-swap
    forms = [
        ("/patients/new", patient_data()),
        (f"/patients/{patient.id}/edit", patient_data(**stale)),
        (f"/patients/{fresh.id}/episodes/new", intake_data(TODAY)),
        (f"{base}/intake", intake_data(episode.started_on, **stale)),
        (f"{base}/sessions/new", session_data(episode, TODAY)),
        (f"{base}/sessions/{session.id}/edit", session_data(episode, TODAY, **stale)),
        (
            f"{base}/close",
            {
                "closed_on": TODAY.isoformat(),
                "ending_reason": "other",
                "ending_reason_detail": "Moved away",
                "outcome": "",
                "relapse_prevention": "",
                "advice": "",
                "gp_consent": "",
                "final_ratings-0-goal_id": str(episode.goals[0].id),
                "final_ratings-0-score": "5",
                **stale,
            },
        ),
        (
            f"/patients/{closed.patient_id}/episodes/{closed.id}/amendments/new",
            {"target": "Session 1", "text": "Correction"},
        ),
        (
            f"/patients/{fresh.id}/record/destruction",
            {
                "requested_on": TODAY.isoformat(),
                "requested_by": "patient",
                "other_interest": "no",
                "legal_duty": "no",
                "decision": "refuse",
                "reason": "A pending complaint.",
            },
        ),
    ]
    return forms


def test_every_clinical_form_survives_hostile_input(client, login, world) -> None:
    therapist, *_, closed = world
    login(therapist)
    forms = fuzz_targets(world)
    for url, valid in forms:
        _fuzz(client, url, valid)
    assert client.get("/?q=a%00b&page=" + "9" * 40).status_code == 200

    # Nothing stored carries a NUL byte, and the closed episode took amendments only.
    db.session.expire_all()
    texts = [
        *db.session.scalars(select(Patient.family_name)),
        *db.session.scalars(select(TreatmentEpisode.request_for_help)),
        *db.session.scalars(select(TherapySession.notes)),
        *db.session.scalars(select(Amendment.text)),
    ]
    assert not any("\x00" in text for text in texts)
    assert db.session.get(TreatmentEpisode, closed.id).status == EpisodeStatus.CLOSED
    figures.report_sum("fuzz", FUZZ_LINE, submissions=_submissions["count"], errors=0)


def test_huge_and_foreign_ids_in_urls_are_404(client, login, world) -> None:
    therapist, patient, episode, _fresh, _closed = world
    login(therapist)
    huge = "9" * 30
    for url in (
        f"/patients/{huge}",
        f"/patients/{huge}/edit",
        f"/patients/{patient.id}/episodes/{huge}",
        f"/patients/{patient.id}/episodes/{huge}/timeline",
        f"/patients/{patient.id}/episodes/{episode.id}/sessions/{huge}",
        f"/patients/{patient.id}/episodes/{episode.id}/sessions/2147483648/edit",
    ):
        assert client.get(url).status_code == 404, url
